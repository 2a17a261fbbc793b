import Glibc

/// Writes to descriptors the process did not open itself (standard output and error).
public enum Descriptors {
    /// Writes all of `bytes` to `descriptor`, retrying on EINTR and going on after short writes; a failure
    /// (EPIPE when the reader went away) is `operation` on `path`.
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String = "standard output", operation: String = "write") throws(SystemError) {
        let failure = bytes.withUnsafeBytes { writeAll($0, to: descriptor) }
        guard failure == 0 else { throw SystemError(path: path, operation: operation, errno: failure) }
    }

    /// The one write-all loop of the tool (`OpenFile.writeAll` comes here too): 0 once everything is
    /// written, else the errno of the write that failed.
    static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32 {
        var offset = 0
        while offset < buffer.count {
            let written = retryingOnInterrupt { write(descriptor, buffer.baseAddress! + offset, buffer.count - offset) }
            guard written >= 0 else { return Glibc.errno }
            offset += written
        }
        return 0
    }
}

/// Child processes.
public enum Processes {
    /// Waits for the child `pid` to end (waitpid, retried on EINTR); returns its raw wait status.
    public static func waitForExit(_ pid: pid_t) throws(SystemError) -> Int32 {
        var status: Int32 = 0
        guard retryingOnInterrupt({ waitpid(pid, &status, 0) }) >= 0 else {
            throw SystemError(path: "process \(pid)", operation: "wait", errno: Glibc.errno)
        }
        return status
    }
}
