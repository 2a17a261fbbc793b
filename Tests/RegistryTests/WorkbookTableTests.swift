import Foundation
import Testing
import TestSupport
@testable import Registry

/// A sheet of an .xlsx workbook read as the table a CSV file gives the importer.
@Suite struct WorkbookTableTests {
    static let fixtures = Repository.root + "/Tests/WorkbookTests/Fixtures/"

    @Test func libreOfficeSheetAsATable() throws {
        let table = try CSVTable.read(path: Self.fixtures + "libreoffice.xlsx")
        #expect(table.sheet == "相机")
        #expect(table.header == ["设备编码", "村社区代码", "点位名称", "来源", "状态", "纬度", "经度", "安装日期", "rtsp", "运维单位"])
        #expect(table.rows.map(\.line) == [2, 3, 6], "each row keeps the number the spreadsheet shows")
        #expect(table.rows[0].fields == ["45012801001320000041", "450128101201", "村口 & 桥头", "公共", "在用", "22.815", "108.312345", "2024-05-01",
                                         "rtsp://127.0.0.41/stream", "某运维公司"])
        #expect(table.rows[1].fields == ["45012801001320000042", "450128101201", "学校门口\n（东侧）", "public", "", "", "", "",
                                         "rtsp://127.0.0.42/stream", ""], "a village code typed as a number reads as its 12 digits")
        let villages = try CSVTable.read(path: Self.fixtures + "libreoffice.xlsx", sheet: "村社区")
        #expect(villages.header == ["区划代码", "名称"] && villages.rows.map(\.fields) == [["450128101201", "青山村"]])
    }

    /// Cells that cannot stand for what they show are refused, each with its row, column and cell.
    @Test func lossyNumbersAndFormulaErrorsAreRefused() throws {
        do {
            _ = try CSVTable.read(path: Self.fixtures + "excel-style.xlsx")
            Issue.record("the sheet was read")
        } catch {
            let path = Self.fixtures + "excel-style.xlsx"
            #expect(error.description == """
                \(path):4: 设备编码: cell A4 holds the number 4.501280100132E+19, and a spreadsheet keeps only 15 digits of a number: \
                its last digits are lost. Format the column as Text and type the codes again
                \(path):4: 授权截止: cell D4 holds the formula error #N/A; correct the formula or type the value
                \(path):5: 点位名称: cell B5 holds a formula that was never calculated; open the file in a spreadsheet and save it again
                """)
        }
        let villages = try CSVTable.read(path: Self.fixtures + "excel-style.xlsx", sheet: "Villages")
        #expect(villages.rows.map(\.fields) == [["450128101201", "青山村"]])
    }

    @Test func theSheetOptionNeedsAWorkbook() throws {
        let directory = TemporaryDirectory()
        try directory.write("id,name\n1,a\n", to: "plain.csv")
        #expect(throws: InventoryError.self) { try CSVTable.read(path: directory.file("plain.csv"), sheet: "Sheet1") }
        #expect(try CSVTable.read(path: directory.file("plain.csv")).sheet == nil)
    }

    @Test(arguments: [(22.815, "22.815"), (0.1 + 0.2, "0.3"), (0.000001, "0.000001"), (13_812_345_678, "13812345678"), (-0.5, "-0.5"),
                      (1_234_567.125, "1234567.125"), (108.312345, "108.312345"), (2.5e-10, "0.00000000025")])
    func numbersReadAsASpreadsheetShowsThem(number: Double, text: String) {
        #expect(CSVTable.decimalText(number) == text)
    }

    @Test func excelsTextFormReadsBack() throws {
        #expect(SpreadsheetCell.excelText("45012801001320000001") == "=\"45012801001320000001\"")
        #expect(SpreadsheetCell.excelText("2024-05-01") == "=\"2024-05-01\"")
        #expect(SpreadsheetCell.excelText("=cmd") == "'=cmd", "anything but digits and dashes is an ordinary, neutralised cell")
        #expect(SpreadsheetCell.excelText("") == "")
        #expect(SpreadsheetCell.restored("=\"45012801001320000001\"") == "45012801001320000001")
        #expect(SpreadsheetCell.restored("=\"a\"b\"") == "=\"a\"b\"", "a quote inside is not Excel's text form")
        let table = try CSVTable.parse("id,village\r\n=\"45012801001320000001\",=\"450128101201\"\r\n", path: "t.csv")
        #expect(table.rows[0].fields == ["45012801001320000001", "450128101201"])
    }
}
