import Glibc

/// A failed system call for a person: `PATH: cannot OPERATION: REASON`. In Chinese the operation and the
/// system's reason are named in Chinese, with the system's own words kept after the reason (they are what a
/// search or a colleague recognises).
public func systemFailure(path: String, operation: String, errno: Int32) -> Message {
    let reason = String(cString: strerror(errno))
    let named = Vocabulary.name("errno", reason)
    let shown = named == reason ? reason : "\(named)（\(reason)）"
    return "\(path): cannot \(Vocabulary.name("operation", operation)): \(shown)"
}
