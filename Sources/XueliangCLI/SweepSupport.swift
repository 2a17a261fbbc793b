import Dispatch
import Foundation
import Monitoring
import Probing
import Registry
import StateStore
import Reports

/// The sweep options `sweep` and `check` share, read into `SweepSettings`.
enum SweepOptions {
    static let specs: [OptionSpec] = [
        .value("--checks", "LIST", "checks to run, e.g. rtsp,snapshot or rtsp,media (default: every check a camera has an endpoint for but media)"),
        .value("--concurrency", "N", "cameras probed at once (default 500)"),
        .value("--per-host", "M", "cameras probed at once on one address, e.g. an NVR's channels (default 4)"),
        .value("--connect-timeout", "SECONDS", "connect timeout per transfer (default 3)"),
        .value("--timeout", "SECONDS", "total timeout per transfer (default 10)"),
        .value("--budget", "SECONDS", "time one camera's checks and retries may take together (default 20)"),
        .value("--retries", "N", "retries of a check that failed at the network level (default 0)"),
        .value("--redirects", "POLICY", "HTTP redirects followed: same-host (default), any, or none"),
        .value("--memory-budget", "SIZE", "bytes all transfers in flight may hold, e.g. 2G (default: 1M for each of --concurrency, at least 512M)"),
        .value("--media-window", "SECONDS", "longest the media check reads a stream after PLAY (default 4)"),
        .value("--media-stall", "SECONDS", "media check: no RTP for this long is no-media or stream-stalled (default 3)"),
        .value("--media-bandwidth", "RATE", "bits/s the media checks' open streams may take together, e.g. 500M (default: no bound)"),
    ]

    /// Options a monitor file decides instead.
    static let decidedByMonitor: Set<String> = ["--village", "--township", "--county", "--source", "--checks", "--concurrency",
                                                "--per-host", "--connect-timeout", "--timeout", "--retries", "--media-bandwidth"]

    static func settings(_ arguments: ParsedArguments, command: String) throws(UsageError) -> SweepSettings {
        var settings = SweepSettings()
        if let list = arguments.value("--checks") {
            var checks: [CheckKind] = []
            for name in list.split(separator: ",") {
                guard let kind = CheckKind(rawValue: String(name).trimmingCharacters(in: .whitespaces)) else {
                    throw UsageError(message: "--checks: '\(name)' is not one of \(CheckKind.allCases.map(\.rawValue).joined(separator: ", "))",
                                     command: command)
                }
                checks.append(kind)
            }
            settings.checks = checks
        }
        func number(_ option: String, _ range: ClosedRange<Double>) throws(UsageError) -> Double? {
            guard let text = arguments.value(option) else { return nil }
            guard let value = Double(text), range.contains(value) else {
                throw UsageError(message: "\(option): '\(text)' is not a number in \(range.lowerBound)...\(range.upperBound)", command: command)
            }
            return value
        }
        if let value = try number("--concurrency", 1...100_000) { settings.concurrency = Int(value) }
        if let value = try number("--per-host", 1...1_000) { settings.perHost = Int(value) }
        if let value = try number("--connect-timeout", 0.05...600) { settings.connectTimeoutSeconds = value }
        if let value = try number("--timeout", 0.05...3_600) { settings.timeoutSeconds = value }
        if let value = try number("--budget", 0.05...86_400) { settings.budgetSeconds = value }
        if let value = try number("--retries", 0...10) { settings.retries = Int(value) }
        if let value = try number("--media-window", 0.1...600) { settings.media.windowMilliseconds = Int(value * 1000) }
        if let value = try number("--media-stall", 0.1...600) { settings.media.stallMilliseconds = Int(value * 1000) }
        if let text = arguments.value("--media-bandwidth") {
            guard let bits = MediaBandwidth.parse(text) else {
                throw UsageError(message: "--media-bandwidth: '\(text)' is not a rate of at least 1K bits/s (e.g. 500M, 1G)", command: command)
            }
            settings.mediaBandwidthBitsPerSecond = bits
        }
        if let text = arguments.value("--redirects") {
            guard let policy = RedirectPolicy(rawValue: text) else {
                throw UsageError(message: "--redirects: '\(text)' is not one of same-host, any, none", command: command)
            }
            settings.redirects = policy
        }
        if let text = arguments.value("--memory-budget") {
            guard let bytes = byteSize(text), bytes >= 1 << 20 else {
                throw UsageError(message: "--memory-budget: '\(text)' is not a size of at least 1M (e.g. 512M, 2G)", command: command)
            }
            settings.memoryBudgetBytes = bytes
        }
        return settings
    }

    /// `512M`, `2G`, `65536` (bytes), `64K`: binary units, as memory is counted.
    static func byteSize(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(text.uppercased())
        var multiplier = 1
        if digits.hasSuffix("B") { digits = digits.dropLast() }
        if let last = digits.last, let unit = units[last] {
            multiplier = unit
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let number = Int(digits),
              number <= Int.max / multiplier else { return nil }
        return number * multiplier
    }

    /// A monitor's settings with the options a monitor file does not decide (how this machine runs the
    /// sweep: `--budget`, `--redirects`, `--memory-budget`, `--media-window`, `--media-stall`) taken from the command line, or their defaults.
    static func monitorSettings(_ monitor: SweepSettings, commandLine: SweepSettings) -> SweepSettings {
        var settings = monitor
        settings.budgetSeconds = commandLine.budgetSeconds
        settings.redirects = commandLine.redirects
        settings.memoryBudgetBytes = commandLine.memoryBudgetBytes
        settings.media = commandLine.media
        return settings
    }

    /// Refuses sweep options next to `--monitor`, whose file decides them.
    static func refuseWithMonitor(_ arguments: ParsedArguments, command: String) throws(UsageError) {
        if arguments.value("--monitor") != nil, arguments.values.keys.contains(where: decidedByMonitor.contains) {
            throw UsageError(message: "--monitor sets the scope and settings; give them in the monitor file instead", command: command)
        }
    }
}

/// Monitors named on the command line: a definition file (`Monitors/NAME.json`) or, for commands that only
/// read state, a bare name.
enum MonitorReference {
    /// Reads a monitor file; its problems become one line naming the file and key.
    static func load(_ path: String) throws -> MonitorDefinition {
        do {
            return try MonitorDefinition.load(path: path)
        } catch {
            throw InventoryError.unreadableInput(path: error.file, reason: error.key.map { "\($0): \(error.problem)" } ?? error.problem.description)
        }
    }

    /// The monitor's name, and its definition when the reference is a file or `Monitors/NAME.json` exists.
    static func resolve(_ reference: String) throws -> (name: String, definition: MonitorDefinition?) {
        if reference.hasSuffix(".json") || reference.contains("/") {
            let definition = try load(reference)
            return (definition.name, definition)
        }
        guard MonitorDefinition.isUsableName(reference) else {
            throw InventoryError.unreadableInput(path: reference, reason: "not a monitor name (no '/', no leading '.')")
        }
        let conventional = "Monitors/\(reference).json"
        let definition = FileManager.default.fileExists(atPath: conventional) ? try? MonitorDefinition.load(path: conventional) : nil
        return (reference, definition)
    }

    /// The monitors to read: the one named, or every monitor with state.
    static func names(_ reference: String?, statePath: String) throws -> [String] {
        if let reference { return [try resolve(reference).name] }
        let names = MonitorStore.monitors(stateDirectory: statePath)
        guard !names.isEmpty else {
            throw InventoryError.missing(path: statePath + "/monitors", what: "monitor state yet",
                                         hint: "run 'xueliang watch --monitor Monitors/NAME.json' or 'xueliang sweep --monitor …' first")
        }
        return names
    }
}

/// Durations on the command line: `90d`, `24h`, `15m`, `30s`, or a bare number of seconds.
enum DurationOption {
    static func seconds(_ arguments: ParsedArguments, _ option: String, command: String) throws(UsageError) -> Double? {
        guard let text = arguments.value(option) else { return nil }
        guard let seconds = MonitorDefinition.seconds(text) ?? Double(text), seconds >= 0, seconds.isFinite else {
            throw UsageError(message: "\(option): '\(text)' is not a duration like 30s, 15m, 24h or 90d", command: command)
        }
        return seconds
    }
}

/// Cancels a task when the process gets one of `signals` (Ctrl-C, systemd's stop), for as long as it lives.
final class SignalCancellation {
    private let sources: [any DispatchSourceSignal]
    private let signals: [Int32]

    init(_ signals: [Int32], cancel: @escaping @Sendable () -> Void) {
        self.signals = signals
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler(handler: cancel)
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }
}

extension SignalCancellation {
    /// Runs `work` in a task that `signals` cancel. The work waits until the handlers are in place: a signal
    /// in between (a busy machine, a service stopped at once) would otherwise find the process without them
    /// and kill it with nothing recorded or reported.
    static func run<Value: Sendable>(cancelledBy signals: [Int32], _ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let (ready, open) = AsyncStream.makeStream(of: Void.self)
        let task = Task {
            // Ends at the first element, or at once when the task is cancelled: either way the handlers exist.
            for await _ in ready { break }
            return try await work()
        }
        let stop = SignalCancellation(signals) { task.cancel() }
        defer { withExtendedLifetime(stop) {} }
        open.yield()
        open.finish()
        return try await task.value
    }
}

extension CommandContext {
    /// The active cameras `include` keeps (and pending ones, for an acceptance test), the villages and the
    /// credentials: what a sweep needs. The rest of the registry is dropped before probing (at city scale it
    /// is the largest thing in memory).
    func sweepInputs(includePending: Bool = false, _ include: (CameraRecord) -> Bool) throws -> SweepInputs {
        try SweepInputs.load(store: store, credentialsPath: credentialsPath, today: today, includePending: includePending, include: include)
    }
}

extension SweepInputs {
    /// What `CommandContext.sweepInputs` reads, for a closure that cannot hold the context (a watch reads
    /// it anew before each sweep).
    static func load(store: InventoryStore, credentialsPath: String, today: CalendarDate, includePending: Bool = false,
                     include: (CameraRecord) -> Bool) throws -> SweepInputs {
        let inventory = try store.load()
        let cameras = inventory.cameras.filter { ($0.status == .active || (includePending && $0.status == .pending)) && include($0) }
        return SweepInputs(cameras: cameras, villages: inventory.villages,
                           credentials: try CredentialStore.load(path: credentialsPath) ?? CredentialStore(), today: today)
    }
}

extension CommandContext {
    /// The state of the monitor `--monitor` names, if any.
    func monitorStore(_ reference: String?) throws -> MonitorStore? {
        try reference.map { MonitorStore(stateDirectory: statePath, monitor: try MonitorReference.resolve($0).name) }
    }

    /// The sweeps behind trends and availability: a monitor's journal when one is named, else the sweeps
    /// kept in the state directory.
    func sweepHistory(monitor: MonitorStore?) throws -> SweepTrend {
        if let monitor { return try MonitorTrend.load(monitor: monitor) }
        return try SweepStore(stateDirectory: statePath).trend()
    }
}
