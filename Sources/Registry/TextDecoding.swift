import Foundation

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

    /// The text and the encoding it was found in, or why it is neither.
    public static func decode(_ bytes: [UInt8]) -> Result<(text: String, encoding: Encoding), FieldProblem> {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let text = String(validating: bytes.dropFirst(3), as: UTF8.self) else {
                return .failure(FieldProblem("starts with a UTF-8 byte order mark but is not valid UTF-8"))
            }
            return .success((text, .utf8))
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard let text = convert(bytes, from: "UTF-16") else {
                return .failure(FieldProblem("starts with a UTF-16 byte order mark but is not valid UTF-16"))
            }
            return .success((text, .utf16))
        }
        if let text = String(validating: bytes, as: UTF8.self) { return .success((text, .utf8)) }
        if let text = convert(bytes, from: "GB18030") { return .success((text, .gb18030)) }
        return .failure(FieldProblem("is neither UTF-8 nor GB18030/GBK text; save it from the spreadsheet as CSV (UTF-8)"))
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
        /// The raw text of the row, for writing rejected rows back out.
        public var rawText: String
    }

    public var header: [String]
    public var rows: [Row]
    public var delimiter: Character
    public var encoding: TextDecoding.Encoding

    /// A field longer than this is refused: no spreadsheet cell of a camera record is near it.
    public static let maximumFieldBytes = 64 * 1024
    /// A spreadsheet larger than this is refused: 200,000 cameras take about 60 MiB.
    public static let maximumFileBytes = 256 << 20

    /// Reads and parses a file, or explains (with the line) why it cannot be read as a table.
    public static func read(path: String) throws(InventoryError) -> CSVTable {
        let bytes = try FileSystem.readFile(path, limit: maximumFileBytes, followLinks: true)
        let decoded: (text: String, encoding: TextDecoding.Encoding)
        switch TextDecoding.decode(bytes) {
        case .success(let value): decoded = value
        case .failure(let problem): throw .unreadableInput(path: path, reason: problem.message)
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
        var rowStartOffset = 0
        var inQuotes = false
        var quoteOpenedOnLine = 0
        var oversized = false
        var index = 0

        func endField() {
            if oversized {
                issues.append(InventoryIssue(file: path, line: rowStartLine, message: "a field is longer than \(maximumFieldBytes) bytes"))
            }
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            oversized = false
        }
        func endRow(at offset: Int) {
            endField()
            let isBlank = fields.count == 1 && fields[0].trimmingWhitespace.isEmpty
            if !isBlank {
                let raw = String(decoding: bytes[rowStartOffset..<offset], as: UTF8.self)
                records.append(Row(line: rowStartLine, fields: fields, rawText: raw))
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
                endRow(at: index)
                if byte == 13 && index + 1 < bytes.count && bytes[index + 1] == 10 { index += 1 }
                line += 1
                rowStartLine = line
                rowStartOffset = index + 1
            } else {
                append(byte, to: &field, oversized: &oversized)
            }
            index += 1
        }
        if inQuotes {
            issues.append(InventoryIssue(file: path, line: quoteOpenedOnLine, message: "a quoted field opened here is never closed"))
        } else if !field.isEmpty || !fields.isEmpty {
            endRow(at: bytes.count)
        }
        if !issues.isEmpty { throw .invalid(issues) }
        guard let header = records.first else { throw .unreadableInput(path: path, reason: "is empty; expected a header line") }
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
