import Glibc

/// An advisory lock on a lock file (`flock(2)`): shared for readers, exclusive for writers. Held until the
/// value goes away or the process ends. flock locks belong to an open file description, so two `FileLock`
/// values on one file in one process contend just as two processes do.
///
/// A shared lock opens an existing lock file read-only (flock needs no write access), so people who may only
/// read can still take it. Where the lock file is missing and cannot be created (a read-only copy, a
/// directory without write access), no writer can take the exclusive lock there either: the shared lock is
/// then granted without a descriptor (`isHeld` is false) and the reader goes on.
public final class FileLock: Sendable {
    public enum Mode: Sendable { case shared, exclusive }

    public let path: String
    /// -1 for a shared lock granted without a lock file.
    private let descriptor: Int32

    /// Whether a lock is really held (false only for a shared lock where no lock file can exist).
    public var isHeld: Bool { descriptor >= 0 }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Takes the lock, waiting while another holds it. Errors are "open the lock file" or "lock" on `path`.
    public static func acquire(_ path: String, mode: Mode) throws(SystemError) -> FileLock {
        // Waiting never reports busy, so there is always a lock.
        try take(path, mode: mode, waiting: true)!
    }

    /// Takes the lock if nobody holds it; nil when another does (a monitor's sweep then exits 75, busy).
    public static func attempt(_ path: String, mode: Mode) throws(SystemError) -> FileLock? {
        try take(path, mode: mode, waiting: false)
    }

    private static func take(_ path: String, mode: Mode, waiting: Bool) throws(SystemError) -> FileLock? {
        // Opened and locked through a local: the descriptor is stored (and so closed by deinit) only once
        // it is locked, so a failure closes it here exactly once.
        let opened = try openLockFile(path, mode: mode)
        guard opened >= 0 else { return FileLock(path: path, descriptor: -1) }
        let operation = (mode == .exclusive ? LOCK_EX : LOCK_SH) | (waiting ? 0 : LOCK_NB)
        guard retryingOnInterrupt({ flock(opened, operation) }) == 0 else {
            let code = Glibc.errno
            close(opened)
            if code == EWOULDBLOCK { return nil }
            throw SystemError(path: path, operation: "lock", errno: code)
        }
        return FileLock(path: path, descriptor: opened)
    }

    /// The lock file's descriptor; -1 for a shared lock where the file is missing and cannot be made.
    private static func openLockFile(_ path: String, mode: Mode) throws(SystemError) -> Int32 {
        if mode == .shared {
            let existing = retryingOnInterrupt { open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
            if existing >= 0 { return existing }
            guard Glibc.errno == ENOENT else { throw SystemError(path: path, operation: "open the lock file", errno: Glibc.errno) }
        }
        let created = retryingOnInterrupt { open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644) }
        guard created >= 0 else {
            let failure = SystemError(path: path, operation: "open the lock file", errno: Glibc.errno)
            if mode == .shared && failure.isNotPermitted { return -1 }
            throw failure
        }
        return created
    }
}
