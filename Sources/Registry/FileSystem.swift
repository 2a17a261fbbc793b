#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small, checked wrappers over the POSIX calls the store needs; every failure becomes an
/// ``InventoryError/io(path:operation:errno:)`` that names the file.
enum FileSystem {
    static func readFile(_ path: String) throws(InventoryError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .io(path: path, operation: "stat", errno: errno) }
        var result: [UInt8] = []
        var chunkSize = max(Int(status.st_size), 4096)
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
            chunkSize = 1 << 16
        }
        return result
    }

    /// Writes `bytes` to `path` (created with `mode`, truncated) and fsyncs it.
    static func writeDurably(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(InventoryError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .io(path: path, operation: "create", errno: errno) }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "write", errno: errno)
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw .io(path: path, operation: "fsync", errno: errno) }
    }

    /// Replaces `path` atomically: a reader sees the old file or the new one, never a torn one.
    static func replaceAtomically(_ path: String, with bytes: [UInt8], mode: mode_t = 0o644) throws(InventoryError) {
        let directory = parent(of: path)
        let temporary = directory + "/.xueliang-tmp-\(getpid())-" + baseName(of: path)
        do {
            try writeDurably(bytes, to: temporary, mode: mode)
            try rename(temporary, to: path)
        } catch {
            // A full disk must not also leave the half-written temporary taking up space.
            unlink(temporary)
            throw error
        }
        try syncDirectory(directory)
    }

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
final class InventoryLock {
    private let descriptor: Int32

    init(directory: String, exclusive: Bool) throws(InventoryError) {
        let path = directory + "/.lock"
        // Locked in a local first: once `descriptor` is set, a throw would run deinit and close it twice.
        let opened = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard opened >= 0 else { throw .io(path: path, operation: "open the lock file", errno: errno) }
        while flock(opened, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            if errno == EINTR { continue }
            let code = errno
            close(opened)
            throw .io(path: path, operation: "lock", errno: code)
        }
        descriptor = opened
    }

    deinit { close(descriptor) }
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
        let temporary = directory + "/.xueliang-tmp-\(getpid())-" + FileSystem.baseName(of: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else { throw .io(path: temporary, operation: "create", errno: errno) }
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
        close(descriptor)
        guard failure == 0 else {
            unlink(temporary)
            throw .io(path: path, operation: "write", errno: failure)
        }
        do {
            try FileSystem.rename(temporary, to: path)
        } catch {
            unlink(temporary)
            throw error
        }
        try FileSystem.syncDirectory(directory)
    }
}
