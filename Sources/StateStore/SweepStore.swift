import Foundation
import Localization
import PictureQuality
import POSIXLayer
import Probing

/// Why the state directory could not be read or written.
public enum StateError: Error, CustomStringConvertible, Sendable {
    /// A system call failed (with the real errno).
    case system(SystemError)
    /// A file of the state directory is not what this version writes.
    case damaged(path: String, line: Int?, reason: String)
    /// Nothing recorded yet where a command needs it.
    case nothingYet(path: String, hint: Message)

    public var description: String {
        switch self {
        case .system(let error): localized(systemFailure(path: error.path, operation: error.operation, errno: error.errno))
        case .damaged(let path, let line, let reason): "\(path)\(line.map { ":\($0)" } ?? ""): \(reason)"
        case .nothingYet(let path, let hint): localized("\(path): no sweep yet; \(hint)")
        }
    }
}

/// The sweeps kept in a directory of the state directory: `STATE/sweeps/` for plain sweeps and
/// `STATE/monitors/NAME/sweeps/` for a monitor's (they stay apart because a monitor's scope may be a part of
/// the county). Two files, specified in docs/state.md:
///
/// - `latest.tsv`: the newest sweep's `SweepRecord`, every camera;
/// - `history.tsv`: one block a sweep with its counts and only the cameras whose status or reason changed,
///   the first block holding every camera. The newest `SweepRetention.count` sweeps no older than
///   `SweepRetention.maximumAge` are kept; older blocks are folded into the first one.
///
/// So a sweep where nothing changed adds a line or two, and 30 sweeps of a 200,000-camera city take a
/// few tens of MB instead of 3 GB of documents.
public struct SweepStore: Sendable {
    /// The directory the two files live in.
    public let directory: String

    /// The plain sweeps of the state directory `state`.
    public init(stateDirectory state: String) { directory = state + "/sweeps" }

    /// A monitor's sweeps, in its own directory of the state directory.
    public init(monitorDirectory: String) { directory = monitorDirectory + "/sweeps" }

    public var latestPath: String { directory + "/latest.tsv" }
    public var historyPath: String { directory + "/history.tsv" }
    public var thumbnailsPath: String { directory + "/thumbnails.tsv" }

    /// The largest file read: a 200,000-camera record is about 12 MB.
    static let readLimit = 512 << 20

    /// Records `record`: its block goes into the history first (the commit point: one appended write), then
    /// `latest.tsv` is replaced. A crash between the two leaves the history ahead, which the next save
    /// repairs, since changes are always counted against the history itself. A history this version
    /// cannot read is set aside (renamed `history.tsv.damaged`) and begun anew; the returned note says so.
    @discardableResult
    public func save(_ record: SweepRecord, retention: SweepRetention = .standard) throws(StateError) -> String? {
        try system { () throws(SystemError) in try Files.makeDirectories(directory) }
        var (history, note) = try historySettingAsideDamage()
        if history.needsCompaction(adding: record, retention: retention) {
            history.append(record)
            let compacted = SweepHistoryFormat.render(history.compacted(retention: retention))
            try system { () throws(SystemError) in try Files.replace(historyPath, with: compacted) }
        } else {
            if history.tornTail {
                let whole = SweepHistoryFormat.render(history)
                try system { () throws(SystemError) in try Files.replace(historyPath, with: whole) }
            }
            let header = access(historyPath, F_OK) == 0 ? [] : Array((SweepHistoryFormat.formatLine + "\n").utf8)
            let block = header + SweepHistoryFormat.block(for: record, after: history.currentStatuses)
            try system { () throws(SystemError) in try Files.append(block, to: historyPath) }
        }
        try system { () throws(SystemError) in
            let replacement = try AtomicReplacement(latestPath)
            try SweepRecordFormat.render(record) { (piece: [UInt8]) throws(SystemError) in try replacement.write(piece) }
            try replacement.commit()
        }
        // After the record: a crash between the two leaves the last sweep's thumbnails, which name another
        // sweep and are not read. None: no file (nothing stale to show).
        if record.thumbnails.isEmpty {
            Files.remove(thumbnailsPath)
        } else {
            try system { () throws(SystemError) in try Files.replace(thumbnailsPath, with: SweepThumbnailsFormat.render(record)) }
        }
        return note
    }

    /// The thumbnails kept with the newest sweep (cameras with a picture finding), none when that sweep kept
    /// none or the file belongs to another sweep.
    public func thumbnails() throws(StateError) -> [String: PictureThumbnail] {
        guard let record = try latest() else { return [:] }
        return try thumbnails(of: record)
    }

    /// The thumbnails kept with `record`, the newest sweep.
    public func thumbnails(of record: SweepRecord) throws(StateError) -> [String: PictureThumbnail] {
        let bytes: [UInt8]?
        do {
            bytes = try Files.read(thumbnailsPath, limit: Self.readLimit)
        } catch {
            throw .system(error)
        }
        guard let bytes else { return [:] }
        return try SweepThumbnailsFormat.parse(bytes, path: thumbnailsPath, finishedAt: record.finishedAt)
    }

    /// The history, or an empty one after setting a damaged file aside (with a sentence saying so).
    private func historySettingAsideDamage() throws(StateError) -> (SweepHistoryLog, String?) {
        let result: Result<SweepHistoryLog, StateError> = Result { () throws(StateError) in try readHistory() }
        switch result {
        case .success(let history):
            return (history, nil)
        case .failure(.damaged(let path, let line, let reason)):
            let aside = historyPath + ".damaged"
            guard rename(historyPath, aside) == 0 else { throw .system(SystemError(path: historyPath, operation: "set aside", errno: errno)) }
            return (SweepHistoryLog(sweeps: []), localized("\(path)\(line.map { ":\($0)" } ?? ""): \(reason); set aside as \(aside), the trend starts again"))
        case .failure(let error):
            throw error
        }
    }

    private func system<Value>(_ body: () throws(SystemError) -> Value) throws(StateError) -> Value {
        do {
            return try body()
        } catch {
            throw .system(error)
        }
    }

    /// The newest sweep, or nil when none was recorded here.
    public func latest() throws(StateError) -> SweepRecord? {
        let bytes: [UInt8]?
        do {
            bytes = try Files.read(latestPath, limit: Self.readLimit)
        } catch {
            throw .system(error)
        }
        guard let bytes else { return nil }
        return try SweepRecordFormat.parse(bytes, path: latestPath)
    }

    /// What the kept sweeps say together: the trend, availability, and since when each camera offline in
    /// the newest sweep has been offline.
    public func trend(retention: SweepRetention = .standard) throws(StateError) -> SweepTrend {
        try readHistory().trend(retention: retention)
    }

    private func readHistory() throws(StateError) -> SweepHistoryLog {
        let bytes: [UInt8]?
        do {
            bytes = try Files.read(historyPath, limit: Self.readLimit)
        } catch {
            throw .system(error)
        }
        guard let bytes else { return SweepHistoryLog(sweeps: []) }
        return try SweepHistoryFormat.parse(bytes, path: historyPath)
    }
}

/// How many sweeps a directory keeps, and for how long.
public struct SweepRetention: Sendable, Equatable {
    /// The newest this many sweeps are kept.
    public var count: Int
    /// Sweeps older than this (relative to the newest) are dropped even within `count`.
    public var maximumAge: TimeInterval

    public init(count: Int, maximumAge: TimeInterval) {
        self.count = max(1, count)
        self.maximumAge = maximumAge
    }

    /// 30 sweeps, none older than 31 days.
    public static let standard = SweepRetention(count: 30, maximumAge: 31 * 86_400)
}

/// One past sweep's headline, for the online rate over time.
public struct SweepPoint: Sendable, Equatable {
    public var finishedAt: Date
    public var cameras: Int
    public var working: Int
    public var onlineRate: Double { cameras == 0 ? 1 : Double(working) / Double(cameras) }

    public init(finishedAt: Date, cameras: Int, working: Int) {
        self.finishedAt = finishedAt
        self.cameras = cameras
        self.working = working
    }
}

/// What the kept sweeps say together.
public struct SweepTrend: Sendable, Equatable {
    /// One point per sweep, oldest first.
    public var points: [SweepPoint]
    /// For each camera offline in the newest sweep, the finish time of the first sweep of its unbroken
    /// offline run (within the kept sweeps).
    public var offlineSince: [String: Date]
    /// Camera-seconds working and observed between the first and the newest sweep: each sweep's status is
    /// taken to hold until the next one. Zero observed with fewer than two sweeps.
    public var workingSeconds: Double
    public var observedSeconds: Double

    public init(points: [SweepPoint], offlineSince: [String: Date], workingSeconds: Double, observedSeconds: Double) {
        self.points = points
        self.offlineSince = offlineSince
        self.workingSeconds = workingSeconds
        self.observedSeconds = observedSeconds
    }

    /// Availability over the period (online time / observed time), or nil without two sweeps.
    public var availability: Double? { observedSeconds > 0 ? workingSeconds / observedSeconds : nil }
    public var periodStart: Date? { points.first?.finishedAt }
}
