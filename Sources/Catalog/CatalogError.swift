import Registry

/// Why a catalog file could not be read. Every case names the file, and where the content is at fault,
/// the line (and for encodings the byte offset) that shows it.
///
/// A value type; safe to share between threads.
public enum CatalogError: Error, CustomStringConvertible, Sendable {
    /// The file could not be opened or read: missing, not a regular file, an I/O error. The registry's
    /// file error says which, with the real errno.
    case unreadable(path: String, cause: InventoryError)
    /// The file is larger than ``CatalogReader/maximumFileBytes``; nothing of it was read.
    case tooLarge(path: String, size: Int, limit: Int)
    /// The bytes are not text in the encoding the file declares (or in any encoding a catalog is sent in).
    case encoding(path: String, line: Int, byteOffset: Int?, message: String)
    /// The markup is broken (truncated, unbalanced, nested too deep, a field too long).
    case malformed(path: String, line: Int, message: String)
    /// The file is well formed but holds no Catalog response.
    case noCatalog(path: String, otherMessages: Int)

    /// The file the error is about.
    public var path: String {
        switch self {
        case .unreadable(let path, _), .tooLarge(let path, _, _), .encoding(let path, _, _, _), .malformed(let path, _, _),
             .noCatalog(let path, _):
            path
        }
    }

    public var description: String {
        switch self {
        case .unreadable(_, let cause):
            return cause.description
        case .tooLarge(let path, let size, let limit):
            return "\(path): is \(size) bytes; a catalog file may be at most \(limit) bytes (\(limit >> 20) MiB): split it, one file per MESSAGE"
        case .encoding(let path, let line, let byteOffset, let message):
            return "\(path):\(line):\(byteOffset.map { " byte \($0):" } ?? "") \(message)"
        case .malformed(let path, let line, let message):
            return "\(path):\(line): \(message)"
        case .noCatalog(let path, let otherMessages):
            let others = otherMessages == 0 ? "" : " (\(otherMessages) other message\(otherMessages == 1 ? "" : "s"))"
            return "\(path): no <Response> with <CmdType>Catalog</CmdType> in it\(others)"
        }
    }
}
