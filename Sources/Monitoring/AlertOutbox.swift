import Foundation
import Probing
import Registry
import StateStore

/// Alerts recorded but not yet delivered: one `xueliang.alert/1` document per sweep in the monitor's
/// outbox (`OutboxDirectory`). A sweep's batch is made durable in the same commit as its journal line: staged
/// before the line is appended, published after. A crash in between leaves a staged batch, which the next
/// run (under the monitor's lock) publishes when the journal holds its sweep and discards when it does not.
/// A published batch is removed once delivery has ended (delivered, or given up after its retries); one
/// whose delivery was cut short (a kill, SIGTERM) keeps what was not yet delivered and is finished at the
/// next start: at least once, in sweep order.
public struct AlertOutbox: Sendable {
    public let files: OutboxDirectory
    public var directory: String { files.path }
    public var monitor: String { files.monitor }

    public init(store: MonitorStore) {
        files = store.files.outbox
    }

    /// One sweep's undelivered alerts.
    public struct Batch: Sendable, Equatable {
        public var path: String
        public var events: [AlertEvent]
    }

    /// Writes a sweep's alerts, fsynced, under a name delivery does not read: the first step of a commit.
    public func stage(_ events: [AlertEvent], sweepNumber: Int) throws(MonitorStateError) -> Batch {
        Batch(path: try files.stage(AlertEvent.document(events, monitor: monitor, sentAt: Date()), sweepNumber: sweepNumber), events: events)
    }

    /// Makes a staged batch deliverable, once the journal holds its sweep.
    public func publish(_ staged: Batch) throws(MonitorStateError) -> Batch {
        Batch(path: try files.publish(staged: staged.path), events: staged.events)
    }

    /// Drops a staged batch whose sweep was not committed.
    func discard(_ staged: Batch) {
        files.remove(staged.path)
    }

    /// Publishes the staged batches of committed sweeps and discards the others (`OutboxDirectory.settle`).
    public func settle(committedSweeps: Int) throws(MonitorStateError) {
        try files.settle(committedSweeps: committedSweeps)
    }

    /// The batches left from earlier runs, oldest first. A file that cannot be read is skipped (and left
    /// for a person to look at): it must not stop the monitor.
    public func pending() -> [Batch] { scan().batches }

    /// The outbox files that cannot be read as alert batches.
    public func unreadable() -> [String] { scan().unreadable }

    private func scan() -> (batches: [Batch], unreadable: [String]) {
        var batches: [Batch] = []
        var unreadable: [String] = []
        // One formatter for the scan: a batch of a mass outage has tens of thousands of dates.
        let dates = ISO8601DateFormatter()
        for (path, bytes) in files.published() {
            guard let bytes, let document = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
                  document["schema"] as? String == "xueliang.alert/1", let alerts = document["alerts"] as? [[String: String]] else {
                unreadable.append(path)
                continue
            }
            let events = alerts.compactMap { AlertEvent(fields: $0, dates: dates) }
            if events.count == alerts.count { batches.append(Batch(path: path, events: events)) } else { unreadable.append(path) }
        }
        return (batches, unreadable)
    }

    public func remove(_ batch: Batch) {
        files.remove(batch.path)
    }

    /// Rewrites a batch whose delivery was cut short with the alerts still to deliver (atomically: a crash
    /// leaves the old batch, which is only delivered again).
    public func keep(_ remaining: [AlertEvent], of batch: Batch) throws(MonitorStateError) -> Batch {
        try files.replace(batch.path, with: AlertEvent.document(remaining, monitor: monitor, sentAt: Date()))
        return Batch(path: batch.path, events: remaining)
    }

    /// The right to deliver this outbox, so that a watch and a one-shot `sweep --monitor` never send the
    /// same batch at once. Nil when another process holds it.
    public func claim() -> MonitorLock? { files.claim() }
}

extension AlertDelivery {
    /// Delivers every batch in the outbox, oldest first, if no other process is delivering it. Returns
    /// false when another holds the outbox (its batches then wait for that process, or the next run).
    public func deliverPending(_ outbox: AlertOutbox) async -> Bool {
        guard let claim = outbox.claim() else { return false }
        defer { withExtendedLifetime(claim) {} }
        for path in outbox.unreadable() {
            log("\(AlertEvent.timestamp(Date())) \(outbox.monitor): \(path) is not an alert batch; left in place, not sent")
        }
        for batch in outbox.pending() {
            guard !Task.isCancelled else { break }
            let report = await deliver(batch, from: outbox)
            let count = batch.events.count
            if report.unfinished.isEmpty && report.commandsFailed + report.webhooksFailed == 0 && report.commandsRun + report.webhooksSent > 0 {
                log("\(AlertEvent.timestamp(Date())) \(outbox.monitor): \(count) alert\(count == 1 ? "" : "s") delivered")
            }
        }
        return true
    }
}

extension AlertEvent {
    /// The event from its fields as `fields` names them (an outbox file); nil when one is missing or wrong.
    init?(fields: [String: String], dates: ISO8601DateFormatter) {
        guard let kind = fields["alert"].flatMap(Transition.Alert.init(rawValue:)), let status = fields["status"].flatMap(MonitorStatus.init(rawValue:)),
              let reason = fields["reason"].flatMap(ReasonCode.init(rawValue:)), let since = fields["since"].flatMap(dates.date(from:)),
              let at = fields["at"].flatMap(dates.date(from:)), let cameraID = fields["camera_id"], let monitor = fields["monitor"] else { return nil }
        self.kind = kind
        self.monitor = monitor
        self.cameraID = cameraID
        cameraName = fields["camera_name"] ?? ""
        source = fields["source"] ?? ""
        village = fields["village"] ?? ""
        villageName = fields["village_name"] ?? ""
        township = fields["township"] ?? ""
        station = fields["station"] ?? ""
        maintainer = fields["maintainer"] ?? ""
        owner = fields["owner"] ?? ""
        ownerPhone = fields["owner_phone"] ?? ""
        self.status = status
        self.reason = reason
        detail = fields["detail"] ?? ""
        self.since = since
        self.at = at
    }
}
