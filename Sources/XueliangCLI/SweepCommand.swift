import CurlTransport
import Dispatch
import Foundation
import Monitoring
import Probing
import Registry
import Reports

struct SweepCommand: Command {
    static let name = "sweep"
    static let abstract = "Probe every active camera in scope and say which really work (TCP, JPEG snapshot, RTSP, HLS, ONVIF clock)."
    static let usage = "[--village CODE | --township CODE | --county CODE] [--source public|citizen] [--checks LIST] [--json] [--output FILE]"
    static let options: [OptionSpec] = ScopeOptions.specs + [
        .value("--checks", "LIST", "checks to run, e.g. rtsp,snapshot (default: every check a camera has an endpoint for)"),
        .value("--concurrency", "N", "cameras probed at once (default 500)"),
        .value("--per-host", "M", "cameras probed at once on one address, e.g. an NVR's channels (default 4)"),
        .value("--connect-timeout", "SECONDS", "connect timeout per transfer (default 3)"),
        .value("--timeout", "SECONDS", "total timeout per transfer (default 10)"),
        .value("--retries", "N", "retries of a check that failed at the network level (default 0)"),
        .flag("--json", "print the xueliang.sweep/1 document instead of the text summary"),
        .value("--output", "FILE", "also write the xueliang.sweep/1 document to FILE"),
        .flag("--no-save", "do not keep the result in the state directory"),
        .value("--monitor", "FILE", "run a monitor definition (Monitors/NAME.json): its scope, checks and settings"),
    ]

    let scope: CameraScope
    let settings: SweepSettings
    let monitorPath: String?
    let json: Bool
    let outputPath: String?
    let save: Bool
    let scopeText: String

    init(_ arguments: ParsedArguments) throws(UsageError) {
        _ = try Self.positionals(arguments)
        var scope = try ScopeOptions.scope(arguments, command: Self.name)
        scope.statuses = [.active]
        self.scope = scope
        var settings = SweepSettings()
        if let list = arguments.value("--checks") {
            var checks: [CheckKind] = []
            for name in list.split(separator: ",") {
                guard let kind = CheckKind(rawValue: String(name).trimmingCharacters(in: .whitespaces)) else {
                    throw Self.usageError("--checks: '\(name)' is not one of tcp, snapshot, rtsp, hls, onvif")
                }
                checks.append(kind)
            }
            settings.checks = checks
        }
        func number(_ option: String, _ range: ClosedRange<Double>) throws(UsageError) -> Double? {
            guard let text = arguments.value(option) else { return nil }
            guard let value = Double(text), range.contains(value) else {
                throw Self.usageError("\(option): '\(text)' is not a number in \(range.lowerBound)...\(range.upperBound)")
            }
            return value
        }
        if let value = try number("--concurrency", 1...100_000) { settings.concurrency = Int(value) }
        if let value = try number("--per-host", 1...1_000) { settings.perHost = Int(value) }
        if let value = try number("--connect-timeout", 0.05...600) { settings.connectTimeoutSeconds = value }
        if let value = try number("--timeout", 0.05...3_600) { settings.timeoutSeconds = value }
        if let value = try number("--retries", 0...10) { settings.retries = Int(value) }
        self.settings = settings
        json = arguments.has("--json")
        outputPath = arguments.value("--output")
        save = !arguments.has("--no-save")
        monitorPath = arguments.value("--monitor")
        if monitorPath != nil, arguments.values.keys.contains(where: { Self.overriddenByMonitor.contains($0) }) {
            throw Self.usageError("--monitor sets the scope and settings; give them in the monitor file instead")
        }
        let place = ["--village", "--township", "--county"].compactMap { option in arguments.value(option).map { "\(option.dropFirst(2)) \($0)" } }
        scopeText = (place + [arguments.value("--source").map { "source \($0)" }].compactMap { $0 }).joined(separator: ", ")
    }

    /// Options a monitor file decides.
    static let overriddenByMonitor: Set<String> = ["--village", "--township", "--county", "--source", "--checks", "--concurrency",
                                                   "--per-host", "--connect-timeout", "--timeout", "--retries"]

    func run(_ context: CommandContext) async throws -> Int32 {
        var scope = self.scope
        var settings = self.settings
        var monitorScope: MonitorDefinition.Scope?
        var scopeText = self.scopeText
        if let monitorPath {
            let monitor: MonitorDefinition
            do { monitor = try MonitorDefinition.load(path: monitorPath) } catch {
                throw InventoryError.unreadableInput(path: error.file, reason: error.key.map { "\($0): \(error.problem)" } ?? error.problem)
            }
            scope = CameraScope(statuses: [.active])
            settings = monitor.settings
            monitorScope = monitor.scope
            scopeText = "monitor \(monitor.name)"
        }
        // Only the cameras in scope and the villages outlive loading: at city scale the registry is the
        // largest thing in memory, and a sweep should not hold it twice.
        let (cameras, villages) = try { () throws -> ([CameraRecord], [VillageCode: Village]) in
            let inventory = try context.store.load()
            return (inventory.cameras.filter { scope.contains($0) && monitorScope?.contains($0) ?? true }, inventory.villages)
        }()
        let credentials = try CredentialStore.load(path: context.credentialsPath) ?? CredentialStore()
        ProcessLimits.prepare()
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let runner = SweepRunner(transport: transport, probers: ProberTable.all)
        let plan = SweepPlan(cameras: cameras, credentials: credentials, settings: settings)
        let output = context.output
        let showProgress = isatty(STDERR_FILENO) == 1 && !json

        let started = Date()
        let sweep = Task {
            var progress = ProgressLine(output: output, enabled: showProgress)
            let outcome = await runner.run(plan) { progress.update($0) }
            progress.finish()
            return outcome
        }
        // Ctrl-C cancels the sweep: transfers in flight stop at once and what finished is reported.
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT)
        interrupt.setEventHandler { sweep.cancel() }
        interrupt.resume()
        let outcome = await sweep.value
        interrupt.cancel()
        signal(SIGINT, SIG_DFL)

        let document = SweepDocument(outcome: outcome, villages: villages, scope: scopeText.isEmpty ? "all" : scopeText,
                                     settings: settings, startedAt: started, finishedAt: Date())
        if let outputPath { try writeDocument(document, to: outputPath, pretty: true) }
        if save { try saveToState(document, context: context) }
        if json {
            document.write(pretty: true) { context.output.write($0) }
        } else {
            context.output.write(SweepText.render(document))
        }
        return outcome.complete ? ExitCode.success : ExitCode.interrupted
    }

    /// Keeps the sweep as `STATE/sweeps/STAMP.json` and points `STATE/latest.json` at it, both atomically.
    private func saveToState(_ document: SweepDocument, context: CommandContext) throws {
        let directory = context.statePath + "/sweeps"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let name = formatter.string(from: document.summary.startedAt) + ".json"
        try writeDocument(document, to: directory + "/" + name, pretty: false)
        let link = context.statePath + "/latest.json"
        let temporary = link + ".tmp-\(getpid())"
        unlink(temporary)
        guard symlink("sweeps/" + name, temporary) == 0, rename(temporary, link) == 0 else {
            throw InventoryError.io(path: link, operation: "point at the latest sweep", errno: errno)
        }
    }

    private func writeDocument(_ document: SweepDocument, to path: String, pretty: Bool) throws {
        try AtomicWrite.stream(to: path) { write in document.write(pretty: pretty, to: write) }
    }
}

/// The live progress line on a terminal's stderr, at most ten times a second.
struct ProgressLine {
    let output: CommandOutput
    let enabled: Bool
    private let started = ContinuousClock.now
    private var lastDrawn = ContinuousClock.now - .seconds(1)

    init(output: CommandOutput, enabled: Bool) {
        self.output = output
        self.enabled = enabled
    }

    mutating func update(_ progress: SweepProgress) {
        guard enabled else { return }
        let now = ContinuousClock.now
        guard now - lastDrawn >= .milliseconds(100) || progress.done == progress.total else { return }
        lastDrawn = now
        let elapsed = Double((now - started).components.attoseconds) / 1e18 + Double((now - started).components.seconds)
        let rate = elapsed > 0 ? Double(progress.done) / elapsed : 0
        let remaining = rate > 0 ? Int(Double(progress.total - progress.done) / rate) : 0
        output.writeError("\r\u{1B}[K\(progress.done)/\(progress.total)  \(Int(rate))/s  online \(progress.online)  "
            + "degraded \(progress.degraded)  offline \(progress.offline)  ETA \(remaining / 60):\(String(format: "%02d", remaining % 60))")
    }

    func finish() {
        if enabled { output.writeError("\r\u{1B}[K") }
    }
}
