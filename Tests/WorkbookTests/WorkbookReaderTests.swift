import Foundation
import Testing
import TestSupport
@testable import Workbook

/// Workbooks written by others: LibreOffice's own export, parts shaped as Excel and the OpenXML SDK write
/// them (made by Fixtures/make-fixtures.py with Python's zlib), and files that are no workbook.
@Suite struct WorkbookReaderTests {
    static let fixtures = Repository.root + "/Tests/WorkbookTests/Fixtures/"

    static func open(_ name: String) throws -> Workbook {
        try Workbook(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: fixtures + name))))
    }

    /// The cells of a row as `column: value`, for short assertions.
    static func cells(_ row: SheetRow) -> [Int: CellValue] {
        Dictionary(uniqueKeysWithValues: row.cells.map { ($0.column, $0.value) })
    }

    @Test func libreOfficeWorkbook() throws {
        let workbook = try Self.open("libreoffice.xlsx")
        #expect(workbook.sheets.map(\.name) == ["相机", "村社区"])
        let rows = try workbook.rows(of: try workbook.sheet(named: nil))
        #expect(rows.map(\.number) == [1, 2, 3, 6], "empty rows are left out; the others keep the numbers the spreadsheet shows")
        #expect(rows[0].cells.map(\.value) == ["设备编码", "村社区代码", "点位名称", "来源", "状态", "纬度", "经度", "安装日期", "rtsp", "运维单位"]
            .map(CellValue.text))
        let first = Self.cells(rows[1])
        #expect(first[0] == .text("45012801001320000041"))
        #expect(first[2] == .text("村口 & 桥头"))
        #expect(first[5] == .number(22.815))
        #expect(first[6] == .number(108.312345))
        #expect(first[7] == .date(19_844), "2024-05-01 under LibreOffice's yyyy\\-mm\\-dd")
        let second = Self.cells(rows[2])
        #expect(second[1] == .number(450_128_101_201))
        #expect(second[2] == .text("学校门口\n（东侧）"), "two paragraphs in a cell are two lines")
        #expect(second[4] == nil && second[8] == .text("rtsp://127.0.0.42/stream"), "empty cells are left out, the others keep their column")
        let villages = try workbook.rows(of: try workbook.sheet(named: "村社区"))
        #expect(villages.count == 2 && Self.cells(villages[1])[1] == .text("青山村"))
    }

    @Test func excelStyleWorkbook() throws {
        let workbook = try Self.open("excel-style.xlsx")
        #expect(workbook.sheets.map(\.name) == ["说明", "相机", "Villages"], "the chart sheet holds no cells and is not offered")
        #expect(workbook.sheets.map(\.isHidden) == [true, false, false])
        let sheet = try workbook.sheet(named: nil)
        #expect(sheet.name == "相机", "the first sheet that is not hidden")
        let rows = try workbook.rows(of: sheet)
        #expect(rows.map(\.number) == [1, 2, 4, 5])
        let second = Self.cells(rows[1])
        #expect(second[0] == .text("45012801001320000051"))
        #expect(second[1] == .text("东门 入口"), "rich-text runs joined, the phonetic run left out")
        #expect(second[2] == .date(19_844), "built-in format 14")
        #expect(second[3] == .date(20_818.75), "built-in format 31, yyyy\"年\"m\"月\"d\"日\" in Chinese Excel, with a time of day")
        #expect(second[4] == .number(22.815))
        #expect(second[5] == .boolean(true))
        #expect(second[6] == .text("第一行\r\n第二行"), "_x000D_ is a carriage return")
        let fourth = Self.cells(rows[2])
        #expect(fourth[0] == .number(4.5012801001320001e19))
        #expect(fourth[1] == .text("北门"), "a formula's stored string")
        #expect(fourth[2] == .date(20_089), "a custom format with a locale and escapes is still a date")
        #expect(fourth[3] == .error("#N/A"))
        #expect(fourth[4] == .number(1.0 / 3.0), "a custom number format is no date")
        #expect(fourth[5] == .boolean(false))
        #expect(fourth[6] == .text("a_x0041_b"), "_x005F_ escapes the underscore itself")
        let fifth = Self.cells(rows[3])
        #expect(fifth[0] == nil, "a styled cell without a value is empty")
        #expect(fifth[1] == .uncalculated)
        #expect(fifth[2] == .text("内联"))
        #expect(fifth[6] == .text("   前后空格   "))

        #expect(try workbook.sheet(named: "villages").name == "Villages", "names match without regard to case")
        #expect(try workbook.sheet(named: "3").name == "Villages", "or by position")
        #expect(try workbook.sheet(named: "说明").isHidden)
        #expect(throws: WorkbookError.noSuchSheet("村", available: ["说明", "相机", "Villages"])) { try workbook.sheet(named: "村") }
        #expect(WorkbookError.noSuchSheet("村", available: ["说明", "相机"]).description == "has no sheet '村'; its sheets are '说明', '相机'")
        let villages = try workbook.rows(of: try workbook.sheet(named: "Villages"))
        #expect(Self.cells(villages[1]) == [0: .number(450_128_101_201), 1: .text("青山村")])
    }

    @Test func prefixedNamesNoReferencesAnd1904Dates() throws {
        let workbook = try Self.open("prefixed-1904.xlsx")
        #expect(workbook.sheets.map(\.name) == ["Sheet1"])
        let rows = try workbook.rows(of: try workbook.sheet(named: nil))
        #expect(rows.map(\.number) == [1, 2, 3], "rows without r are numbered in order")
        #expect(rows[0].cells == [SheetCell(column: 0, value: .text("id")), SheetCell(column: 1, value: .text("installed"))])
        #expect(rows[1].cells == [SheetCell(column: 0, value: .text("A&B <1> 东")), SheetCell(column: 1, value: .date(19_844))],
                "43951 in the 1904 date system is 2024-05-01")
        #expect(rows[2].cells == [SheetCell(column: 0, value: .text("<raw & text>")), SheetCell(column: 1, value: .date(19_844))],
                "CDATA is literal text; an ISO 8601 date cell gives its day")
    }

    @Test func filesThatAreNoWorkbookSayWhatToDo() throws {
        let xls: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)
        #expect(Workbook.kind(of: xls) == .compoundDocument)
        #expect(throws: WorkbookError.self) { try Workbook(bytes: xls) }
        do {
            _ = try Workbook(bytes: xls)
        } catch {
            #expect("\(error)".contains("Excel 97-2003 workbook (.xls) or one protected by a password; save it as .xlsx"))
        }
        #expect(Workbook.kind(of: Array("id,name\n".utf8)) == .other)

        var ods = ZipWriter()
        ods.add("mimetype", Array("application/vnd.oasis.opendocument.spreadsheet".utf8))
        ods.add("content.xml", Array("<office:document-content/>".utf8))
        #expect(throws: WorkbookError.notAWorkbook("is an OpenDocument spreadsheet (.ods); save it as .xlsx (Excel Workbook) or as CSV UTF-8")) {
            try Workbook(bytes: ods.finished())
        }
        var other = ZipWriter()
        other.add("readme.txt", Array("hello".utf8))
        #expect(throws: WorkbookError.notAWorkbook("is a ZIP archive but not an .xlsx workbook (it has no xl/workbook.xml)")) {
            try Workbook(bytes: other.finished())
        }
        var binary = ZipWriter()
        binary.add("_rels/.rels", Array(("<Relationships><Relationship Id=\"rId1\" Type=\"\(WorkbookWriter.relationshipNamespace)/officeDocument\" "
            + "Target=\"xl/workbook.bin\"/></Relationships>").utf8))
        #expect(throws: WorkbookError.notAWorkbook("is a binary workbook (.xlsb); save it as .xlsx (Excel Workbook) or as CSV UTF-8")) {
            try Workbook(bytes: binary.finished())
        }
    }

    /// Cut and damaged archives give a typed error naming the part, never a crash or a wrong value.
    @Test func damagedArchivesAreRefused() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "excel-style.xlsx")))
        for length in stride(from: 0, to: bytes.count, by: 97) {
            #expect(throws: WorkbookError.self) { _ = try Workbook(bytes: Array(bytes.prefix(length))) }
        }
        // The sheet's compressed data, flipped bit by bit: the inflater or the CRC check must notice.
        let archive = try ZipArchive(bytes: bytes)
        let entry = try #require(archive.entry(named: "xl/worksheets/sheet1.xml"))
        let start = entry.localHeaderOffset + 30 + entry.name.utf8.count
        for offset in stride(from: 0, to: entry.compressedSize, by: 7) {
            var damaged = bytes
            damaged[start + offset] ^= 1 << UInt8(offset % 8)
            #expect(throws: WorkbookError.self) { _ = try ZipArchive(bytes: damaged).contents(of: entry, limit: 1 << 20) }
        }
        do {
            _ = try archive.contents(of: entry, limit: 100)
            Issue.record("a part larger than the limit was read")
        } catch {
            #expect("\(error)" == "xl/worksheets/sheet1.xml: is \(entry.size) bytes uncompressed; at most 100 are read")
        }
    }

    /// An entry whose directory understates its size is refused when the data runs past it: a bomb
    /// costs no more memory than its archive admits to.
    @Test func anEntryLongerThanItsDirectorySaysIsRefused() throws {
        var writer = ZipWriter()
        writer.add("big.xml", [UInt8](repeating: 65, count: 100_000))
        var bytes = writer.finished()
        let archive = try ZipArchive(bytes: bytes)
        let entry = try #require(archive.entry(named: "big.xml"))
        // The uncompressed size in the central directory entry, which the reader trusts.
        let directory = bytes.count - 22 - (46 + 7)
        #expect(ZipArchive.u32(bytes, directory + 24) == 100_000)
        bytes.replaceSubrange((directory + 24)..<(directory + 28), with: [0x10, 0x27, 0, 0])
        do {
            _ = try ZipArchive(bytes: bytes).contents(of: try #require(ZipArchive(bytes: bytes).entry(named: "big.xml")), limit: 1 << 30)
            Issue.record("an entry longer than announced was read")
        } catch {
            #expect("\(error)" == "big.xml: is 100000 bytes uncompressed, but the ZIP archive's directory says 10000: the file is damaged")
        }
        #expect(entry.size == 100_000)
    }

    /// An entry that declares a small size but inflates past the limit is stopped at the limit, not at the
    /// end of its data; and the parts together may not inflate past the total.
    @Test func limitsHoldWhileInflating() throws {
        var generator = Fuzzer.Generator(seed: 3)
        let text = (0..<(2 << 20)).map { _ in UInt8(65 + generator.next() % 26) }
        var writer = ZipWriter()
        writer.add("big.xml", text)
        var bytes = writer.finished()
        let directory = bytes.count - 22 - (46 + 7)
        bytes.replaceSubrange((directory + 24)..<(directory + 28), with: [0xE8, 0x03, 0, 0])
        let archive = try ZipArchive(bytes: bytes)
        #expect(throws: WorkbookError.damaged(part: "big.xml", "inflates to more than 1048576 bytes, the most read from one part (a zip bomb?)")) {
            try archive.contents(of: try #require(archive.entry(named: "big.xml")), limit: 1 << 20)
        }
        let small = Workbook.Limits(partBytes: 1 << 20, totalBytes: 3_000, compressionRatio: 500)
        let sample = WorkbookWriterTests.sampleSheet()
        let workbook = try Workbook(bytes: WorkbookWriter.archive([sample]), limits: Workbook.Limits(partBytes: 1 << 20, totalBytes: 1 << 20, compressionRatio: 500))
        #expect(try workbook.rows(of: workbook.sheets[0]).count == 4)
        #expect(throws: WorkbookError.self, "the sheet would pass the total") {
            let limited = try Workbook(bytes: WorkbookWriter.archive([sample]), limits: small)
            _ = try limited.rows(of: limited.sheets[0])
        }
    }

    /// Mutated workbooks: every one is read or refused with a typed error.
    @Test func fuzzedWorkbooksNeverCrash() throws {
        let seeds = try ["excel-style.xlsx", "libreoffice.xlsx", "prefixed-1904.xlsx"].map {
            Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + $0)))
        }
        let tried = Fuzzer(seeds: seeds).run(iterations: 3_000, seconds: 4) { input in
            do {
                let workbook = try Workbook(bytes: input)
                for sheet in workbook.sheets { _ = try workbook.rows(of: sheet) }
            } catch let error as WorkbookError {
                #expect(!error.description.isEmpty)
            } catch {
                Issue.record("an untyped error: \(error)")
            }
        }
        #expect(tried > 100)
    }
}
