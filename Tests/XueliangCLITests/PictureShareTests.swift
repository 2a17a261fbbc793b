import CameraFleet
import CurlTransport
import Foundation
import Probing
import Registry
import StateStore
import Testing
import TestSupport
@testable import Monitoring

/// A monitor with a picture share (`picture_share`) against the simulator serving real encoders' pictures:
/// over one period each camera's picture is diagnosed once and its snapshot checked in every other sweep; a
/// dark camera stays degraded between its turns, and the monitor's kept sweep counts every picture as last
/// diagnosed; a frozen camera, once its bytes repeat, is diagnosed every sweep.
@Suite(.serialized) struct PictureShareTests {
    @Test func eachPictureIsDiagnosedOncePerPeriodAndItsFindingHoldsBetweenTurns() async throws {
        let directory = TemporaryDirectory()
        let scene = try CJPEG.colour(width: 320, height: 240, to: directory.file("scene.jpg")) { x, y in
            (UInt8((x * 255) / 319), UInt8((y * 255) / 239), ((x / 16 + y / 16) % 2 == 0) ? 40 : 210)
        }
        let dark = try CJPEG.grey(width: 320, height: 240, to: directory.file("dark.jpg")) { x, y in UInt8(8 + ((x / 16 + y / 16) % 2) * 12) }

        let start = Date(timeIntervalSince1970: 1_795_500_000)
        let every = 900.0
        // Four sweeps 15 minutes apart cover exactly one hour, the share's period: (start - 15m, start + 45m].
        let starts = (0..<4).map { start.addingTimeInterval(Double($0) * every) }
        let turns = starts.indices.map { index in
            CheckTurn(periodSeconds: 3600, previousSweepStart: index == 0 ? nil : starts[index - 1], sweepStart: starts[index], everySeconds: every)
        }
        let candidates = (0..<2000).map { String(format: "450128010013200%05d", 10_000 + $0) }
        // The dark camera's turn is the first sweep's, so that the three after it hold its finding; the frozen
        // camera's is the last sweep's, so that only its repeating bytes bring its picture checks earlier.
        let darkID = try #require(candidates.first(where: turns[0].isDue))
        let frozenID = try #require(candidates.first(where: turns[3].isDue))
        var ids = candidates.filter { $0 != darkID && $0 != frozenID }.prefix(10).map { $0 }
        ids += [darkID, frozenID]
        var behaviours: [UInt32: CameraBehaviour] = [:]
        behaviours[FleetAddress.parse("127.9.3.11")!] = .picture(name: "dark")
        behaviours[FleetAddress.parse("127.9.3.12")!] = .frozen
        let fleet = try CameraFleet(configuration: FleetConfiguration(behaviours: behaviours, snapshot: scene, pictures: ["dark": dark]))
        let ports = try fleet.start()
        defer { fleet.stop() }
        let transport = try CurlTransport()
        defer { transport.shutdown() }

        let cameras = ids.enumerated().map { index, id in
            var camera = CameraRecord(id: id, name: "cam \(index + 1)", village: try! VillageCode.parse("450128101201").get(), source: .public, status: .active)
            camera.endpoints.snapshot = "http://127.9.3.\(index + 1):\(ports.httpPort)/snapshot.jpg"
            return camera
        }
        try #"{"schema": "xueliang.monitor/1", "name": "pictures", "every": "15m", "checks": ["picture"], "picture_share": "1h", "timeout": "5s", "thresholds": {"offline_after": 2, "frozen_after": 3}}"#
            .write(toFile: directory.file("pictures.json"), atomically: true, encoding: .utf8)
        let monitor = try MonitorDefinition.load(path: directory.file("pictures.json"))
        let clock = MediaShareTests.ScriptedClock(starts.flatMap { [$0, $0.addingTimeInterval(20)] })
        let stateDirectory = directory.file("State")
        let sweep = MonitorSweep(monitor: monitor, store: MonitorStore(stateDirectory: stateDirectory, monitor: "pictures"),
                                 runner: SweepRunner(transport: transport, probers: ReferenceCommandProbers.withSignatures(stateDirectory)),
                                 now: { clock.next() })

        var diagnosed: [String: [Int]] = [:]
        var snapshots: [String: Int] = [:]
        var checkedByTurn: Set<String> = []
        for number in 0..<4 {
            let result = try await sweep.run(cameras: cameras, villages: [:], credentials: CredentialStore(), today: CalendarDate(year: 2026, month: 11, day: 24)!)
            #expect(result.entry != nil)
            for outcome in result.outcome.outcomes {
                let kinds = outcome.checks.map(\.kind)
                #expect(kinds == [.picture] || kinds == [.snapshot], "one of the two, never both: \(kinds)")
                if kinds == [.picture] { diagnosed[outcome.camera.id, default: []].append(number) }
                if kinds == [.snapshot] && outcome.checks[0].passed { snapshots[outcome.camera.id, default: 0] += 1 }
                if turns[number].isDue(outcome.camera.id) { checkedByTurn.insert(outcome.camera.id) }
            }
            let state = try sweep.recordedState()
            let darkState = try #require(state.cameras[darkID])
            #expect(darkState.observed == .degraded && darkState.reason == .tooDark, "sweep \(number): held between turns: \(darkState)")
            #expect(result.counts.working == 12, "sweep \(number): every camera's feed works")

            // The kept sweep says what the monitor says: every picture as last diagnosed, none before its turn.
            var record = SweepRecord(outcome: result.outcome, scope: "monitor pictures", startedAt: result.startedAt, finishedAt: result.finishedAt)
            record.apply(result)
            let kept = Dictionary(uniqueKeysWithValues: record.cameras.map { ($0.id, $0) })
            #expect(kept[darkID]?.status == .degraded && kept[darkID]?.reason == .tooDark && kept[darkID]?.picture == [.tooDark],
                    "sweep \(number): \(String(describing: kept[darkID]))")
            #expect(record.thumbnails[darkID] != nil, "sweep \(number): the dark picture is shown")
            for id in ids where id != darkID && id != frozenID {
                #expect(kept[id]?.picture == (checkedByTurn.contains(id) ? [] : nil), "sweep \(number), \(id)")
                #expect(kept[id]?.status == .online)
            }
        }
        #expect(diagnosed[darkID] == [0])
        for id in ids where id != frozenID {
            #expect(diagnosed[id]?.count == 1, "each picture diagnosed once in the hour: \(id) \(String(describing: diagnosed[id]))")
            #expect(snapshots[id] == 3, "and its snapshot checked in the other three sweeps: \(id)")
        }
        // The frozen camera's bytes repeat from the second sweep: diagnosed from the third on, and frozen by it.
        #expect(diagnosed[frozenID] == [2, 3], "\(String(describing: diagnosed[frozenID]))")
        #expect(try sweep.recordedState().cameras[frozenID]?.frozen == true)
        #expect(fleet.statistics().requestsServed == 48, "one snapshot a camera a sweep")
    }
}

/// The monitor's probers as `xueliang sweep --monitor` builds them: the picture check hands back signatures.
enum ReferenceCommandProbers {
    static func withSignatures(_ stateDirectory: String) -> [CheckKind: any Prober] {
        var probers = ProberTable.all
        probers[.picture] = PictureProber(recordsSignatures: true)
        return probers
    }
}
