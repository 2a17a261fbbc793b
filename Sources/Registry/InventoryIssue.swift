import Localization

/// Where a record came from: an inventory file or a CSV row, with the line of each field.
///
/// A value type; safe to share between threads.
public struct RecordOrigin: Hashable, Sendable {
    /// The file as the user should see it (relative to the working directory where possible).
    public var file: String
    /// The line of the record's header (`[camera ID]`), or of the CSV row.
    public var line: Int
    /// Where each field is written, by `CameraField.rawValue`, as lines after `line` plus one (0: not
    /// present, or more than 254 lines on: use `line`). One byte a field: every record of a city keeps this.
    var fieldLines: [UInt8]

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
        self.fieldLines = []
    }

    /// The line where `field` is written, or the record's own line.
    public func line(of field: CameraField?) -> Int {
        guard let field, field.rawValue < fieldLines.count, fieldLines[field.rawValue] > 0 else { return line }
        return line + Int(fieldLines[field.rawValue]) - 1
    }

    mutating func noteLine(_ fieldLine: Int, of field: CameraField) {
        guard (0..<255).contains(fieldLine - line) else { return }
        if fieldLines.isEmpty { fieldLines = Array(repeating: 0, count: CameraField.allCases.count) }
        fieldLines[field.rawValue] = UInt8(fieldLine - line + 1)
    }
}

/// One problem found in the registry or in input, with its place: `FILE:LINE: subject: field: problem`.
///
/// A value type; safe to share between threads.
public struct InventoryIssue: Hashable, Sendable, CustomStringConvertible, Comparable {
    public enum Severity: String, Sendable, Codable, Comparable {
        /// Invalid or incomplete: the record does not pass, and writes carrying it are refused.
        case error
        /// Worth a look, but the record passes (e.g. consent expiring soon).
        case warning
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .error && rhs == .warning }
    }

    public var severity: Severity
    public var file: String
    public var line: Int?
    /// What the problem is about: `camera 4501…`, `village 4501…`, `key point KP01`.
    public var subject: String?
    /// The field's key, e.g. `latitude`.
    public var field: String?
    public var message: Message
    /// The camera the problem belongs to, when it belongs to one (for per-camera figures).
    public var cameraID: String?
    /// Something missing from the record (一机一档: a coordinate, the maintainer, the owner's consent) rather
    /// than something wrong: a finding that makes the record incomplete, a warning unless validation is strict.
    public var isGap: Bool

    public init(_ severity: Severity = .error, file: String, line: Int?, subject: String? = nil, field: String? = nil, message: Message,
                cameraID: String? = nil, isGap: Bool = false) {
        self.cameraID = cameraID
        self.isGap = isGap
        self.severity = severity
        self.file = file
        self.line = line
        self.subject = subject
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = file
        if let line, line > 0 { text += ":\(line)" }
        text += ":"
        if severity == .warning { text += " " + localized("warning:") }
        if let subject { text += " \(Self.localizedSubject(subject)):" }
        if let field { text += " \(Self.localizedField(field)):" }
        return text + " " + message.description
    }

    /// `camera 4501…` as `相机 4501…` in Chinese: the subjects are made by a few kinds of record.
    static func localizedSubject(_ subject: String) -> String {
        guard OutputLocale.current.language == .chinese else { return subject }
        for kind in ["camera ", "village ", "key point "] where subject.hasPrefix(kind) {
            let rest = String(subject.dropFirst(kind.count))
            switch kind {
            case "camera ": return localized("camera \(rest)")
            case "village ": return localized("village \(rest)")
            default: return localized("key point \(rest)")
            }
        }
        return subject
    }

    /// A camera field by its Chinese column header (`纬度`) in Chinese, with its key: the header is what the
    /// officer's sheet calls it, the key what the village file does.
    static func localizedField(_ field: String) -> String {
        guard OutputLocale.current.language == .chinese, let known = CameraField.allCases.first(where: { $0.key == field }) else { return field }
        return "\(known.chineseHeader) (\(field))"
    }

    public static func < (lhs: InventoryIssue, rhs: InventoryIssue) -> Bool {
        (lhs.file, lhs.line ?? 0, lhs.field ?? "", lhs.message) < (rhs.file, rhs.line ?? 0, rhs.field ?? "", rhs.message)
    }
}

/// What stops a registry operation. Each case says where and why, in one line.
public enum InventoryError: Error, CustomStringConvertible, Sendable {
    /// The inventory directory does not exist or is not one.
    case notAnInventory(path: String, reason: Message)
    /// Input or records were refused; every problem is listed.
    case invalid([InventoryIssue])
    /// A file could not be read or written.
    case io(path: String, operation: String, errno: Int32)
    /// A file that is not read at all: a symbolic link or a special file (FIFO, device, directory) where a
    /// regular file belongs. Its content is never quoted.
    case refused(path: String, reason: String)
    /// A file larger than the documented limit for its kind (see docs/inventory-format.md).
    case tooLarge(path: String, size: Int, limit: Int)
    /// A camera or village named on the command line is not in the registry.
    case notFound(kind: Message, id: String)
    /// The credentials file is readable by others: camera passwords would leak.
    case credentialsExposed(path: String, mode: UInt32)
    /// The credentials file could not be understood.
    case credentialsMalformed(path: String, reason: String)
    /// An input file (CSV) could not be decoded or parsed as a whole.
    case unreadableInput(path: String, reason: String)
    /// Something a command needs does not exist yet; the hint says how to make it.
    case missing(path: String, what: Message, hint: Message)

    /// What is wrong with the one file a `.refused` or `.tooLarge` error is about, without its path.
    public var fileProblem: String? {
        switch self {
        case .refused(_, let reason):
            return reason
        case .tooLarge(_, let size, let limit):
            return limit >= 1 << 20
                ? localized("is \(size) bytes or more; at most \(limit) bytes (\(limit >> 20) MiB) are read from such a file")
                : localized("is \(size) bytes or more; at most \(limit) bytes are read from such a file")
        default:
            return nil
        }
    }

    public var description: String {
        switch self {
        case .notAnInventory(let path, let reason):
            return localized("\(path): not an inventory (\(reason)); create one with 'xueliang init' or point --inventory at it")
        case .invalid(let issues):
            let errors = issues.filter { $0.severity == .error }
            let shown = errors.isEmpty ? issues : errors
            return shown.map(\.description).joined(separator: "\n")
        case .io(let path, let operation, let code):
            return localized(systemFailure(path: path, operation: operation, errno: code))
        case .refused(let path, _), .tooLarge(let path, _, _):
            return "\(path): \(fileProblem ?? "")"
        case .notFound(let kind, let id):
            return localized("no \(kind) \(id) in the registry")
        case .credentialsExposed(let path, let mode):
            return localized("\(path): mode \(String(mode & 0o777, radix: 8)) lets others read camera passwords; run 'chmod 600 \(path)'")
        case .credentialsMalformed(let path, let reason):
            return "\(path): \(reason)"
        case .unreadableInput(let path, let reason):
            return "\(path): \(reason)"
        case .missing(let path, let what, let hint):
            return localized("\(path): no \(what); \(hint)")
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
