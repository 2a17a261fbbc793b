// The tool's one layer over the POSIX file calls (in the manner of swift-system): every call retried on
// EINTR in one place, writes that write everything, durable appends and atomic replaces (AtomicReplacement),
// the one lock type (FileLock), and one error that keeps the real errno, so a full disk says "No space left
// on device" and not something invented. Registry, StateStore, Monitoring and the CLI use it.
import Glibc

/// A failed system call: what was being done, to which file, and the errno it gave.
public struct SystemError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var operation: String
    public var errno: Int32

    public init(path: String, operation: String, errno: Int32) {
        self.path = path
        self.operation = operation
        self.errno = errno
    }

    public var description: String { "\(path): cannot \(operation): \(String(cString: strerror(errno)))" }

    /// Whether the file (or a directory on its path) does not exist.
    public var isMissing: Bool { errno == ENOENT }

    /// Whether this process may not create or change the file there (permissions, a read-only mount).
    public var isNotPermitted: Bool { errno == EACCES || errno == EROFS || errno == EPERM }
}

/// Runs `call` until it does not fail with EINTR.
@inline(__always)
func retryingOnInterrupt<Result: BinaryInteger>(_ call: () -> Result) -> Result {
    while true {
        let result = call()
        if result >= 0 || Glibc.errno != EINTR { return result }
    }
}

/// An open file descriptor, closed when the value goes away (or by `close()`, which reports the error).
public final class OpenFile {
    /// The descriptor; -1 once `close()` has run.
    public private(set) var descriptor: Int32
    /// The file errors name: the file meant, which for a temporary is the file it will replace.
    public let path: String

    /// Opens `path`; `flags` are open(2)'s (O_CLOEXEC is always added). A failed open is `operation`
    /// ("open" unless told) on `shownPath` (`path` unless told).
    public init(_ path: String, flags: Int32, mode: mode_t = 0o644, operation: String = "open", shownPath: String? = nil) throws(SystemError) {
        let opened = retryingOnInterrupt { open(path, flags | O_CLOEXEC, mode) }
        guard opened >= 0 else { throw SystemError(path: shownPath ?? path, operation: operation, errno: Glibc.errno) }
        descriptor = opened
        self.path = shownPath ?? path
    }

    deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

    /// Closes the descriptor now, reporting what close(2) says (on NFS a failed write can surface only
    /// here). Not retried on EINTR: Linux has released the descriptor by then.
    public func close() throws(SystemError) {
        guard descriptor >= 0 else { return }
        let closing = descriptor
        descriptor = -1
        guard Glibc.close(closing) == 0 else { throw SystemError(path: path, operation: "close", errno: Glibc.errno) }
    }

    /// One read(2) (pread(2) at `offset` when given) of at most `count` bytes; empty at end of file.
    public func read(upTo count: Int, at offset: Int? = nil) throws(SystemError) -> [UInt8] {
        var failure: Int32 = 0
        // Uninitialised storage: a zero-filled staging buffer costs a memset per read.
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { storage, initialized in
            let result = retryingOnInterrupt {
                if let offset { return pread(descriptor, storage.baseAddress, count, off_t(offset)) }
                return Glibc.read(descriptor, storage.baseAddress, count)
            }
            if result < 0 { failure = Glibc.errno }
            initialized = max(result, 0)
        }
        guard failure == 0 else { throw SystemError(path: path, operation: "read", errno: failure) }
        return bytes
    }

    /// The file's status (fstat).
    public func status() throws(SystemError) -> stat {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw SystemError(path: path, operation: "stat", errno: Glibc.errno) }
        return status
    }

    /// Everything from the current offset to the end; refuses a file that is not a regular file or is
    /// larger than `limit` (a FIFO would block, /dev/zero would never end).
    public func readAll(limit: Int) throws(SystemError) -> [UInt8] {
        let status = try status()
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw SystemError(path: path, operation: "read (not a regular file)", errno: EINVAL) }
        guard Int(status.st_size) <= limit else { throw SystemError(path: path, operation: "read (larger than \(limit >> 20) MiB)", errno: EFBIG) }
        // One byte more than the file: the read that sees its end then needs no room, where growing a full
        // array would double it (a 20 MB state file held 39 MB).
        var result = [UInt8](repeating: 0, count: Int(status.st_size) + 1)
        var filled = 0
        while true {
            if filled == result.count { result.append(contentsOf: [UInt8](repeating: 0, count: 4096)) }
            let count = result.withUnsafeMutableBytes { buffer in
                retryingOnInterrupt { Glibc.read(descriptor, buffer.baseAddress! + filled, buffer.count - filled) }
            }
            guard count >= 0 else { throw SystemError(path: path, operation: "read", errno: Glibc.errno) }
            if count == 0 { break }
            filled += count
            guard filled <= limit else { throw SystemError(path: path, operation: "read (larger than \(limit >> 20) MiB)", errno: EFBIG) }
        }
        result.removeLast(result.count - filled)
        return result
    }

    /// Writes all of `bytes` (a short write goes on until everything is written or an error says why);
    /// a failure is `operation` ("write" unless told).
    public func writeAll(_ bytes: [UInt8], operation: String = "write") throws(SystemError) {
        let failure = bytes.withUnsafeBytes { Descriptors.writeAll($0, to: descriptor) }
        guard failure == 0 else { throw SystemError(path: path, operation: operation, errno: failure) }
    }

    /// Writes all of `bytes` at `offset` with pwrite(2), leaving the file offset alone; a failure is
    /// `operation` ("write" unless told).
    public func writeAll(_ bytes: [UInt8], at offset: Int, operation: String = "write") throws(SystemError) {
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                retryingOnInterrupt { pwrite(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done)) }
            }
            guard written >= 0 else { throw SystemError(path: path, operation: operation, errno: Glibc.errno) }
            done += written
        }
    }

    /// fsync(2): the file's data and size reach the disk; a failure is `operation` ("fsync" unless told).
    public func synchronise(operation: String = "fsync") throws(SystemError) {
        guard fsync(descriptor) == 0 else { throw SystemError(path: path, operation: operation, errno: Glibc.errno) }
    }

    /// Cuts (or extends) the file to `length` bytes; a failure is `operation` ("truncate" unless told).
    public func truncate(to length: Int, operation: String = "truncate") throws(SystemError) {
        guard retryingOnInterrupt({ ftruncate(descriptor, off_t(length)) }) == 0 else {
            throw SystemError(path: path, operation: operation, errno: Glibc.errno)
        }
    }

    /// Moves the file offset; returns the new one.
    @discardableResult
    public func seek(to offset: Int, from whence: Int32 = SEEK_SET) throws(SystemError) -> Int {
        let position = lseek(descriptor, off_t(offset), whence)
        guard position >= 0 else { throw SystemError(path: path, operation: "seek", errno: Glibc.errno) }
        return Int(position)
    }
}

/// Whole-file operations.
public enum Files {
    /// The contents of a regular file of at most `limit` bytes, or nil when it does not exist.
    public static func read(_ path: String, limit: Int) throws(SystemError) -> [UInt8]? {
        do {
            return try OpenFile(path, flags: O_RDONLY | O_NONBLOCK).readAll(limit: limit)
        } catch where error.isMissing {
            return nil
        }
    }

    /// Replaces `path` atomically and durably: a temporary file beside it, written, fsynced, renamed over it,
    /// then the directory fsynced. On any failure the temporary is removed and the old file is untouched;
    /// errors name `path`, never the temporary.
    public static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o644) throws(SystemError) {
        let replacement = try AtomicReplacement(path, mode: mode)
        try replacement.write(bytes)
        try replacement.commit()
    }

    /// Appends `bytes` to `path` (created if missing) in one write and fsyncs it: the commit point of an
    /// append-only log. A failed append is cut back to the old length, so no half entry stays behind.
    public static func append(_ bytes: [UInt8], to path: String) throws(SystemError) {
        let file = try OpenFile(path, flags: O_WRONLY | O_CREAT | O_APPEND)
        let length = try file.seek(to: 0, from: SEEK_END)
        do {
            try file.writeAll(bytes)
            try file.synchronise()
        } catch {
            try? file.truncate(to: length)
            throw error
        }
    }

    /// fsyncs a directory, so that names created, renamed or removed in it survive a power cut.
    public static func synchroniseDirectory(_ path: String) throws(SystemError) {
        let directory = try OpenFile(path, flags: O_RDONLY | O_DIRECTORY, operation: "open directory")
        try directory.synchronise(operation: "fsync directory")
    }

    /// Renames `source` over `destination` (atomic within a file system); errors name `destination`.
    public static func rename(_ source: String, to destination: String) throws(SystemError) {
        guard Glibc.rename(source, destination) == 0 else {
            throw SystemError(path: destination, operation: "rename into place", errno: Glibc.errno)
        }
    }

    /// Renames `source` over `destination` and fsyncs the destination's directory, so the rename is durable.
    public static func renameDurably(_ source: String, to destination: String) throws(SystemError) {
        try rename(source, to: destination)
        try synchroniseDirectory(parent(of: destination))
    }

    /// The names in a directory, sorted, without "." and "..".
    public static func list(_ path: String) throws(SystemError) -> [String] {
        guard let directory = opendir(path) else { throw SystemError(path: path, operation: "list", errno: Glibc.errno) }
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

    /// Creates the directory `path` (its parent must exist); one that exists already is fine.
    public static func makeDirectory(_ path: String) throws(SystemError) {
        if mkdir(path, 0o755) != 0 && Glibc.errno != EEXIST {
            throw SystemError(path: path, operation: "create directory", errno: Glibc.errno)
        }
    }

    /// Creates `path` and its missing parents.
    public static func makeDirectories(_ path: String) throws(SystemError) {
        var built = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            built += "/" + component
            if mkdir(built, 0o755) != 0 && Glibc.errno != EEXIST {
                throw SystemError(path: built, operation: "create directory", errno: Glibc.errno)
            }
        }
    }

    /// Removes a file; one that is already gone is fine.
    public static func remove(_ path: String) { unlink(path) }

    /// Every temporary file the tool writes starts with this, so a crash leaves files that are recognisable.
    public static let temporaryPrefix = ".xueliang-tmp-"

    /// `DIR/.xueliang-tmp-PID-NAME`: where `path` is written before it is renamed into place.
    public static func temporaryPath(for path: String) -> String {
        parent(of: path) + "/" + temporaryPrefix + "\(getpid())-" + baseName(of: path)
    }

    /// The directory part of `path` ("." for a bare name, "/" for a file at the root).
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component of `path`.
    public static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
