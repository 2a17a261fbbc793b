import Foundation
import Testing
import TestSupport
@testable import Registry

@Suite struct CSVTableTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/"

    @Test func readsUTF8WithBOMAndQuotedFields() throws {
        let table = try CSVTable.read(path: Self.fixtures + "cameras-en-bom.csv")
        #expect(table.encoding == .utf8)
        #expect(table.delimiter == ",")
        #expect(table.header.first == "id", "the BOM is not part of the first header")
        #expect(table.rows.count == 2)
        #expect(table.rows[0].fields[1] == "村口球机, 东侧")
        #expect(table.rows[1].fields[1] == "学校\"北门\"枪机")
        #expect(table.rows[1].fields[8] == "青山村\n学校北门")
        #expect(table.rows.map(\.line) == [2, 3])
    }

    @Test func readsGB18030TabSeparatedWithChineseHeaders() throws {
        let table = try CSVTable.read(path: Self.fixtures + "cameras-zh-gb18030.tsv")
        #expect(table.encoding == .gb18030)
        #expect(table.delimiter == "\t")
        #expect(table.header[0] == "设备编码")
        #expect(table.rows[0].fields[1] == "李记商铺门口")
    }

    @Test func readsUTF16FromExcelUnicodeText() throws {
        let directory = TemporaryDirectory()
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "code\tname\n450128101201\t青山村\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        _ = FileManager.default.createFile(atPath: directory.file("v.txt"), contents: Data(bytes))
        let table = try CSVTable.read(path: directory.file("v.txt"))
        #expect(table.encoding == .utf16)
        #expect(table.rows[0].fields == ["450128101201", "青山村"])
    }

    @Test func refusesBinaryAndUnterminatedQuotes() throws {
        let directory = TemporaryDirectory()
        _ = FileManager.default.createFile(atPath: directory.file("bin.csv"), contents: Data([0x81, 0x30, 0xFF, 0xFF, 0x00, 0x81]))
        #expect(throws: InventoryError.self) { try CSVTable.read(path: directory.file("bin.csv")) }
        do {
            _ = try CSVTable.parse("id,name\n1,\"open\n2,b\n", path: "t.csv")
            Issue.record("an unterminated quote was accepted")
        } catch {
            #expect(error.description == "t.csv:2: a quoted field opened here is never closed")
        }
    }

    @Test func aTenMegabyteFieldIsAnErrorNotACrash() throws {
        let huge = String(repeating: "x", count: 10 * 1024 * 1024)
        do {
            _ = try CSVTable.parse("id,name\n1,\(huge)\n", path: "big.csv")
            Issue.record("a 10 MB field was accepted")
        } catch {
            #expect(error.description == "big.csv:2: a field is longer than 65536 bytes")
        }
    }
}

@Suite struct SpreadsheetImportTests {
    static let fixtures = CSVTableTests.fixtures

    /// An inventory with the two villages of the fixtures' spreadsheets.
    func makeInventory(_ directory: TemporaryDirectory) throws -> InventoryStore {
        let root = try InventoryFixtures.makeInventory(in: directory, files: [:])
        let store = InventoryStore(directory: root)
        let table = try CSVTable.read(path: Self.fixtures + "villages-zh.csv")
        try store.update { (inventory: inout Inventory) throws(InventoryError) in
            _ = try SpreadsheetImport.importVillages(table, path: "villages-zh.csv", into: &inventory, validator: validator)
        }
        return store
    }

    let validator = Validator(today: InventoryFixtures.today)

    func importCameras(_ store: InventoryStore, _ name: String, skipInvalid: Bool = false, update: Bool = false, clearBlanks: Bool = false,
                       dryRun: Bool = false) throws -> SpreadsheetImport.Report {
        let table = try CSVTable.read(path: name.hasPrefix("/") ? name : Self.fixtures + name)
        return try store.update(dryRun: dryRun) { (inventory: inout Inventory) throws(InventoryError) in
            try SpreadsheetImport.importCameras(table, path: name, into: &inventory, validator: validator,
                                                options: .init(skipInvalid: skipInvalid, update: update, clearBlanks: clearBlanks))
        }
    }

    @Test func importsVillagesWithChineseHeaders() throws {
        let directory = TemporaryDirectory()
        let store = try makeInventory(directory)
        let inventory = try store.load()
        #expect(inventory.villages.count == 2)
        let village = try #require(inventory.villages[try VillageCode.parse("450128001001").get()])
        #expect(village.kind == .community)
        #expect(village.keyPoints == [KeyPoint(id: "gate", name: "小区大门")])
    }

    @Test func importsBothEncodingsAndHeaderLanguages() throws {
        let directory = TemporaryDirectory()
        let store = try makeInventory(directory)
        let english = try importCameras(store, "cameras-en-bom.csv")
        #expect(english.added == ["45012801001320000001", "45012801001320000002"])
        let chinese = try importCameras(store, "cameras-zh-gb18030.tsv")
        #expect(chinese.added == ["45012801011320500001", "45012801001320000003"])
        let inventory = try store.load()
        #expect(inventory.cameras.count == 4)
        let citizen = try #require(inventory.camera(id: "45012801011320500001"))
        #expect(citizen.source == .citizen)
        #expect(citizen.citizen.consentScope == [.live, .playback])
        #expect(citizen.citizen.reviewPassed)
        #expect(inventory.camera(id: "45012801001320000002")?.address == "青山村 学校北门",
                "a line break inside a cell (Alt+Enter in Excel) becomes a space")
        #expect(Validator(today: InventoryFixtures.today).validate(inventory).isEmpty)
    }

    @Test func reimportingChangesNothing() throws {
        let directory = TemporaryDirectory()
        let store = try makeInventory(directory)
        _ = try importCameras(store, "cameras-zh-gb18030.tsv")
        let file = store.path(of: try VillageCode.parse("450128001001").get())
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        let again = try importCameras(store, "cameras-zh-gb18030.tsv")
        #expect(again.added.isEmpty && again.updated.isEmpty)
        #expect(again.unchanged.count == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before)
    }

    @Test func gcj02PositionsFromAMapAppAreStoredAsWGS84AndReimportChangesNothing() throws {
        let directory = TemporaryDirectory()
        let store = try makeInventory(directory)
        // The GCJ-02 a map app shows for WGS-84 22.8 N 108.3 E, given with 坐标系 = 火星坐标.
        let shown = GeoPosition(latitude: 22.8, longitude: 108.3).gcj02
        let sheet = "设备编码,点位名称,村社区代码,来源,rtsp,纬度,经度,坐标系\n"
            + "45012801001320000041,村口,450128101201,公共,rtsp://127.0.0.41/s,\(shown.latitude),\(shown.longitude),火星坐标\n"
        try directory.write(sheet, to: "gcj.csv")
        _ = try importCameras(store, directory.file("gcj.csv"))
        let camera = try #require(try store.load().camera(id: "45012801001320000041"))
        #expect((camera.latitude, camera.longitude) == (22.8, 108.3), "stored as WGS-84, to the registry's 6 decimals")
        let again = try importCameras(store, directory.file("gcj.csv"))
        #expect(again.unchanged == ["45012801001320000041"])
        try directory.write(sheet.replacingOccurrences(of: "火星坐标", with: "bd09"), to: "bad.csv")
        #expect(throws: InventoryError.self) { try importCameras(store, directory.file("bad.csv")) }
        do {
            _ = try importCameras(store, directory.file("bad.csv"))
        } catch {
            #expect(String(describing: error).contains("bad.csv:2: coordinates: 'bd09' is not a coordinate system; use wgs84 (GPS) or gcj02"), "\(error)")
        }
    }

    @Test func oneBadRowFailsTheWholeImportAndListsEveryProblem() throws {
        let directory = TemporaryDirectory()
        let store = try makeInventory(directory)
        try directory.write("""
            id,name,village,source,rtsp,latitude,status
            45012801001320000011,好的,450128101201,public,rtsp://127.0.0.1/a,22.8,pending
            45012801001320000012,坏的,450128101201,public,rtsp://admin:pw@127.0.0.1/a,95,pending
            4501280100132000001X,坏的,450128102299,private,rtsp://127.0.0.1/a,22.8,pending
            45012801001320000011,重复,450128101201,public,rtsp://127.0.0.1/a,22.8,pending

            """, to: "bad.csv")
        let path = directory.file("bad.csv")
        do {
            _ = try importCameras(store, path)
            Issue.record("an import with bad rows was accepted")
        } catch let error as InventoryError {
            let lines = error.description.split(separator: "\n").map(String.init)
            #expect(lines.contains("\(path):3: latitude: 95 is outside -90...90 (WGS-84 degrees)"))
            #expect(lines.contains { $0.hasPrefix("\(path):3: camera 45012801001320000012: rtsp: rtsp://***@127.0.0.1/a carries credentials") })
            #expect(lines.contains { $0.hasPrefix("\(path):4: village: 450128102299 is not in the registry") })
            #expect(lines.contains { $0.hasPrefix("\(path):4: id: '4501280100132000001X' is not a 20-digit") })
            #expect(lines.contains("\(path):5: id: 45012801001320000011 is also on line 2"))
            #expect(!error.description.contains(":pw@"))
        }
        #expect(try store.load().cameras.isEmpty, "the registry is untouched")

        let report = try importCameras(store, path, skipInvalid: true)
        #expect(report.added == ["45012801001320000011"])
        #expect(report.rejected.map(\.line) == [3, 4, 5])
        #expect(try store.load().cameras.map(\.id) == ["45012801001320000011"])
    }

    @Test func unknownColumnsAreIgnoredAndNamedAndOnlyTheIdIsRequired() throws {
        let directory = TemporaryDirectory()
        let store = try makeInventory(directory)
        try directory.write("序号,设备编码,点位名称,村社区代码,来源,rtsp,备注,Remarks\n1,45012801001320000051,村口,450128101201,公共,rtsp://127.0.0.51/s,新装,x\n",
                            to: "cols.csv")
        let report = try importCameras(store, directory.file("cols.csv"))
        #expect(report.added == ["45012801001320000051"])
        #expect(report.ignoredColumns == ["序号", "备注", "Remarks"])
        try directory.write("名称,点位名称\na,b\n", to: "noid.csv")
        do {
            _ = try importCameras(store, directory.file("noid.csv"))
            Issue.record("a sheet without ids was accepted")
        } catch let error as InventoryError {
            #expect(error.description == "\(directory.file("noid.csv")):1: id: required column is missing")
        }
        try directory.write("id,设备编码\n1,2\n", to: "twice.csv")
        #expect(throws: InventoryError.self) { try importCameras(store, directory.file("twice.csv")) }
    }
}

@Suite struct SkipInvalidChainTests {
    /// 2,000 recorders, each a channel of the next; the last row is invalid, so with --skip-invalid every
    /// row of the chain falls with it, and the one unrelated row still lands. (Dropping one failing row per
    /// validation pass made this quadratic: 14.8 s for 2,000 rows.)
    @Test func aChainOfRecordersFallsTogetherAndTheRestLands() throws {
        let directory = TemporaryDirectory()
        let tests = SpreadsheetImportTests()
        let store = try tests.makeInventory(directory)
        func recorder(_ index: Int) -> String { "45012801001181" + String(format: "%06d", index) }
        var text = "id,name,village,source,status,parent,rtsp\n"
        text += "45012801001320000001,独立点位,450128101201,public,pending,,rtsp://127.0.0.1/a\n"
        for index in 1...2000 {
            let source = index == 2000 ? "私人" : "public"
            let parent = index == 2000 ? "" : recorder(index + 1)
            text += "\(recorder(index)),录像机\(index),450128101201,\(source),pending,\(parent),rtsp://127.0.0.1/\(index)\n"
        }
        try directory.write(text, to: "chain.csv")
        let report = try tests.importCameras(store, directory.file("chain.csv"), skipInvalid: true)
        #expect(report.added == ["45012801001320000001"])
        #expect(report.rejected.count == 2000)
        #expect(report.rejected.first?.line == 3)
        #expect(report.rejected.last?.problems.contains { $0.contains("source: '私人' is not a source") } == true)
        #expect(report.rejected.first?.problems.contains { $0.contains("parent") && $0.contains(recorder(2)) } == true,
                "\(report.rejected.first?.problems ?? [])")
        #expect(try store.load().cameras.map(\.id) == ["45012801001320000001"])
    }
}
