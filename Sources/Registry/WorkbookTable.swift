import Foundation
import Localization
import Workbook

extension CSVTable {
    /// One sheet of an .xlsx workbook as the table a CSV file gives: the first non-empty row is the header,
    /// every later row with a value keeps its spreadsheet row number as its line (so problems read
    /// `FILE.xlsx:ROW`), and each cell becomes the text the registry parses: dates `YYYY-MM-DD`, numbers as
    /// the spreadsheet shows them (at most 15 significant digits, never in exponent form), booleans yes/no.
    ///
    /// Cells that cannot stand for what they show are refused, every one listed: a whole number of 16 or
    /// more digits (a spreadsheet keeps only 15, so a 20-digit device code typed as a number has already
    /// lost its end), a formula's error value, a formula never calculated, a cell over 64 KiB.
    static func workbookSheet(_ bytes: [UInt8], path: String, sheet name: String?) throws(InventoryError) -> CSVTable {
        let rows: [SheetRow]
        let sheetName: String
        do throws(WorkbookError) {
            let workbook = try Workbook(bytes: bytes)
            let sheet = try workbook.sheet(named: name)
            sheetName = sheet.name
            rows = try workbook.rows(of: sheet)
        } catch {
            throw .invalid([InventoryIssue(file: path, line: nil, message: error.message)])
        }
        guard let headerRow = rows.first else {
            throw .invalid([InventoryIssue(file: path, line: 1, message: "the sheet '\(sheetName)' is empty; expected a header row")])
        }
        var issues: [InventoryIssue] = []
        let width = (headerRow.cells.last?.column ?? 0) + 1
        var header = [String](repeating: "", count: width)
        for cell in headerRow.cells { header[cell.column] = (try? text(of: cell.value)) ?? "" }
        header = header.map(\.trimmingWhitespace)
        var tableRows: [Row] = []
        tableRows.reserveCapacity(rows.count - 1)
        for row in rows.dropFirst() {
            // A value right of the header's last column makes the row longer than the header: the importer's
            // own "has N fields" problem, which --skip-invalid can leave out.
            var fields = [String](repeating: "", count: max(width, (row.cells.last?.column ?? 0) + 1))
            for cell in row.cells {
                do throws(FieldProblem) {
                    fields[cell.column] = try text(of: cell.value)
                } catch {
                    let column = cell.column < width && !header[cell.column].isEmpty ? header[cell.column] : "column \(Workbook.columnName(cell.column))"
                    issues.append(InventoryIssue(file: path, line: row.number, field: column,
                                                 message: "cell \(Workbook.columnName(cell.column))\(row.number) \(error.message)"))
                }
            }
            tableRows.append(Row(line: row.number, fields: fields))
        }
        if !issues.isEmpty { throw .invalid(issues) }
        return CSVTable(header: header, rows: tableRows, delimiter: ",", encoding: .utf8, sheet: sheetName)
    }

    /// The text a cell stands for, or why it stands for none.
    private static func text(of value: CellValue) throws(FieldProblem) -> String {
        switch value {
        case .text(let text):
            guard text.utf8.count <= maximumFieldBytes else { throw FieldProblem("is longer than \(maximumFieldBytes) bytes") }
            return text
        case .number(let number):
            if number == number.rounded(), abs(number) >= 1e15 {
                throw FieldProblem("holds the number \(String(format: "%.15G", number)), and a spreadsheet keeps only 15 digits of a number: "
                    + "its last digits are lost. Format the column as Text and type the codes again")
            }
            return decimalText(number)
        case .date(let days):
            return CalendarDate(daysSinceEpoch: Int(days.rounded(.down))).description
        case .boolean(let flag):
            return flag ? "yes" : "no"
        case .error(let code):
            throw FieldProblem("holds the formula error \(code); correct the formula or type the value")
        case .uncalculated:
            throw FieldProblem("holds a formula that was never calculated; open the file in a spreadsheet and save it again")
        }
    }

    /// A number as a spreadsheet shows it in a General cell: 15 significant digits, trailing zeros dropped,
    /// and plain digits where it would use an exponent (the registry reads `0.000001`, never `1E-06`).
    static func decimalText(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        let significant = String(format: "%.15G", number)
        guard significant.contains("E"), let value = Double(significant) else { return significant }
        // Enough decimals for 15 significant digits of a small number; zeros at the end dropped.
        var text = String(format: "%.\(min(30, max(0, 15 - Int(floor(log10(abs(value)))) - 1)))f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
