import Foundation
import Localization
import Testing
import TestSupport
@testable import Registry
@testable import XueliangCLI

#if canImport(Glibc)
import Glibc
#endif

/// `xueliang import` as a county officer uses it: messy sheets that import, `--dry-run` that shows every change,
/// `--update` and `--clear-blanks`, and a rejects file that re-imports as it is.
@Suite struct ImportCommandTests {
    static let chinese = OutputLocale(language: .chinese, timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    /// `text` in GB18030, as Excel on a Chinese Windows saves a CSV.
    static func gb18030(_ text: String) throws -> Data { Data(try LegacyEncoding.gb18030(text)) }

    @Test func aMessyChineseSheetImportsInChineseNamingTheIgnoredColumns() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        let environment = ["LANG": "zh_CN.UTF-8", "TZ": "Asia/Shanghai"]
        _ = FileManager.default.createFile(atPath: directory.file("villages.csv"), contents: try Self.gb18030("""
            序号,区划代码,名称,类型,乡镇街道,派出所,重点点位,备注
            1,450128102201,石桥村委会,村委会,龙泉镇,龙泉派出所,bridge:桥头,
            2,450128001002,西门社区,居委会,城关街道,城关派出所,gate:小区大门,新建

            """))
        _ = FileManager.default.createFile(atPath: directory.file("cameras.csv"), contents: try Self.gb18030("""
            序号,设备编码,设备名称,所属村(社区),来源,状态,安装时间,经度,纬度,覆盖点位,rtsp,运维单位,运维电话,备注
            1,45012801001320000061,桥头球机,石桥村,雪亮工程,在用,2023年6月5日,108.3,22.8,桥头,rtsp://127.0.0.61/s,龙泉运维,+86 139 0739 8888,新装
            2,45012801001320000062,青山村口枪机,青山村委会,雪亮,在用,45082,108.301,22.801,村口,rtsp://127.0.0.62/s,龙泉运维,0771-1234567,
            3,45012800101320000063,西门枪机,西门社区居委会,公共,待审核,20230605,108.302,22.802,小区大门,rtsp://127.0.0.63/s,城关运维,139-0739-8888,旧

            """))
        let untranslated = UntranslatedMessages()
        let (villages, cameras) = await OutputLocale.$current.withValue(Self.chinese) {
            await OutputLocale.$untranslated.withValue(untranslated) {
                (await xueliang(["import", "--villages", directory.file("villages.csv")], inventory: inventory, environment: environment),
                 await xueliang(["import", directory.file("cameras.csv")], inventory: inventory, environment: environment))
            }
        }
        #expect(villages.status == 0, "\(villages.error)")
        #expect(villages.output == "已忽略的列 序号, 备注：不是村社区字段（见 docs/inventory-format.md）\n"
            + "已导入 \(directory.file("villages.csv"))（GB18030，逗号分隔）：新增村社区 2 个，修改 0 个，未变 0 个\n")
        #expect(cameras.status == 0, "\(cameras.error)")
        #expect(cameras.error.isEmpty, "no refusal: \(cameras.error)")
        #expect(cameras.output == "已忽略的列 序号, 备注：不是相机字段（见 docs/inventory-format.md）\n"
            + "已导入 \(directory.file("cameras.csv"))（GB18030，逗号分隔）：新增相机 3 台，修改 0 台，未变 0 台\n")
        #expect(untranslated.keys.isEmpty, "\(untranslated.keys)")

        let registry = try InventoryStore(directory: inventory).load()
        let bridge = try #require(registry.camera(id: "45012801001320000061"))
        #expect(bridge.village.digits == "450128102201" && bridge.covers == ["bridge"] && bridge.source == .public)
        #expect(bridge.installedOn?.description == "2023-06-05" && bridge.maintainerPhone == "13907398888")
        #expect(registry.villages[try VillageCode.parse("450128001002").get()]?.kind == .community)
        #expect(registry.camera(id: "45012800101320000063")?.village.digits == "450128001002")

        let show = await xueliang(["show", "45012801001320000061"], inventory: inventory)
        #expect(show.output.contains("maintainer_phone") && show.output.contains("139****8888") && !show.output.contains("13907398888"), "\(show.output)")
        let json = await xueliang(["show", "45012801001320000061", "--json"], inventory: inventory)
        #expect(json.output.contains("\"maintainer_phone\" : \"139****8888\""), "\(json.output)")
    }

    /// The fixture's 村口球机 renamed and moved to another stream, the citizen camera given a new owner, and a
    /// camera added.
    static let changes = """
        设备编码,点位名称,rtsp,机主,联系电话,村社区代码,来源
        45012801001320000001,村口东侧球机,rtsp://127.0.0.1:8554/main,,,,
        45012801011320500001,,,张三,+86 139 0739 8888,,
        45012801001320000041,新点位,rtsp://127.0.0.41/s,,,青山村,雪亮工程

        """

    @Test func dryRunShowsEveryChangeAndUpdateAppliesIt() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        try directory.write(Self.changes, to: "changes.csv")
        let sheet = directory.file("changes.csv")
        let file = InventoryStore(directory: inventory).path(of: try VillageCode.parse(InventoryFixtures.villageCode).get())
        let before = try Data(contentsOf: URL(fileURLWithPath: file))

        let dryRun = await xueliang(["import", sheet, "--dry-run"], inventory: inventory)
        #expect(dryRun.status == 0, "\(dryRun.error)")
        #expect(dryRun.output == """
            would change 45012801001320000001 (line 2):
              name: 村口球机 → 村口东侧球机
              rtsp: rtsp://127.0.0.1:8554/stream → rtsp://127.0.0.1:8554/main
            would change 45012801011320500001 (line 3):
              owner: 李某某 → 张三
              phone: 138****5678 → 139****8888
            would add 45012801001320000041 (line 4): 新点位, 450128101201 青山村
            would import \(sheet) (UTF-8, comma-separated): 1 cameras added, 2 updated, 0 unchanged
            2 cameras already in the registry would change: import with --update to apply the changes

            """)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before, "a dry run writes nothing")

        let refused = await xueliang(["import", sheet], inventory: inventory)
        #expect(refused.status == ExitCode.invalidData)
        #expect(refused.error == """
            \(sheet):2: camera 45012801001320000001: already in the registry; this import would change name: 村口球机 → 村口东侧球机; \
            rtsp: rtsp://127.0.0.1:8554/stream → rtsp://127.0.0.1:8554/main; nothing is changed without --update (--dry-run lists every change)
            \(sheet):3: camera 45012801011320500001: already in the registry; this import would change owner: 李某某 → 张三; \
            phone: 138****5678 → 139****8888; nothing is changed without --update (--dry-run lists every change)
            xueliang import: refused: 2 problems; nothing was written

            """)
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before, "nothing written, not even the new camera")

        let applied = await xueliang(["import", sheet, "--update"], inventory: inventory)
        #expect(applied.status == 0, "\(applied.error)")
        #expect(applied.output.hasPrefix("changed 45012801001320000001 (line 2):\n  name: 村口球机 → 村口东侧球机\n"), "\(applied.output)")
        #expect(applied.output.hasSuffix("imported \(sheet) (UTF-8, comma-separated): 1 cameras added, 2 updated, 0 unchanged\n"))
        for output in [dryRun.output, refused.error, applied.output] {
            #expect(!output.contains("13812345678") && !output.contains("13907398888"), "phones are masked")
        }
        let registry = try InventoryStore(directory: inventory).load()
        #expect(registry.camera(id: "45012801011320500001")?.citizen.phone == "13907398888")
        #expect(registry.camera(id: "45012801011320500001")?.name == "李记商铺门口", "the blank name kept its value")
        #expect(registry.camera(id: "45012801001320000001")?.credential == "hik-admin", "a column the sheet lacks kept its value")

        let again = await xueliang(["import", sheet], inventory: inventory)
        #expect(again.status == 0, "\(again.error)")
        #expect(again.output == "imported \(sheet) (UTF-8, comma-separated): 0 cameras added, 0 updated, 3 unchanged\n")

        try directory.write("设备编码,地址\n45012801001320000001,\n", to: "blank.csv")
        let kept = await xueliang(["import", directory.file("blank.csv")], inventory: inventory)
        #expect(kept.status == 0 && kept.output.contains("0 updated, 1 unchanged"), "a blank cell keeps the value: \(kept.output)")
        let cleared = await xueliang(["import", directory.file("blank.csv"), "--update", "--clear-blanks"], inventory: inventory)
        #expect(cleared.status == 0, "\(cleared.error)")
        #expect(cleared.output.contains("  address: 青山村村口 → (empty)\n"), "\(cleared.output)")
        #expect(try InventoryStore(directory: inventory).load().camera(id: "45012801001320000001")?.address == nil)
    }

    @Test(arguments: [
        ("cameras.csv", "cameras.rejected.csv"), ("in/cameras.TSV", "in/cameras.rejected.csv"), ("cameras.xlsx", "cameras.rejected.csv"),
        ("cameras", "cameras.rejected.csv"), ("a.b/cameras.dat", "a.b/cameras.dat.rejected.csv"), (".csv", ".csv.rejected.csv"),
    ])
    func theRejectsFileIsNamedAsTheDocsSay(sheet: String, rejects: String) {
        #expect(ImportCommand.defaultRejectsPath(for: sheet) == rejects)
    }

    @Test func theRejectsFileReimportsAsItIs() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        try directory.write("序号\t设备编码\t点位名称\t村社区代码\t来源\trtsp\n1\t45012801001320000031\t一号\t450128101201\t公共\trtsp://127.0.0.31/s\n"
            + "2\t45012801001320000032\t二号\t青山村\t私人\trtsp://127.0.0.32/s\n", to: "new.tsv")
        let skip = await OutputLocale.$current.withValue(Self.chinese) {
            await xueliang(["import", directory.file("new.tsv"), "--skip-invalid"], inventory: inventory,
                           environment: ["LANG": "zh_CN.UTF-8", "TZ": "Asia/Shanghai"])
        }
        #expect(skip.status == 0, "\(skip.error)")
        #expect(skip.output.hasSuffix("1 行被拒绝；已写入 \(directory.file("new.rejected.csv"))\n"), "\(skip.output)")
        let rejects = String(decoding: try Data(contentsOf: URL(fileURLWithPath: directory.file("new.rejected.csv"))).dropFirst(3), as: UTF8.self)
        #expect(rejects.hasPrefix("序号,设备编码,点位名称,村社区代码,来源,rtsp,错误\n2,45012801001320000032,二号,青山村,私人,rtsp://127.0.0.32/s,"),
                "comma-separated whatever the sheet was, with the error column in the reader's language: \(rejects)")

        let unfixed = await xueliang(["import", directory.file("new.rejected.csv"), "--skip-invalid"], inventory: inventory)
        #expect(unfixed.status == 0, "\(unfixed.error)")
        #expect(unfixed.error == "\(directory.file("new.rejected.csv")):2: source: '私人' is not a source; use public (公共) or citizen (社会)\n",
                "only the row's own problem: the error column is not a field")
        let again = String(decoding: try Data(contentsOf: URL(fileURLWithPath: directory.file("new.rejected.rejected.csv"))).dropFirst(3), as: UTF8.self)
        #expect(again.hasPrefix("序号,设备编码,点位名称,村社区代码,来源,rtsp,error\n"), "one error column, anew: \(again)")

        try rejects.replacingOccurrences(of: ",私人,", with: ",公共,").write(toFile: directory.file("new.rejected.csv"), atomically: true, encoding: .utf8)
        let fixed = await xueliang(["import", directory.file("new.rejected.csv")], inventory: inventory)
        #expect(fixed.status == 0, "\(fixed.error)")
        #expect(fixed.output == "ignored columns 序号: not camera columns (see docs/inventory-format.md)\n"
            + "imported \(directory.file("new.rejected.csv")) (UTF-8, comma-separated): 1 cameras added, 0 updated, 0 unchanged\n")
        #expect(try InventoryStore(directory: inventory).load().camera(id: "45012801001320000032")?.source == .public)
    }

    @Test func aMaintainerPhoneFromASheetGoesIntoTheWorkOrdersMasked() async throws {
        let directory = TemporaryDirectory()
        let (inventory, results) = try CoverageCommandTests().setUp(directory)
        try directory.write("设备编码,运维电话\n45012801001320000002,+86 139 0739 8888\n", to: "phones.csv")
        let imported = await xueliang(["import", directory.file("phones.csv"), "--update"], inventory: inventory)
        #expect(imported.status == 0, "\(imported.error)")
        #expect(imported.output.contains("  maintainer_phone: (empty) → 139****8888\n"), "\(imported.output)")
        let orders = directory.file("orders.csv")
        let report = await xueliang(["report", "--results", results, "--work-orders", orders], inventory: inventory)
        #expect(report.status == 0, "\(report.error)")
        let written = String(decoding: try Data(contentsOf: URL(fileURLWithPath: orders)).dropFirst(3), as: UTF8.self)
        #expect(written.hasPrefix("Order,Camera id,Name,Village,Township,Address,Host,Latitude,Longitude,Offline since,Offline for,Reason,Detail,Maintainer,Maintainer phone,"))
        let row = try #require(written.split(separator: "\r\n").first { $0.contains("45012801001320000002") })
        #expect(row.contains(",青山县联通运维中心,139****8888,"), "\(row)")
        #expect(!written.contains("13907398888"))
    }
}
