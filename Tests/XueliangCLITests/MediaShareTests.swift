import CameraFleet
import CurlTransport
import Foundation
import Probing
import Registry
import StateStore
import Synchronization
import Testing
import TestSupport
@testable import Monitoring

/// A monitor with a media share (`media_share`) against the simulator: over one period its sweeps play every
/// camera exactly once while the cheap check runs on all of them every sweep, and a camera whose video does
/// not flow stays flagged between its turns.
@Suite(.serialized) struct MediaShareTests {
    /// Times a sweep starts and finishes at, in order: a test's day in seconds.
    final class ScriptedClock: Sendable {
        private let times: Mutex<[Date]>
        init(_ times: [Date]) { self.times = Mutex(times) }
        func next() -> Date { times.withLock { $0.isEmpty ? Date() : $0.removeFirst() } }
    }

    @Test func everyCameraIsPlayedOncePerPeriodAndTheCheapCheckEverySweep() async throws {
        let silentHost = "127.8.5.3"
        let fleet = try CameraFleet(configuration: FleetConfiguration(behaviours: [FleetAddress.parse(silentHost)!: .mediaNone]))
        let (_, rtspPort) = try fleet.start()
        defer { fleet.stop() }
        let transport = try CurlTransport()
        defer { transport.shutdown() }

        let start = Date(timeIntervalSince1970: 1_795_500_000)
        let every = 900.0
        // Four sweeps 15 minutes apart cover exactly one hour: (start - 15m, start + 45m].
        let starts = (0..<4).map { start.addingTimeInterval(Double($0) * every) }
        let firstTurn = CheckTurn(periodSeconds: 3600, previousSweepStart: nil, sweepStart: start, everySeconds: every)
        // The silent camera is one whose turn is the first sweep's, so that the three after it hold its verdict.
        let silentID = try #require((0..<1000).map { String(format: "450128010013200%05d", 90_000 + $0) }.first(where: firstTurn.isDue))
        var cameras = (1...12).filter { $0 != 3 }.map { index in
            var camera = CameraRecord(id: String(format: "450128010013200%05d", index), name: "cam \(index)",
                                      village: try! VillageCode.parse("450128101201").get(), source: .public, status: .active)
            camera.endpoints.rtsp = "rtsp://127.8.5.\(index):\(rtspPort)/stream"
            return camera
        }
        var silent = CameraRecord(id: silentID, name: "silent", village: try VillageCode.parse("450128101201").get(), source: .public, status: .active)
        silent.endpoints.rtsp = "rtsp://\(silentHost):\(rtspPort)/stream"
        cameras.append(silent)

        let file = TemporaryDirectory()
        try #"{"schema": "xueliang.monitor/1", "name": "share", "every": "15m", "checks": ["rtsp", "media"], "media_share": "1h", "timeout": "3s", "thresholds": {"offline_after": 2}}"#
            .write(toFile: file.file("share.json"), atomically: true, encoding: .utf8)
        var monitor = try MonitorDefinition.load(path: file.file("share.json"))
        monitor.settings.media.windowMilliseconds = 1_000
        monitor.settings.media.stallMilliseconds = 500
        let clock = ScriptedClock(starts.flatMap { [$0, $0.addingTimeInterval(20)] })
        let sweep = MonitorSweep(monitor: monitor, store: MonitorStore(stateDirectory: file.file("State"), monitor: "share"),
                                 runner: SweepRunner(transport: transport, probers: ProberTable.all), now: { clock.next() })

        var played: [String: Int] = [:]
        var cheap: [String: Int] = [:]
        var alerts: [Transition.Alert] = []
        for number in 0..<4 {
            let result = try await sweep.run(cameras: cameras, villages: [:], credentials: CredentialStore(), today: CalendarDate(year: 2026, month: 11, day: 24)!)
            #expect(result.entry != nil)
            for outcome in result.outcome.outcomes {
                for check in outcome.checks {
                    if check.kind == .media { played[outcome.camera.id, default: 0] += 1 }
                    if check.kind == .rtsp && check.passed { cheap[outcome.camera.id, default: 0] += 1 }
                }
            }
            alerts += result.transitions.compactMap(\.alert)
            let state = try sweep.recordedState()
            let silentState = try #require(state.cameras[silentID])
            #expect(silentState.reason == .noMedia, "sweep \(number): held between turns: \(silentState)")
            #expect(silentState.status == (number == 0 ? .unknown : .offline), "sweep \(number)")
            #expect(result.counts.working == 11, "sweep \(number)")
            // The kept sweep says what the monitor says: the silent camera offline, even when its RTSP answered.
            var record = SweepRecord(outcome: result.outcome, scope: "monitor share", startedAt: result.startedAt, finishedAt: result.finishedAt)
            record.apply(result)
            let kept = try #require(record.cameras.first { $0.id == silentID })
            #expect(kept.status == .offline && kept.reason == .noMedia, "sweep \(number): \(kept)")
        }
        #expect(played.count == cameras.count && played.values.allSatisfy { $0 == 1 }, "each camera played once in the hour: \(played)")
        #expect(cameras.allSatisfy { cheap[$0.id] == 4 }, "the cheap check on every camera every sweep: \(cheap)")
        #expect(alerts == [.offline], "the silent camera, flagged on the second sweep and not recovered by its cheap checks")
    }
}
