import Foundation
import Localization
import Testing
import TestSupport
@testable import Registry

#if canImport(Glibc)
import Glibc
#endif

/// Sheets as counties keep them: GB18030, 序号 and 备注 columns, villages and key points by name, dates and
/// phones as people type them; and the rules that keep an import from overwriting what the registry has.
@Suite struct ImportUpdateTests {
    let tests = SpreadsheetImportTests()
    static let chinese = OutputLocale(language: .chinese, timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    /// `text` in GB18030, as Excel on a Chinese Windows saves a CSV.
    static func gb18030(_ text: String) throws -> [UInt8] { (try LegacyEncoding.gb18030(text)) }

    static let messySheet = """
        序号,设备编码,设备名称,所属村(社区),来源,状态,安装时间,经度,纬度,覆盖点位,rtsp,运维单位,运维电话,备注
        1,45012801001320000061,村口球机,青山村委会,雪亮工程,在用,2023年6月5日,108.3,22.8,村口,rtsp://127.0.0.61/s,青山县联通运维中心,+86 139 0739 8888,新装
        2,45012801001320000062,学校门口枪机,青山村,雪亮,在用,20230605,108.301,22.801,学校门口,rtsp://127.0.0.62/s,青山县联通运维中心,0771-1234567,
        3,45012801001320000063,村委会枪机,青山村,公共,待审核,45082,108.302,22.802,"entrance, 学校门口",rtsp://127.0.0.63/s,青山县联通运维中心,１３９-０７３９-８８８８,旧设备

        """

    @Test func aMessyChineseSheetImportsWithNoRefusal() throws {
        let directory = TemporaryDirectory()
        let store = try tests.makeInventory(directory)
        _ = FileManager.default.createFile(atPath: directory.file("messy.csv"), contents: Data(try Self.gb18030(Self.messySheet)))
        let untranslated = UntranslatedMessages()
        let report = try OutputLocale.$current.withValue(Self.chinese) {
            try OutputLocale.$untranslated.withValue(untranslated) { try tests.importCameras(store, directory.file("messy.csv")) }
        }
        #expect(report.added == ["45012801001320000061", "45012801001320000062", "45012801001320000063"])
        #expect(report.ignoredColumns == ["序号", "备注"])
        #expect(untranslated.keys.isEmpty, "\(untranslated.keys)")
        let inventory = try store.load()
        let first = try #require(inventory.camera(id: "45012801001320000061"))
        #expect(first.village.digits == "450128101201", "青山村委会 is 青山村")
        #expect(first.source == .public && first.status == .active)
        #expect(first.installedOn?.description == "2023-06-05")
        #expect(first.maintainerPhone == "13907398888")
        #expect(first.covers == ["entrance"], "村口 is the key point entrance")
        let third = try #require(inventory.camera(id: "45012801001320000063"))
        #expect(third.installedOn?.description == "2023-06-05", "Excel's day 45082")
        #expect(third.covers == ["entrance", "school"])
        #expect(third.maintainerPhone == "13907398888", "full-width digits and dashes")
        #expect(inventory.camera(id: "45012801001320000062")?.maintainerPhone == "0771-1234567")
        let file = try String(contentsOfFile: store.path(of: first.village), encoding: .utf8)
        #expect(file.contains("maintainer_phone = 13907398888\n"), "stored in its one form")

        let again = try tests.importCameras(store, directory.file("messy.csv"))
        #expect(again.unchanged.count == 3 && again.changes.isEmpty, "re-importing changes nothing, without --update")
    }

    @Test func villageKindsAsCommitteesAndUnknownVillageColumnsAreIgnored() throws {
        let directory = TemporaryDirectory()
        let store = try tests.makeInventory(directory)
        let table = try CSVTable.parse("序号,区划代码,名称,类型,乡镇街道,派出所,备注\n1,450128102201,石桥村,村委会,龙泉镇,龙泉派出所,x\n"
            + "2,450128001002,西门社区,居委会,城关街道,城关派出所,\n", path: "v.csv")
        let report = try store.update { (inventory: inout Inventory) throws(InventoryError) in
            try SpreadsheetImport.importVillages(table, path: "v.csv", into: &inventory, validator: tests.validator)
        }
        #expect(report.added == ["450128102201", "450128001002"])
        #expect(report.ignoredColumns == ["序号", "备注"])
        let villages = try store.load().villages
        #expect(villages[try VillageCode.parse("450128102201").get()]?.kind == .village)
        #expect(villages[try VillageCode.parse("450128001002").get()]?.kind == .community)
    }

    @Test func changesToExistingCamerasAreRefusedWithTheirDiffUnlessUpdate() throws {
        let directory = TemporaryDirectory()
        let store = try tests.makeInventory(directory)
        try directory.write("""
            id,name,village,source,rtsp,maintainer_phone
            45012801001320000071,村口球机,450128101201,public,rtsp://127.0.0.71/s,13907398888
            45012801001320000072,学校枪机,450128101201,public,rtsp://127.0.0.72/s,

            """, to: "base.csv")
        _ = try tests.importCameras(store, directory.file("base.csv"))
        let file = store.path(of: try VillageCode.parse("450128101201").get())
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        try directory.write("""
            id,name,village,source,rtsp,maintainer_phone
            45012801001320000071,村口东侧球机,东门社区,public,rtsp://127.0.0.71/s,13812345678
            45012801001320000072,学校枪机,450128101201,public,rtsp://127.0.0.73/main,
            45012801001320000073,新点位,青山村,public,rtsp://127.0.0.74/s,

            """, to: "changed.csv")
        do {
            _ = try tests.importCameras(store, directory.file("changed.csv"))
            Issue.record("changes to existing cameras were applied without --update")
        } catch let error as InventoryError {
            let lines = error.description.split(separator: "\n").map(String.init)
            #expect(lines.count == 2, "one line per changed camera: \(lines)")
            let path = directory.file("changed.csv")
            #expect(lines.contains("\(path):2: camera 45012801001320000071: already in the registry; this import would change "
                + "village: 450128101201 青山村 → 450128001001 东门社区; name: 村口球机 → 村口东侧球机; maintainer_phone: 139****8888 → 138****5678; "
                + "nothing is changed without --update (--dry-run lists every change)"), "\(lines)")
            #expect(lines.contains { $0.hasPrefix("\(path):3: camera 45012801001320000072: already in the registry; this import would change "
                + "rtsp: rtsp://127.0.0.72/s → rtsp://127.0.0.73/main;") })
            #expect(!error.description.contains("13812345678") && !error.description.contains("13907398888"), "phones are masked")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before, "nothing written")
        #expect(try store.load().camera(id: "45012801001320000073") == nil, "not even the new camera")

        let preview = try tests.importCameras(store, directory.file("changed.csv"), update: true, dryRun: true)
        #expect(preview.changes.map(\.id) == ["45012801001320000071", "45012801001320000072", "45012801001320000073"])
        #expect(preview.changes[0].fields == [
            SpreadsheetImport.FieldChange(field: "village", old: "450128101201 青山村", new: "450128001001 东门社区"),
            SpreadsheetImport.FieldChange(field: "name", old: "村口球机", new: "村口东侧球机"),
            SpreadsheetImport.FieldChange(field: "maintainer_phone", old: "139****8888", new: "138****5678"),
        ])
        #expect(preview.changes[2].isNew && preview.changes[2].village == "450128101201 青山村" && preview.changes[2].name == "新点位")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before, "a dry run writes nothing")

        let applied = try tests.importCameras(store, directory.file("changed.csv"), update: true)
        #expect(applied.updated == ["45012801001320000071", "45012801001320000072"] && applied.added == ["45012801001320000073"])
        let inventory = try store.load()
        #expect(inventory.camera(id: "45012801001320000071")?.village.digits == "450128001001")
        #expect(inventory.camera(id: "45012801001320000071")?.maintainerPhone == "13812345678")
        #expect(inventory.camera(id: "45012801001320000072")?.endpoints.rtsp == "rtsp://127.0.0.73/main")
    }

    @Test func aSheetOfIdsAndSomeColumnsChangesOnlyThoseAndBlanksKeepValues() throws {
        let directory = TemporaryDirectory()
        let store = try tests.makeInventory(directory)
        try directory.write("""
            id,name,village,source,rtsp,address,maintainer
            45012801001320000081,村口球机,450128101201,public,rtsp://127.0.0.81/s,青山村村口,运维甲
            45012801001320000082,学校枪机,450128101201,public,rtsp://127.0.0.82/s,青山小学,运维甲

            """, to: "base.csv")
        _ = try tests.importCameras(store, directory.file("base.csv"))
        let original = try store.load()

        try directory.write("设备编码,运维电话,地址\n45012801001320000081,0771-1234567,\n45012801001320000082,,\n", to: "phones.csv")
        let report = try tests.importCameras(store, directory.file("phones.csv"), update: true)
        #expect(report.updated == ["45012801001320000081"] && report.unchanged == ["45012801001320000082"])
        #expect(report.changes.first?.fields == [SpreadsheetImport.FieldChange(field: "maintainer_phone", old: nil, new: "077*****4567")])
        var expected = try #require(original.camera(id: "45012801001320000081"))
        expected.maintainerPhone = "0771-1234567"
        #expect(try store.load().camera(id: "45012801001320000081") == expected, "only the phone changed; the blank address kept its value")
        #expect(try store.load().camera(id: "45012801001320000082") == original.camera(id: "45012801001320000082"))

        let cleared = try tests.importCameras(store, directory.file("phones.csv"), update: true, clearBlanks: true)
        #expect(cleared.changes.map(\.fields) == [
            [SpreadsheetImport.FieldChange(field: "address", old: "青山村村口", new: nil)],
            [SpreadsheetImport.FieldChange(field: "address", old: "青山小学", new: nil)],
        ])
        #expect(try store.load().camera(id: "45012801001320000081")?.address == nil)
        #expect(try store.load().camera(id: "45012801001320000081")?.maintainerPhone == "0771-1234567")

        try directory.write("id,address\n45012801001320000089,某地\n", to: "new.csv")
        do {
            _ = try tests.importCameras(store, directory.file("new.csv"))
            Issue.record("a new camera without its village was accepted")
        } catch let error as InventoryError {
            #expect(error.description.contains("new.csv:2: village: a new camera needs its village"), "\(error)")
        }
    }

    @Test func villagesByNameMustBeUniqueInTheCounty() throws {
        let directory = TemporaryDirectory()
        let store = try tests.makeInventory(directory)
        let table = try CSVTable.parse("code,name,township,station\n450128102201,青山村,龙泉镇,龙泉派出所\n", path: "v.csv")
        _ = try store.update { (inventory: inout Inventory) throws(InventoryError) in
            try SpreadsheetImport.importVillages(table, path: "v.csv", into: &inventory, validator: tests.validator)
        }
        try directory.write("""
            id,name,village,source,rtsp
            45012801001320000091,甲,青山村,public,rtsp://127.0.0.91/s
            45012801001320000092,乙,青山,public,rtsp://127.0.0.92/s
            45012801001320000093,丙,白云村,public,rtsp://127.0.0.93/s
            45012801001320000094,丁,东门社区居委会,public,rtsp://127.0.0.94/s

            """, to: "names.csv")
        let path = directory.file("names.csv")
        do {
            _ = try tests.importCameras(store, path)
            Issue.record("an ambiguous village name was accepted")
        } catch let error as InventoryError {
            let lines = error.description.split(separator: "\n").map(String.init)
            #expect(lines.contains("\(path):2: village: '青山村' names 2 villages in county 450128: 450128101201 青山村 (青山镇), "
                + "450128102201 青山村 (龙泉镇); give the 12-digit code"), "\(lines)")
            #expect(lines.contains("\(path):3: village: no village or community named '青山' in county 450128; similar: "
                + "450128101201 青山村 (青山镇), 450128102201 青山村 (龙泉镇); give the 12-digit code"))
            #expect(lines.contains("\(path):4: village: no village or community named '白云村' in county 450128; give its 12-digit code, "
                + "or import it first (xueliang import --villages)"))
            #expect(lines.count == 3, "东门社区居委会 is 东门社区: \(lines)")
        }
    }

    @Test func idsExcelMangledAreExplained() throws {
        let directory = TemporaryDirectory()
        let store = try tests.makeInventory(directory)
        try directory.write("id,name,village,source,rtsp\n45012801001320000017,村口,450128101201,public,rtsp://127.0.0.17/s\n", to: "base.csv")
        _ = try tests.importCameras(store, directory.file("base.csv"))
        try directory.write("""
            id,name,village,source,rtsp,parent
            4.50128010013E+19,一,450128101201,public,rtsp://127.0.0.18/s,
            45012801001320000000,二,450128101201,public,rtsp://127.0.0.19/s,
            45012801001320000020,三,450128101201,public,rtsp://127.0.0.20/s,4.50128E+19

            """, to: "mangled.csv")
        let path = directory.file("mangled.csv")
        do {
            _ = try tests.importCameras(store, path)
            Issue.record("mangled ids were accepted")
        } catch let error as InventoryError {
            let lines = error.description.split(separator: "\n").map(String.init)
            #expect(lines.contains("\(path):2: id: '4.50128010013E+19' is a number, not an id: Excel read the 20-digit id as a number and "
                + "kept 12 of its digits (it may have been 45012801001320000017); format the column as Text (设置单元格格式→文本) and "
                + "re-enter the ids, or export with xueliang export"), "\(lines)")
            #expect(lines.contains("\(path):3: id: 45012801001320000000 is in no record, but it is what Excel makes of 45012801001320000017 "
                + "(a number keeps 15 digits; the last 5 become zeros); format the column as Text (设置单元格格式→文本) and re-enter the ids, "
                + "or export with xueliang export"))
            #expect(lines.contains { $0.hasPrefix("\(path):4: parent: '4.50128E+19' is a number, not an id") })
        }
        #expect(ExcelMangling.rounded("45012801001320000017", significant: 15) == "45012801001320000000")
        #expect(ExcelMangling.rounded("43052401001329999951", significant: 15) == "43052401001330000000", "rounding carries")
        #expect(ExcelMangling.scientific("4.305240100132E+019")?.digits == "4305240100132")
        #expect(ExcelMangling.scientific("4.305240100132E+019")?.exponent == 19)
        #expect(ExcelMangling.scientific("45012801001320000017") == nil)
    }

    @Test func impossibleDatesAndNonPhonesAreRefusedWithTheirField() throws {
        let directory = TemporaryDirectory()
        let store = try tests.makeInventory(directory)
        try directory.write("""
            设备编码,点位名称,村社区代码,来源,rtsp,安装时间,运维电话
            45012801001320000101,甲,450128101201,公共,rtsp://127.0.0.101/s,2023-02-29,13907398888
            45012801001320000102,乙,450128101201,公共,rtsp://127.0.0.102/s,2023-06-05,1390739888

            """, to: "bad.csv")
        let path = directory.file("bad.csv")
        do {
            _ = try tests.importCameras(store, path)
            Issue.record("an impossible date and a short phone were accepted")
        } catch let error as InventoryError {
            let lines = error.description.split(separator: "\n").map(String.init)
            #expect(lines.contains("\(path):2: installed: '2023-02-29' is not a real date: 2023-02 has 28 days"), "\(lines)")
            #expect(lines.contains("\(path):3: camera 45012801001320000102: maintainer_phone: '********88' is not a mobile (11 digits) or landline number"))
            #expect(!error.description.contains("1390739888"))
        }
    }
}
