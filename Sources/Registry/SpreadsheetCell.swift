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

    /// The value a neutralised cell stood for: what an importer reads back from a file the tool wrote.
    public static func restored(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let second = cell.dropFirst().first, formulaStarts.contains(second) else { return cell }
        return String(cell.dropFirst())
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
