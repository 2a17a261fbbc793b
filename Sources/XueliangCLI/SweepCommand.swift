import CurlTransport
import Localization
import Dispatch
import Foundation
import Monitoring
import Probing
import Registry
import Reports
import StateStore

struct SweepCommand: Command {
    static let name = "sweep"
    static let abstract = "Probe every active camera in scope and say which really work (TCP, JPEG snapshot, RTSP, HLS, ONVIF clock)."
    static let usage = "[--village CODE | --township CODE | --county CODE] [--source public|citizen] [--checks LIST] [--json] [--output FILE]"
    static let options: [OptionSpec] = ScopeOptions.specs + SweepOptions.specs + [
        .flag("--json", "print the xueliang.sweep/1 document instead of the text summary"),
        .value("--output", "FILE", "also write the xueliang.sweep/1 document to FILE"),
        .flag("--no-save", "do not keep the sweep document in the state directory (a monitor's journal is kept regardless)"),
        .flag("--include-pending", "sweep pending cameras too (an acceptance test before review); only with --no-save and not with "
            + "--monitor, since the kept sweep and a monitor's journal feed the figures, which count cameras in service only"),
        .value("--monitor", "FILE", "run a monitor definition (Monitors/NAME.json): its scope and settings; the result goes into its "
            + "journal and state (debounce, flapping, frozen) and its alerts are sent"),
    ]

    let scope: CameraScope
    let settings: SweepSettings
    let monitorPath: String?
    let json: Bool
    let outputPath: String?
    let save: Bool
    let includePending: Bool
    let scopeText: String

    init(_ arguments: ParsedArguments) throws(UsageError) {
        _ = try Self.positionals(arguments)
        try SweepOptions.refuseWithMonitor(arguments, command: Self.name)
        scope = try ScopeOptions.scope(arguments, command: Self.name)
        settings = try SweepOptions.settings(arguments, command: Self.name)
        json = arguments.has("--json")
        outputPath = arguments.value("--output")
        save = !arguments.has("--no-save")
        includePending = arguments.has("--include-pending")
        monitorPath = arguments.value("--monitor")
        if includePending && (save || monitorPath != nil) {
            throw Self.usageError("--include-pending goes with --no-save (and not with --monitor): pending cameras are not in service, and the kept sweep and a monitor's journal feed the figures")
        }
        let place = ["--village", "--township", "--county"].compactMap { option in arguments.value(option).map { "\(option.dropFirst(2)) \($0)" } }
        scopeText = (place + [arguments.value("--source").map { "source \($0)" }].compactMap { $0 }).joined(separator: ", ")
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        ProcessLimits.prepare()
        let monitor = try monitorPath.map(MonitorReference.load).map { definition in
            var effective = definition
            effective.settings = SweepOptions.monitorSettings(definition.settings, commandLine: self.settings)
            return effective
        }
        let settings = monitor?.settings ?? self.settings
        let scope = self.scope
        let inputs = try context.sweepInputs(includePending: includePending) { camera in monitor?.scope.contains(camera) ?? scope.contains(camera) }
        let transport = try CurlTransport(memoryBudgetBytes: settings.memoryBudget, transfersInFlight: settings.concurrency)
        defer { transport.shutdown() }
        let runner = SweepRunner(transport: transport, probers: PictureReferences.probers(stateDirectory: context.statePath, signatures: monitor != nil))
        let monitorSweep = monitor.map { MonitorSweep(monitor: $0, store: MonitorStore(stateDirectory: context.statePath, monitor: $0.name),
                                                      runner: runner) }
        // Ctrl-C cancels the sweep: transfers in flight stop at once and what finished is reported (a monitor's
        // sweep then records nothing). During a monitor's alert delivery, Ctrl-C or SIGTERM stops it at once;
        // what was not delivered stays in the outbox for the next run. One handler for the whole run: a
        // signal source made again for the same signal in one process was found not to fire.
        let (output, statePath) = (context.output, context.statePath)
        return try await SignalCancellation.run(cancelledBy: monitor == nil ? [SIGINT] : [SIGINT, SIGTERM]) {
            try await sweepAndDeliver(monitor: monitor, monitorSweep: monitorSweep, runner: runner, transport: transport,
                                      inputs: inputs, settings: settings, output: output, statePath: statePath)
        }
    }

    private func sweepAndDeliver(monitor: MonitorDefinition?, monitorSweep: MonitorSweep?, runner: SweepRunner, transport: CurlTransport,
                                 inputs: SweepInputs, settings: SweepSettings, output: CommandOutput, statePath: String) async throws -> Int32 {
        let started = Date()
        var progress = ProgressLine(output: output, enabled: isatty(STDERR_FILENO) == 1 && !json)
        let outcome: SweepOutcome
        let monitorResult: MonitorSweep.Result?
        if let monitorSweep {
            let result = try await monitorSweep.run(cameras: inputs.cameras, villages: inputs.villages, credentials: inputs.credentials,
                                                    today: inputs.today) {
                progress.update($0)
            }
            (outcome, monitorResult) = (result.outcome, result)
        } else {
            outcome = await runner.run(SweepPlan(cameras: inputs.cameras, credentials: inputs.credentials, settings: settings,
                                                 today: inputs.today)) { progress.update($0) }
            monitorResult = nil
        }
        progress.finish()

        let scope = monitor.map { "monitor \($0.name)" } ?? (scopeText.isEmpty ? "all" : scopeText)
        let finished = Date()
        // Saved before the document is made, so that the record and the history it is compared with are gone
        // by then: at city scale the two at once raised the sweep's peak by some 20 MB.
        if save {
            let store = monitorSweep?.store.files.sweeps ?? SweepStore(stateDirectory: statePath)
            var record = SweepRecord(outcome: outcome, scope: scope, startedAt: started, finishedAt: finished)
            if let monitorResult { record.apply(monitorResult) }
            if let note = try store.save(record) {
                output.writeError("xueliang sweep: \(note)\n")
            }
        }
        let document = SweepDocument(outcome: outcome, villages: inputs.villages, scope: scope, settings: settings, startedAt: started,
                                     finishedAt: finished)
        if let outputPath { try writeDocument(document, to: outputPath, pretty: true) }
        if json {
            document.write(pretty: true) { output.write($0) }
        } else {
            output.write(SweepText.render(document))
        }
        if let monitor, let monitorSweep, let monitorResult {
            let line = monitorSweep.logLine(monitorResult) + "\n"
            if json { output.writeError(line) } else { output.write(line) }
            // The sweep is recorded, and its alerts are in the outbox, before anything is sent. Batches an
            // earlier run left undelivered go out first, in sweep order.
            let delivery = AlertDelivery(actions: monitor.alerts, transport: transport) { output.writeError($0 + "\n") }
            if !(await delivery.deliverPending(AlertOutbox(store: monitorSweep.store))) {
                output.writeError("xueliang sweep: " + localized("another process (a watch?) is delivering monitor \(monitor.name)'s alerts; this sweep's alerts wait in the outbox for it") + "\n")
            }
        }
        return outcome.complete && !Task.isCancelled ? ExitCode.success : ExitCode.interrupted
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
        let eta = "\(remaining / 60):\(String(format: "%02d", remaining % 60))"
        output.writeError("\r\u{1B}[K" + localized("\(progress.done)/\(progress.total)  \(Int(rate))/s  online \(progress.online)  degraded \(progress.degraded)  offline \(progress.offline)  ETA \(eta)"))
    }

    func finish() {
        if enabled { output.writeError("\r\u{1B}[K") }
    }
}

