import Localization

/// Why a file cannot be read as an .xlsx workbook, in one sentence that says what to do about it.
public enum WorkbookError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Not an .xlsx workbook at all: an old `.xls`, a password-protected workbook, an OpenDocument sheet, or
    /// no ZIP archive. The message names the kind found and how to save it instead.
    case notAWorkbook(Message)
    /// The archive, or the part of it `part` names (`xl/worksheets/sheet1.xml`), is damaged or uses something
    /// this reader does not read.
    case damaged(part: String?, Message)
    /// The sheet asked for is not in the workbook, which has `available`.
    case noSuchSheet(String, available: [String])

    public var message: Message {
        switch self {
        case .notAWorkbook(let message):
            return message
        case .damaged(let part?, let message):
            return Message(verbatim: part + ": " + message.description)
        case .damaged(nil, let message):
            return message
        case .noSuchSheet(let name, let available):
            return "has no sheet '\(name)'; its sheets are \(available.map { "'\($0)'" }.joined(separator: ", "))"
        }
    }

    public var description: String { message.description }
}
