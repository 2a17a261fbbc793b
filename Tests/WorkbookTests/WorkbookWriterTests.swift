import Foundation
import Testing
import TestSupport
@testable import Workbook

@Suite struct ZlibTests {
    static func roundTrip(_ input: [UInt8]) throws -> [UInt8] {
        let compressed = Zlib.deflate(input)
        return try Zlib.inflate(compressed[...], limit: 1 << 30, maximumRatio: 2_000, expectedCount: input.count)
    }

    @Test func rawStreams() throws {
        // zlib's raw deflate of "hello hello hello hello": no header, no trailer, as a ZIP entry holds it.
        let hello: [UInt8] = [203, 72, 205, 201, 201, 87, 200, 64, 39, 1]
        #expect(try Zlib.inflate(hello[...], limit: 100, maximumRatio: 100, expectedCount: 23) == Array("hello hello hello hello".utf8))
        #expect(try Self.roundTrip([]) == [])
        #expect(throws: Zlib.Failure(message: "the compressed data is cut off (the file is truncated?)")) {
            try Zlib.inflate(hello[0..<5], limit: 100, maximumRatio: 100, expectedCount: 23)
        }
        #expect(throws: Zlib.Failure(message: "inflates to more than 20 bytes, the most read from one part (a zip bomb?)")) {
            try Zlib.inflate(hello[...], limit: 20, maximumRatio: 100, expectedCount: 23)
        }
        #expect(throws: Zlib.Failure.self) { try Zlib.inflate([0xFF, 0xFF, 0xFF][...], limit: 100, maximumRatio: 100, expectedCount: 1) }
        #expect(Zlib.crc32(Array("123456789".utf8)) == 0xCBF4_3926, "the CRC-32 check value")
    }

    @Test(arguments: [0, 1, 258, 40_000, 200_000])
    func roundTrips(length: Int) throws {
        var generator = Fuzzer.Generator(seed: UInt64(length))
        let input = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next() % 7) }
        #expect(try Self.roundTrip(input) == input)
    }

    /// A bomb: 64 MiB of zeros deflate to 64 KiB, a ratio of about 1,000.
    @Test func highRatiosAreRefusedWhileInflating() {
        let bomb = Zlib.deflate([UInt8](repeating: 0, count: 64 << 20))
        #expect(bomb.count < 100_000)
        #expect(throws: Zlib.Failure(message: "inflates more than 500 times its size, which no spreadsheet does (a zip bomb?)")) {
            try Zlib.inflate(bomb[...], limit: 1 << 30, maximumRatio: 500, expectedCount: 1_000)
        }
    }
}

@Suite struct WorkbookWriterTests {
    static func sampleSheet() -> WorkbookWriter.Sheet {
        var sheet = WorkbookWriter.Sheet(name: "相机 'A'", columns: [.init("设备编码", isText: true), .init("点位名称"), .init("纬度"),
                                                                    .init("安装日期"), .init("备注")])
        sheet.append([.text("45012801001320000001"), .text("村口 & <桥头> \"东\""), .number(22.815), .date(daysSinceEpoch: 19_844),
                      .text("a_x0041_b")])
        sheet.append([.text("45012801001320000002"), .empty, .number(-0.000001), .date(daysSinceEpoch: -25_567), .text(" 前后 ")])
        sheet.append([.text("45012801001320000003"), .text("=HYPERLINK(\"http://evil.example/\")"), .number(108), .empty])
        return sheet
    }

    @Test func whatItWritesReadsBackCellForCell() throws {
        let bytes = WorkbookWriter.archive([Self.sampleSheet(), WorkbookWriter.Sheet(name: "村社区", columns: [.init("区划代码")])])
        let workbook = try Workbook(bytes: bytes)
        #expect(workbook.sheets.map(\.name) == ["相机 'A'", "村社区"])
        let rows = try workbook.rows(of: workbook.sheets[0])
        #expect(rows.map(\.number) == [1, 2, 3, 4])
        #expect(rows[0].cells.map(\.value) == ["设备编码", "点位名称", "纬度", "安装日期", "备注"].map(CellValue.text))
        #expect(rows[1].cells.map(\.value) == [.text("45012801001320000001"), .text("村口 & <桥头> \"东\""), .number(22.815), .date(19_844),
                                               .text("a_x0041_b")])
        #expect(rows[2].cells == [SheetCell(column: 0, value: .text("45012801001320000002")), SheetCell(column: 2, value: .number(-0.000001)),
                                  SheetCell(column: 3, value: .date(-25_567)), SheetCell(column: 4, value: .text(" 前后 "))])
        #expect(rows[3].cells.map(\.value) == [.text("45012801001320000003"), .text("=HYPERLINK(\"http://evil.example/\")"), .number(108)],
                "a text cell that looks like a formula stays text")
        #expect(try workbook.rows(of: workbook.sheets[1]).count == 1)
        #expect(WorkbookWriter.archive([Self.sampleSheet()]) == WorkbookWriter.archive([Self.sampleSheet()]), "deterministic")
    }

    /// Python's zipfile and zlib, an independent reader, find the archive whole and every part as written.
    @Test func anotherZipReaderAgrees() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("sample.xlsx")
        try Data(WorkbookWriter.archive([Self.sampleSheet()])).write(to: URL(fileURLWithPath: path))
        let script = """
            import sys, zipfile
            archive = zipfile.ZipFile(sys.argv[1])
            assert archive.testzip() is None
            print(" ".join(info.filename for info in archive.infolist()))
            print(archive.read("xl/worksheets/sheet1.xml").decode("utf-8").count("<row "))
            """
        let outcome = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", script, path])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput == "[Content_Types].xml _rels/.rels xl/workbook.xml xl/_rels/workbook.xml.rels xl/styles.xml xl/worksheets/sheet1.xml\n4\n")
    }

    @Test func sheetMarkupShrinks() {
        var sheet = WorkbookWriter.Sheet(name: "cameras", columns: [.init("id", isText: true), .init("name"), .init("latitude")])
        for index in 0..<2_000 {
            sheet.append([.text("450128010013200\(10_000 + index)"), .text("村口球机\(index)"), .number(22.8 + Double(index) / 10_000)])
        }
        let xml = sheet.xml()
        let compressed = Zlib.deflate(xml)
        #expect(compressed.count * 8 < xml.count, "\(xml.count) bytes became \(compressed.count)")
    }

    @Test func sheetPartsCarryTheLayout() {
        let xml = String(decoding: Self.sampleSheet().xml(), as: UTF8.self)
        #expect(xml.contains("<dimension ref=\"A1:E4\"/>"))
        #expect(xml.contains("state=\"frozen\""), "the header row stays in view")
        #expect(xml.contains("<autoFilter ref=\"A1:E4\"/>"))
        #expect(xml.contains("<col min=\"1\" max=\"1\" width=\"23\" style=\"3\" customWidth=\"1\"/>"), "20 digits, as text")
        #expect(xml.contains("<col min=\"2\" max=\"2\" width=\"37\" customWidth=\"1\"/>"), "the HYPERLINK text is the widest")
        #expect(xml.contains("村口 &amp; &lt;桥头&gt; &quot;东&quot;"))
        #expect(xml.contains("a_x005F_x0041_b"))
        #expect(xml.contains("<t xml:space=\"preserve\"> 前后 </t>"))
        #expect(!xml.contains("<f>"), "no formula is ever written")
        #expect(WorkbookWriter.displayWidth("村口ab") == 6)
        #expect(WorkbookWriter.numberText(450_128_101_201) == "450128101201" && WorkbookWriter.numberText(22.815) == "22.815")
    }

    /// Workbooks whose sheet markup is mutated, in an archive that is otherwise sound: the XML scanner and
    /// the sheet reader return rows or a typed error, never crash.
    @Test func fuzzedSheetMarkupNeverCrashes() throws {
        let sound = try ZipArchive(bytes: WorkbookWriter.archive([Self.sampleSheet()]))
        let parts = try sound.entries.values.sorted { $0.localHeaderOffset < $1.localHeaderOffset }.map { entry in
            (entry.name, try sound.contents(of: entry, limit: 1 << 20))
        }
        let sheetSeed = parts.first { $0.0 == "xl/worksheets/sheet1.xml" }!.1
        let tried = Fuzzer(seeds: [sheetSeed, Array("<sheetData><row><c t=\"s\"><v>0</v></c><c t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData>".utf8)])
            .run(iterations: 1_500, seconds: 4) { mutated in
                var zip = ZipWriter()
                for (name, content) in parts { zip.add(name, name == "xl/worksheets/sheet1.xml" ? mutated : content) }
                do {
                    let workbook = try Workbook(bytes: zip.finished())
                    for row in try workbook.rows(of: workbook.sheets[0]) {
                        #expect(row.number >= 1 && row.number <= Workbook.maximumRows)
                        #expect(row.cells.allSatisfy { $0.column >= 0 && $0.column < Workbook.maximumColumns })
                    }
                } catch let error as WorkbookError {
                    #expect(!error.description.isEmpty)
                } catch {
                    Issue.record("an untyped error: \(error)")
                }
            }
        #expect(tried > 100)
    }
}
