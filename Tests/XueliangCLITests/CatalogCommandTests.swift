import Foundation
import Testing
import TestSupport
@testable import XueliangCLI

/// `xueliang catalog import` and `catalog diff` on a temporary registry and the WVP-style fixture catalogs.
@Suite struct CatalogCommandTests {
    static let catalogFiles = CatalogFixtureFiles.wvpFiles + [CatalogFixtureFiles.concatenatedFile]

    /// The fixture registry and a sweep document in which B (…0002) and E (…0005) are down.
    func setUp(_ directory: TemporaryDirectory) throws -> (inventory: String, results: String) {
        let inventory = try InventoryFixtures.makeInventory(in: directory, files: CatalogFixtureFiles.villageFiles())
        func camera(_ id: String, _ status: String) -> String {
            #"{"id":"\#(id)","name":"n","village":"450128101201","status":"\#(status)","reason":"\#(status == "offline" ? "timeout" : "ok")","detail":"","checks":[]}"#
        }
        let cameras = [camera("45012801001320000001", "online"), camera("45012801001320000002", "offline"),
                       camera("45012801001320000003", "degraded"), camera("45012801001320000005", "offline"),
                       camera("45012801001320000007", "online")]
        try directory.write(#"{"schema":"xueliang.sweep/1","complete":true,"finished_at":"2026-11-24T07:00:00Z","cameras":["#
            + cameras.joined(separator: ",") + "]}", to: "sweep.json")
        return (inventory, directory.file("sweep.json"))
    }

    /// Output with the fixtures' folder written as `Fixtures/`, the same on every machine.
    func portable(_ text: String) -> String { text.replacingOccurrences(of: CatalogFixtureFiles.directory, with: "Fixtures") }

    @Test func diffTextAndJSONMatchGoldenFiles() async throws {
        let directory = TemporaryDirectory()
        let (inventory, results) = try setUp(directory)
        let text = await xueliang(["catalog", "diff"] + Self.catalogFiles + ["--results", results], inventory: inventory)
        #expect(text.status == ExitCode.success, "\(text.error)")
        try expectGolden(portable(text.output), "catalog-diff.txt")
        let chinese = await xueliang(["--lang", "zh", "catalog", "diff"] + Self.catalogFiles + ["--results", results], inventory: inventory)
        #expect(chinese.status == ExitCode.success, "\(chinese.error)")
        try expectGolden(portable(chinese.output), "catalog-diff-zh.txt")
        #expect(text.output.contains("目录一致率 catalog consistency: 40.0% (2/5 registered in-service cameras"))
        let json = await xueliang(["catalog", "diff", "--json"] + Self.catalogFiles + ["--results", results], inventory: inventory)
        #expect(json.status == ExitCode.success, "\(json.error)")
        try expectGolden(portable(json.output), "catalog-diff.json")
        let wider = await xueliang(["catalog", "diff", "--json", "--distance", "250"] + Self.catalogFiles + ["--results", results],
                                   inventory: inventory)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(wider.output.utf8)) as? [String: Any])
        #expect(document["schema"] as? String == "xueliang.catalog-diff/1")
        #expect(document["distance_threshold_m"] as? Double == 250)
        #expect((document["mismatches"] as? [[String: Any]])?.count == 3, "at 250 m B's position agrees")
        for output in [text.output, json.output] { #expect(!output.contains("hunter2"), "an item's Password is never shown") }
    }

    @Test func coverageAndTheReportGiveTheSameCatalogConsistencyAsTheDiff() async throws {
        let directory = TemporaryDirectory()
        let (inventory, results) = try setUp(directory)
        let catalogs = Self.catalogFiles.flatMap { ["--catalog", $0] }
        let coverage = await xueliang(["coverage", "--json", "--results", results] + catalogs, inventory: inventory)
        #expect(coverage.status == ExitCode.success, "\(coverage.error)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(coverage.output.utf8)) as? [String: Any])
        let figure = try #require(document["catalog_consistency"] as? [String: Any])
        #expect(figure["consistent"] as? Int == 2 && figure["in_service"] as? Int == 5 && figure["rate"] as? Double == 0.4)
        let text = await xueliang(["coverage", "--results", results] + catalogs, inventory: inventory)
        #expect(text.output.contains("catalog consistency (目录一致率) 40.0% (2/5)"), "\(text.output)")
        let html = directory.file("report.html")
        let report = await xueliang(["report", "--html", html, "--results", results] + catalogs, inventory: inventory)
        #expect(report.status == ExitCode.success, "\(report.error)")
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains(#"<div class="card" id="catalog-consistency"><div class="label">Catalog consistency</div><div class="value">40.0%</div><div class="count">2 / 5</div>"#))
        let without = await xueliang(["coverage", "--json", "--results", results], inventory: inventory)
        #expect(!without.output.contains("catalog_consistency"), "no catalog, no figure")
    }

    @Test func withoutASweepTheRestOfTheDiffStands() async throws {
        let directory = TemporaryDirectory()
        let (inventory, _) = try setUp(directory)
        let state = directory.file("State")
        let result = await xueliang(["catalog", "diff", "--state", state] + Self.catalogFiles, inventory: inventory)
        #expect(result.status == ExitCode.success, "\(result.error)")
        #expect(result.output.contains("false online: no sweep yet to compare with"))
        #expect(result.output.contains("未上报 registered and in service, not on the platform: 1"))
        let json = await xueliang(["catalog", "diff", "--json", "--state", state] + Self.catalogFiles, inventory: inventory)
        #expect(json.output.contains(#""false_online" : null"#))
    }

    @Test func importSummarisesAndRegistersPendingRecordsAllOrNothing() async throws {
        let directory = TemporaryDirectory()
        let (inventory, _) = try setUp(directory)
        let summary = await xueliang(["catalog", "import"] + Self.catalogFiles, inventory: inventory)
        #expect(summary.status == ExitCode.success, "\(summary.error)")
        #expect(summary.output.hasPrefix("""
            read 8 files (GB18030 declared GB2312: 7, UTF-8: 1): 9 Catalog responses, 1 other message
            catalog 45012800002000000001 SN 17: 7 of 7 items in 7 messages
            catalog 45012800002000000001 SN 18: 2 of 3 items in 2 messages: incomplete, 1 never arrived
            7 video devices; skipped 1 administrative region, 1 business group

            """), "\(summary.output)")

        let villageFile = inventory + "/villages/450128101201.village"
        let before = try String(contentsOfFile: villageFile, encoding: .utf8)
        let dryRun = await xueliang(["catalog", "import", "--register", "--dry-run"] + Self.catalogFiles, inventory: inventory)
        #expect(dryRun.status == ExitCode.success, "\(dryRun.error)")
        #expect(dryRun.output.contains("would register 3 pending cameras from the catalog"))
        #expect(try String(contentsOfFile: villageFile, encoding: .utf8) == before)

        let registered = await xueliang(["catalog", "import", "--register"] + Self.catalogFiles, inventory: inventory)
        #expect(registered.status == ExitCode.success, "\(registered.error)")
        #expect(registered.output.contains("45012801001320000010  青山村李&王商铺    450128101201 青山村"), "\(registered.output)")
        #expect(registered.output.contains("registered 3 pending cameras from the catalog"))
        let shown = await xueliang(["show", "45012801001320000010"], inventory: inventory)
        #expect(shown.output.contains("pending") && shown.output.contains("青山镇青山村主街&2号"), "\(shown.output)")
        let again = await xueliang(["catalog", "import", "--register"] + Self.catalogFiles, inventory: inventory)
        #expect(again.output.contains("registered 0 pending cameras from the catalog (every device is registered already)"))
    }

    @Test func anItemWithoutAVillageRefusesTheRegistration() async throws {
        let directory = TemporaryDirectory()
        let (inventory, _) = try setUp(directory)
        let stranger = String(decoding: FileManager.default.contents(atPath: CatalogFixtureFiles.concatenatedFile)!, as: UTF8.self)
            .replacingOccurrences(of: "东门社区&lt;南&gt;门", with: "无名点位").replacingOccurrences(of: "东门社区 <南门> & 广场", with: "")
        try directory.write(stranger, to: "stranger.xml")
        let villageFile = inventory + "/villages/450128001001.village"
        let before = try String(contentsOfFile: villageFile, encoding: .utf8)
        let result = await xueliang(["catalog", "import", "--register", directory.file("stranger.xml")], inventory: inventory)
        #expect(result.status == ExitCode.invalidData)
        #expect(result.error == """
            \(directory.file("stranger.xml")):9: camera 45012801001320000011: village: neither Name nor Address names a registered \
            village of 450128; register it by hand ('xueliang register 45012801001320000011 --village CODE …')
            xueliang catalog import: refused: 1 problem; nothing was written

            """)
        #expect(try String(contentsOfFile: villageFile, encoding: .utf8) == before)
    }

    @Test func brokenFilesAndBadUsageAreOneLineWithTheirExitCode() async throws {
        let directory = TemporaryDirectory()
        let (inventory, _) = try setUp(directory)
        try directory.write("<?xml version=\"1.0\"?>\n<Response>\n<CmdType>Catalog</CmdType>\n<DeviceList><Item>", to: "cut.xml")
        let cut = await xueliang(["catalog", "diff", directory.file("cut.xml")], inventory: inventory)
        #expect(cut.status == ExitCode.invalidData)
        #expect(cut.error == "xueliang catalog diff: \(directory.file("cut.xml")):2: <response> opened here is never closed (the file is truncated?)\n")
        let missing = await xueliang(["catalog", "import", directory.file("absent.xml")], inventory: inventory)
        #expect(missing.status == ExitCode.notFound, "\(missing.error)")
        #expect(missing.error.hasPrefix("xueliang catalog import: \(directory.file("absent.xml")): cannot open"), "\(missing.error)")
        for (arguments, message) in [
            (["catalog", "diff"], "missing FILE.xml (one or more Catalog responses of the GB/T 28181 platform)"), (["catalog", "import", "a.xml", "--dry-run"], "--dry-run goes with --register"),
            (["catalog", "diff", "a.xml", "--distance", "-5"], "--distance: '-5' is not a distance in metres above 0"),
            (["catalog", "diff", "a.xml", "--distance", "nan"], "--distance: 'nan' is not a distance in metres above 0"),
        ] {
            let result = await xueliang(arguments, inventory: inventory)
            #expect(result.status == ExitCode.usage)
            #expect(result.error.hasPrefix("xueliang \(arguments[0]) \(arguments[1]): \(message)\n"), "\(result.error)")
        }
        let help = await xueliang(["catalog", "diff", "--help"], inventory: inventory)
        #expect(help.output.contains("Usage: xueliang catalog diff FILE.xml... [--json] [--distance METRES] [--results FILE]"))
    }
}
