import Foundation
import Probing
import Registry
import Reports
import Testing
import TestSupport
@testable import Monitoring
@testable import XueliangCLI

/// The monitoring formats (`offline`, `history`, `check --monitor`) on a journal written with fixed times.
@Suite struct MonitorGoldenTests {
    static let start = Date(timeIntervalSince1970: 1_795_500_000)  // 2026-11-24T06:00:00Z
    static let now = "2026-11-24T08:00:00Z"

    /// Four sweeps, 15 minutes apart: the public camera fails from the second on, the citizen camera never
    /// works, the NVR channel sends the same picture every time, the NVR is fine.
    static func journal(state: String) throws {
        let store = MonitorStore(stateDirectory: state, monitor: "rtsp-public-15m")
        let lock = try store.lock()
        var loaded = try store.load()
        for sweep in 0..<4 {
            let timeout = Observation(status: .offline, reason: .timeout, detail: "rtsp: OPTIONS/DESCRIBE: timed out")
            let refused = Observation(status: .offline, reason: .connectionRefused, detail: "rtsp: connection refused")
            let observations: [String: (observation: Observation, snapshotHash: String?)] = [
                "45012801001320000001": (sweep == 0 ? Observation(status: .online, reason: .ok) : timeout, nil),
                "45012801011320500001": (refused, nil),
                "45012801001320000002": (Observation(status: .online, reason: .ok), "0123456789abcdef"),
                "45012801001181000009": (Observation(status: .online, reason: .ok), nil),
            ]
            var state = loaded.state
            let at = start.addingTimeInterval(Double(sweep) * 900)
            let (entry, _) = state.record(observations, startedAt: at, finishedAt: at.addingTimeInterval(20), rules: StateRules())
            try store.commit(entry, state: state, after: &loaded)
        }
        withExtendedLifetime(lock) {}
    }

    func setup() throws -> (inventory: String, state: String, directory: TemporaryDirectory) {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        try Self.journal(state: directory.file("State"))
        return (inventory, directory.file("State"), directory)
    }

    func run(_ arguments: [String], _ paths: (inventory: String, state: String, directory: TemporaryDirectory)) async -> CommandResult {
        await xueliang(arguments, inventory: paths.inventory, environment: ["XUELIANG_STATE": paths.state, "XUELIANG_NOW": Self.now])
    }

    @Test func offlineText() async throws {
        let paths = try setup()
        let result = await run(["offline"], paths)
        #expect(result.status == 0, "\(result.error)")
        try expectGolden(result.output, "offline.txt")
        #expect(!result.output.contains("13800138000"), "the owner's phone is masked")
    }

    /// The officer's view: Chinese, Beijing time (the journal's 06:00 UTC is 14:00 in Beijing).
    @Test func offlineAndHistoryInChineseOnBeijingTime() async throws {
        let paths = try setup()
        let environment = ["XUELIANG_STATE": paths.state, "XUELIANG_NOW": Self.now, "TZ": "Asia/Shanghai", "LANG": "zh_CN.UTF-8"]
        let offline = await xueliang(["offline"], inventory: paths.inventory, environment: environment)
        #expect(offline.status == 0, "\(offline.error)")
        try expectGolden(offline.output, "offline-zh.txt")
        #expect(offline.output.contains("2026-11-24 14:00") && offline.output.contains("UTC+08:00"))
        let history = await xueliang(["history", "45012801001320000001"], inventory: paths.inventory, environment: environment)
        try expectGolden(history.output, "history-zh.txt")
        // --lang wins over the locale; JSON keeps its English keys and UTC times in any language.
        let english = await xueliang(["offline", "--lang", "en"], inventory: paths.inventory, environment: environment)
        #expect(english.output.hasPrefix("ID "))
        let json = await xueliang(["offline", "--json", "--for", "100m"], inventory: paths.inventory, environment: environment)
        try expectGolden(json.output, "offline.json")
    }

    @Test func offlineJSON() async throws {
        let paths = try setup()
        try expectGolden(await run(["offline", "--json", "--for", "100m"], paths).output, "offline.json")
    }

    @Test func historyText() async throws {
        let paths = try setup()
        let result = await run(["history", "45012801001320000001"], paths)
        #expect(result.status == 0, "\(result.error)")
        try expectGolden(result.output, "history.txt")
        let unknown = await run(["history", "45012801001399999999"], paths)
        #expect(unknown.status == ExitCode.notFound)
    }

    @Test func pluginFromTheMonitorState() async throws {
        let paths = try setup()
        let result = await xueliang(["check", "--monitor", "rtsp-public-15m", "--max-age", "6h"], inventory: paths.inventory,
                                    environment: ["XUELIANG_STATE": paths.state, "XUELIANG_NOW": Self.now])
        #expect(result.status == 2)
        try expectGolden(result.output, "check.txt")
    }

    @Test func figuresOverAPeriodAreTheMeanOfItsSweepsAndTheirTime() async throws {
        let paths = try setup()
        let store = MonitorStore(stateDirectory: paths.state, monitor: "rtsp-public-15m")
        let inventory = try InventoryStore(directory: paths.inventory).load()
        // Working cameras per sweep 2, 1, 1, 1 of 3 (the NVR is not a camera): the mean of the four rates is
        // 5/12; the verdicts hold 15 minutes each until the last sweep: (2 + 1 + 1) / (3 + 3 + 3).
        let day = try #require(PeriodOption.bounds("2026-11-24", now: Self.start, timeZone: TimeZone(identifier: "Asia/Shanghai")!))
        let whole = try PeriodFigures.compute(store: store, inventory: inventory, start: day.start, end: day.end)
        #expect(whole.sweeps == 4)
        #expect(abs((whole.total.meanOnlineRate ?? 0) - 5.0 / 12.0) < 1e-9)
        #expect(abs((whole.total.availability ?? 0) - 4.0 / 9.0) < 1e-9)
        #expect(whole.townships.map(\.key) == ["450128101"] && whole.townships.first?.rank == 1 && whole.townships.first?.cameras == 3)
        // From the third sweep on: two sweeps at 1/3, one interval between them.
        let late = try PeriodFigures.compute(store: store, inventory: inventory, start: Self.start.addingTimeInterval(1800), end: day.end)
        #expect(late.sweeps == 2)
        #expect(abs((late.total.meanOnlineRate ?? 0) - 1.0 / 3.0) < 1e-9)
        #expect(abs((late.total.availability ?? 0) - 1.0 / 3.0) < 1e-9)
        let text = PeriodText.render(whole, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        #expect(text.hasPrefix("period 2026-11-24 00:00 to 2026-11-24 23:59 (Asia/Shanghai, UTC+08:00): 4 sweeps of monitor rtsp-public-15m\n"), "\(text)")
        #expect(text.contains("41.7%") && text.contains("44.4%"))
        let usage = await xueliang(["coverage", "--period", "day"], inventory: paths.inventory)
        #expect(usage.status == ExitCode.usage && usage.error.contains("--period needs --monitor NAME"))
        let bad = await xueliang(["coverage", "--period", "2026-13", "--monitor", "rtsp-public-15m"], inventory: paths.inventory)
        #expect(bad.status == ExitCode.usage)
    }

    @Test func coverageTrendsAndAvailabilityComeFromTheJournal() throws {
        let paths = try setup()
        let summary = try MonitorTrend.load(monitor: MonitorStore(stateDirectory: paths.state, monitor: "rtsp-public-15m"))
        // The NVR is probed but is not a camera: its working channel and the others are counted, it is not.
        #expect(summary.points.map(\.working) == [2, 1, 1, 1], "the frozen channel is degraded, and degraded works")
        #expect(summary.points.map(\.cameras) == [3, 3, 3, 3])
        #expect(summary.points.first?.finishedAt == Self.start.addingTimeInterval(20))
        // Each sweep's count holds for the 15 minutes until the next: (2 + 1 + 1) / (3 + 3 + 3).
        #expect(abs((summary.availability ?? 0) - 4.0 / 9.0) < 1e-9)
        #expect(summary.offlineSince == ["45012801001320000001": Self.start.addingTimeInterval(920),
                                         "45012801011320500001": Self.start.addingTimeInterval(20)])
    }
}
