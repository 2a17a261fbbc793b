import Localization

/// A cell's value as a workbook stores it.
public enum CellValue: Sendable, Equatable {
    case text(String)
    case number(Double)
    /// A number formatted as a date (or date and time): days since 1970-01-01, the fraction being the time of
    /// day, whichever date system (1900 or 1904) the workbook uses.
    case date(Double)
    case boolean(Bool)
    /// A formula's error value: `#N/A`, `#REF!`, `#DIV/0!`…
    case error(String)
    /// A formula whose value its writer did not store (a generated file never opened in a spreadsheet).
    case uncalculated
}

/// One non-empty cell: its column (0 is A) and value.
public struct SheetCell: Sendable, Equatable {
    public var column: Int
    public var value: CellValue

    public init(column: Int, value: CellValue) {
        self.column = column
        self.value = value
    }
}

/// A row with at least one non-empty cell, numbered as the spreadsheet shows it (1 is the first).
public struct SheetRow: Sendable, Equatable {
    public var number: Int
    /// In column order, empty cells left out.
    public var cells: [SheetCell]
}

/// An Office Open XML workbook (`.xlsx`, `.xlsm`; ECMA-376) read from its bytes: its worksheets, their rows,
/// the shared strings and which cell styles are dates. Values only: formulas give their stored results,
/// and formatting, comments, charts and macros are ignored (never run).
///
/// An immutable value; safe to share between threads.
public struct Workbook: Sendable {
    /// A worksheet, in the order the workbook lists them.
    public struct Sheet: Sendable, Equatable {
        public let name: String
        /// Hidden by its author (`hidden` or `veryHidden`): not the sheet a reader means by default.
        public let isHidden: Bool
        let part: String
    }

    /// What the first bytes of a file say it is.
    public enum Kind: Sendable, Equatable {
        /// A ZIP archive, as every `.xlsx` is.
        case zipArchive
        /// An OLE compound document: an Excel 97-2003 `.xls`, or a workbook encrypted with a password.
        case compoundDocument
        /// Anything else (a CSV, text).
        case other
    }

    /// How much of a file is read before it is refused: the defences against zip bombs and sheets no register needs.
    public struct Limits: Sendable {
        /// The most bytes one part (a sheet, the shared strings) may inflate to.
        public var partBytes: Int
        /// The most bytes all the parts read may inflate to together.
        public var totalBytes: Int
        /// The most times a part may inflate its compressed size (beyond its first MiB).
        public var compressionRatio: Int

        public init(partBytes: Int, totalBytes: Int, compressionRatio: Int) {
            self.partBytes = partBytes
            self.totalBytes = totalBytes
            self.compressionRatio = compressionRatio
        }

        /// A sheet of 200,000 cameras as `export` writes it is 166 MiB of XML, which zlib shrinks 11 times;
        /// these leave room for twice that and for what Excel adds.
        public static let standard = Limits(partBytes: 384 << 20, totalBytes: 768 << 20, compressionRatio: 500)
    }

    public let sheets: [Sheet]
    public let limits: Limits
    /// What the parts read at opening inflated to; a sheet may take what is left of `limits.totalBytes`.
    private let bytesRead: Int
    private let archive: ZipArchive
    private let sharedStrings: [String]
    /// Per cell style (`s`), whether its number format is a date.
    private let dateStyles: [Bool]
    private let uses1904Dates: Bool

    /// Excel's own limits: 16,384 columns (XFD), 1,048,576 rows.
    public static let maximumColumns = 16_384
    public static let maximumRows = 1_048_576

    public static func kind(of bytes: [UInt8]) -> Kind {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .zipArchive }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .compoundDocument }
        return .other
    }

    public init(bytes: [UInt8], limits: Limits = .standard) throws(WorkbookError) {
        self.limits = limits
        switch Self.kind(of: bytes) {
        case .compoundDocument:
            throw .notAWorkbook("is an Excel 97-2003 workbook (.xls) or one protected by a password; save it as .xlsx (Excel Workbook) without a password, or as CSV UTF-8")
        case .other:
            throw .notAWorkbook("is not an .xlsx workbook (no ZIP archive)")
        case .zipArchive:
            break
        }
        let archive = try ZipArchive(bytes: bytes)
        self.archive = archive
        var bytesRead = 0
        /// A part, counted against the limits.
        func part(_ name: String) throws(WorkbookError) -> [UInt8] {
            let content = try Self.part(name, in: archive, limits: limits, bytesRead: bytesRead)
            bytesRead += content.count
            return content
        }
        if let mimetype = archive.entry(named: "mimetype"),
           String(decoding: try archive.contents(of: mimetype, limit: 1024), as: UTF8.self).contains("opendocument") {
            throw .notAWorkbook("is an OpenDocument spreadsheet (.ods); save it as .xlsx (Excel Workbook) or as CSV UTF-8")
        }
        let workbookPart = try Self.relationships(of: "", in: archive, reading: part)
            .first { $0.type.hasSuffix("/officeDocument") }?.target ?? "xl/workbook.xml"
        if workbookPart.lowercased().hasSuffix(".bin") {
            throw .notAWorkbook("is a binary workbook (.xlsb); save it as .xlsx (Excel Workbook) or as CSV UTF-8")
        }
        guard archive.entry(named: workbookPart) != nil else {
            throw .notAWorkbook("is a ZIP archive but not an .xlsx workbook (it has no \(workbookPart))")
        }
        let relationships = try Self.relationships(of: workbookPart, in: archive, reading: part)
        func target(_ suffix: String) -> String? { relationships.first { $0.type.hasSuffix(suffix) }?.target }

        var scanner = XMLScanner(bytes: try part(workbookPart), part: workbookPart)
        var sheets: [Sheet] = []
        var uses1904Dates = false
        while let event = try scanner.next() {
            guard event == .start || event == .empty else { continue }
            if scanner.isNamed("workbookPr") {
                uses1904Dates = ["1", "true"].contains(scanner.attribute("date1904") ?? "")
            } else if scanner.isNamed("sheet"), let name = scanner.attribute("name"), let id = scanner.attribute("id"),
                      let relationship = relationships.first(where: { $0.id == id }), relationship.type.hasSuffix("/worksheet") {
                // Chart sheets and dialog sheets hold no cells; they are not offered.
                let state = scanner.attribute("state") ?? "visible"
                sheets.append(Sheet(name: name, isHidden: state != "visible", part: relationship.target))
            }
        }
        self.sheets = sheets
        self.uses1904Dates = uses1904Dates
        sharedStrings = try target("/sharedStrings").map { (name) throws(WorkbookError) in try Self.sharedStrings(try part(name), part: name) } ?? []
        dateStyles = try target("/styles").map { (name) throws(WorkbookError) in try Self.dateStyles(try part(name), part: name) } ?? []
        self.bytesRead = bytesRead
    }

    /// The sheet of that name (or, when no sheet has it, of that 1-based position), or the first sheet that
    /// is not hidden when `name` is nil.
    public func sheet(named name: String?) throws(WorkbookError) -> Sheet {
        guard let name else {
            guard let first = sheets.first(where: { !$0.isHidden }) ?? sheets.first else {
                throw .damaged(part: nil, "has no worksheet")
            }
            return first
        }
        if let sheet = sheets.first(where: { $0.name == name }) ?? sheets.first(where: { $0.name.lowercased() == name.lowercased() }) {
            return sheet
        }
        if let position = Int(name), sheets.indices.contains(position - 1) { return sheets[position - 1] }
        throw .noSuchSheet(name, available: sheets.map(\.name))
    }

    /// Every row of `sheet` with a value in it, in order.
    public func rows(of sheet: Sheet) throws(WorkbookError) -> [SheetRow] {
        var reader = SheetReader(workbook: self, part: sheet.part)
        return try reader.read(try Self.part(sheet.part, in: archive, limits: limits, bytesRead: bytesRead))
    }

    // MARK: cells

    /// The value of a cell of type `type` (the `t` attribute) and style `style`, whose `<v>` held `value` and
    /// whose inline string was `inline`.
    fileprivate func value(type: ArraySlice<UInt8>?, style: Int, value: ArraySlice<UInt8>?, inline: String?, hasFormula: Bool,
                           part: String, column: Int, row: Int) throws(WorkbookError) -> CellValue? {
        // Inline strings first, compared as bytes: what every cell of a generated sheet is.
        if let type, type.elementsEqual("inlineStr".utf8) { return inline.map(CellValue.text) }
        if type == nil, let inline { return .text(inline) }
        let type = type.map { String(decoding: $0, as: UTF8.self) } ?? "n"
        var reference: String { Self.columnName(column) + String(row) }
        guard let value, !value.isEmpty else { return hasFormula ? .uncalculated : nil }
        let text = String(decoding: value, as: UTF8.self)
        switch type {
        case "s":
            guard let index = Int(text), sharedStrings.indices.contains(index) else {
                throw .damaged(part: part, "cell \(reference) names shared string \(text), which the workbook does not have")
            }
            return .text(sharedStrings[index])
        case "str":
            return .text(String(decoding: XMLEntities.resolving(value), as: UTF8.self))
        case "b":
            return .boolean(text == "1" || text == "true")
        case "e":
            return .error(String(decoding: XMLEntities.resolving(value), as: UTF8.self))
        case "d":
            // ISO 8601 (only in Strict files and some generators): the date part is what a field can hold.
            guard let days = Self.daysSinceEpoch(iso: text) else {
                throw .damaged(part: part, "cell \(reference) holds the date '\(text)', which is not ISO 8601")
            }
            return .date(Double(days))
        default:
            guard let number = Double(text), number.isFinite else {
                throw .damaged(part: part, "cell \(reference) holds '\(text)', which is not a number")
            }
            guard dateStyles.indices.contains(style), dateStyles[style] else { return .number(number) }
            return .date(uses1904Dates ? number - 24_107 : number < 60 ? number - 25_568 : number - 25_569)
        }
    }

    /// `YYYY-MM-DD…` as days since 1970-01-01.
    private static func daysSinceEpoch(iso text: String) -> Int? {
        let parts = text.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        // Howard Hinnant's days_from_civil.
        let year = parts[1] <= 2 ? parts[0] - 1 : parts[0]
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (parts[1] + (parts[1] > 2 ? -3 : 9)) + 2) / 5 + parts[2] - 1
        return era * 146_097 + yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear - 719_468
    }

    // MARK: parts

    /// A part's bytes, within what the limits leave after `bytesRead`.
    private static func part(_ name: String, in archive: ZipArchive, limits: Limits, bytesRead: Int) throws(WorkbookError) -> [UInt8] {
        guard let entry = archive.entry(named: name) else { throw .damaged(part: name, "is missing from the workbook") }
        return try archive.contents(of: entry, limit: max(0, min(limits.partBytes, limits.totalBytes - bytesRead)),
                                    maximumRatio: limits.compressionRatio)
    }

    private struct Relationship {
        var id: String
        var type: String
        /// The target as a part name in the archive (no leading `/`).
        var target: String
    }

    /// The relationships of `source` (a part name; "" for the package itself), with targets resolved to part names.
    private static func relationships(of source: String, in archive: ZipArchive,
                                      reading part: (String) throws(WorkbookError) -> [UInt8]) throws(WorkbookError) -> [Relationship] {
        let directory = source.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let name = (directory.isEmpty ? "" : directory + "/") + "_rels/" + (source.split(separator: "/").last.map(String.init) ?? "") + ".rels"
        guard archive.entry(named: name) != nil else { return [] }
        var scanner = XMLScanner(bytes: try part(name), part: name)
        var relationships: [Relationship] = []
        while let event = try scanner.next() {
            guard event == .start || event == .empty, scanner.isNamed("Relationship"),
                  scanner.attribute("TargetMode") != "External",
                  let id = scanner.attribute("Id"), let type = scanner.attribute("Type"), let target = scanner.attribute("Target") else { continue }
            relationships.append(Relationship(id: id, type: type, target: resolve(target, from: directory)))
        }
        return relationships
    }

    /// A relationship target (`worksheets/sheet1.xml`, `/xl/styles.xml`, `../media/x.png`) as a part name.
    private static func resolve(_ target: String, from directory: String) -> String {
        var segments: [Substring] = target.hasPrefix("/") || directory.isEmpty ? [] : directory.split(separator: "/")
        for segment in target.split(separator: "/") {
            if segment == ".." { _ = segments.popLast() } else if segment != "." { segments.append(segment) }
        }
        return segments.joined(separator: "/")
    }

    private static func sharedStrings(_ bytes: [UInt8], part name: String) throws(WorkbookError) -> [String] {
        var scanner = XMLScanner(bytes: bytes, part: name)
        var strings: [String] = []
        var current: [UInt8] = []
        var inText = false
        var phonetic = 0
        while let event = try scanner.next() {
            switch event {
            case .start:
                if scanner.isNamed("si") { current.removeAll(keepingCapacity: true) }
                else if scanner.isNamed("t") { inText = phonetic == 0 }
                else if scanner.isNamed("rPh") { phonetic += 1 }
            case .empty:
                if scanner.isNamed("si") { strings.append("") }
            case .end:
                if scanner.isNamed("si") { strings.append(String(decoding: unescaped(current), as: UTF8.self)) }
                else if scanner.isNamed("t") { inText = false }
                else if scanner.isNamed("rPh") { phonetic -= 1 }
            case .text:
                if inText { current += scanner.text }
            }
        }
        return strings
    }

    /// Which cell formats (`cellXfs`) show their number as a date.
    private static func dateStyles(_ bytes: [UInt8], part name: String) throws(WorkbookError) -> [Bool] {
        var scanner = XMLScanner(bytes: bytes, part: name)
        var customDates: Set<Int> = []
        var formats: [Int] = []
        var inCellFormats = false
        while let event = try scanner.next() {
            switch event {
            case .start, .empty:
                if scanner.isNamed("numFmt"), let id = scanner.attribute("numFmtId").flatMap(Int.init),
                   let code = scanner.attribute("formatCode"), isDateFormat(code) {
                    customDates.insert(id)
                } else if scanner.isNamed("cellXfs") {
                    inCellFormats = event == .start
                } else if inCellFormats, scanner.isNamed("xf") {
                    formats.append(scanner.attribute("numFmtId").flatMap(Int.init) ?? 0)
                }
            case .end:
                if scanner.isNamed("cellXfs") { inCellFormats = false }
            case .text:
                break
            }
        }
        return formats.map { builtInDateFormats.contains($0) || customDates.contains($0) }
    }

    /// Excel's built-in number formats that are dates or times, the Chinese-locale ones (27-36, 50-58:
    /// `yyyy"年"m"月"d"日"` and its kin) included.
    static let builtInDateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)

    /// A format code is a date when its first section has a date or time letter outside quoted text,
    /// escapes and `[…]` (colours, locales).
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false
        var bracket = false
        var escaped = false
        for character in code {
            if escaped { escaped = false; continue }
            if quoted { if character == "\"" { quoted = false }; continue }
            if bracket { if character == "]" { bracket = false }; continue }
            switch character {
            case "\"": quoted = true
            case "[": bracket = true
            case "\\", "_", "*": escaped = true
            case ";": return false
            case "y", "Y", "m", "M", "d", "D", "h", "H", "s", "S": return true
            default: break
            }
        }
        return false
    }

    /// Undoes ECMA-376's `_xHHHH_` escapes (a character XML cannot carry, such as `_x000D_` for a carriage
    /// return; `_x005F_` escapes the underscore itself).
    static func unescaped(_ bytes: [UInt8]) -> [UInt8] {
        guard let first = bytes.firstIndex(of: UInt8(ascii: "_")),
              bytes[first...].indices.contains(where: { $0 + 1 < bytes.count && bytes[$0] == UInt8(ascii: "_") && bytes[$0 + 1] == UInt8(ascii: "x") })
        else { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "_"), index + 6 < bytes.count, bytes[index + 1] == UInt8(ascii: "x"), bytes[index + 6] == UInt8(ascii: "_"),
               let value = UInt32(String(decoding: bytes[(index + 2)..<(index + 6)], as: UTF8.self), radix: 16),
               let scalar = Unicode.Scalar(value) {
                result += Array(String(Character(scalar)).utf8)
                index += 7
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }
}

/// Reads one worksheet's `sheetData`. Not thread-safe: one reader per sheet.
private struct SheetReader {
    let workbook: Workbook
    let part: String

    mutating func read(_ bytes: [UInt8]) throws(WorkbookError) -> [SheetRow] {
        var scanner = XMLScanner(bytes: bytes, part: part)
        var rows: [SheetRow] = []
        var row = SheetRow(number: 0, cells: [])
        var column = -1
        var type: ArraySlice<UInt8>?
        var style = 0
        var value: [UInt8]?
        var inline: [UInt8]?
        var hasFormula = false
        var inRow = false
        var inCell = false
        var inValue = false
        var inText = false
        var inInline = false
        var phonetic = 0
        while true {
            let next: XMLScanner.Event?
            do {
                next = try scanner.next()
            } catch .damaged(let part, let message) where row.number > 0 {
                throw .damaged(part: part, "\(message), in row \(row.number)")
            }
            guard let event = next else { break }
            switch event {
            case .start, .empty:
                if scanner.isNamed("row") {
                    row = SheetRow(number: try rowNumber(scanner.rawAttribute("r"), after: row.number), cells: [])
                    column = -1
                    inRow = event == .start
                } else if scanner.isNamed("c") {
                    guard inRow else { throw .damaged(part: part, "has a cell outside any row") }
                    column = try columnNumber(scanner.rawAttribute("r"), after: column)
                    inCell = event == .start
                    type = scanner.rawAttribute("t")
                    style = scanner.rawAttribute("s").map { digits in
                        digits.reduce(0) { $1 >= 48 && $1 <= 57 && $0 < 1 << 20 ? $0 * 10 + Int($1 - 48) : $0 }
                    } ?? 0
                    value = nil
                    inline = nil
                    hasFormula = false
                } else if scanner.isNamed("v") {
                    value = value ?? []
                    inValue = event == .start
                } else if scanner.isNamed("f") {
                    hasFormula = true
                } else if scanner.isNamed("is") {
                    inline = inline ?? []
                    inInline = event == .start
                } else if scanner.isNamed("rPh") {
                    if event == .start { phonetic += 1 }
                } else if scanner.isNamed("t") {
                    inText = event == .start && inInline && phonetic == 0
                }
            case .end:
                if scanner.isNamed("c"), inCell {
                    inCell = false
                    let inlineText = inline.map { String(decoding: Workbook.unescaped($0), as: UTF8.self) }
                    if let cell = try workbook.value(type: type, style: style, value: value?[...], inline: inlineText, hasFormula: hasFormula,
                                                     part: part, column: column, row: row.number) {
                        row.cells.append(SheetCell(column: column, value: cell))
                    }
                } else if scanner.isNamed("row"), inRow {
                    inRow = false
                    if !row.cells.isEmpty { rows.append(row) }
                } else if scanner.isNamed("v") {
                    inValue = false
                } else if scanner.isNamed("is") {
                    inInline = false
                } else if scanner.isNamed("rPh") {
                    phonetic -= 1
                } else if scanner.isNamed("t") {
                    inText = false
                }
            case .text:
                if inValue, value != nil { scanner.appendText(to: &value!) } else if inText, inline != nil { scanner.appendText(to: &inline!) }
            }
        }
        return rows
    }

    /// The `r` of a row, or the next number when a writer left it out.
    private func rowNumber(_ text: ArraySlice<UInt8>?, after previous: Int) throws(WorkbookError) -> Int {
        guard let text else {
            guard previous < Workbook.maximumRows else { throw .damaged(part: part, "has more than \(Workbook.maximumRows) rows") }
            return previous + 1
        }
        guard let number = Int(String(decoding: text, as: UTF8.self)), number > previous, number <= Workbook.maximumRows else {
            throw .damaged(part: part, "has a row numbered '\(String(decoding: text, as: UTF8.self))' after row \(previous)")
        }
        return number
    }

    /// The column of a cell reference (`AB12` is 27), or the next column when a writer left `r` out.
    private func columnNumber(_ text: ArraySlice<UInt8>?, after previous: Int) throws(WorkbookError) -> Int {
        guard let text else {
            guard previous + 1 < Workbook.maximumColumns else { throw .damaged(part: part, "has a row of more than \(Workbook.maximumColumns) cells") }
            return previous + 1
        }
        var column = 0
        var letters = 0
        for byte in text {
            guard byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") else { break }
            column = column * 26 + Int(byte - UInt8(ascii: "A")) + 1
            letters += 1
            if letters > 3 { break }
        }
        guard letters > 0, letters <= 3, column - 1 > previous, column <= Workbook.maximumColumns else {
            throw .damaged(part: part, "has a cell '\(String(decoding: text, as: UTF8.self))' out of order or outside the sheet")
        }
        return column - 1
    }
}

extension Workbook {
    /// The letters of a column: 0 is `A`, 25 `Z`, 26 `AA`.
    public static func columnName(_ column: Int) -> String {
        var letters: [Character] = []
        var rest = column + 1
        while rest > 0 {
            let remainder = (rest - 1) % 26
            letters.insert(Character(UnicodeScalar(UInt8(65 + remainder))), at: 0)
            rest = (rest - 1) / 26
        }
        return String(letters)
    }
}
