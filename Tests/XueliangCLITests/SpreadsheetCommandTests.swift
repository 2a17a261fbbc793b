import Foundation
import Localization
import Registry
import Testing
import TestSupport
@testable import Workbook
@testable import XueliangCLI

/// `xueliang export` and `xueliang import FILE.xlsx`: the round trip through a spreadsheet, what the files
/// hold, and workbooks that must be refused with the registry untouched.
@Suite struct SpreadsheetCommandTests {
    /// Every village file's bytes, to prove a command changed nothing.
    static func snapshot(_ inventory: String) throws -> [String: Data] {
        let folder = inventory + "/villages"
        return try Dictionary(uniqueKeysWithValues: FileManager.default.contentsOfDirectory(atPath: folder).map {
            ($0, try Data(contentsOf: URL(fileURLWithPath: folder + "/" + $0)))
        })
    }

    static func chinese<T>(_ body: () async throws -> T) async rethrows -> T {
        try await OutputLocale.$current.withValue(OutputLocale(language: .chinese), operation: body)
    }

    @Test(arguments: ["cameras.xlsx", "cameras.csv"], [Language.english, .chinese])
    func exportThenImportChangesNothing(file: String, language: Language) async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        let before = try Self.snapshot(inventory)
        let path = directory.file(file)
        let export = await OutputLocale.$current.withValue(OutputLocale(language: language)) {
            await xueliang(["export", path], inventory: inventory)
        }
        #expect(export.status == 0, "\(export.error)")
        #expect(export.output == (language == .chinese ? "已导出 4 台相机到 \(path)\n" : "exported 4 cameras to \(path)\n"))
        let table = try CSVTable.read(path: path)
        #expect(table.header.prefix(3) == (language == .chinese ? ["设备编码", "村社区代码", "点位名称"] : ["id", "village", "name"]))
        #expect(table.rows.count == 4)
        #expect(table.rows.map { $0.fields[0] } == ["45012801001181000009", "45012801001320000001", "45012801001320000002", "45012801011320500001"],
                "every id read back whole, sorted by village and id")

        let again = await xueliang(["import", path], inventory: inventory)
        #expect(again.status == 0, "\(again.error)")
        #expect(again.output.contains(": 0 cameras added, 0 updated, 4 unchanged"), "\(again.output)")
        #expect(try Self.snapshot(inventory) == before, "not one byte of the registry changed")
    }

    @Test(arguments: ["villages.xlsx", "villages.csv"])
    func villagesRoundTripToo(file: String) async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        let before = try Self.snapshot(inventory)
        let export = await xueliang(["export", "--villages", directory.file(file)], inventory: inventory)
        #expect(export.output == "exported 2 villages to \(directory.file(file))\n", "\(export.error)")
        let table = try CSVTable.read(path: directory.file(file))
        #expect(table.header == ["code", "name", "kind", "township", "station", "key_points"])
        #expect(table.rows.map { $0.fields[0] } == [InventoryFixtures.otherVillageCode, InventoryFixtures.villageCode])
        let again = await xueliang(["import", "--villages", directory.file(file)], inventory: inventory)
        #expect(again.output.contains(": 0 villages added, 0 updated, 2 unchanged"), "\(again.output)\(again.error)")
        #expect(try Self.snapshot(inventory) == before)
    }

    /// The CSV keeps codes in Excel's text form and neutralises formulas; neither file carries a password,
    /// and owners' numbers are masked unless asked for.
    @Test func whatTheFilesHold() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory, extraCameras: InventoryFixtures.publicCamera(id: "45012801001320000007", host: "127.0.0.7")
            .replacingOccurrences(of: "name = ", with: "name = =HYPERLINK(\"http://evil.example/\")"))
        try writeCredentials(inventory, password: SecretTests.password, mode: 0o600)
        _ = await xueliang(["export", directory.file("all.csv")], inventory: inventory)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: directory.file("all.csv")))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "a UTF-8 BOM, so Excel on a Chinese Windows reads it right")
        let csv = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(csv.contains("\r\n=\"45012801001320000001\",=\"450128101201\","), "codes in Excel's text form")
        #expect(csv.contains(",=\"2024-05-01\","), "dates too, so no PC's date format rewrites them")
        #expect(csv.contains(",\"'=HYPERLINK(\"\"http://evil.example/\"\")村口球机\","), "a formula-like name is neutralised")
        #expect(csv.contains(",hik-admin,"), "the credential profile's name")
        #expect(csv.contains("138****5678") && !csv.contains("13812345678"))

        _ = await xueliang(["export", directory.file("all.xlsx"), "--show-phone"], inventory: inventory)
        let workbook = try Workbook(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: directory.file("all.xlsx")))))
        let everything = try workbook.rows(of: workbook.sheets[0]).flatMap(\.cells).map(\.value)
        #expect(everything.contains(.text("13812345678")), "--show-phone writes the number whole")
        #expect(everything.contains(.text("=HYPERLINK(\"http://evil.example/\")村口球机")), "a text cell, never a formula")
        #expect(everything.contains(.text("45012801001320000001")))
        #expect(everything.contains(.date(19_844)), "installed 2024-05-01, a date cell")
        let archive = try ZipArchive(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: directory.file("all.xlsx")))))
        for entry in archive.entries.values {
            let part = String(decoding: try archive.contents(of: entry, limit: 1 << 24), as: UTF8.self)
            #expect(!part.contains(SecretTests.password), "\(entry.name) carries the password")
            #expect(!part.contains("<f>"), "\(entry.name) has a formula")
        }

        let scoped = await xueliang(["export", directory.file("other.xlsx"), "--village", InventoryFixtures.otherVillageCode], inventory: inventory)
        #expect(scoped.output == "exported 0 cameras to \(directory.file("other.xlsx"))\n")
        let bad = await xueliang(["export", directory.file("all.txt")], inventory: inventory)
        #expect(bad.status == ExitCode.usage)
        #expect(bad.error.hasPrefix("xueliang export: \(directory.file("all.txt")): the file's name must end in .xlsx (a workbook) or .csv (CSV for Excel)\n"))
    }

    /// A masked number in an edited file is the record's own; one that fits no record is refused as no number.
    @Test func maskedPhonesImportAsTheRecordsOwn() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        _ = await xueliang(["export", directory.file("c.csv")], inventory: inventory)
        let text = try directory.read("c.csv")
        try directory.write(text.replacingOccurrences(of: "138****5678", with: "139****5678"), to: "edited.csv")
        let refused = await xueliang(["import", directory.file("edited.csv")], inventory: inventory)
        #expect(refused.status == ExitCode.invalidData)
        #expect(refused.error.contains("edited.csv:5: camera 45012801011320500001: phone: '139****5678' is not a mobile (11 digits) or landline number"),
                "\(refused.error)")
    }

    @Test func anXlsxImportNamesSheetRowsAndFields() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        let before = try Self.snapshot(inventory)
        var sheet = WorkbookWriter.Sheet(name: "新点位", columns: ["设备编码", "村社区代码", "点位名称", "来源", "rtsp", "安装日期", "纬度", "经度"]
            .map { WorkbookWriter.Column($0) })
        sheet.append([.text("45012801001320000031"), .text(InventoryFixtures.villageCode), .text("一号"), .text("公共"), .text("rtsp://127.0.0.31/s"),
                      .date(daysSinceEpoch: 19_844), .number(22.8151), .number(108.3102)])
        sheet.append([.text("45012801001320000032"), .number(450_128_101_201), .text("二号"), .text("私人"), .text("rtsp://127.0.0.32/s")])
        try Data(WorkbookWriter.archive([sheet])).write(to: URL(fileURLWithPath: directory.file("new.xlsx")))

        let refused = await xueliang(["import", directory.file("new.xlsx")], inventory: inventory)
        #expect(refused.status == ExitCode.invalidData)
        #expect(refused.error == "\(directory.file("new.xlsx")):3: source: '私人' is not a source; use public (公共) or citizen (社会)\n"
            + "xueliang import: refused: 1 problem; nothing was written\n", "a village code typed as a number is read as its digits")
        #expect(try Self.snapshot(inventory) == before)

        let skipped = await xueliang(["import", directory.file("new.xlsx"), "--skip-invalid"], inventory: inventory)
        #expect(skipped.output.hasPrefix("imported \(directory.file("new.xlsx")) (sheet '新点位'): 1 cameras added, 0 updated, 0 unchanged\n"))
        #expect(FileManager.default.fileExists(atPath: directory.file("new.rejected.csv")))
        let added = try #require(try InventoryStore(directory: inventory).load().camera(id: "45012801001320000031"))
        #expect(added.installedOn?.description == "2024-05-01" && added.latitude == 22.8151)

        let noSheet = await xueliang(["import", directory.file("new.xlsx"), "--sheet", "相机"], inventory: inventory)
        #expect(noSheet.status == ExitCode.invalidData)
        #expect(noSheet.error.hasPrefix("\(directory.file("new.xlsx")): has no sheet '相机'; its sheets are '新点位'\n"))
    }

    /// A device code typed into Excel as a number has lost its last digits before the file is saved: refused,
    /// with the cell, rather than registered under a wrong id.
    @Test func codesStoredAsNumbersAreRefused() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        var sheet = WorkbookWriter.Sheet(name: "Sheet1", columns: ["id", "village", "name", "source"].map { WorkbookWriter.Column($0) })
        sheet.append([.number(45_012_801_001_320_000_031), .text(InventoryFixtures.villageCode), .text("一号"), .text("public")])
        try Data(WorkbookWriter.archive([sheet])).write(to: URL(fileURLWithPath: directory.file("numbers.xlsx")))
        let refused = await xueliang(["import", directory.file("numbers.xlsx")], inventory: inventory)
        #expect(refused.status == ExitCode.invalidData)
        #expect(refused.error.hasPrefix("\(directory.file("numbers.xlsx")):2: id: cell A2 holds the number 4.501280100132E+19, and a spreadsheet "
            + "keeps only 15 digits of a number: its last digits are lost. Format the column as Text and type the codes again\n"), "\(refused.error)")

        // In Chinese, every sentence of the way has its text in the catalogue.
        let collector = UntranslatedMessages()
        let chinese = await OutputLocale.$untranslated.withValue(collector) {
            await Self.chinese {
                try? Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).write(to: URL(fileURLWithPath: directory.file("old.xls")))
                let old = await xueliang(["import", directory.file("old.xls")], inventory: inventory)
                let export = await xueliang(["export", directory.file("out.xlsx")], inventory: inventory)
                return (await xueliang(["import", directory.file("numbers.xlsx")], inventory: inventory), old, export)
            }
        }
        #expect(chinese.0.error.hasPrefix("\(directory.file("numbers.xlsx")):2: id: 单元格 A2中是数字 4.501280100132E+19，而电子表格的数字只保留 15 位有效数字"),
                "\(chinese.0.error)")
        #expect(chinese.1.error.hasPrefix("\(directory.file("old.xls")): 是 Excel 97-2003 工作簿（.xls）或设了密码的工作簿"))
        #expect(chinese.2.output == "已导出 4 台相机到 \(directory.file("out.xlsx"))\n")
        #expect(collector.keys.filter { !$0.hasPrefix("xueliang") }.isEmpty, "untranslated: \(collector.keys)")
    }

    /// Workbooks that must not be read: each refused with the file and the reason, exit 65, nothing written.
    @Test func hostileWorkbooksAreRefusedWithTheRegistryUntouched() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        let before = try Self.snapshot(inventory)
        var sheet = WorkbookWriter.Sheet(name: "Sheet1", columns: ["id", "village", "name", "source"].map { WorkbookWriter.Column($0) })
        sheet.append([.text("45012801001320000031"), .text(InventoryFixtures.villageCode), .text("一号"), .text("public")])
        let sound = WorkbookWriter.archive([sheet])
        let archive = try ZipArchive(bytes: sound)
        let parts = try archive.entries.values.sorted { $0.localHeaderOffset < $1.localHeaderOffset }.map { ($0.name, try archive.contents(of: $0, limit: 1 << 20)) }
        func rebuilt(sheet replacement: [UInt8]) -> [UInt8] {
            var zip = ZipWriter()
            for (name, content) in parts { zip.add(name, name == "xl/worksheets/sheet1.xml" ? replacement : content) }
            return zip.finished()
        }
        let sheetXML = parts.first { $0.0 == "xl/worksheets/sheet1.xml" }!.1
        /// The central directory entry of the sheet, whose sizes and CRC the reader checks.
        func patchingDirectory(_ bytes: [UInt8], offset: Int, with value: UInt32) throws -> [UInt8] {
            let entry = try #require(try ZipArchive(bytes: bytes).entry(named: "xl/worksheets/sheet1.xml"))
            var position = bytes.count - 22
            while ZipArchive.u32(bytes, position) != 0x0201_4B50 || String(decoding: bytes[(position + 46)..<(position + 46 + entry.name.utf8.count)], as: UTF8.self) != entry.name {
                position -= 1
            }
            var patched = bytes
            for index in 0..<4 { patched[position + offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))) }
            return patched
        }
        let bomb = rebuilt(sheet: Array("<worksheet><sheetData>".utf8) + [UInt8](repeating: 32, count: 64 << 20) + Array("</sheetData></worksheet>".utf8))
        let cases: [(name: String, bytes: [UInt8], reason: String)] = [
            ("bomb.xlsx", bomb, "xl/worksheets/sheet1.xml: inflates more than 500 times its size, which no spreadsheet does (a zip bomb?)"),
            ("huge.xlsx", try patchingDirectory(sound, offset: 24, with: 500 << 20),
             "xl/worksheets/sheet1.xml: is 524288000 bytes uncompressed; at most \(Workbook.Limits.standard.partBytes) are read"),
            ("crc.xlsx", try patchingDirectory(sound, offset: 16, with: 0xDEAD_BEEF), "xl/worksheets/sheet1.xml: fails its CRC check: the file is damaged"),
            ("broken.xlsx", rebuilt(sheet: Array(sheetXML.prefix(sheetXML.count - 40))),
             "xl/worksheets/sheet1.xml: is not well-formed XML: an end tag is not closed, in row 2"),
            ("cut.xlsx", Array(sound.prefix(sound.count / 2)), "the ZIP archive's directory is missing (the file is cut off?)"),
            ("old.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 1_000),
             "is an Excel 97-2003 workbook (.xls) or one protected by a password; save it as .xlsx (Excel Workbook) without a password, or as CSV UTF-8"),
        ]
        for (name, bytes, reason) in cases {
            try Data(bytes).write(to: URL(fileURLWithPath: directory.file(name)))
            let result = await xueliang(["import", directory.file(name)], inventory: inventory)
            #expect(result.status == ExitCode.invalidData, "\(name)")
            #expect(result.error == "\(directory.file(name)): \(reason)\nxueliang import: refused: 1 problem; nothing was written\n", "\(name)")
        }
        #expect(try Self.snapshot(inventory) == before)
    }
}

/// The files as LibreOffice reads and writes them, as a person's spreadsheet would.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/soffice"),
                "LibreOffice is not installed (scripts/setup.sh --test installs libreoffice-calc-nogui)"))
struct SpreadsheetLibreOfficeTests {
    /// Converts `input` with soffice, as `--convert-to` does, into `directory/out`; returns the output's path.
    static func convert(_ input: String, to filter: String, extension: String, infilter: String? = nil, in directory: TemporaryDirectory) async throws -> String {
        let arguments = ["-env:UserInstallation=file://\(directory.file("profile"))", "--headless"] + (infilter.map { ["--infilter=\($0)"] } ?? [])
            + ["--convert-to", filter, "--outdir", directory.file("out"), input]
        let outcome = try await ProcessRunner.runOffThePool("/usr/bin/soffice", arguments, environment: ["HOME": directory.path])
        let name = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent + "." + `extension`
        let output = directory.file("out/" + name)
        #expect(FileManager.default.fileExists(atPath: output), "soffice: \(outcome.standardOutput)\(outcome.standardError)")
        return output
    }

    @Test func libreOfficeKeepsTheIdsAndItsFilesImportUnchanged() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        let before = try SpreadsheetCommandTests.snapshot(inventory)
        _ = await xueliang(["export", directory.file("mine.xlsx")], inventory: inventory)
        _ = await xueliang(["export", directory.file("mine.csv")], inventory: inventory)

        // Our workbook saved by LibreOffice as CSV (UTF-8): the ids are whole, and the file imports unchanged.
        let csv = try await Self.convert(directory.file("mine.xlsx"), to: "csv:Text - txt - csv (StarCalc):44,34,76,1", extension: "csv", in: directory)
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        #expect(text.contains("\"45012801001320000001\",\"450128101201\""), "\(text.prefix(600))")
        let fromCSV = await xueliang(["import", csv], inventory: inventory)
        #expect(fromCSV.output.contains(": 0 cameras added, 0 updated, 4 unchanged"), "\(fromCSV.output)\(fromCSV.error)")

        // Our CSV opened by LibreOffice (UTF-8, as Excel detects from the BOM) and saved as .xlsx, with its own
        // shared strings and styles: the ="..." cells became text, and the workbook imports unchanged.
        let workbookPath = try await Self.convert(directory.file("mine.csv"), to: "xlsx", extension: "xlsx", infilter: "CSV:44,34,76,1", in: directory)
        let workbook = try Workbook(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: workbookPath))))
        let ids = try workbook.rows(of: workbook.sheets[0]).dropFirst().map { $0.cells.first?.value }
        #expect(ids.contains(.text("45012801001320000001")), "\(ids)")
        let fromWorkbook = await xueliang(["import", workbookPath], inventory: inventory)
        #expect(fromWorkbook.output.contains(": 0 cameras added, 0 updated, 4 unchanged"), "\(fromWorkbook.output)\(fromWorkbook.error)")
        #expect(try SpreadsheetCommandTests.snapshot(inventory) == before)
    }
}
