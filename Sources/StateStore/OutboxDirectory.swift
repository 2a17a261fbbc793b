import POSIXLayer

/// A monitor's outbox (`STATE/monitors/NAME/outbox/`): one document per sweep whose alerts are not yet
/// delivered, named by the sweep's number (zero-padded, so names sort in sweep order). A batch is written
/// and fsynced as `SWEEP.pending` before the sweep's journal line is appended, and published as
/// `SWEEP.json` after; `settle` finishes what a crash in between left. What a document holds is the
/// caller's (`xueliang.alert/1`, docs/monitors.md).
public struct OutboxDirectory: Sendable {
    public let path: String
    public let monitor: String

    public init(path: String, monitor: String) {
        self.path = path
        self.monitor = monitor
    }

    static let pendingSuffix = ".pending"
    static let publishedSuffix = ".json"

    func path(sweepNumber: Int, suffix: String) -> String {
        let digits = String(sweepNumber)
        return path + "/" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits + suffix
    }

    /// Writes a sweep's document, fsynced, under a name delivery does not read: the first step of a
    /// commit. Nothing is left behind when the write fails (a full disk). Returns its path.
    public func stage(_ document: [UInt8], sweepNumber: Int) throws(MonitorStateError) -> String {
        try MonitorFiles.makeDirectory(path)
        let staged = path(sweepNumber: sweepNumber, suffix: Self.pendingSuffix)
        try MonitorFiles.replace(staged, with: document)
        return staged
    }

    /// Makes a staged document deliverable, once the journal holds its sweep. Returns its new path.
    public func publish(staged: String) throws(MonitorStateError) -> String {
        let published = String(staged.dropLast(Self.pendingSuffix.count)) + Self.publishedSuffix
        try MonitorFiles.rename(staged, to: published)
        return published
    }

    /// Finishes what a commit cut short: a staged document of a sweep the journal holds (`committedSweeps`
    /// counts them) is published, one of a sweep it does not hold is discarded. Call with the monitor's
    /// lock held, so that no commit is in flight.
    public func settle(committedSweeps: Int) throws(MonitorStateError) {
        for name in MonitorFiles.names(in: path) where name.hasSuffix(Self.pendingSuffix) {
            // Any other name is not a staged batch, and is left for a person to look at.
            guard let number = Int(name.dropLast(Self.pendingSuffix.count)), number >= 1 else { continue }
            if number <= committedSweeps {
                _ = try publish(staged: path + "/" + name)
            } else {
                // A commit that never happened: its number goes to the next sweep, and so must not its alerts.
                Files.remove(path + "/" + name)
            }
        }
    }

    /// The published documents, oldest first, with their bytes (nil when one cannot be read).
    public func published() -> [(path: String, bytes: [UInt8]?)] {
        MonitorFiles.names(in: path).filter { $0.hasSuffix(Self.publishedSuffix) && !$0.hasPrefix(".") }.sorted().map { name in
            let file = path + "/" + name
            return (file, try? Files.read(file, limit: 1 << 30))
        }
    }

    /// Replaces a document atomically (a crash leaves the old one, which is only delivered again).
    public func replace(_ file: String, with document: [UInt8]) throws(MonitorStateError) {
        try MonitorFiles.replace(file, with: document)
    }

    public func remove(_ file: String) {
        Files.remove(file)
    }

    /// The right to deliver this outbox (`flock` on `outbox/.lock`, without waiting), so that two processes
    /// never send the same batch at once. Nil when another process holds it.
    public func claim() -> MonitorLock? {
        try? MonitorFiles.makeDirectory(path)
        return try? MonitorLock(path: path + "/.lock", monitor: monitor)
    }
}
