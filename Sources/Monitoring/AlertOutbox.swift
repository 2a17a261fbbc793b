import Foundation
import POSIXLayer
import Probing
import Registry

/// Alerts recorded but not yet delivered (`STATE/monitors/NAME/outbox/`, one `xueliang.alert/1` document
/// per sweep, named by the sweep's number). A sweep's batch is made durable in the same commit as its
/// journal line: it is written and fsynced as `SWEEP.pending` before the line is appended, and published
/// as `SWEEP.json` after. A crash in between leaves a pending batch, which the next run (under the
/// monitor's lock) publishes when the journal holds its sweep and discards when it does not. A published
/// batch is removed once delivery has ended (delivered, or given up after its retries); one whose delivery
/// was cut short (a kill, SIGTERM) keeps what was not yet delivered and is finished at the next start: at
/// least once, in sweep order.
public struct AlertOutbox: Sendable {
    public let directory: String
    public let monitor: String

    public init(store: MonitorStore) {
        directory = store.directory + "/outbox"
        monitor = store.monitor
    }

    /// One sweep's undelivered alerts.
    public struct Batch: Sendable, Equatable {
        public var path: String
        public var events: [AlertEvent]
    }

    static let pendingSuffix = ".pending"

    /// Zero-padded, so that names sort in sweep order.
    func path(sweepNumber: Int, suffix: String) -> String {
        let digits = String(sweepNumber)
        return directory + "/" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits + suffix
    }

    /// Writes a sweep's alerts, fsynced, under a name delivery does not read: the first step of a commit.
    /// Nothing is left behind when the write fails (a full disk).
    public func stage(_ events: [AlertEvent], sweepNumber: Int) throws(MonitorStateError) -> Batch {
        try MonitorFiles.makeDirectory(directory)
        let path = path(sweepNumber: sweepNumber, suffix: Self.pendingSuffix)
        try MonitorFiles.replace(path, with: AlertEvent.document(events, monitor: monitor, sentAt: Date()))
        return Batch(path: path, events: events)
    }

    /// Makes a staged batch deliverable, once the journal holds its sweep.
    public func publish(_ staged: Batch) throws(MonitorStateError) -> Batch {
        let published = String(staged.path.dropLast(Self.pendingSuffix.count)) + ".json"
        try MonitorFiles.rename(staged.path, to: published)
        return Batch(path: published, events: staged.events)
    }

    /// Drops a staged batch whose sweep was not committed.
    func discard(_ staged: Batch) {
        Files.remove(staged.path)
    }

    /// Finishes what a commit cut short: a staged batch of a sweep the journal holds (`committedSweeps`
    /// counts them) is published, one of a sweep it does not hold is discarded. Call with the monitor's
    /// lock held, so that no commit is in flight.
    public func settle(committedSweeps: Int) throws(MonitorStateError) {
        for name in MonitorFiles.names(in: directory) where name.hasSuffix(Self.pendingSuffix) {
            // Any other name is not a staged batch, and is left for a person to look at.
            guard let number = Int(name.dropLast(Self.pendingSuffix.count)), number >= 1 else { continue }
            let path = directory + "/" + name
            if number <= committedSweeps {
                _ = try publish(Batch(path: path, events: []))
            } else {
                // A commit that never happened: its number goes to the next sweep, and so must not its alerts.
                Files.remove(path)
            }
        }
    }

    /// The batches left from earlier runs, oldest first. A file that cannot be read is skipped (and left
    /// for a person to look at): it must not stop the monitor.
    public func pending() -> [Batch] { scan().batches }

    /// The outbox files that cannot be read as alert batches.
    public func unreadable() -> [String] { scan().unreadable }

    private func scan() -> (batches: [Batch], unreadable: [String]) {
        let names = MonitorFiles.names(in: directory).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
        var unreadable: [String] = []
        // One formatter for the scan: a batch of a mass outage has tens of thousands of dates.
        let dates = ISO8601DateFormatter()
        let batches = names.sorted().compactMap { name -> Batch? in
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path),
                  let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  document["schema"] as? String == "xueliang.alert/1", let alerts = document["alerts"] as? [[String: String]] else { return nil }
            let events = alerts.compactMap { AlertEvent(fields: $0, dates: dates) }
            return events.count == alerts.count ? Batch(path: path, events: events) : nil
        }
        let delivered = Set(batches.map(\.path))
        unreadable = names.sorted().map { directory + "/" + $0 }.filter { !delivered.contains($0) }
        return (batches, unreadable)
    }

    public func remove(_ batch: Batch) {
        Files.remove(batch.path)
    }

    /// Rewrites a batch whose delivery was cut short with the alerts still to deliver (atomically: a crash
    /// leaves the old batch, which is only delivered again).
    public func keep(_ remaining: [AlertEvent], of batch: Batch) throws(MonitorStateError) -> Batch {
        try MonitorFiles.replace(batch.path, with: AlertEvent.document(remaining, monitor: monitor, sentAt: Date()))
        return Batch(path: batch.path, events: remaining)
    }

    /// The right to deliver this outbox (`flock` on `outbox/.lock`, without waiting), so that a watch and a
    /// one-shot `sweep --monitor` never send the same batch at once. Nil when another process holds it.
    public func claim() -> MonitorLock? {
        try? MonitorFiles.makeDirectory(directory)
        return try? MonitorLock(path: directory + "/.lock", monitor: monitor)
    }
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
