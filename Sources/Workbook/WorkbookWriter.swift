/// Writes an `.xlsx` workbook of plain tables: one sheet per table, a bold header row that stays in view
/// (frozen) with a filter on it, columns as wide as their contents, and text, numbers and dates as cells
/// of those types. Text is never a formula, so nothing in a cell can run when the file is opened.
///
/// Deterministic: the same tables give the same bytes. Not thread-safe: one writer per file.
public struct WorkbookWriter {
    /// A cell to write.
    public enum Value: Sendable, Equatable {
        case text(String)
        case number(Double)
        /// A day, as days since 1970-01-01, shown as `yyyy-mm-dd`.
        case date(daysSinceEpoch: Int)
        case empty
    }

    /// A column: its header, and whether it is text (a code such as a 20-digit device id, which a
    /// spreadsheet would otherwise turn into 4.50128E+19 when someone types a new one in).
    public struct Column: Sendable {
        public var title: String
        public var isText: Bool

        public init(_ title: String, isText: Bool = false) {
            self.title = title
            self.isText = isText
        }
    }

    /// One sheet being written, row by row.
    public struct Sheet {
        let name: String
        let columns: [Column]
        fileprivate var data: [UInt8] = []
        fileprivate var rowCount = 1
        /// The widest value of each column so far, in character cells (a Chinese character takes two).
        fileprivate var widths: [Int]
        /// `A`, `B`, … for each column, made once: a city's sheet has millions of cells.
        private let columnNames: [String]

        /// A sheet named `name` (at most 31 characters, none of `: \ / ? * [ ]`) with the header row `columns`.
        public init(name: String, columns: [Column]) {
            precondition(name.count <= 31 && !name.contains(where: { ":\\/?*[]".contains($0) }), "not a sheet name: \(name)")
            self.name = name
            self.columns = columns
            widths = columns.map { WorkbookWriter.displayWidth($0.title) }
            columnNames = columns.indices.map(Workbook.columnName)
            data.reserveCapacity(1 << 16)
            data.append(contentsOf: "<row r=\"1\">".utf8)
            for (column, header) in columns.enumerated() {
                appendCell(Workbook.columnName(column) + "1", style: Style.header, inline: header.title)
            }
            data.append(contentsOf: "</row>".utf8)
        }

        /// Appends a row; its values go under the columns in order (fewer values leave the rest empty).
        public mutating func append(_ values: [Value]) {
            rowCount += 1
            data.append(contentsOf: "<row r=\"\(rowCount)\">".utf8)
            for (column, value) in values.enumerated() {
                let reference = (column < columnNames.count ? columnNames[column] : Workbook.columnName(column)) + String(rowCount)
                let isText = column < columns.count && columns[column].isText
                switch value {
                case .empty:
                    continue
                case .text(let text):
                    guard !text.isEmpty else { continue }
                    appendCell(reference, style: isText ? Style.text : nil, inline: text)
                    if column < widths.count { widths[column] = max(widths[column], WorkbookWriter.displayWidth(text)) }
                case .number(let number):
                    let text = WorkbookWriter.numberText(number)
                    data.append(contentsOf: "<c r=\"\(reference)\"><v>\(text)</v></c>".utf8)
                    if column < widths.count { widths[column] = max(widths[column], text.utf8.count) }
                case .date(let days):
                    // Serial 25,569 is 1970-01-01 in the 1900 date system, which counts a 1900-02-29 that never was.
                    let serial = days + 25_569 < 61 ? days + 25_568 : days + 25_569
                    data.append(contentsOf: "<c r=\"\(reference)\" s=\"\(Style.date)\"><v>\(serial)</v></c>".utf8)
                    if column < widths.count { widths[column] = max(widths[column], 10) }
                }
            }
            data.append(contentsOf: "</row>".utf8)
        }

        /// An inline string cell; the default style (general) is left unsaid.
        private mutating func appendCell(_ reference: String, style: Int?, inline text: String) {
            data.append(contentsOf: "<c r=\"\(reference)\"".utf8)
            if let style { data.append(contentsOf: " s=\"\(style)\"".utf8) }
            data.append(contentsOf: " t=\"inlineStr\"><is><t".utf8)
            if text.first == " " || text.last == " " { data.append(contentsOf: " xml:space=\"preserve\"".utf8) }
            data.append(UInt8(ascii: ">"))
            WorkbookWriter.appendEscaped(text, to: &data)
            data.append(contentsOf: "</t></is></c>".utf8)
        }

        fileprivate var lastCell: String { Workbook.columnName(max(columns.count, 1) - 1) + String(rowCount) }

        /// The worksheet part in three pieces (head, rows, tail), so that a city's rows are never copied.
        func parts() -> [[UInt8]] {
            var head = Array(WorkbookWriter.declaration.utf8)
            head += Array(("<worksheet xmlns=\"\(WorkbookWriter.mainNamespace)\" xmlns:r=\"\(WorkbookWriter.relationshipNamespace)\">"
                + "<dimension ref=\"A1:\(lastCell)\"/>"
                + "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
                + "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews>"
                + "<sheetFormatPr defaultRowHeight=\"15\"/><cols>").utf8)
            for (index, column) in columns.enumerated() {
                // Excel's width unit is about one digit; room for the filter button and a margin.
                let width = min(60, max(8, widths[index] + 3))
                let style = column.isText ? " style=\"\(Style.text)\"" : ""
                head += Array("<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\"\(style) customWidth=\"1\"/>".utf8)
            }
            head += Array("</cols><sheetData>".utf8)
            return [head, data, Array("</sheetData><autoFilter ref=\"A1:\(lastCell)\"/></worksheet>".utf8)]
        }

        /// The worksheet part whole.
        func xml() -> [UInt8] { parts().flatMap { $0 } }
    }

    /// The cell formats of `styles.xml`, by index.
    private enum Style {
        static let general = 0
        static let header = 1
        static let date = 2
        static let text = 3
    }

    /// The `.xlsx` file holding `sheets`, in that order.
    public static func archive(_ sheets: [Sheet]) -> [UInt8] {
        var zip = ZipWriter()
        let overrides = sheets.indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        zip.add("[Content_Types].xml", Array((declaration
            + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
            + overrides
            + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
            + "</Types>").utf8))
        zip.add("_rels/.rels", Array((declaration + "<Relationships xmlns=\"\(packageRelationshipNamespace)\">"
            + "<Relationship Id=\"rId1\" Type=\"\(relationshipNamespace)/officeDocument\" Target=\"xl/workbook.xml\"/>"
            + "</Relationships>").utf8))
        var workbook = declaration + "<workbook xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
            + "<bookViews><workbookView/></bookViews><sheets>"
        var filters = ""
        var relationships = declaration + "<Relationships xmlns=\"\(packageRelationshipNamespace)\">"
        for (index, sheet) in sheets.enumerated() {
            var name: [UInt8] = []
            appendEscaped(sheet.name, to: &name)
            let escapedName = String(decoding: name, as: UTF8.self)
            workbook += "<sheet name=\"\(escapedName)\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
            let absolute = "$" + Workbook.columnName(max(sheet.columns.count, 1) - 1) + "$" + String(sheet.rowCount)
            filters += "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(index)\" hidden=\"1\">'"
                + escapedName.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'!$A$1:\(absolute)</definedName>"
            relationships += "<Relationship Id=\"rId\(index + 1)\" Type=\"\(relationshipNamespace)/worksheet\" Target=\"worksheets/sheet\(index + 1).xml\"/>"
        }
        workbook += "</sheets>" + (filters.isEmpty ? "" : "<definedNames>\(filters)</definedNames>") + "</workbook>"
        relationships += "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"\(relationshipNamespace)/styles\" Target=\"styles.xml\"/></Relationships>"
        zip.add("xl/workbook.xml", Array(workbook.utf8))
        zip.add("xl/_rels/workbook.xml.rels", Array(relationships.utf8))
        zip.add("xl/styles.xml", Array(styles.utf8))
        for (index, sheet) in sheets.enumerated() { zip.add("xl/worksheets/sheet\(index + 1).xml", pieces: sheet.parts()) }
        return zip.finished()
    }

    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let packageRelationshipNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"

    /// Formats in `Style`'s order: general, the bold text header, `yyyy-mm-dd`, text (`@`).
    private static let styles = declaration + "<styleSheet xmlns=\"\(mainNamespace)\">"
        + "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/></numFmts>"
        + "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
        + "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"4\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"49\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"49\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs>"
        + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>"

    /// A number as a cell's `<v>`: integers without a fraction, others in the shortest form that reads back the same.
    static func numberText(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return number.description
    }

    /// Text for XML content or an attribute value: `& < > "` escaped, and an `_xHHHH_` that a reader would
    /// take for an escape protected by escaping its underscore (`_x005F_`).
    static func appendEscaped(_ text: String, to data: inout [UInt8]) {
        // Nearly every value has none of these: copied as it is.
        if !text.utf8.contains(where: { $0 == 38 || $0 == 60 || $0 == 62 || $0 == 34 || $0 == 95 }) {
            data.append(contentsOf: text.utf8)
            return
        }
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "&"): data.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): data.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): data.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): data.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "_") where index + 6 < bytes.count && bytes[index + 1] == UInt8(ascii: "x") && bytes[index + 6] == UInt8(ascii: "_")
                && bytes[(index + 2)..<(index + 6)].allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 102) }):
                data.append(contentsOf: "_x005F_".utf8)
            default: data.append(byte)
            }
        }
    }

    /// How many character cells `text` takes: two for a wide (CJK, full-width) character.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            let value = scalar.value
            let wide = (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value) || (0xAC00...0xD7A3).contains(value)
                || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
                || (0xFFE0...0xFFE6).contains(value) || (0x20000...0x3FFFD).contains(value)
            return width + (wide ? 2 : 1)
        }
    }
}
