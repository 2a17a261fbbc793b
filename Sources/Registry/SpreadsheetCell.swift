/// Cells written into files meant for Excel or LibreOffice, made safe against formula injection (OWASP's
/// "CSV injection"): a camera's name, address or a reason detail comes from whoever filled the registry or
/// answered as a camera, and a cell such as `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` would run when the file
/// is opened. Such a cell gets a leading `'`, which spreadsheets show as text; plain numbers (`-3.5`) stay.
public enum SpreadsheetCell {
    /// Characters that make a spreadsheet read a cell as a formula (or, for tab and CR, hide one), and
    /// their full-width forms, which some IMEs produce and some spreadsheets accept.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]

    /// The text to write for `value`.
    public static func neutralised(_ value: String) -> String {
        guard let first = value.first, formulaStarts.contains(first), !isPlainNumber(value) else { return value }
        return "'" + value
    }

    /// The value a neutralised cell stood for: what an importer reads back from a file the tool wrote. A cell
    /// in Excel's text form (`="45012801001320000001"`, see `excelText`) reads as the text inside.
    public static func restored(_ cell: String) -> String {
        if cell.hasPrefix("=\""), cell.hasSuffix("\""), cell.utf8.count >= 3, !cell.dropFirst(2).dropLast().contains("\"") {
            return String(cell.dropFirst(2).dropLast())
        }
        guard cell.hasPrefix("'"), let second = cell.dropFirst().first, formulaStarts.contains(second) else { return cell }
        return String(cell.dropFirst())
    }

    /// A code or date for a CSV file that Excel opens, in the form Excel keeps as text: `="45012801001320000001"`.
    /// Written plainly, Excel reads a 20-digit device code as a number and shows and saves 4.50128E+19, its
    /// last five digits gone; a 12-digit village code becomes 4.50128E+11, and a date takes the PC's date
    /// format. Only digits and `-` are written so; anything else is an ordinary, neutralised cell.
    public static func excelText(_ value: String) -> String {
        guard !value.isEmpty, value.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }) else { return neutralised(value) }
        return "=\"" + value + "\""
    }

    /// `-3.5`, `+12`, `-0.25e3`: what a spreadsheet would read as a number, never as a formula.
    static func isPlainNumber(_ value: String) -> Bool {
        var rest = Substring(value)
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        guard let first = rest.first, first.isASCII, first.isNumber else { return false }
        return rest.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "." }
    }
}

extension CSVTable {
    /// A cell for a CSV file people open in a spreadsheet: neutralised, then quoted when it needs it.
    public static func spreadsheetCell(_ value: String, delimiter: Character = ",") -> String {
        quoted(SpreadsheetCell.neutralised(value), delimiter: delimiter)
    }
}
