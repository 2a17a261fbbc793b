import Foundation
import Glibc
import Localization
import POSIXLayer

/// Why a monitor's files cannot be read or written: which file, and for a bad journal, which line.
public enum MonitorStateError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A journal line before the last cannot be read: not a torn write, so it is not skipped silently.
    case corrupt(path: String, line: Int, problem: String)
    case io(path: String, operation: String, errno: Int32)
    /// Another process is sweeping this monitor right now.
    case busy(monitor: String, lockPath: String)
    /// No sweep of this monitor has been recorded.
    case noState(monitor: String, directory: String)

    public var description: String {
        switch self {
        case .corrupt(let path, let line, let problem):
            localized("\(path):\(line): \(problem); later lines follow it, so this is damage, not a torn last write: repair or remove that line")
        case .io(let path, let operation, let code):
            localized(systemFailure(path: path, operation: operation, errno: code))
        case .busy(let monitor, let lockPath):
            localized("monitor \(monitor) is being swept by another process (lock \(lockPath)); a monitor never runs two sweeps at once")
        case .noState(let monitor, let directory):
            localized("monitor \(monitor) has no recorded sweep in \(directory); run 'xueliang sweep --monitor' or 'xueliang watch --monitor' first")
        }
    }

    /// A failed system call as the monitor reports it: the same file, operation and errno.
    public init(_ error: SystemError) {
        self = .io(path: error.path, operation: error.operation, errno: error.errno)
    }
}

/// One monitor's directory of the state directory, `STATE/monitors/NAME/` (docs/monitors.md):
/// - `journal.jsonl`: append-only, one record per line (`JournalFile`);
/// - `state.tsv`: the current state, a checksummed cache of the journal (`ChecksummedFile`);
/// - `pictures.bin`: each camera's last picture signature, for the frozen-picture rule (checksummed too);
/// - `outbox/`: alerts recorded but not yet delivered (`OutboxDirectory`);
/// - `sweeps/`: the monitor's own kept sweeps (`SweepStore`);
/// - `.lock`: held while a sweep or a compaction writes.
///
/// What each record holds is the monitor's business (the Monitoring module); where it lives and how it
/// reaches the disk is this type's.
public struct MonitorDirectory: Sendable {
    public let monitor: String
    public let path: String

    public init(stateDirectory: String, monitor: String) {
        self.monitor = monitor
        path = Self.root(stateDirectory) + "/" + monitor
    }

    public var journalPath: String { path + "/journal.jsonl" }
    public var statePath: String { path + "/state.tsv" }
    public var picturesPath: String { path + "/pictures.bin" }
    public var outbox: OutboxDirectory { OutboxDirectory(path: path + "/outbox", monitor: monitor) }
    public var sweeps: SweepStore { SweepStore(monitorDirectory: path) }
    public var hasJournal: Bool { access(journalPath, F_OK) == 0 }

    private static func root(_ stateDirectory: String) -> String { stateDirectory + "/monitors" }

    /// The monitors that have a journal under `stateDirectory`, by name.
    public static func monitors(stateDirectory: String) -> [String] {
        let root = root(stateDirectory)
        return MonitorFiles.names(in: root).filter { access(root + "/" + $0 + "/journal.jsonl", F_OK) == 0 }.sorted()
    }

    /// Creates the directory and its missing parents.
    public func create() throws(MonitorStateError) {
        try MonitorFiles.makeDirectory(path)
    }

    /// Takes the monitor's write lock without waiting.
    public func lock() throws(MonitorStateError) -> MonitorLock {
        try create()
        return try MonitorLock(path: path + "/.lock", monitor: monitor)
    }
}

/// A monitor's lock (an exclusive `FileLock`, never waited for), released when this goes away or the
/// process ends.
public final class MonitorLock: Sendable {
    private let lock: FileLock

    init(path: String, monitor: String) throws(MonitorStateError) {
        guard let lock = try MonitorFiles.io({ () throws(SystemError) in try FileLock.attempt(path, mode: .exclusive) }) else {
            throw .busy(monitor: monitor, lockPath: path)
        }
        self.lock = lock
    }
}

/// The monitor files' operations on the POSIXLayer; each failure a `MonitorStateError.io` naming the file
/// meant (never a temporary) with the real errno: a full disk says "No space left on device", not a
/// generic I/O error.
public enum MonitorFiles {
    /// Creates `path` and its missing parents.
    public static func makeDirectory(_ path: String) throws(MonitorStateError) {
        try io { () throws(SystemError) in try Files.makeDirectories(path) }
    }

    /// Replaces `path` atomically and durably (temporary file, fsync, rename, directory fsync); a failed
    /// write leaves the old file and no temporary. Every failure is reported as "write" on `path`.
    public static func replace(_ path: String, with bytes: [UInt8]) throws(MonitorStateError) {
        do throws(SystemError) {
            try Files.replace(path, with: bytes)
        } catch {
            throw .io(path: path, operation: "write", errno: error.errno)
        }
    }

    /// Renames `source` to `destination` and makes the rename durable.
    public static func rename(_ source: String, to destination: String) throws(MonitorStateError) {
        try io { () throws(SystemError) in try Files.renameDurably(source, to: destination) }
    }

    /// The names in a directory, sorted; none when it cannot be listed (it does not exist yet).
    public static func names(in directory: String) -> [String] {
        (try? Files.list(directory)) ?? []
    }

    /// Runs a POSIXLayer call; its error becomes the `MonitorStateError` naming the same file and errno.
    public static func io<Value>(_ call: () throws(SystemError) -> Value) throws(MonitorStateError) -> Value {
        do {
            return try call()
        } catch {
            throw MonitorStateError(error)
        }
    }
}
