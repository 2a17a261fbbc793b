import Foundation
import Registry
import Testing
@testable import Probing

/// A media share (`media_share`): each camera is played once per period, whatever the sweeps' jitter,
/// restarts and cancelled sweeps, a share of the fleet at a time.
@Suite struct CheckTurnTests {
    static let ids = (0..<10_000).map { String(format: "450128010013200%05d", $0) }
    static let day = 86_400.0
    static let start = Date(timeIntervalSince1970: 1_795_500_000)

    /// The turns of a run of sweeps starting at `starts`, each after the one before (the first after none).
    static func turns(_ starts: [Date], period: Double = day, every: Double = 900) -> [CheckTurn] {
        starts.indices.map { index in
            CheckTurn(periodSeconds: period, previousSweepStart: index == 0 ? nil : starts[index - 1], sweepStart: starts[index], everySeconds: every)
        }
    }

    @Test func aDayOfJitteredSweepsPlaysEveryCameraExactlyOnce() {
        var generator = SeededGenerator(seed: 15)
        // Every 15 minutes plus up to a minute of jitter, as `watch` sweeps; one sweep ran long (20 minutes).
        // The last one exactly one day after the first sweep's window began: (start - 900, start - 900 + 1 day].
        let end = Self.start.addingTimeInterval(Self.day - 900)
        var starts = [Self.start]
        while true {
            let gap = starts.count == 40 ? 1_200 : 900 + Double.random(in: 0...60, using: &generator)
            let next = starts.last!.addingTimeInterval(gap.rounded())
            guard next < end else { break }
            starts.append(next)
        }
        starts.append(end)
        let turns = Self.turns(starts)
        #expect(zip(turns, turns.dropFirst()).allSatisfy { $0.upTo == $1.after }, "windows meet end to end")
        var plays: [String: Int] = [:]
        var perSweep: [Int] = []
        for turn in turns {
            let due = Self.ids.filter(turn.isDue)
            perSweep.append(due.count)
            for id in due { plays[id, default: 0] += 1 }
        }
        #expect(plays.count == Self.ids.count && plays.values.allSatisfy { $0 == 1 }, "each camera once in the day")
        // About 10,000 / 96 = 104 a sweep; the long sweep's window holds more.
        let typical = perSweep.sorted()[perSweep.count / 2]
        #expect((80...130).contains(typical), "median \(typical) a sweep: \(perSweep)")
    }

    @Test func aCancelledSweepOrARestartSkipsNoCamera() {
        // Sweeps at 0, 15, 30 (cancelled: not recorded), 45 and after a restart 120 minutes: the sweep at 45
        // starts its window at the last recorded sweep (15), the one at 120 at 45.
        let minute = 60.0
        let recorded = [0, 15, 45, 120].map { Self.start.addingTimeInterval($0 * minute) }
        let turns = Self.turns(recorded, period: 2 * 3600)
        var plays: [String: Int] = [:]
        for turn in turns { for id in Self.ids where turn.isDue(id) { plays[id, default: 0] += 1 } }
        // (−15, 120]: 135 minutes of a 120-minute period: every camera once, those whose turn falls in the first
        // 15 minutes of the period twice.
        #expect(plays.count == Self.ids.count)
        let twice = plays.values.count { $0 == 2 }
        #expect(plays.values.allSatisfy { $0 <= 2 } && (900...1_600).contains(twice), "\(twice) cameras twice")
        // A gap of a whole period or more plays everyone.
        let late = CheckTurn(periodSeconds: Self.day, previousSweepStart: Self.start, sweepStart: Self.start.addingTimeInterval(Self.day), everySeconds: 900)
        #expect(Self.ids.allSatisfy(late.isDue))
    }

    @Test func theTurnDependsOnTheIdAndTheTimeOnly() {
        let turn = CheckTurn(periodSeconds: Self.day, previousSweepStart: Self.start, sweepStart: Self.start.addingTimeInterval(900), everySeconds: 900)
        let again = CheckTurn(periodSeconds: Self.day, previousSweepStart: Self.start, sweepStart: Self.start.addingTimeInterval(900), everySeconds: 900)
        #expect(Self.ids.filter(turn.isDue) == Self.ids.filter(again.isDue))
        #expect(CheckTurn.offset(of: "45012801001320000001", periodSeconds: 86_400) == Int64(ContentHash.fnv1a64(Array("45012801001320000001".utf8)) % 86_400))
    }

    @Test func thePlanRunsTheMediaCheckOnlyOnCamerasWhoseTurnItIs() throws {
        var settings = SweepSettings()
        settings.checks = [.rtsp, .media]
        var plan = SweepPlan(cameras: [], credentials: CredentialStore(), settings: settings, today: CalendarDate(year: 2026, month: 11, day: 24)!)
        let camera = CameraRecord(id: Self.ids[0], name: "x", village: try VillageCode.parse("450128101201").get(), source: .public, status: .active)
        #expect(plan.runs(.media, on: camera) && plan.runs(.rtsp, on: camera))
        let offset = Double(CheckTurn.offset(of: camera.id, periodSeconds: 86_400))
        let periodStart = Date(timeIntervalSince1970: (Self.start.timeIntervalSince1970 / Self.day).rounded(.down) * Self.day)
        plan.mediaTurn = CheckTurn(periodSeconds: Self.day, previousSweepStart: periodStart.addingTimeInterval(offset - 1),
                                   sweepStart: periodStart.addingTimeInterval(offset), everySeconds: 900)
        #expect(plan.runs(.media, on: camera), "its turn")
        plan.mediaTurn = CheckTurn(periodSeconds: Self.day, previousSweepStart: periodStart.addingTimeInterval(offset),
                                   sweepStart: periodStart.addingTimeInterval(offset + 900), everySeconds: 900)
        #expect(!plan.runs(.media, on: camera) && plan.runs(.rtsp, on: camera), "not its turn: the cheap checks still run")
    }

    /// Off its picture turn a camera gets the snapshot check in the picture check's place; a camera the
    /// monitor names (`alsoDue`: its picture is repeating) is diagnosed whatever its turn.
    @Test func offItsPictureTurnACameraGetsTheSnapshotCheckInstead() throws {
        var settings = SweepSettings()
        settings.checks = [.picture, .tcp]
        var plan = SweepPlan(cameras: [], credentials: CredentialStore(), settings: settings, today: CalendarDate(year: 2026, month: 11, day: 24)!)
        let camera = CameraRecord(id: Self.ids[0], name: "x", village: try VillageCode.parse("450128101201").get(), source: .public, status: .active)
        #expect(plan.runs(.picture, on: camera) && !plan.runs(.snapshot, on: camera), "no share: every picture every sweep")
        let offset = Double(CheckTurn.offset(of: camera.id, periodSeconds: 86_400))
        let periodStart = Date(timeIntervalSince1970: (Self.start.timeIntervalSince1970 / Self.day).rounded(.down) * Self.day)
        plan.pictureTurn = CheckTurn(periodSeconds: Self.day, previousSweepStart: periodStart.addingTimeInterval(offset - 1),
                                     sweepStart: periodStart.addingTimeInterval(offset), everySeconds: 900)
        #expect(plan.runs(.picture, on: camera) && !plan.runs(.snapshot, on: camera) && plan.runs(.tcp, on: camera), "its turn")
        plan.pictureTurn = CheckTurn(periodSeconds: Self.day, previousSweepStart: periodStart.addingTimeInterval(offset),
                                     sweepStart: periodStart.addingTimeInterval(offset + 900), everySeconds: 900)
        #expect(!plan.runs(.picture, on: camera) && plan.runs(.snapshot, on: camera) && plan.runs(.tcp, on: camera), "not its turn")
        plan.pictureTurn?.alsoDue = [camera.id]
        #expect(plan.runs(.picture, on: camera) && !plan.runs(.snapshot, on: camera), "named by the monitor")
        // A media share leaves the snapshot check alone.
        plan.pictureTurn = nil
        plan.mediaTurn = CheckTurn(periodSeconds: Self.day, previousSweepStart: periodStart.addingTimeInterval(offset),
                                   sweepStart: periodStart.addingTimeInterval(offset + 900), everySeconds: 900)
        #expect(plan.runs(.picture, on: camera) && !plan.runs(.snapshot, on: camera))
    }
}

struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 11 | state << 53
    }
}
