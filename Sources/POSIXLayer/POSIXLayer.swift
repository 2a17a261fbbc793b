// The tool's one layer over the POSIX file calls (in the manner of swift-system): every call retried on
// EINTR in one place, writes that write everything, durable appends and atomic replaces, and one error that
// keeps the real errno, so a full disk says "No space left on device" and not something invented.
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
}

/// Runs `call` until it does not fail with EINTR.
@inline(__always)
func retryingOnInterrupt<Result: BinaryInteger>(_ call: () -> Result) -> Result {
    while true {
        let result = call()
        if result >= 0 || Glibc.errno != EINTR { return result }
    }
}

/// An open file descriptor, closed when the value goes away.
public final class OpenFile {
    public let descriptor: Int32
    public let path: String

    /// Opens `path`; `flags` are open(2)'s (O_CLOEXEC is always added).
    public init(_ path: String, flags: Int32, mode: mode_t = 0o644) throws(SystemError) {
        let opened = retryingOnInterrupt { open(path, flags | O_CLOEXEC, mode) }
        guard opened >= 0 else { throw SystemError(path: path, operation: "open", errno: Glibc.errno) }
        descriptor = opened
        self.path = path
    }

    deinit { close(descriptor) }

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
        var result = [UInt8](repeating: 0, count: Int(status.st_size))
        var filled = 0
        while true {
            if filled == result.count { result.append(contentsOf: [UInt8](repeating: 0, count: 4096)) }
            let count = result.withUnsafeMutableBytes { buffer in
                retryingOnInterrupt { read(descriptor, buffer.baseAddress! + filled, buffer.count - filled) }
            }
            guard count >= 0 else { throw SystemError(path: path, operation: "read", errno: Glibc.errno) }
            if count == 0 { break }
            filled += count
            guard filled <= limit else { throw SystemError(path: path, operation: "read (larger than \(limit >> 20) MiB)", errno: EFBIG) }
        }
        result.removeLast(result.count - filled)
        return result
    }

    /// Writes all of `bytes` (a short write goes on until everything is written or an error says why).
    public func writeAll(_ bytes: [UInt8]) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                retryingOnInterrupt { write(descriptor, buffer.baseAddress! + offset, buffer.count - offset) }
            }
            guard written >= 0 else { throw SystemError(path: path, operation: "write", errno: Glibc.errno) }
            offset += written
        }
    }

    public func synchronise() throws(SystemError) {
        guard fsync(descriptor) == 0 else { throw SystemError(path: path, operation: "fsync", errno: Glibc.errno) }
    }

    public func truncate(to length: Int) throws(SystemError) {
        guard retryingOnInterrupt({ ftruncate(descriptor, off_t(length)) }) == 0 else {
            throw SystemError(path: path, operation: "truncate", errno: Glibc.errno)
        }
    }

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
    /// then the directory fsynced. On any failure the temporary is removed and the old file is untouched.
    public static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o644) throws(SystemError) {
        let directory = parent(of: path)
        let temporary = directory + "/.xueliang-tmp-\(getpid())-" + baseName(of: path)
        do {
            let file = try OpenFile(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: mode)
            try file.writeAll(bytes)
            try file.synchronise()
        } catch {
            unlink(temporary)
            throw error
        }
        guard Glibc.rename(temporary, path) == 0 else {
            let code = Glibc.errno
            unlink(temporary)
            throw SystemError(path: path, operation: "rename into place", errno: code)
        }
        try synchroniseDirectory(directory)
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

    public static func synchroniseDirectory(_ path: String) throws(SystemError) {
        let directory = try OpenFile(path, flags: O_RDONLY | O_DIRECTORY)
        try directory.synchronise()
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

    public static func remove(_ path: String) { unlink(path) }

    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    public static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
