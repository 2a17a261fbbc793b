import Glibc
import POSIXLayer

/// The monitor's file operations, on the POSIXLayer; each failure a `MonitorStateError.io` naming the file
/// meant (never a temporary) with the real errno: a full disk says "No space left on device", not a generic
/// I/O error.
enum MonitorFiles {
    /// Creates `path` and its missing parents.
    static func makeDirectory(_ path: String) throws(MonitorStateError) {
        try io { () throws(SystemError) in try Files.makeDirectories(path) }
    }

    /// Replaces `path` atomically and durably (temporary file, fsync, rename, directory fsync); a failed
    /// write leaves the old file and no temporary. Every failure is reported as "write" on `path`.
    static func replace(_ path: String, with bytes: [UInt8]) throws(MonitorStateError) {
        do throws(SystemError) {
            try Files.replace(path, with: bytes)
        } catch {
            throw .io(path: path, operation: "write", errno: error.errno)
        }
    }

    /// Renames `source` to `destination` and makes the rename durable.
    static func rename(_ source: String, to destination: String) throws(MonitorStateError) {
        try io { () throws(SystemError) in try Files.renameDurably(source, to: destination) }
    }

    /// The names in a directory, sorted; none when it cannot be listed (it does not exist yet).
    static func names(in directory: String) -> [String] {
        (try? Files.list(directory)) ?? []
    }

    /// Runs a POSIXLayer call; its error becomes the `MonitorStateError` naming the same file and errno.
    static func io<Value>(_ call: () throws(SystemError) -> Value) throws(MonitorStateError) -> Value {
        do {
            return try call()
        } catch {
            throw MonitorStateError(error)
        }
    }
}

extension MonitorStateError {
    /// A failed system call as the monitor reports it: the same file, operation and errno.
    init(_ error: SystemError) {
        self = .io(path: error.path, operation: error.operation, errno: error.errno)
    }
}
