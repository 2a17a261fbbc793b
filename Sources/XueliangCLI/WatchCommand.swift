import CurlTransport
import Foundation
import Monitoring
import Probing
import Registry
import Reports
import StateStore

struct WatchCommand: Command {
    static let name = "watch"
    static let abstract = "Run a monitor forever at its interval: one sweep at a time, one log line per sweep, alerts on changes."
    static let usage = "--monitor FILE [--jitter SECONDS] [--no-save]"
    static let options: [OptionSpec] = [
        .value("--monitor", "FILE", "the monitor definition (Monitors/NAME.json); required"),
        .value("--jitter", "SECONDS", "random delay added to each interval (default a tenth of it, at most 60 s)"),
        .flag("--no-save", "do not keep each sweep's document in the state directory (the monitor's journal is kept regardless)"),
    ]

    let monitorPath: String
    let jitterSeconds: Double?
    let save: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        _ = try Self.positionals(arguments)
        guard let monitorPath = arguments.value("--monitor") else { throw Self.usageError("--monitor FILE is required") }
        self.monitorPath = monitorPath
        jitterSeconds = try DurationOption.seconds(arguments, "--jitter", command: Self.name)
        save = !arguments.has("--no-save")
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let monitor = try MonitorReference.load(monitorPath)
        let store = MonitorStore(stateDirectory: context.statePath, monitor: monitor.name)
        ProcessLimits.prepare()
        let transport = try CurlTransport(memoryBudgetBytes: monitor.settings.memoryBudget, transfersInFlight: monitor.settings.concurrency)
        defer { transport.shutdown() }
        let output = context.output
        let log: @Sendable (String) -> Void = { output.write($0 + "\n") }
        let sweep = MonitorSweep(monitor: monitor, store: store, runner: SweepRunner(transport: transport,
                                                                                              probers: PictureReferences.probers(stateDirectory: context.statePath, signatures: true)))
        let schedule = WatchSchedule(everySeconds: monitor.everySeconds, jitterSeconds: jitterSeconds)
        let inventory = context.store
        let credentialsPath = context.credentialsPath
        let save = self.save
        let currentDay = context.currentDay
        let watch = MonitorWatch(sweep: sweep, delivery: AlertDelivery(actions: monitor.alerts, transport: transport, log: log),
                                 schedule: schedule, prepare: {
                                     // Only the monitor's cameras outlive the load, as in `sweep`.
                                     try SweepInputs.load(store: inventory, credentialsPath: credentialsPath, today: currentDay(),
                                                          include: monitor.scope.contains)
                                 }, keep: { result, inputs in
                                     guard save else { return }
                                     var record = SweepRecord(outcome: result.outcome, scope: "monitor \(monitor.name)", startedAt: result.startedAt,
                                                              finishedAt: result.finishedAt)
                                     record.apply(result)
                                     if let note = try store.files.sweeps.save(record) { log(note) }
                                 }, log: log)
        log("\(AlertEvent.timestamp(Date())) \(monitor.name): watching every \(Self.duration(monitor.everySeconds)) "
            + "(state \(store.directory)); stop with Ctrl-C or SIGTERM")
        // systemd stops a service with SIGTERM, a person with Ctrl-C: both cancel the sweep in flight
        // (which then records nothing) and end the watch cleanly.
        try await SignalCancellation.run(cancelledBy: [SIGINT, SIGTERM]) { try await watch.run() }
        log("\(AlertEvent.timestamp(Date())) \(monitor.name): stopped")
        return ExitCode.success
    }

    static func duration(_ seconds: Double) -> String {
        seconds.truncatingRemainder(dividingBy: 86400) == 0 ? "\(Int(seconds / 86400))d"
            : seconds.truncatingRemainder(dividingBy: 3600) == 0 ? "\(Int(seconds / 3600))h"
            : seconds.truncatingRemainder(dividingBy: 60) == 0 ? "\(Int(seconds / 60))m" : "\(Int(seconds))s"
    }
}
