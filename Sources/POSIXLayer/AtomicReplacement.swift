import Glibc

/// A file replaced atomically and durably, written piece by piece: the pieces go to a temporary beside it
/// (`Files.temporaryPath`), which `commit` fsyncs, renames over the file and makes durable with a directory
/// fsync. A reader or a crash sees the old file or the new one, never a torn one. Errors name the file
/// being replaced, never the temporary; on any failure, or if the value goes away uncommitted, the
/// temporary is removed and the old file is left as it was.
public final class AtomicReplacement {
    public let path: String
    private let temporary: String
    private let file: OpenFile
    private var finished = false

    /// Creates the temporary (mode `mode`); a failure is "create" on `path`.
    public init(_ path: String, mode: mode_t = 0o644) throws(SystemError) {
        self.path = path
        temporary = Files.temporaryPath(for: path)
        file = try OpenFile(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: mode, operation: "create", shownPath: path)
    }

    deinit { abandon() }

    /// Appends `bytes` to the new contents.
    public func write(_ bytes: [UInt8]) throws(SystemError) {
        do {
            try file.writeAll(bytes)
        } catch {
            abandon()
            throw error
        }
    }

    /// fsyncs and closes the temporary, calls `beforeRename` (a test's failpoint), renames it into place and
    /// fsyncs the directory.
    public func commit(beforeRename: () -> Void = {}) throws(SystemError) {
        do {
            try file.synchronise()
            try file.close()
            beforeRename()
            try Files.rename(temporary, to: path)
        } catch {
            abandon()
            throw error
        }
        finished = true
        try Files.synchroniseDirectory(Files.parent(of: path))
    }

    /// Gives up: the temporary is removed and the file left as it was.
    public func abandon() {
        guard !finished else { return }
        finished = true
        unlink(temporary)
    }
}
