import Foundation
import Probing
import Testing
import TestSupport
@testable import Registry
@testable import XueliangCLI

@Suite struct HelpAndUsageTests {
    @Test func overviewAndCommandHelpMatchGoldenFiles() async throws {
        let overview = await xueliang(["help"], inventory: "/nonexistent")
        #expect(overview.status == 0)
        try expectGolden(overview.output, "help.txt")
        let register = await xueliang(["register", "--help"], inventory: "/nonexistent")
        #expect(register.status == 0)
        try expectGolden(register.output, "register-help.txt")
    }

    @Test(arguments: [
        (["frobnicate"], "xueliang: unknown command 'frobnicate'\nsee 'xueliang help'\n"),
        (["villages"], "xueliang: unknown command 'villages'\ndid you mean: villages add, villages list?\n"),
        (["list", "--colour"], "xueliang list: unknown option --colour for 'xueliang list'\nsee 'xueliang list --help'\n"),
        (["show"], "xueliang show: missing ID\nsee 'xueliang show --help'\n"),
        (["list", "--village", "123"], "xueliang list: --village: '123' is not a 12-digit village code\nsee 'xueliang list --help'\n"),
        (["import", "x.csv", "--rejects", "r.csv"], "xueliang import: --rejects goes with --skip-invalid\nsee 'xueliang import --help'\n"),
        ([], nil),
    ])
    func badUsageExits64WithOneLineAndAHint(arguments: [String], expected: String?) async {
        let result = await xueliang(arguments, inventory: "/nonexistent")
        #expect(result.status == ExitCode.usage)
        if let expected { #expect(result.error == expected) }
    }

    /// The same refusals in Chinese: what was wrong and where to look, in the reader's language.
    @Test(arguments: [
        (["frobnicate"], "xueliang: 未知命令 'frobnicate'\n参见 'xueliang help'\n"),
        (["list", "--colour"], "xueliang list: 'xueliang list' 没有选项 --colour\n参见 'xueliang list --help'\n"),
        (["list", "--village", "123"], "xueliang list: --village: '123'不是12位村（社区）区划代码\n参见 'xueliang list --help'\n"),
        (["report", "--respond-within", "3x"], "xueliang report: 请至少给出 --html、--csv、--work-orders、--prometheus 之一\n参见 'xueliang report --help'\n"),
    ])
    func badUsageIsExplainedInChinese(arguments: [String], expected: String) async {
        let result = await xueliang(["--lang", "zh"] + arguments, inventory: "/nonexistent")
        #expect(result.status == ExitCode.usage)
        #expect(result.error == expected)
    }

    @Test func missingInventorySaysWhatToDo() async {
        let result = await xueliang(["list"], inventory: "/nonexistent/Inventory")
        #expect(result.status == ExitCode.notFound)
        #expect(result.error == "xueliang list: /nonexistent/Inventory: not an inventory (no such directory); create one with 'xueliang init' or point --inventory at it\n")
    }

    /// Errors after the command line: the registry, the state directory, monitor files and system calls.
    @Test func errorsAreExplainedInChinese() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        let state = directory.file("State")
        try #"{"schema": "xueliang.monitor/1"}"#.write(toFile: directory.file("bad.json"), atomically: true, encoding: .utf8)
        let cases: [([String], String, Int32, String)] = [
            (["list"], "/nonexistent/Inventory", ExitCode.notFound,
             "xueliang list: /nonexistent/Inventory：不是台账目录（目录不存在）；请用 'xueliang init' 创建，或用 --inventory 指向台账\n"),
            (["show", "45012801001320009999"], inventory, ExitCode.notFound, "xueliang show: 台账中没有摄像机 45012801001320009999\n"),
            (["coverage", "--state", state], inventory, ExitCode.notFound,
             "xueliang coverage: \(state)/sweeps/latest.tsv：尚无巡检；请先运行 'xueliang sweep'，或给出 --results 文件，或用 --monitor NAME 读取某个监测的最近一次巡检\n"),
            (["sweep", "--monitor", directory.file("bad.json"), "--state", state], inventory, ExitCode.invalidData,
             "xueliang sweep: \(directory.file("bad.json")): every: 必填，例如 \"15m\"\n"),
            (["export", "/nonexistent/cameras.csv"], inventory, ExitCode.notFound,
             "xueliang export: /nonexistent/cameras.csv：无法创建：文件或目录不存在（No such file or directory）\n"),
        ]
        for (arguments, inventoryPath, status, expected) in cases {
            let result = await xueliang(["--lang", "zh"] + arguments, inventory: inventoryPath)
            #expect(result.status == status, "\(arguments): \(result.error)")
            #expect(result.error == expected, "\(arguments)")
        }
    }
}

@Suite struct RegistryCommandTests {
    @Test func listAndShowAsJSONMatchGoldenFilesWithPhonesMasked() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        let list = await xueliang(["list", "--json"], inventory: inventory)
        #expect(list.status == 0)
        try expectGolden(list.output, "list.json")
        #expect(list.output.contains("138****5678"))
        #expect(!list.output.contains("13812345678"))
        let revealed = await xueliang(["list", "--json", "--show-phone"], inventory: inventory)
        #expect(revealed.output.contains("13812345678"))
        let show = await xueliang(["show", "45012801011320500001"], inventory: inventory)
        try expectGolden(show.output.replacingOccurrences(of: inventory, with: "INVENTORY"), "show.txt")
        let table = await xueliang(["list", "--source", "public"], inventory: inventory)
        try expectGolden(table.output, "list-public.txt")
    }

    @Test func validateListsEveryProblemAndExits1() async throws {
        let directory = TemporaryDirectory()
        let broken = InventoryFixtures.publicCamera(id: "45012801001320000005")
            .replacingOccurrences(of: "latitude = 22.8", with: "latitude = 95")
            .replacingOccurrences(of: "maintainer = 青山县联通运维中心\n", with: "")
        let inventory = try makeFixtureInventory(directory, extraCameras: broken)
        let result = await xueliang(["validate", "--json"], inventory: inventory)
        #expect(result.status == ExitCode.problemsFound)
        try expectGolden(result.output.replacingOccurrences(of: inventory, with: "INVENTORY"), "validate.json")
        let text = await xueliang(["validate"], inventory: inventory)
        #expect(text.output.hasSuffix("incomplete records of (none): 1 (45012801001320000005)\n"
            + "2 villages, 5 cameras: 1 error, 1 warning (1 gap); record completeness 75.0% (3/4 active cameras)\n"), "\(text.output)")
        let strict = await xueliang(["validate", "--strict"], inventory: inventory)
        #expect(strict.output.hasSuffix("2 villages, 5 cameras: 2 errors, 0 warnings (1 gap); record completeness 75.0% (3/4 active cameras)\n"),
                "the same gap, refused")
    }

    @Test func anEmptyRegistryHasNoCompletenessToSpeakOf() async throws {
        let directory = TemporaryDirectory()
        let inventory = directory.file("Inventory")
        #expect(await xueliang(["init"], inventory: inventory).status == 0)
        let text = await xueliang(["validate"], inventory: inventory)
        #expect(text.output == "0 villages, 0 cameras: 0 errors, 0 warnings (0 gaps); record completeness - (0/0 active cameras)\n")
        let json = await xueliang(["validate", "--json"], inventory: inventory)
        #expect(json.output.contains("\"completeness_rate\" : null"), "null, never 100%: \(json.output)")
    }

    @Test func registerUpdateRetire() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        let id = "45012801001320000077"
        let register = await xueliang(["register", id, "--village", InventoryFixtures.villageCode, "--name", "新装枪机", "--source", "public",
                                 "--snapshot", "http://127.0.0.7:8080/snapshot.jpg"], inventory: inventory)
        #expect(register.status == 0, "\(register.error)")
        #expect(register.output == "registered camera \(id) in village 450128101201\n")
        var camera = try #require(try InventoryStore(directory: inventory).load().camera(id: id))
        #expect(camera.status == .pending)

        let again = await xueliang(["register", id, "--village", InventoryFixtures.villageCode, "--name", "x", "--source", "public"], inventory: inventory)
        #expect(again.status == ExitCode.invalidData)
        #expect(again.error.contains("already registered in village 450128101201; use 'xueliang update \(id)'"))

        let strictly = await xueliang(["update", id, "--status", "active", "--strict"], inventory: inventory)
        #expect(strictly.status == ExitCode.invalidData, "with --strict an incomplete record cannot become active")
        #expect(strictly.error.contains("maintainer: missing; the record is incomplete (一机一档)"))
        #expect(try InventoryStore(directory: inventory).load().camera(id: id)?.status == .pending, "and nothing was written")

        let activate = await xueliang(["update", id, "--status", "active"], inventory: inventory)
        #expect(activate.status == 0, "an incomplete record becomes active; its gaps are findings: \(activate.error)")
        let gaps = await xueliang(["validate"], inventory: inventory)
        #expect(gaps.output.contains("camera \(id): maintainer: missing; the record is incomplete (一机一档)"))
        #expect(gaps.output.contains("record completeness 75.0% (3/4 active cameras)"), "\(gaps.output)")

        let complete = await xueliang(["update", id, "--status", "active", "--latitude", "22.8", "--longitude", "108.3", "--address", "青山村",
                                 "--station", "青山派出所", "--maintainer", "运维公司", "--installed", "2026-01-01", "--direction", "东北"],
                                inventory: inventory)
        #expect(complete.status == 0, "\(complete.error)")
        camera = try #require(try InventoryStore(directory: inventory).load().camera(id: id))
        #expect(camera.status == .active)
        #expect(camera.direction == .northeast)

        let clear = await xueliang(["update", id, "--address", "", "--strict"], inventory: inventory)
        #expect(clear.status == ExitCode.invalidData, "with --strict, clearing a required field of an active camera is refused")
        let wrong = await xueliang(["update", id, "--latitude", "0", "--longitude", "0"], inventory: inventory)
        #expect(wrong.status == ExitCode.invalidData, "what is wrong is refused without --strict")
        #expect(wrong.error.contains("0,0 is not a position"))

        #expect(await xueliang(["retire", id], inventory: inventory).status == 0)
        #expect(try InventoryStore(directory: inventory).load().camera(id: id)?.status == .retired)
        #expect(await xueliang(["retire", "45012801001320099999"], inventory: inventory).status == ExitCode.notFound)
    }

    @Test func villagesAddAndList() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        let add = await xueliang(["villages", "add", "450128102203", "--name", "水口村", "--township", "龙泉镇", "--station", "龙泉派出所",
                            "--key-point", "entrance:村口@22.7,108.2", "--key-point", "school:学校"], inventory: inventory)
        #expect(add.status == 0, "\(add.error)")
        let list = await xueliang(["villages", "list"], inventory: inventory)
        try expectGolden(list.output, "villages-list.txt")
        let bad = await xueliang(["villages", "add", "450128102000", "--name", "x"], inventory: inventory)
        #expect(bad.status == ExitCode.invalidData)
        #expect(bad.error.hasPrefix("command line: village 450128102000: CODE: 450128102000 ends in 000"))
    }

    @Test func aKeyPointCamerasCoverIsNotDroppedButCanBeReassigned() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        let village = InventoryFixtures.villageCode
        let file = inventory + "/villages/\(village).village"
        let before = try String(contentsOfFile: file, encoding: .utf8)
        let drop = await xueliang(["villages", "add", village, "--key-point", "school:学校门口"], inventory: inventory)
        #expect(drop.status == ExitCode.invalidData)
        #expect(drop.error.contains("village \(village): keypoint: key point entrance is covered by 2 cameras "
            + "(45012801001320000001, 45012801001320000002); keep it, or move them with --reassign entrance=NEW_ID"), "\(drop.error)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == before, "nothing written")

        let unknown = await xueliang(["villages", "add", village, "--key-point", "school:学校门口", "--reassign", "entrance=gate"], inventory: inventory)
        #expect(unknown.status == ExitCode.invalidData)
        #expect(unknown.error.contains("entrance=gate: gate is not among the new --key-point list"))

        let moved = await xueliang(["villages", "add", village, "--key-point", "gate:村大门", "--key-point", "school:学校门口",
                                    "--reassign", "entrance=gate"], inventory: inventory)
        #expect(moved.status == 0, "\(moved.error)")
        let store = try InventoryStore(directory: inventory).load()
        #expect(store.camera(id: "45012801001320000001")?.covers == ["gate"])
        #expect(store.villages[try VillageCode.parse(village).get()]?.keyPoints.map(\.id) == ["gate", "school"])
        let validate = await xueliang(["validate"], inventory: inventory)
        #expect(!validate.output.contains("is not defined in village"), "the registry stays valid: \(validate.output)")

        try directory.write("code,name,key_points\n\(village),青山村,school:学校门口\n", to: "villages.csv")
        let imported = await xueliang(["import", "--villages", directory.file("villages.csv")], inventory: inventory)
        #expect(imported.status == ExitCode.invalidData, "an import that drops a covered key point is refused too")
        #expect(imported.error.contains("villages.csv:2: village \(village): keypoint: key point gate is covered by 2 cameras"), "\(imported.error)")
    }

    @Test func importDryRunWritesNothingAndSkipInvalidWritesRejects() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        try directory.write("""
            设备编码,点位名称,村社区代码,来源,rtsp
            45012801001320000031,一号,450128101201,公共,rtsp://127.0.0.31/s
            45012801001320000032,二号,450128101201,私人,rtsp://127.0.0.32/s

            """, to: "new.csv")
        let dryRun = await xueliang(["import", directory.file("new.csv"), "--dry-run"], inventory: inventory)
        #expect(dryRun.status == ExitCode.invalidData)
        #expect(dryRun.error.contains("new.csv:3: source: '私人' is not a source; use public (公共) or citizen (社会)"))
        #expect(dryRun.error.hasSuffix("xueliang import: refused: 1 problem; nothing was written\n"))

        let skip = await xueliang(["import", directory.file("new.csv"), "--skip-invalid"], inventory: inventory)
        #expect(skip.status == 0, "\(skip.error)")
        #expect(skip.output.contains("imported \(directory.file("new.csv")) (UTF-8, comma-separated): 1 cameras added, 0 updated, 0 unchanged"))
        let rejectBytes = try Data(contentsOf: URL(fileURLWithPath: directory.file("new.rejected.csv")))
        #expect(rejectBytes.starts(with: [0xEF, 0xBB, 0xBF]), "a UTF-8 BOM, so Excel on a Chinese Windows reads it right")
        let rejects = String(decoding: rejectBytes.dropFirst(3), as: UTF8.self)
        #expect(rejects.hasPrefix("设备编码,点位名称,村社区代码,来源,rtsp,error\n45012801001320000032,二号,450128101201,私人,rtsp://127.0.0.32/s,"))
        #expect(try InventoryStore(directory: inventory).load().camera(id: "45012801001320000031") != nil)

        try directory.write("code,name,township,station\n450128102204,新村,龙泉镇,龙泉派出所\n450128102205,短行\n", to: "villages.csv")
        let villages = await xueliang(["import", "--villages", directory.file("villages.csv")], inventory: inventory)
        #expect(villages.status == ExitCode.invalidData, "a short row fails a village import too")
        #expect(villages.error.contains("villages.csv:3: has 2 fields; the header has 4"))
        #expect(try InventoryStore(directory: inventory).load().villages.count == 2, "nothing was written")

        let dryRunOK = await xueliang(["import", directory.file("new.rejected.csv"), "--dry-run"], inventory: inventory)
        #expect(dryRunOK.status == ExitCode.invalidData, "the rejected row is still invalid")
        #expect(dryRunOK.error.contains("new.rejected.csv:2: source: '私人' is not a source"), "\(dryRunOK.error)")
        #expect(!dryRunOK.error.contains("error:"), "the rejects file's error column is not read as a field")
    }

    /// A rejected row's cells that a spreadsheet would run as formulas are written as text, and read back
    /// as they were.
    @Test func theRejectsFileNeutralisesFormulasAndReadsBackAsItWas() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        try directory.write("设备编码,点位名称,村社区代码,来源,rtsp\n45012801001320000033,\"=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\",450128101201,私人,@cmd\n",
                            to: "hostile.csv")
        let skip = await xueliang(["import", directory.file("hostile.csv"), "--skip-invalid"], inventory: inventory)
        #expect(skip.status == 0, "\(skip.error)")
        let rejects = String(decoding: try Data(contentsOf: URL(fileURLWithPath: directory.file("hostile.rejected.csv"))).dropFirst(3), as: UTF8.self)
        #expect(rejects.contains("\n45012801001320000033,\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\",450128101201,私人,'@cmd,"), "\(rejects)")
        let table = try CSVTable.read(path: directory.file("hostile.rejected.csv"))
        #expect(table.rows.first?.fields.prefix(5) == ["45012801001320000033", "=HYPERLINK(\"http://evil.example/\",\"x\")", "450128101201", "私人", "@cmd"])
    }
}

@Suite struct SecretTests {
    static let password = "Pa55-very-secret-word"

    @Test func exposedCredentialsFileIsRefused() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        try writeCredentials(inventory, password: Self.password, mode: 0o644)
        let register = await xueliang(["register", "45012801001320000088", "--village", InventoryFixtures.villageCode, "--name", "x",
                                 "--source", "public"], inventory: inventory)
        #expect(register.status == ExitCode.permission)
        #expect(register.error == "xueliang register: \(inventory)/credentials.json: mode 644 lets others read camera passwords; run 'chmod 600 \(inventory)/credentials.json'\n")
        let validate = await xueliang(["validate"], inventory: inventory)
        #expect(validate.status == ExitCode.problemsFound)
        #expect(validate.output.contains("credentials.json: xueliang validate") == false)
        #expect(validate.output.contains("mode 644 lets others read camera passwords"))
    }

    @Test func noPasswordAppearsInAnyOutput() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        try writeCredentials(inventory, password: Self.password, mode: 0o600)
        var everything = ""
        for arguments in [["list"], ["list", "--json"], ["show", "45012801001320000001"], ["show", "45012801001320000001", "--json"],
                          ["validate"], ["validate", "--json"], ["villages", "list", "--json"],
                          ["register", "45012801001320000066", "--village", InventoryFixtures.villageCode, "--name", "x", "--source", "public",
                           "--rtsp", "rtsp://admin:\(Self.password)@127.0.0.66/s"]] {
            let result = await xueliang(arguments, inventory: inventory)
            everything += result.output + result.error
        }
        #expect(everything.contains("hik-admin"), "the profile's name is shown")
        #expect(everything.contains("rtsp://***@127.0.0.66/s carries credentials"))
        #expect(!everything.contains(Self.password))
    }

    @Test func aHandEditedURLWithCredentialsIsNeverPrinted() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory, extraCameras: InventoryFixtures.publicCamera(id: "45012801001320000077")
            .replacingOccurrences(of: "rtsp://127.0.0.1", with: "rtsp://admin:\(Self.password)@127.0.0.1"))
        var everything = ""
        for arguments in [["show", "45012801001320000077"], ["show", "45012801001320000077", "--json"], ["list", "--json"], ["validate"]] {
            let result = await xueliang(arguments, inventory: inventory)
            everything += result.output + result.error
        }
        #expect(everything.contains("rtsp://***@127.0.0.1:8554/stream"))
        #expect(!everything.contains(Self.password))
    }

    @Test func malformedCredentialsFileDoesNotQuoteIt() async throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        try "{\"schema\": \"xueliang.credentials/1\", \"profiles\": {\"a\": {\"password\": \"\(Self.password)\"}}}"
            .write(toFile: inventory + "/credentials.json", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: inventory + "/credentials.json")
        let result = await xueliang(["retire", "45012801001320000001"], inventory: inventory)
        #expect(result.status == ExitCode.invalidData)
        #expect(!result.error.contains(Self.password))
        #expect(result.error.contains("not a credentials file"))
    }
}

@Suite struct DemoInventoryTests {
    @Test func demoValidatesWithItsDeliberateGapsOnly() async throws {
        let result = await xueliang(["validate", "--json"], inventory: Repository.root + "/Inventory")
        #expect(result.status == ExitCode.success, "gaps are findings: \(result.error)")
        struct Document: Decodable {
            struct Summary: Decodable {
                var villages: Int, cameras: Int, errors: Int, gaps: Int
                var complete_records: Int, counted_records: Int
            }
            var summary: Summary
        }
        let document = try JSONDecoder().decode(Document.self, from: Data(result.output.utf8))
        #expect(document.summary.villages == 40)
        #expect(document.summary.cameras > 380)
        #expect(document.summary.errors == 0)
        #expect(document.summary.counted_records - document.summary.complete_records == 4, "the four deliberate gaps of active cameras")
    }
}

/// With `--monitor`, the file decides scope and checks; how this machine runs the sweep (budget, redirects,
/// memory) still comes from the command line, since a monitor file has no keys for them.
@Suite struct MonitorRunOptionTests {
    @Test func runOptionsApplyOnTopOfAMonitorsSettings() throws {
        let allowed = try ArgumentParser.parse(["--monitor", "m.json", "--budget", "5", "--redirects", "none", "--memory-budget", "2G"],
                                               options: SweepCommand.options, command: "sweep")
        try SweepOptions.refuseWithMonitor(allowed, command: "sweep")
        var monitorSettings = SweepSettings()
        monitorSettings.concurrency = 50
        let settings = SweepOptions.monitorSettings(monitorSettings, commandLine: try SweepOptions.settings(allowed, command: "sweep"))
        #expect(settings.concurrency == 50 && settings.budgetSeconds == 5 && settings.redirects == .never && settings.memoryBudgetBytes == 2 << 30)
        let refused = try ArgumentParser.parse(["--monitor", "m.json", "--timeout", "5"], options: SweepCommand.options, command: "sweep")
        #expect(throws: UsageError.self) { try SweepOptions.refuseWithMonitor(refused, command: "sweep") }
    }

    /// Without `--memory-budget`, the budget grows with the concurrency (the monitor's, when it sets one), so
    /// that each transfer's share stays 512 KB: 1,000 in flight of 300 KB snapshots all fit.
    @Test func theDefaultMemoryBudgetFollowsTheConcurrency() throws {
        let none = try SweepOptions.settings(try ArgumentParser.parse([], options: SweepCommand.options, command: "sweep"), command: "sweep")
        #expect(none.memoryBudgetBytes == nil && none.memoryBudget == 512 << 20, "500 in flight: the floor")
        var monitor = SweepSettings()
        monitor.concurrency = 2000
        #expect(SweepOptions.monitorSettings(monitor, commandLine: none).memoryBudget == 2000 << 20)
        let fast = try SweepOptions.settings(try ArgumentParser.parse(["--concurrency", "1000"], options: SweepCommand.options, command: "sweep"),
                                             command: "sweep")
        #expect(fast.memoryBudget == 1000 << 20 && (fast.memoryBudget / 2) / fast.concurrency == 512 << 10)
        let given = try SweepOptions.settings(try ArgumentParser.parse(["--concurrency", "1000", "--memory-budget", "512M"],
                                                                       options: SweepCommand.options, command: "sweep"), command: "sweep")
        #expect(given.memoryBudget == 512 << 20, "a budget given by hand is kept")
    }
}
