import Localization
import Foundation
import Workbook

#if canImport(Glibc)
import Glibc
#endif

/// Turns the bytes of a spreadsheet export into text: UTF-8 (with or without BOM), UTF-16 with a BOM
/// (Excel's "Unicode text"), or GB18030/GBK (what Excel on a Chinese Windows saves as CSV).
public enum TextDecoding {
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf16 = "UTF-16"
        case gb18030 = "GB18030"
    }

    /// Why bytes are not text of one known encoding, with the first line that shows it.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The 1-based line (counted by line feeds) where the problem shows.
        public let line: Int
        public let message: Message
        public init(line: Int, _ message: Message) {
            self.line = line
            self.message = message
        }
        public var description: String { "line \(line): \(message)" }
    }

    /// The text and the encoding it was found in, or why it is none of them.
    ///
    /// The whole file must be in one encoding. A UTF-8 file with rows pasted in from a GB18030 one is
    /// refused, not decoded whole as GB18030 (which turns every UTF-8 character into two wrong ones, such
    /// as 新点 into 鏂扮偣); so is a GB18030 file with UTF-8 rows further down.
    public static func decode(_ bytes: [UInt8]) -> Result<(text: String, encoding: Encoding), Failure> {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = Array(bytes.dropFirst(3))
            guard let text = String(validating: body, as: UTF8.self) else {
                let line = lines(of: body).firstIndex { String(validating: $0, as: UTF8.self) == nil } ?? 0
                return .failure(Failure(line: line + 1, "the file starts with a UTF-8 byte order mark but this line is not UTF-8"))
            }
            return refusingNUL(text, .utf8)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard let text = convert(bytes, from: "UTF-16") else {
                return .failure(Failure(line: 1, "starts with a UTF-16 byte order mark but is not valid UTF-16"))
            }
            return refusingNUL(text, .utf16)
        }
        if let nul = bytes.firstIndex(of: 0) {
            return .failure(Failure(line: 1 + bytes[..<nul].count { $0 == 10 },
                                    "contains NUL bytes: it looks like UTF-16 (without a byte order mark); save it as UTF-8 or GB18030"))
        }
        if let text = String(validating: bytes, as: UTF8.self) { return .success((text, .utf8)) }
        let lines = lines(of: bytes)
        let firstNotUTF8 = lines.firstIndex { String(validating: $0, as: UTF8.self) == nil } ?? 0
        if let utf8Line = lines[..<firstNotUTF8].firstIndex(where: readsAsUTF8Chinese) {
            return .failure(Failure(line: firstNotUTF8 + 1, "is not UTF-8, but line \(utf8Line + 1) is: the file mixes encodings; "
                + "save it again from the spreadsheet in one encoding (CSV UTF-8)"))
        }
        if let utf8Line = lines[firstNotUTF8...].firstIndex(where: readsAsUTF8Chinese) {
            return .failure(Failure(line: utf8Line + 1, "is UTF-8, but line \(firstNotUTF8 + 1) is GB18030: the file mixes encodings; "
                + "save it again from the spreadsheet in one encoding (CSV UTF-8)"))
        }
        if let text = convert(bytes, from: "GB18030") { return .success((text, .gb18030)) }
        let line = lines.firstIndex { convert(Array($0), from: "GB18030") == nil } ?? firstNotUTF8
        return .failure(Failure(line: line + 1, "is neither UTF-8 nor GB18030/GBK text; save the file from the spreadsheet as CSV (UTF-8)"))
    }

    /// The text, unless it holds a NUL character, which no spreadsheet cell means.
    private static func refusingNUL(_ text: String, _ encoding: Encoding) -> Result<(text: String, encoding: Encoding), Failure> {
        guard let nul = text.utf8.firstIndex(of: 0) else { return .success((text, encoding)) }
        return .failure(Failure(line: 1 + text.utf8[..<nul].count { $0 == 10 }, "contains a NUL character; a spreadsheet export has none"))
    }

    /// The lines of `bytes`, split at line feeds.
    private static func lines(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: 10, omittingEmptySubsequences: false)
    }

    /// Valid UTF-8 with a three-byte sequence (every Chinese character in UTF-8 is one): GB18030 text
    /// almost never is, so such a line in a file that is not UTF-8 means the encodings are mixed.
    private static func readsAsUTF8Chinese(_ line: ArraySlice<UInt8>) -> Bool {
        line.contains { $0 >= 0xE0 && $0 <= 0xEF } && String(validating: line, as: UTF8.self) != nil
    }

    /// Converts with glibc's iconv; nil when the bytes are not valid in `encoding`.
    static func convert(_ bytes: [UInt8], from encoding: String) -> String? {
        let converter = iconv_open("UTF-8", encoding)
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        let produced: Int? = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                var inputPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inputBuffer.baseAddress!)
                    .bindMemory(to: CChar.self, capacity: inputBuffer.count)
                var inputLeft = inputBuffer.count
                var outputPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outputBuffer.baseAddress!)
                    .bindMemory(to: CChar.self, capacity: outputBuffer.count)
                var outputLeft = outputBuffer.count
                let result = iconv(converter, &inputPointer, &inputLeft, &outputPointer, &outputLeft)
                guard result != -1, inputLeft == 0 else { return nil }
                return outputBuffer.count - outputLeft
            }
        }
        guard let produced else { return nil }
        return String(validating: output[0..<produced], as: UTF8.self)
    }
}

/// A CSV or TSV table as staff spreadsheets export it: RFC 4180 quoting, comma or tab chosen from
/// the header line, CRLF or LF, quoted fields spanning lines.
public struct CSVTable: Sendable {
    public struct Row: Sendable {
        /// The line the row starts on (1-based, the header is line 1).
        public var line: Int
        public var fields: [String]
    }

    public var header: [String]
    public var rows: [Row]
    public var delimiter: Character
    public var encoding: TextDecoding.Encoding
    /// The sheet the table was read from, when the file was an .xlsx workbook (see `CSVTable.read(path:sheet:)`).
    public var sheet: String? = nil

    /// A field longer than this is refused: no spreadsheet cell of a camera record is near it.
    public static let maximumFieldBytes = 64 * 1024
    /// A spreadsheet larger than this is refused: 200,000 cameras take about 60 MiB.
    public static let maximumFileBytes = 256 << 20

    /// Reads and parses a file, or explains (with the line) why it cannot be read as a table: CSV or TSV text,
    /// or a sheet of an .xlsx workbook (the first one not hidden, or `sheet`), told apart by their first bytes.
    public static func read(path: String, sheet: String? = nil) throws(InventoryError) -> CSVTable {
        let bytes = try FileSystem.readFile(path, limit: maximumFileBytes, followLinks: true)
        if Workbook.kind(of: bytes) != .other { return try workbookSheet(bytes, path: path, sheet: sheet) }
        if sheet != nil {
            throw .invalid([InventoryIssue(file: path, line: nil, message: "is CSV text, not an .xlsx workbook: it has no sheets to choose from")])
        }
        let decoded: (text: String, encoding: TextDecoding.Encoding)
        switch TextDecoding.decode(bytes) {
        case .success(let value): decoded = value
        case .failure(let failure): throw .invalid([InventoryIssue(file: path, line: failure.line, message: failure.message)])
        }
        return try parse(decoded.text, path: path, encoding: decoded.encoding)
    }

    /// Parses decoded text.
    public static func parse(_ text: String, path: String, encoding: TextDecoding.Encoding = .utf8) throws(InventoryError) -> CSVTable {
        let bytes = Array(text.utf8)
        let delimiter = detectDelimiter(bytes)
        var records: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var issues: [InventoryIssue] = []
        var line = 1
        var rowStartLine = 1
        var inQuotes = false
        var quoteOpenedOnLine = 0
        var oversized = false
        var index = 0

        func endField() {
            if oversized {
                issues.append(InventoryIssue(file: path, line: rowStartLine, message: "a field is longer than \(maximumFieldBytes) bytes"))
            }
            // A cell the tool neutralised against formula injection (a rejects file) reads as it was.
            fields.append(SpreadsheetCell.restored(String(decoding: field, as: UTF8.self)))
            field.removeAll(keepingCapacity: true)
            oversized = false
        }
        func endRow() {
            endField()
            let isBlank = fields.count == 1 && fields[0].trimmingWhitespace.isEmpty
            if !isBlank {
                records.append(Row(line: rowStartLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
                        append(UInt8(ascii: "\""), to: &field, oversized: &oversized)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == 10 { line += 1 }
                    append(byte, to: &field, oversized: &oversized)
                }
            } else if byte == UInt8(ascii: "\"") && field.isEmpty {
                inQuotes = true
                quoteOpenedOnLine = line
            } else if byte == delimiter {
                endField()
            } else if byte == 10 || byte == 13 {
                endRow()
                if byte == 13 && index + 1 < bytes.count && bytes[index + 1] == 10 { index += 1 }
                line += 1
                rowStartLine = line
            } else {
                append(byte, to: &field, oversized: &oversized)
            }
            index += 1
        }
        if inQuotes {
            issues.append(InventoryIssue(file: path, line: quoteOpenedOnLine, message: "a quoted field opened here is never closed"))
        } else if !field.isEmpty || !fields.isEmpty {
            endRow()
        }
        if !issues.isEmpty { throw .invalid(issues) }
        guard let header = records.first else { throw .invalid([InventoryIssue(file: path, line: 1, message: "the file is empty; expected a header line")]) }
        return CSVTable(header: header.fields.map { $0.trimmingWhitespace }, rows: Array(records.dropFirst()),
                        delimiter: delimiter == 9 ? "\t" : ",", encoding: encoding)
    }

    private static func append(_ byte: UInt8, to field: inout [UInt8], oversized: inout Bool) {
        // Keep counting but stop storing, so a 10 MB cell costs no memory and still gets its error.
        if field.count < maximumFieldBytes { field.append(byte) } else { oversized = true }
    }

    /// Tab when the first line has more tabs than commas outside quotes, else comma.
    private static func detectDelimiter(_ bytes: [UInt8]) -> UInt8 {
        var commas = 0
        var tabs = 0
        var inQuotes = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if inQuotes { continue }
            if byte == 10 { break }
            if byte == 44 { commas += 1 }
            if byte == 9 { tabs += 1 }
        }
        return tabs > commas ? 9 : 44
    }

    /// Quotes a field for writing when it needs it.
    public static func quoted(_ value: String, delimiter: Character = ",") -> String {
        guard value.contains(where: { $0 == "\"" || $0 == delimiter || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
