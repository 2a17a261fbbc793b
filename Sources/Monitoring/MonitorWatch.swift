import Foundation
import Registry
import StateStore

/// When a watched monitor sweeps next: its interval after the last start, plus a random delay so that
/// monitors started together (or many hosts restarted together) do not all sweep at the same second.
/// A sweep that took longer than the interval is followed at once, never overlapped.
public struct WatchSchedule: Sendable, Equatable {
    public var everySeconds: Double
    public var jitterSeconds: Double

    /// Jitter defaults to a tenth of the interval, at most a minute.
    public init(everySeconds: Double, jitterSeconds: Double? = nil) {
        self.everySeconds = everySeconds
        self.jitterSeconds = jitterSeconds ?? min(everySeconds / 10, 60)
    }

    /// The next start, given the last one (from the state, so a restart keeps the rhythm) and a jitter
    /// fraction in 0...1. Never more than one interval from now: a last start in the future (a clock set
    /// back, a damaged state) must not stop the watch until then.
    public func nextStart(lastStartedAt: Date?, now: Date, jitterFraction: Double) -> Date {
        guard let lastStartedAt else { return now }
        let delay = everySeconds + jitterSeconds * jitterFraction
        return min(max(now, lastStartedAt.addingTimeInterval(delay)), now.addingTimeInterval(delay))
    }
}

/// What a watched monitor needs from the registry before each sweep (read anew each time: staff edit it).
public struct SweepInputs: Sendable {
    public var cameras: [CameraRecord]
    public var villages: [VillageCode: Village]
    public var credentials: CredentialStore
    /// The date consent is judged on (the day the inputs were read).
    public var today: CalendarDate

    public init(cameras: [CameraRecord], villages: [VillageCode: Village], credentials: CredentialStore, today: CalendarDate) {
        self.cameras = cameras
        self.villages = villages
        self.credentials = credentials
        self.today = today
    }
}

/// Runs a monitor forever at its interval, one sweep at a time, one log line per sweep. Alerts go out
/// while it waits for the next sweep. Cancelling the task (SIGINT/SIGTERM in the CLI) stops the sweep in
/// flight, which then records nothing, and returns.
public struct MonitorWatch: Sendable {
    public let sweep: MonitorSweep
    public let delivery: AlertDelivery
    public let schedule: WatchSchedule
    public let prepare: @Sendable () throws -> SweepInputs
    /// What else to do with each recorded sweep (the CLI keeps its document for `coverage` and `report`).
    public let keep: @Sendable (MonitorSweep.Result, SweepInputs) throws -> Void
    public let log: @Sendable (String) -> Void

    public init(sweep: MonitorSweep, delivery: AlertDelivery, schedule: WatchSchedule, prepare: @escaping @Sendable () throws -> SweepInputs,
                keep: @escaping @Sendable (MonitorSweep.Result, SweepInputs) throws -> Void = { _, _ in },
                log: @escaping @Sendable (String) -> Void) {
        self.sweep = sweep
        self.delivery = delivery
        self.schedule = schedule
        self.prepare = prepare
        self.keep = keep
        self.log = log
    }

    /// Returns when cancelled; throws when the monitor's state cannot be read or written.
    public func run() async throws(MonitorStateError) {
        let name = sweep.monitor.name
        var lastStartedAt = try sweep.recordedState().lastStartedAt
        // Alerts go out in sweep order, one sweep's batch after the other, while the loop waits for the next
        // sweep: a "recovered" never overtakes its "offline".
        // One delivery pass after each recorded sweep, and one at start for batches a stopped run left:
        // every pass sends whatever the outbox holds, oldest first (a one-shot sweep's batch included).
        let (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let outbox = AlertOutbox(store: sweep.store)
        wake.yield()
        let failure = await withDiscardingTaskGroup(returning: MonitorStateError?.self) { group in
            group.addTask {
                for await _ in wakeUps {
                    // Another process is delivering: try again shortly, while there is something to send.
                    while !(await delivery.deliverPending(outbox)) && !outbox.pending().isEmpty {
                        do { try await Task.sleep(for: .seconds(5)) } catch { return }
                    }
                }
            }
            // Whatever ends the loop ends delivery too: the group does not outlive the watch.
            defer { group.cancelAll() }
            while !Task.isCancelled {
                let next = schedule.nextStart(lastStartedAt: lastStartedAt, now: Date(), jitterFraction: Double.random(in: 0...1))
                let wait = next.timeIntervalSinceNow
                if wait > 0 {
                    do { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) } catch { return nil }
                }
                lastStartedAt = Date()
                let inputs: SweepInputs
                do {
                    inputs = try prepare()
                } catch {
                    // A registry that does not load now may load at the next interval (someone is mid-edit).
                    log("\(AlertEvent.timestamp(Date())) \(name): sweep skipped: \(error)")
                    continue
                }
                let result: MonitorSweep.Result
                switch await sweep.recorded(cameras: sweep.cameras(in: inputs.cameras), villages: inputs.villages,
                                                    credentials: inputs.credentials, today: inputs.today) {
                case .success(let finished): result = finished
                case .failure(.busy(let monitor, let lockPath)):
                    log("\(AlertEvent.timestamp(Date())) \(name): sweep skipped: \(MonitorStateError.busy(monitor: monitor, lockPath: lockPath))")
                    continue
                case .failure(let error): return error
                }
                log(sweep.logLine(result))
                guard result.entry != nil else { return nil }
                if result.batch != nil { wake.yield() }
                // Stopping now skips the sweep document (the journal already holds the sweep): a SIGTERM is
                // not held up by writing a city's 100 MB.
                guard !Task.isCancelled else { return nil }
                do { try keep(result, inputs) } catch { log("\(AlertEvent.timestamp(Date())) \(name): \(error)") }
            }
            return nil
        }
        wake.finish()
        if let failure { throw failure }
    }

}
