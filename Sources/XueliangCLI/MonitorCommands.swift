import Localization
import CurlTransport
import Foundation
import Monitoring
import Probing
import Registry
import Reports
import StateStore

struct OfflineCommand: Command {
    static let name = "offline"
    static let abstract = "Flagged feeds (offline after the monitor's debounce, frozen, flapping): since when, why, who maintains them."
    static let usage = "[--monitor NAME] [--for DURATION] [--json]"
    static let options: [OptionSpec] = [
        .value("--monitor", "NAME", "one monitor (a name, or its file Monitors/NAME.json); default: every monitor with state"),
        .value("--for", "DURATION", "only feeds flagged at least this long, e.g. 24h or 3d"),
        .flag("--json", "print a xueliang.offline/1 document"),
    ]

    let monitor: String?
    let minimumSeconds: Double
    let json: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        _ = try Self.positionals(arguments)
        monitor = arguments.value("--monitor")
        minimumSeconds = try DurationOption.seconds(arguments, "--for", command: Self.name) ?? 0
        json = arguments.has("--json")
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let names = try MonitorReference.names(monitor, statePath: context.statePath)
        let statePath = context.statePath
        // The monitors' states are other files: read while the registry loads.
        async let loaded = names.map { name in
            (name, try MonitorStore(stateDirectory: statePath, monitor: name).cameras(where: OfflineList.isFlagged))
        }
        let inventory = try context.store.load()
        let states = try await loaded
        defer { context.keepUntilExit([inventory, states.map(\.1)] as [any Sendable]) }
        let now = context.now
        let feeds = OfflineList.feeds(states, inventory: inventory, now: now, minimumSeconds: minimumSeconds)
        context.output.write(json ? OfflineList.json(feeds, generatedAt: now) : OfflineList.text(feeds))
        return ExitCode.success
    }
}

struct HistoryCommand: Command {
    static let name = "history"
    static let abstract = "A camera's state transitions and availability over the last days, from the monitors' journals."
    static let usage = "ID [--monitor NAME] [--days N] [--json]"
    static let options: [OptionSpec] = [
        .value("--monitor", "NAME", "one monitor (a name, or its file); default: every monitor that has seen the camera"),
        .value("--days", "N", "how many local days back, today included (default 7)"),
        .flag("--json", "print a xueliang.history/1 document"),
    ]

    let cameraID: String
    let monitor: String?
    let days: Int
    let json: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        cameraID = try Self.positionals(arguments, "ID")[0]
        monitor = arguments.value("--monitor")
        let text = arguments.value("--days") ?? "7"
        guard let days = Int(text), (1...3650).contains(days) else { throw Self.usageError("--days: '\(text)' is not a whole number of days in 1...3650") }
        self.days = days
        json = arguments.has("--json")
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        // Local days: the last 7 days are today and the 6 before it, from midnight in `TZ`'s zone.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = OutputLocale.current.timeZone
        let since = calendar.date(byAdding: .day, value: 1 - days, to: calendar.startOfDay(for: context.now)) ?? context.now
        var histories: [CameraHistory] = []
        for name in try MonitorReference.names(monitor, statePath: context.statePath) {
            let history = try CameraHistory.load(store: MonitorStore(stateDirectory: context.statePath, monitor: name), cameraID: cameraID, since: since)
            if monitor != nil || history.current != nil || !history.transitions.isEmpty || history.sweeps > 0 { histories.append(history) }
        }
        let camera = try context.store.load().cameras.first { $0.id == cameraID }
        guard !histories.isEmpty else {
            throw InventoryError.missing(path: context.statePath + "/monitors", what: "monitor that has seen camera \(cameraID)",
                                         hint: camera == nil ? "no such camera in the registry either" : "is it in a monitor's scope?")
        }
        context.output.write(json ? HistoryText.json(histories) : HistoryText.render(histories, camera: camera, days: days))
        return ExitCode.success
    }
}

struct HistoryCompactCommand: Command {
    static let name = "history compact"
    static let abstract = "Rewrite monitors' journals without the sweeps older than --keep, atomically; every camera's state is kept."
    static let usage = "--keep DURATION [--monitor NAME]"
    static let options: [OptionSpec] = [
        .value("--keep", "DURATION", "how much history to keep, e.g. 90d (required)"),
        .value("--monitor", "NAME", "one monitor (a name, or its file); default: every monitor with state"),
    ]

    let keepSeconds: Double
    let monitor: String?

    init(_ arguments: ParsedArguments) throws(UsageError) {
        _ = try Self.positionals(arguments)
        guard let keep = try DurationOption.seconds(arguments, "--keep", command: Self.name) else { throw Self.usageError("--keep DURATION is required, e.g. --keep 90d") }
        guard keep >= 3600 else { throw Self.usageError("--keep: keep at least an hour") }
        keepSeconds = keep
        monitor = arguments.value("--monitor")
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let cutoff = context.now.addingTimeInterval(-keepSeconds)
        var busy: [String] = []
        for name in try MonitorReference.names(monitor, statePath: context.statePath) {
            let store = MonitorStore(stateDirectory: context.statePath, monitor: name)
            let lock: MonitorLock
            switch Result(catching: { () throws(MonitorStateError) in try store.lock() }) {
            case .success(let held): lock = held
            case .failure(.busy):
                // A sweep is being recorded: this monitor waits for the next compaction, the others go on.
                context.output.writeError("xueliang history compact: \(name): being swept now; not compacted\n")
                busy.append(name)
                continue
            case .failure(let error): throw error
            }
            let dropped = try store.compact(before: cutoff)
            withExtendedLifetime(lock) {}
            context.print("\(name): \(dropped) sweep\(dropped == 1 ? "" : "s") before \(AlertEvent.timestamp(cutoff)) folded into the base state")
        }
        return busy.isEmpty ? ExitCode.success : ExitCode.busy
    }
}

struct CheckCommand: Command {
    static let name = "check"
    static let abstract = "A Nagios/Icinga plugin: OK, WARNING or CRITICAL by the share of cameras online (exit 0, 1, 2; 3 when it cannot tell)."
    static let usage = "[--monitor NAME] [--warning PERCENT] [--critical PERCENT] [sweep options]"
    static let options: [OptionSpec] = [
        .value("--monitor", "NAME", "judge a watched monitor's current state (a name, or its file) instead of sweeping now"),
        .value("--warning", "PERCENT", "WARNING below this share online (default 95)"),
        .value("--critical", "PERCENT", "CRITICAL below this share online (default 90)"),
        .value("--max-age", "DURATION", "with --monitor: UNKNOWN when its last sweep is older (default twice its interval, if its file is found)"),
    ] + ScopeOptions.specs + SweepOptions.specs

    let monitor: String?
    let warning: Double
    let critical: Double
    let maximumAge: Double?
    let scope: CameraScope
    let settings: SweepSettings

    init(_ arguments: ParsedArguments) throws(UsageError) {
        _ = try Self.positionals(arguments)
        try SweepOptions.refuseWithMonitor(arguments, command: Self.name)
        monitor = arguments.value("--monitor")
        func percent(_ option: String, _ fallback: Double) throws(UsageError) -> Double {
            guard let text = arguments.value(option) else { return fallback }
            guard let value = Double(text.hasSuffix("%") ? String(text.dropLast()) : text), (0...100).contains(value) else {
                throw Self.usageError("\(option): '\(text)' is not a percentage in 0...100")
            }
            return value
        }
        warning = try percent("--warning", 95)
        critical = try percent("--critical", 90)
        guard critical <= warning else { throw Self.usageError("--critical (\(critical)) must not be above --warning (\(warning))") }
        maximumAge = try DurationOption.seconds(arguments, "--max-age", command: Self.name)
        scope = try ScopeOptions.scope(arguments, command: Self.name)
        settings = try SweepOptions.settings(arguments, command: Self.name)
    }

    /// A plugin's every failure is UNKNOWN on standard output, bad options included.
    static func reportUsageError(_ error: UsageError, to output: CommandOutput) -> Int32 {
        output.write(PluginCheck.unknown(String(describing: error)).1)
        return PluginCheck.Status.unknown.rawValue
    }

    /// Every failure is UNKNOWN (exit 3) with one line, as monitoring systems expect of a plugin.
    func run(_ context: CommandContext) async throws -> Int32 {
        let (status, text): (PluginCheck.Status, String)
        do {
            (status, text) = try await judge(context)
        } catch {
            (status, text) = PluginCheck.unknown(String(describing: error))
        }
        context.output.write(text)
        return status.rawValue
    }

    private func judge(_ context: CommandContext) async throws -> (PluginCheck.Status, String) {
        if let monitor { return try judgeMonitor(monitor, context: context) }
        ProcessLimits.prepare()
        let inputs = try context.sweepInputs(scope.contains)
        let transport = try CurlTransport(memoryBudgetBytes: settings.memoryBudget, transfersInFlight: settings.concurrency)
        defer { transport.shutdown() }
        let runner = SweepRunner(transport: transport, probers: ProberTable.all)
        let plan = SweepPlan(cameras: inputs.cameras, credentials: inputs.credentials, settings: settings, today: context.today)
        let outcome = try await SignalCancellation.run(cancelledBy: [SIGINT, SIGTERM]) { await runner.run(plan) }
        guard outcome.complete else { return PluginCheck.unknown("the sweep was interrupted") }
        // Counted as every figure counts: recorders are probed (their channels depend on them), not counted.
        let cameras = outcome.outcomes.filter { !$0.camera.isRecorder }
        var counts = PluginCheck.Counts(total: cameras.count, online: 0, degraded: 0, offline: 0)
        var offline: [String] = []
        for camera in cameras.sorted(by: { $0.camera.id < $1.camera.id }) {
            switch camera.status {
            case .online: counts.online += 1
            case .degraded: counts.degraded += 1
            case .offline:
                counts.offline += 1
                offline.append("offline: \(camera.camera.id) \(camera.camera.name) (\(inputs.villages[camera.camera.village]?.name ?? camera.camera.village.digits)): \(camera.reason.rawValue)")
            }
        }
        return PluginCheck.evaluate(counts, warningPercent: warning, criticalPercent: critical, offline: offline)
    }

    private func judgeMonitor(_ reference: String, context: CommandContext) throws -> (PluginCheck.Status, String) {
        let (name, definition) = try MonitorReference.resolve(reference)
        let state = try MonitorStore(stateDirectory: context.statePath, monitor: name).load().state
        guard let last = state.lastFinishedAt else { return PluginCheck.unknown("monitor \(name) has not recorded a sweep yet") }
        let age = context.now.timeIntervalSince(last)
        if let limit = maximumAge ?? definition.map({ 2 * $0.everySeconds }), age > limit {
            return PluginCheck.unknown("monitor \(name)'s last sweep finished \(OfflineList.duration(age)) ago (limit \(OfflineList.duration(limit))); is its watch running?")
        }
        let counts = state.counts
        let offline = state.cameras.filter { $0.value.status == .offline }.keys.sorted().map { id in
            "offline: \(id) since \(AlertEvent.timestamp(state.cameras[id]!.since)): \(state.cameras[id]!.reason.rawValue)"
        }
        return PluginCheck.evaluate(PluginCheck.Counts(total: counts.cameras, online: counts.online, degraded: counts.degraded,
                                                       offline: counts.offline, unknown: counts.unknown),
                                    warningPercent: warning, criticalPercent: critical, offline: offline)
    }
}
