import CLinux
import Foundation
import Glibc
import POSIXLayer
import Probing
import Registry

/// Sends a sweep's alerts through the monitor's actions. Never throws and never blocks a sweep: a command
/// that hangs is killed at its timeout, a webhook that fails is retried and then given up, and every
/// failure becomes one log line. Cancelling the task stops delivery at once.
public struct AlertDelivery: Sendable {
    public let actions: [MonitorDefinition.Alert]
    public let transport: any Transport
    /// Where failures are reported, one line each.
    public let log: @Sendable (String) -> Void
    /// Commands run at once at most (a township going dark makes hundreds of alerts).
    public var commandConcurrency = 4
    /// The pause before a webhook's first retry; doubled for each further one.
    public var retryPause: Duration = .seconds(1)

    public init(actions: [MonitorDefinition.Alert], transport: any Transport, log: @escaping @Sendable (String) -> Void) {
        self.actions = actions
        self.transport = transport
        self.log = log
    }

    /// What was delivered.
    public struct Report: Sendable, Equatable {
        /// Commands that ran to their end (whatever their exit status).
        public var commandsRun = 0
        public var commandsFailed = 0
        public var webhooksSent = 0
        public var webhooksFailed = 0
        /// The positions of the alerts whose delivery a shutdown cut short in at least one action: still to
        /// deliver. Every other alert was delivered, or given up after its retries, by every action.
        public var unfinished: [Int] = []
    }

    /// Sends `events` through every action. Cancelling the task stops at once: commands running are killed,
    /// none is started, a webhook in flight is abandoned; what did not finish is in `unfinished`.
    public func deliver(_ events: [AlertEvent], monitor: String) async -> Report {
        guard !events.isEmpty else { return Report() }
        var report = Report()
        var unfinished = Set<Int>()
        for action in actions {
            guard !Task.isCancelled else {
                unfinished.formUnion(events.indices)
                break
            }
            switch action {
            case .command(let path, let timeout):
                let outcome = await runCommands(path, events: events, timeoutSeconds: timeout)
                report.commandsRun += events.count - outcome.unfinished.count
                report.commandsFailed += outcome.failed
                unfinished.formUnion(outcome.unfinished)
            case .webhook(let url, let timeout, let retries):
                switch await post(url, events: events, monitor: monitor, timeoutSeconds: timeout, retries: retries) {
                case .sent: report.webhooksSent += 1
                case .givenUp: report.webhooksFailed += 1
                case .stopped: unfinished.formUnion(events.indices)
                }
            }
        }
        report.unfinished = unfinished.sorted()
        return report
    }

    /// Delivers an outbox batch, then removes it from the outbox; when a shutdown cut delivery short, the
    /// batch keeps the alerts not yet delivered, for the next start.
    public func deliver(_ batch: AlertOutbox.Batch, from outbox: AlertOutbox) async -> Report {
        let report = await deliver(batch.events, monitor: outbox.monitor)
        Failpoint.hit("delivery-before-remove")
        let left = report.unfinished.count
        if left == 0 {
            outbox.remove(batch)
            return report
        }
        if left < batch.events.count {
            do {
                _ = try outbox.keep(report.unfinished.map { batch.events[$0] }, of: batch)
            } catch {
                log("\(AlertEvent.timestamp(Date())) \(outbox.monitor): \(error); the whole batch stays, to be delivered again")
            }
        }
        log("\(AlertEvent.timestamp(Date())) \(outbox.monitor): delivery stopped, xueliang is shutting down; "
            + "\(left) alert\(left == 1 ? "" : "s") wait\(left == 1 ? "s" : "") in the outbox for the next run")
        return report
    }

    // MARK: Commands

    /// Runs `path` once per event, a few at once: how many failed, and which were stopped by cancellation
    /// (or never started).
    private func runCommands(_ path: String, events: [AlertEvent], timeoutSeconds: Double) async -> (failed: Int, unfinished: [Int]) {
        await withTaskGroup(of: (index: Int, ended: Bool, succeeded: Bool).self) { group in
            var failed = 0
            var unfinished = Set(events.indices)
            var next = 0
            func start() {
                let index = next
                let event = events[index]
                next += 1
                group.addTask {
                    let outcome = await ChildCommand.run(path, environment: event.environment, timeoutSeconds: timeoutSeconds)
                    if outcome.stopped { return (index, false, false) }
                    if let problem = outcome.problem {
                        log("alert command \(path) for \(event.kind.rawValue) of \(event.cameraID) \(problem)")
                        return (index, true, false)
                    }
                    return (index, true, true)
                }
            }
            while next < min(commandConcurrency, events.count) { start() }
            for await result in group {
                if result.ended {
                    unfinished.remove(result.index)
                    if !result.succeeded { failed += 1 }
                    Failpoint.hit("delivery-after-an-alert")
                }
                if next < events.count && !Task.isCancelled { start() }
            }
            return (failed, unfinished.sorted())
        }
    }

    // MARK: Webhooks

    enum PostOutcome {
        case sent
        /// Failed every attempt; the failure is logged.
        case givenUp
        /// Cancelled: xueliang is shutting down.
        case stopped
    }

    /// POSTs the sweep's alerts as one `xueliang.alert/1` document, retrying until a 2xx comes back.
    private func post(_ url: String, events: [AlertEvent], monitor: String, timeoutSeconds: Double, retries: Int) async -> PostOutcome {
        let body = AlertEvent.document(events, monitor: monitor, sentAt: Date())
        let milliseconds = Int(timeoutSeconds * 1000)
        let request = TransferRequest(url: url, operation: .http(method: "POST", body: body, contentType: "application/json"),
                                      connectTimeoutMilliseconds: milliseconds, timeoutMilliseconds: milliseconds, maximumBodyBytes: 64 << 10)
        var pause = retryPause
        var problem = ""
        for attempt in 0...retries {
            if attempt > 0 {
                do {
                    try await Task.sleep(for: pause)
                } catch {
                    return .stopped
                }
                pause *= 2
            }
            do {
                let result = try await transport.perform(request)
                if result.failure == nil && (200..<300).contains(result.statusCode) {
                    Failpoint.hit("delivery-after-an-alert")
                    return .sent
                }
                if result.failure != nil {
                    problem = "failed: \(result.failureDetail)"
                } else if let target = result.redirectURL {
                    // The transport follows nothing: an alert is never re-posted to an address it was sent away to.
                    problem = "answered \(result.statusCode), a redirect to \(Self.loggable(target)) (webhooks never follow redirects)"
                } else {
                    problem = "answered \(result.statusCode)"
                }
            } catch {
                return .stopped
            }
            // A transfer ended by the cancellation may report a failure rather than throw.
            if Task.isCancelled { return .stopped }
        }
        log("alert webhook \(Self.loggable(url)) \(problem) after \(retries + 1) attempt\(retries == 0 ? "" : "s"); "
            + "\(events.count) alert\(events.count == 1 ? "" : "s") not delivered")
        return .givenUp
    }

    /// Scheme, host and port only: chat-bot webhooks carry their secret in the query (DingTalk) or in the
    /// path (Feishu, Slack), and a log line must not hand it on.
    static func loggable(_ url: String) -> String {
        guard let endpoint = EndpointURL(url) else { return "(unparsable URL)" }
        return "\(endpoint.scheme)://\(endpoint.host)" + (endpoint.port.map { ":\($0)" } ?? "")
    }
}

/// Runs a program with extra environment variables, its output sent to our standard error (our standard
/// output may be a JSON document), killed when it outlives its timeout.
enum ChildCommand {
    struct Outcome {
        /// Nil when it exited 0; else what went wrong, as a phrase.
        var problem: String?
        /// Killed because the task was cancelled (xueliang is shutting down): the alert was not delivered.
        var stopped = false
    }

    static func run(_ path: String, environment extra: [String: String], timeoutSeconds: Double) async -> Outcome {
        var environment = ProcessInfo.processInfo.environment
        environment.merge(extra) { _, new in new }
        let pid: pid_t
        switch spawn(path, environment: environment) {
        case .success(let started): pid = started
        case .failure(let failure): return Outcome(problem: "could not start: \(String(cString: strerror(failure.code)))")
        }
        // The waiter's own thread enforces the timeout, so a pool kept busy (pictures decoding on every core)
        // cannot delay the kill; the pool is needed only to stop at cancellation.
        let waiter = ExitWaiter(pid: pid, timeoutSeconds: timeoutSeconds)
        let ending = await withTaskCancellationHandler {
            await waiter.wait()
        } onCancel: {
            waiter.stop()
        }
        let status: Int32
        switch ending {
        case .exited(let exitStatus): status = exitStatus
        case .timedOut: return Outcome(problem: "was killed after its \(String(format: "%g", timeoutSeconds)) s timeout")
        case .stopped: return Outcome(problem: "was stopped: xueliang is shutting down", stopped: true)
        case .lost: return Outcome(problem: "did not finish")
        }
        if status & 0x7f == 0 {
            let code = (status >> 8) & 0xff
            return Outcome(problem: code == 0 ? nil : "exited with \(code)")
        }
        return Outcome(problem: "was killed by signal \(status & 0x7f)")
    }

    private static func spawn(_ path: String, environment: [String: String]) -> Result<pid_t, SpawnFailure> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, 2, 1)
        // Nothing else of ours: libcurl's sockets are not close-on-exec, and a script's own children
        // would otherwise hold them open after it is killed.
        posix_spawn_file_actions_addclosefrom_np(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with default signal handling and nothing blocked (we ignore SIGPIPE for libcurl).
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // A process group of its own, so that a timeout kills the script's children too.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let arguments = [strdup(path)] + [nil]
        let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            arguments.forEach { free($0) }
            variables.forEach { free($0) }
        }
        var pid = pid_t()
        let code = posix_spawn(&pid, path, &actions, &attributes, arguments, variables)
        return code == 0 ? .success(pid) : .failure(SpawnFailure(code: code))
    }
}

struct SpawnFailure: Error {
    var code: Int32
}

/// Waits for one child on a thread of its own (`waitpid` blocks, and must not block the shared pool), and kills
/// its process group at the timeout or when stopped. The child is reaped only here, after it has ended, so its
/// pid (and group) cannot have been reused when it is killed.
final class ExitWaiter: Sendable {
    enum Ending: Sendable {
        /// The raw wait status.
        case exited(Int32)
        case timedOut
        /// `stop()` was called: xueliang is shutting down.
        case stopped
        /// The child could not be waited for.
        case lost
    }

    let pid: pid_t
    let timeoutSeconds: Double
    /// Written by `stop()` to wake the waiting thread.
    private let wakeDescriptor: Int32

    init(pid: pid_t, timeoutSeconds: Double) {
        self.pid = pid
        self.timeoutSeconds = timeoutSeconds
        wakeDescriptor = eventfd(0, Int32(EFD_CLOEXEC))
    }

    deinit { close(wakeDescriptor) }

    /// Ends the wait at once (from any thread): the child is killed.
    func stop() {
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, 8)
    }

    func wait() async -> Ending {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.waitOnThisThread()) }
        }
    }

    private func waitOnThisThread() -> Ending {
        let processDescriptor = pidfd_open(pid, 0)
        guard processDescriptor >= 0 else { return reap(after: nil) }
        defer { close(processDescriptor) }
        let deadline = ContinuousClock.now + .milliseconds(Int(timeoutSeconds * 1000))
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            let milliseconds = max(0, Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            var polled = [pollfd(fd: processDescriptor, events: Int16(POLLIN), revents: 0),
                          pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&polled, 2, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            if polled[0].revents != 0 { return reap(after: nil) }
            if polled[1].revents != 0 { return reap(after: .stopped) }
            if ready == 0 || ready < 0 { return reap(after: .timedOut) }
        }
    }

    /// Kills the group unless the child ended by itself (`ending` nil), then reaps it.
    private func reap(after ending: Ending?) -> Ending {
        if ending != nil { kill(-pid, SIGKILL) }
        guard let status = try? Processes.waitForExit(pid) else { return .lost }
        return ending ?? .exited(status)
    }
}
