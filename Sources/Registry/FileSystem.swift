#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small, checked wrappers over the POSIX calls the store needs; every failure becomes an
/// ``InventoryError/io(path:operation:errno:)`` that names the file.
enum FileSystem {
    /// Reads a whole regular file of at most `limit` bytes.
    ///
    /// Only a regular file is read: a FIFO would hang every command and a device (`/dev/zero`) would
    /// allocate until the process dies, so the file is opened non-blocking and its type checked on the open
    /// descriptor. Unless `followLinks` is set, a symbolic link is refused too (`O_NOFOLLOW`): a link in the
    /// inventory could make a command read, and quote, a file that is not an inventory file.
    static func readFile(_ path: String, limit: Int, followLinks: Bool = false) throws(InventoryError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followLinks ? 0 : O_NOFOLLOW))
        guard descriptor >= 0 else {
            let code = errno
            if code == ELOOP && !followLinks { throw .refused(path: path, reason: "is a symbolic link; only regular files are read here") }
            if code == ENXIO { throw .refused(path: path, reason: "is a socket or device, not a regular file") }
            throw .io(path: path, operation: "open", errno: code)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .io(path: path, operation: "stat", errno: errno) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw .refused(path: path, reason: "is \(kindName(status.st_mode)), not a regular file")
        }
        guard Int(status.st_size) <= limit else { throw .tooLarge(path: path, size: Int(status.st_size), limit: limit) }
        var result: [UInt8] = []
        // One more byte than the limit is asked for, so a file that grew since fstat is still caught.
        var chunkSize = min(max(Int(status.st_size), 4095), limit) + 1
        while true {
            // Read into uninitialised storage: a zero-filled staging buffer cost a memset per file.
            var failure: Int32 = 0
            let chunk = [UInt8](unsafeUninitializedCapacity: chunkSize) { storage, initialized in
                let count = read(descriptor, storage.baseAddress, chunkSize)
                if count < 0 { failure = errno }
                initialized = max(count, 0)
            }
            if failure == EINTR { continue }
            if failure != 0 { throw .io(path: path, operation: "read", errno: failure) }
            if chunk.isEmpty { break }
            if result.isEmpty { result = chunk } else { result += chunk }
            if result.count > limit { throw .tooLarge(path: path, size: result.count, limit: limit) }
            chunkSize = min(1 << 16, limit + 1 - result.count)
        }
        return result
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
        let shown = shownPath ?? path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .io(path: shown, operation: "create", errno: errno) }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .io(path: shown, operation: "write", errno: errno)
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw .io(path: shown, operation: "fsync", errno: errno) }
    }

    /// Replaces `path` atomically: a reader sees the old file or the new one, never a torn one. On any
    /// failure (a full disk) the temporary file is removed and `path` is left as it was.
    static func replaceAtomically(_ path: String, with bytes: [UInt8], mode: mode_t = 0o644,
                                  failpointBeforeRename: String? = nil) throws(InventoryError) {
        let directory = parent(of: path)
        let temporary = temporaryPath(for: path)
        do throws(InventoryError) {
            try writeDurably(bytes, to: temporary, mode: mode, shownPath: path)
            if let failpointBeforeRename { Failpoint.hit(failpointBeforeRename) }
            try rename(temporary, to: path)
        } catch {
            unlink(temporary)
            throw error
        }
        try syncDirectory(directory)
    }

    /// Every temporary file the tool writes starts with this, so a crash leaves files that are recognisable.
    static let temporaryPrefix = ".xueliang-tmp-"

    /// `DIR/.xueliang-tmp-PID-NAME`: where `path` is written before it is renamed into place.
    static func temporaryPath(for path: String) -> String {
        parent(of: path) + "/" + temporaryPrefix + "\(getpid())-" + baseName(of: path)
    }

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
        guard Glibc.rename(from, destination) == 0 else { throw .io(path: destination, operation: "rename into place", errno: errno) }
    }

    static func syncDirectory(_ path: String) throws(InventoryError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(path: path, operation: "open directory", errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .io(path: path, operation: "fsync directory", errno: errno) }
    }

    static func makeDirectory(_ path: String) throws(InventoryError) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw .io(path: path, operation: "create directory", errno: errno) }
    }

    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func remove(_ path: String) {
        unlink(path)
    }

    static func listDirectory(_ path: String) throws(InventoryError) -> [String] {
        guard let directory = opendir(path) else { throw .io(path: path, operation: "list", errno: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func mode(of path: String) -> mode_t? {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode : nil
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

/// An advisory lock on the inventory (`flock` on `.lock`): shared for readers, exclusive for writers,
/// so two staff registering at once are serialised and both land. Released on deinit or process exit.
///
/// A reader opens an existing `.lock` read-only (flock needs no write access), so staff who may only read
/// the inventory can still list and validate it. Where no `.lock` exists and none can be made (a read-only
/// copy of the inventory), nobody can write there either, and the reader goes on without one.
final class InventoryLock {
    private let descriptor: Int32

    init(directory: String, exclusive: Bool) throws(InventoryError) {
        let path = directory + "/.lock"
        // Locked in a local first: once `descriptor` is set, a throw would run deinit and close it twice.
        var opened = exclusive ? -1 : open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if opened < 0 && (exclusive || errno == ENOENT) {
            opened = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
            let code = errno
            if opened < 0 && !exclusive && (code == EACCES || code == EROFS || code == EPERM) {
                descriptor = -1
                return
            }
        }
        guard opened >= 0 else { throw .io(path: path, operation: "open the lock file", errno: errno) }
        while flock(opened, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            if errno == EINTR { continue }
            let code = errno
            close(opened)
            throw .io(path: path, operation: "lock", errno: code)
        }
        descriptor = opened
    }

    deinit { if descriptor >= 0 { close(descriptor) } }
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
        let directory = FileSystem.parent(of: path)
        let temporary = FileSystem.temporaryPath(for: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else { throw .io(path: path, operation: "create", errno: errno) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var failure: Int32 = 0
        func flush() {
            var offset = 0
            while offset < buffer.count && failure == 0 {
                let written = buffer.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
                if written < 0 { if errno != EINTR { failure = errno } } else { offset += written }
            }
            buffer.removeAll(keepingCapacity: true)
        }
        produce { piece in
            buffer.append(contentsOf: piece.utf8)
            if buffer.count >= 1 << 20 { flush() }
        }
        flush()
        if failure == 0 && fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0 && failure == 0 { failure = errno }
        guard failure == 0 else {
            unlink(temporary)
            throw .io(path: path, operation: "write", errno: failure)
        }
        do throws(InventoryError) {
            try FileSystem.rename(temporary, to: path)
        } catch {
            unlink(temporary)
            throw error
        }
        try FileSystem.syncDirectory(directory)
    }
}
