import Glibc
import POSIXLayer

/// The store's file operations, on the POSIXLayer; every failure becomes an
/// ``InventoryError/io(path:operation:errno:)`` that names the file and keeps the real errno.
enum FileSystem {
    /// Reads a whole regular file of at most `limit` bytes.
    ///
    /// Only a regular file is read: a FIFO would hang every command and a device (`/dev/zero`) would
    /// allocate until the process dies, so the file is opened non-blocking and its type checked on the open
    /// descriptor. Unless `followLinks` is set, a symbolic link is refused too (`O_NOFOLLOW`): a link in the
    /// inventory could make a command read, and quote, a file that is not an inventory file.
    static func readFile(_ path: String, limit: Int, followLinks: Bool = false) throws(InventoryError) -> [UInt8] {
        let file: OpenFile
        do {
            file = try OpenFile(path, flags: O_RDONLY | O_NONBLOCK | (followLinks ? 0 : O_NOFOLLOW))
        } catch {
            if error.errno == ELOOP && !followLinks { throw .refused(path: path, reason: "is a symbolic link; only regular files are read here") }
            if error.errno == ENXIO { throw .refused(path: path, reason: "is a socket or device, not a regular file") }
            throw InventoryError(error)
        }
        let status = try io { () throws(SystemError) in try file.status() }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw .refused(path: path, reason: "is \(kindName(status.st_mode)), not a regular file")
        }
        guard Int(status.st_size) <= limit else { throw .tooLarge(path: path, size: Int(status.st_size), limit: limit) }
        var result: [UInt8] = []
        // One more byte than the limit is asked for, so a file that grew since fstat is still caught.
        var chunkSize = min(max(Int(status.st_size), 4095), limit) + 1
        while true {
            let size = chunkSize
            let chunk = try io { () throws(SystemError) in try file.read(upTo: size) }
            if chunk.isEmpty { break }
            if result.isEmpty { result = chunk } else { result += chunk }
            if result.count > limit { throw .tooLarge(path: path, size: result.count, limit: limit) }
            chunkSize = min(1 << 16, limit + 1 - result.count)
        }
        return result
    }

    /// Runs a POSIXLayer call; its error becomes the `InventoryError` naming the same file and errno.
    static func io<Value>(_ call: () throws(SystemError) -> Value) throws(InventoryError) -> Value {
        do {
            return try call()
        } catch {
            throw InventoryError(error)
        }
    }

    private static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "a special file"
        }
    }

    /// Writes `bytes` to `path` (created with `mode`, truncated) and fsyncs it. Errors name `shownPath`:
    /// the file being replaced, when `path` is its temporary.
    static func writeDurably(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644, shownPath: String? = nil) throws(InventoryError) {
        try io { () throws(SystemError) in
            let file = try OpenFile(path, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: mode, operation: "create", shownPath: shownPath)
            try file.writeAll(bytes)
            try file.synchronise()
        }
    }

    /// Replaces `path` atomically: a reader sees the old file or the new one, never a torn one. On any
    /// failure (a full disk) the temporary file is removed and `path` is left as it was.
    static func replaceAtomically(_ path: String, with bytes: [UInt8], mode: mode_t = 0o644,
                                  failpointBeforeRename: String? = nil) throws(InventoryError) {
        try io { () throws(SystemError) in
            let replacement = try AtomicReplacement(path, mode: mode)
            try replacement.write(bytes)
            try replacement.commit { if let failpointBeforeRename { Failpoint.hit(failpointBeforeRename) } }
        }
    }

    /// Every temporary file the tool writes starts with this, so a crash leaves files that are recognisable.
    static var temporaryPrefix: String { Files.temporaryPrefix }

    /// `DIR/.xueliang-tmp-PID-NAME`: where `path` is written before it is renamed into place.
    static func temporaryPath(for path: String) -> String { Files.temporaryPath(for: path) }

    /// The process that wrote a temporary file named `.xueliang-tmp-PID-NAME`, or nil for another name.
    static func ownerOfTemporary(_ name: String) -> pid_t? {
        guard name.hasPrefix(temporaryPrefix) else { return nil }
        let rest = name.dropFirst(temporaryPrefix.count)
        guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0 else { return nil }
        return pid
    }

    /// Whether a process with this id exists (one that is not ours to signal still exists).
    static func isAlive(_ pid: pid_t) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    static func rename(_ from: String, to destination: String) throws(InventoryError) {
        try io { () throws(SystemError) in try Files.rename(from, to: destination) }
    }

    static func syncDirectory(_ path: String) throws(InventoryError) {
        try io { () throws(SystemError) in try Files.synchroniseDirectory(path) }
    }

    static func makeDirectory(_ path: String) throws(InventoryError) {
        try io { () throws(SystemError) in try Files.makeDirectory(path) }
    }

    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func remove(_ path: String) { Files.remove(path) }

    static func listDirectory(_ path: String) throws(InventoryError) -> [String] {
        try io { () throws(SystemError) in try Files.list(path) }
    }

    static func mode(of path: String) -> mode_t? {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode : nil
    }

    static func parent(of path: String) -> String { Files.parent(of: path) }

    static func baseName(of path: String) -> String { Files.baseName(of: path) }
}

extension InventoryError {
    /// A failed system call as the inventory reports it: the same file, operation and errno.
    init(_ error: SystemError) {
        self = .io(path: error.path, operation: error.operation, errno: error.errno)
    }
}

/// An advisory lock on the inventory (`flock` on `.lock`): shared for readers, exclusive for writers,
/// so two staff registering at once are serialised and both land. Released on deinit or process exit.
///
/// A reader opens an existing `.lock` read-only (flock needs no write access), so staff who may only read
/// the inventory can still list and validate it. Where no `.lock` exists and none can be made (a read-only
/// copy of the inventory), nobody can write there either, and the reader goes on without one.
final class InventoryLock {
    private let lock: FileLock

    init(directory: String, exclusive: Bool) throws(InventoryError) {
        lock = try FileSystem.io { () throws(SystemError) in
            try FileLock.acquire(directory + "/.lock", mode: exclusive ? .exclusive : .shared)
        }
    }
}

/// Named points where a test can have the process kill itself (`XUELIANG_FAILPOINT=name`), to prove that
/// a crash at that moment leaves the registry (or a monitor's journal) whole. Not for production use.
public enum Failpoint {
    public static func hit(_ name: String) {
        guard let value = getenv("XUELIANG_FAILPOINT"), String(cString: value) == name else { return }
        kill(getpid(), SIGKILL)
    }
}

/// Writes whole files atomically (temporary file, fsync, rename): a reader or a crash sees the old
/// file or the new one, never a torn one. For every file the tool writes outside the inventory.
public enum AtomicWrite {
    public static func write(_ text: String, to path: String, mode: UInt32 = 0o644) throws(InventoryError) {
        try FileSystem.replaceAtomically(path, with: Array(text.utf8), mode: mode_t(mode))
    }

    public static func write(bytes: [UInt8], to path: String, mode: UInt32 = 0o644) throws(InventoryError) {
        try FileSystem.replaceAtomically(path, with: bytes, mode: mode_t(mode))
    }

    /// Writes a large file piece by piece (`produce` calls its argument with each piece), through a
    /// 1 MiB buffer, then fsyncs and renames it into place: the whole text is never in memory at once.
    public static func stream(to path: String, mode: UInt32 = 0o644, _ produce: ((String) -> Void) -> Void) throws(InventoryError) {
        try FileSystem.io { () throws(SystemError) in
            let replacement = try AtomicReplacement(path, mode: mode_t(mode))
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 20)
            // `produce` cannot throw: after the first failure the rest of its pieces are dropped.
            var failure: SystemError?
            func flush() {
                if failure == nil {
                    do throws(SystemError) { try replacement.write(buffer) } catch { failure = error }
                }
                buffer.removeAll(keepingCapacity: true)
            }
            produce { piece in
                buffer.append(contentsOf: piece.utf8)
                if buffer.count >= 1 << 20 { flush() }
            }
            flush()
            if let failure { throw failure }
            try replacement.commit()
        }
    }
}

/// An input file named on the command line (a spreadsheet, a platform's catalog), read whole within a limit.
public enum InputFile {
    /// The bytes of a regular file (a link to one is followed) of at most `limit` bytes. A larger file, a FIFO or
    /// a device is refused before its content is read, so a hostile file costs neither memory nor time.
    public static func read(_ path: String, limit: Int) throws(InventoryError) -> [UInt8] {
        try FileSystem.readFile(path, limit: limit, followLinks: true)
    }
}
