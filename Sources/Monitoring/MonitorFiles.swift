import Glibc
import Registry

/// The monitor's file operations, each failure a `MonitorStateError.io` naming the file meant (never a
/// temporary) with the real errno: a full disk says "No space left on device", not a generic I/O error.
enum MonitorFiles {
    /// Creates `path` and its missing parents.
    static func makeDirectory(_ path: String) throws(MonitorStateError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .io(path: prefix, operation: "create the directory", errno: errno)
            }
        }
    }

    /// Replaces `path` atomically and durably (temporary file, fsync, rename, directory fsync); a failed
    /// write leaves the old file and no temporary.
    static func replace(_ path: String, with bytes: [UInt8]) throws(MonitorStateError) {
        do throws(InventoryError) {
            try AtomicWrite.write(bytes: bytes, to: path)
        } catch {
            if case .io(_, _, let code) = error { throw .io(path: path, operation: "write", errno: code) }
            throw .io(path: path, operation: "write", errno: EIO)
        }
    }

    /// Renames `source` to `destination` and makes the rename durable.
    static func rename(_ source: String, to destination: String) throws(MonitorStateError) {
        guard Glibc.rename(source, destination) == 0 else { throw .io(path: destination, operation: "rename into place", errno: errno) }
        try syncDirectory(of: destination)
    }

    static func syncDirectory(of path: String) throws(MonitorStateError) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let descriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(path: directory, operation: "open the directory", errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .io(path: directory, operation: "fsync the directory", errno: errno) }
    }
}
