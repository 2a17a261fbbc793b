import Foundation
import Glibc
import Probing
import Registry

/// Alerts recorded but not yet delivered (`STATE/monitors/NAME/outbox/SWEEP.json`, one `xueliang.alert/1`
/// document per sweep). A sweep's batch is written right after the sweep is committed and removed once
/// delivery has ended (delivered, or given up after its retries). A batch whose delivery was cut short (a
/// kill, SIGTERM) is still there at the next start and is delivered then: at least once, in sweep order.
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

    /// Writes a sweep's alerts atomically; returns the batch to deliver and then `remove`.
    public func add(_ events: [AlertEvent], sweepNumber: Int) throws(MonitorStateError) -> Batch {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: directory, operation: "create the directory", errno: EACCES)
        }
        // Zero-padded, so that names sort in sweep order.
        let path = directory + "/" + String(repeating: "0", count: max(0, 10 - String(sweepNumber).count)) + "\(sweepNumber).json"
        do {
            try AtomicWrite.write(bytes: AlertEvent.document(events, monitor: monitor, sentAt: Date()), to: path)
        } catch {
            throw .io(path: path, operation: "write", errno: EIO)
        }
        return Batch(path: path, events: events)
    }

    /// The batches left from earlier runs, oldest first. A file that cannot be read is skipped (and left
    /// for a person to look at): it must not stop the monitor.
    public func pending() -> [Batch] { scan().batches }

    /// The outbox files that cannot be read as alert batches.
    public func unreadable() -> [String] { scan().unreadable }

    private func scan() -> (batches: [Batch], unreadable: [String]) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
        var unreadable: [String] = []
        let batches = names.sorted().compactMap { name -> Batch? in
            let path = directory + "/" + name
            guard let data = FileManager.default.contents(atPath: path),
                  let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  document["schema"] as? String == "xueliang.alert/1", let alerts = document["alerts"] as? [[String: String]] else { return nil }
            let events = alerts.compactMap(AlertEvent.init(fields:))
            return events.count == alerts.count ? Batch(path: path, events: events) : nil
        }
        let delivered = Set(batches.map(\.path))
        unreadable = names.sorted().map { directory + "/" + $0 }.filter { !delivered.contains($0) }
        return (batches, unreadable)
    }

    public func remove(_ batch: Batch) {
        unlink(batch.path)
    }

    /// The right to deliver this outbox (`flock` on `outbox/.lock`, without waiting), so that a watch and a
    /// one-shot `sweep --monitor` never send the same batch at once. Nil when another process holds it.
    public func claim() -> MonitorLock? {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
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
            if report.commandsFailed + report.webhooksFailed == 0 && report.commandsRun + report.webhooksSent > 0 {
                log("\(AlertEvent.timestamp(Date())) \(outbox.monitor): \(count) alert\(count == 1 ? "" : "s") delivered")
            }
        }
        return true
    }
}

extension AlertEvent {
    /// The event from its fields as `fields` names them (an outbox file); nil when one is missing or wrong.
    init?(fields: [String: String]) {
        guard let kind = fields["alert"].flatMap(Transition.Alert.init(rawValue:)), let status = fields["status"].flatMap(MonitorStatus.init(rawValue:)),
              let reason = fields["reason"].flatMap(ReasonCode.init(rawValue:)), let since = fields["since"].flatMap(Self.date),
              let at = fields["at"].flatMap(Self.date), let cameraID = fields["camera_id"], let monitor = fields["monitor"] else { return nil }
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

    private static func date(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text) }
}
