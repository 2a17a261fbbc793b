import Localization
import Workbook

/// The registry written as the spreadsheets `xueliang import` reads (docs/spreadsheets.md): the same columns,
/// headers in the reader's language, so that a file can be exported, edited in Excel and imported again,
/// and an unedited one imports as unchanged.
///
/// What is written is what the registry holds and every output may show: credential profile names, never a
/// password (URLs carry none; any `user:pass@` is masked all the same), and owners' phone numbers masked
/// unless asked for; a masked number imports as the record's own (`restoringMaskedPhones`).
public enum SpreadsheetExport {
    /// A file format, chosen by the file's extension.
    public enum Format: String, Sendable {
        case workbook = "xlsx"
        case csv

        public init?(path: String) {
            let lowered = path.lowercased()
            if lowered.hasSuffix(".xlsx") { self = .workbook } else if lowered.hasSuffix(".csv") { self = .csv } else { return nil }
        }
    }

    /// A column of the export: its headers (English, Chinese, as `SpreadsheetImport` reads them) and how
    /// its cells are written.
    struct Column: Sendable {
        enum Kind: Sendable { case code, text, number, date }
        let english: String
        let chinese: String
        let kind: Kind
        /// The cell's text for a camera, given whether phone numbers are revealed; nil for an empty cell.
        let value: @Sendable (CameraRecord, Bool) -> String?

        var title: String { OutputLocale.current.language == .chinese ? chinese : english }
    }

    /// Device and village codes, whatever the field: a spreadsheet must keep them as text.
    private static func kind(of field: CameraField) -> Column.Kind {
        switch field {
        case .parent, .phone: .code
        case .latitude, .longitude, .positionType: .number
        case .installedOn, .consentUntil, .reviewedOn: .date
        default: .text
        }
    }

    static let cameraColumns: [Column] = [
        Column(english: "id", chinese: "设备编码", kind: .code) { camera, _ in camera.id },
        Column(english: "village", chinese: "村社区代码", kind: .code) { camera, _ in camera.village.digits },
    ] + CameraField.allCases.map { field in
        Column(english: field.key, chinese: field.chineseHeader, kind: kind(of: field)) { camera, revealPhones in
            guard let text = camera.text(of: field) else { return nil }
            switch field {
            case .phone: return revealPhones ? text : PhoneNumber.masked(text)
            case .rtsp, .rtspSub, .snapshot, .hls, .onvif: return EndpointURL.redacted(text)
            default: return text
            }
        }
    }

    /// The cameras as an .xlsx workbook of one sheet: codes as text cells (and their columns formatted as
    /// text, so a code typed in later stays one), coordinates as numbers, dates as dates.
    public static func camerasWorkbook(_ cameras: [CameraRecord], revealPhones: Bool) -> [UInt8] {
        let chinese = OutputLocale.current.language == .chinese
        var sheet = WorkbookWriter.Sheet(name: chinese ? "相机" : "cameras",
                                         columns: cameraColumns.map { WorkbookWriter.Column($0.title, isText: $0.kind == .code) })
        for camera in cameras {
            sheet.append(cameraColumns.map { column in
                guard let text = column.value(camera, revealPhones) else { return .empty }
                return cell(text, kind: column.kind)
            })
        }
        return WorkbookWriter.archive([sheet])
    }

    /// The cameras as CSV for Excel: UTF-8 with a byte order mark, CRLF, codes and dates in Excel's text form
    /// (`="45012801001320000001"`), which the importer reads back, other cells neutralised against formulas.
    public static func camerasCSV(_ cameras: [CameraRecord], revealPhones: Bool, write: (String) -> Void) {
        write("\u{FEFF}" + cameraColumns.map { CSVTable.spreadsheetCell($0.title) }.joined(separator: ",") + "\r\n")
        for camera in cameras {
            write(cameraColumns.map { column in
                guard let text = column.value(camera, revealPhones) else { return "" }
                return column.kind == .code || column.kind == .date ? SpreadsheetCell.excelText(text) : CSVTable.spreadsheetCell(text)
            }.joined(separator: ",") + "\r\n")
        }
    }

    private static func cell(_ text: String, kind: Column.Kind) -> WorkbookWriter.Value {
        switch kind {
        case .number: DecimalNumber.parse(text).map(WorkbookWriter.Value.number) ?? .text(text)
        case .date: CalendarDate(text: text).map { .date(daysSinceEpoch: $0.daysSinceEpoch) } ?? .text(text)
        case .code, .text: .text(text)
        }
    }

    // MARK: villages

    /// The village columns, as `SpreadsheetImport.importVillages` reads them.
    struct VillageExportColumn: Sendable {
        let column: SpreadsheetImport.VillageColumn
        let kind: Column.Kind
        let value: @Sendable (Village) -> String
        init(_ column: SpreadsheetImport.VillageColumn, _ kind: Column.Kind, _ value: @escaping @Sendable (Village) -> String) {
            self.column = column
            self.kind = kind
            self.value = value
        }
    }

    static let villageColumns: [VillageExportColumn] = [
        VillageExportColumn(.code, .code, { $0.code.digits }),
        VillageExportColumn(.name, .text, { $0.name }),
        VillageExportColumn(.kind, .text, { $0.kind.rawValue }),
        VillageExportColumn(.township, .text, { $0.township }),
        VillageExportColumn(.station, .text, { $0.station }),
        VillageExportColumn(.keyPoints, .text, { $0.keyPoints.map { "\($0.id):\($0.name)" }.joined(separator: ";") }),
    ]

    private static func villageTitle(_ column: SpreadsheetImport.VillageColumn) -> String {
        OutputLocale.current.language == .chinese ? column.chineseHeader : column.rawValue
    }

    public static func villagesWorkbook(_ villages: [Village]) -> [UInt8] {
        let chinese = OutputLocale.current.language == .chinese
        var sheet = WorkbookWriter.Sheet(name: chinese ? "村社区" : "villages",
                                         columns: villageColumns.map { WorkbookWriter.Column(villageTitle($0.column), isText: $0.kind == .code) })
        for village in villages {
            sheet.append(villageColumns.map { column in
                let text = column.value(village)
                return text.isEmpty ? .empty : .text(text)
            })
        }
        return WorkbookWriter.archive([sheet])
    }

    public static func villagesCSV(_ villages: [Village], write: (String) -> Void) {
        write("\u{FEFF}" + villageColumns.map { CSVTable.spreadsheetCell(villageTitle($0.column)) }.joined(separator: ",") + "\r\n")
        for village in villages {
            write(villageColumns.map { column in
                column.kind == .code ? SpreadsheetCell.excelText(column.value(village)) : CSVTable.spreadsheetCell(column.value(village))
            }.joined(separator: ",") + "\r\n")
        }
    }

    // MARK: import

    /// `table` with each phone cell that is the masked form of its record's number (`138****5678`, as an
    /// export writes it without `--show-phone`) replaced by that number, so an exported file imports
    /// unchanged. A masked cell that fits no record's number is left as it is, and is refused as no number.
    public static func restoringMaskedPhones(in table: CSVTable, from inventory: Inventory) -> CSVTable {
        guard let phone = table.header.firstIndex(where: { SpreadsheetImport.cameraColumn(named: $0) == .field(.phone) }),
              let id = table.header.firstIndex(where: { SpreadsheetImport.cameraColumn(named: $0) == .id }) else { return table }
        var restored = table
        for (index, row) in table.rows.enumerated() where phone < row.fields.count && id < row.fields.count {
            let cell = row.fields[phone].trimmingWhitespace
            guard cell.contains("*"), let number = inventory.camera(id: row.fields[id].trimmingWhitespace)?.citizen.phone,
                  PhoneNumber.masked(number) == cell else { continue }
            restored.rows[index].fields[phone] = number
        }
        return restored
    }
}
