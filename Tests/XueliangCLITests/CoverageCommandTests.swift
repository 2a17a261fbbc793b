import Foundation
import Testing
import TestSupport
@testable import XueliangCLI

/// `xueliang coverage` on a fixture registry and a fixed sweep document, against golden files.
@Suite struct CoverageCommandTests {
    /// The fixture inventory (Support.swift) plus an empty village, and a sweep where the NVR channel is down.
    func setUp(_ directory: TemporaryDirectory) throws -> (inventory: String, results: String) {
        let inventory = try makeFixtureInventory(directory)
        try InventoryFixtures.villageFile(code: "450128101202", name: "龙头村")
            .write(toFile: inventory + "/villages/450128101202.village", atomically: true, encoding: .utf8)
        let sweep = """
        {"cameras":[
          {"id":"45012801001181000009","name":"n","village":"450128101201","status":"online","reason":"ok","detail":"","checks":[]},
          {"id":"45012801001320000001","name":"n","village":"450128101201","status":"online","reason":"ok","detail":"",
           "checks":[{"kind":"snapshot","passed":true,"reason":"ok","detail":"","bytes":1,"attempts":1,
                      "phases":{"dns_us":0,"connect_us":0,"tls_us":0,"first_byte_us":0,"total_us":0},"findings":{"clock_offset_s":2}}]},
          {"id":"45012801001320000002","name":"n","village":"450128101201","status":"offline","reason":"timeout","detail":"","checks":[]},
          {"id":"45012801011320500001","name":"n","village":"450128101201","status":"degraded","reason":"clock-skew","detail":"",
           "checks":[{"kind":"rtsp","passed":true,"reason":"ok","detail":"","bytes":1,"attempts":1,
                      "phases":{"dns_us":0,"connect_us":0,"tls_us":0,"first_byte_us":0,"total_us":0},"findings":{"clock_offset_s":300}}]}
        ],"complete":true,"counts":{"cameras":4,"probed":4,"online":2,"degraded":1,"offline":1,"by_reason":{}},
        "duration_s":1,"finished_at":"2026-11-24T07:00:00Z","schema":"xueliang.sweep/1","scope":"all",
        "settings":{"concurrency":500,"per_host":4,"connect_timeout_s":3,"timeout_s":10,"retries":0,"clock_skew_threshold_s":60,"maximum_body_bytes":4194304},
        "started_at":"2026-11-24T06:59:59Z"}
        """
        try directory.write(sweep, to: "sweep.json")
        return (inventory, directory.file("sweep.json"))
    }

    @Test func tableAndJSONMatchGoldenFiles() async throws {
        let directory = TemporaryDirectory()
        let (inventory, results) = try setUp(directory)
        let text = await xueliang(["coverage", "--results", results, "--by", "village"], inventory: inventory)
        #expect(text.status == 0, "\(text.error)")
        try expectGolden(text.output, "coverage-by-village.txt")
        let json = await xueliang(["coverage", "--results", results, "--json"], inventory: inventory)
        try expectGolden(json.output, "coverage.json")
        #expect(json.output.contains("\"schema\" : \"xueliang.coverage/1\""))
    }

    /// The same figures as the county's staff read them; the JSON does not change with the language.
    @Test func theFiguresInChineseMatchTheirGoldenFiles() async throws {
        let directory = TemporaryDirectory()
        let (inventory, results) = try setUp(directory)
        let chinese = ["LANG": "zh_CN.UTF-8", "TZ": "Asia/Shanghai", "XUELIANG_NOW": "2026-11-24T09:00:00Z"]
        let text = await xueliang(["coverage", "--results", results, "--by", "village"], inventory: inventory, environment: chinese)
        #expect(text.status == 0, "\(text.error)")
        try expectGolden(text.output, "coverage-by-village-zh.txt")
        let json = await xueliang(["coverage", "--results", results, "--json"], inventory: inventory, environment: chinese)
        try expectGolden(json.output, "coverage.json")
        let files = ["csv": directory.file("villages.csv"), "work-orders": directory.file("orders.csv"), "html": directory.file("report.html")]
        let report = await xueliang(["report", "--results", results, "--csv", files["csv"]!, "--work-orders", files["work-orders"]!,
                                     "--html", files["html"]!, "--area", "青山县"], inventory: inventory, environment: chinese)
        #expect(report.status == 0 && report.output.contains("已写入 "), "\(report.output)\(report.error)")
        for (option, golden) in [("csv", "report-villages-zh.csv"), ("work-orders", "report-work-orders-zh.csv")] {
            try expectGolden(String(decoding: try Data(contentsOf: URL(fileURLWithPath: files[option]!)).dropFirst(3), as: UTF8.self), golden)
        }
        try expectGolden(try String(contentsOfFile: files["html"]!, encoding: .utf8), "report-zh.html")
    }

    @Test func reportFilesMatchGoldenFiles() async throws {
        let directory = TemporaryDirectory()
        let (inventory, results) = try setUp(directory)
        let files = ["csv": directory.file("villages.csv"), "work-orders": directory.file("orders.csv"),
                     "prometheus": directory.file("xueliang.prom"), "html": directory.file("report.html")]
        let result = await xueliang(["report", "--results", results, "--csv", files["csv"]!, "--work-orders", files["work-orders"]!,
                                     "--prometheus", files["prometheus"]!, "--html", files["html"]!], inventory: inventory,
                                    environment: ["XUELIANG_NOW": "2026-11-24T09:00:00Z"])
        #expect(result.status == 0, "\(result.error)")
        let csv = try Data(contentsOf: URL(fileURLWithPath: files["csv"]!))
        #expect(csv.starts(with: [0xEF, 0xBB, 0xBF]), "a BOM, so Excel on a Chinese Windows opens it right")
        try expectGolden(String(decoding: csv.dropFirst(3), as: UTF8.self), "report-villages.csv")
        // The hours column counts from the sweep to now: normalised.
        let orders = String(decoding: try Data(contentsOf: URL(fileURLWithPath: files["work-orders"]!)).dropFirst(3), as: UTF8.self)
        let hours = try NSRegularExpression(pattern: #"(Z,)[0-9]+\.[0-9],"#)
        try expectGolden(hours.stringByReplacingMatches(in: orders, range: NSRange(orders.startIndex..., in: orders), withTemplate: "$1HOURS,"),
                         "report-work-orders.csv")
        try expectGolden(try String(contentsOfFile: files["prometheus"]!, encoding: .utf8), "report.prom")
        let html = try String(contentsOfFile: files["html"]!, encoding: .utf8)
        #expect(html.contains("青山村") && html.hasPrefix("<!DOCTYPE html>"))
        let generated = try NSRegularExpression(pattern: #"(Generated: )[0-9T:Z-]+"#)
        try expectGolden(generated.stringByReplacingMatches(in: html, range: NSRange(html.startIndex..., in: html), withTemplate: "$1…"),
                         "report.html")
        #expect(!result.output.contains("credentials"))
        #expect(await xueliang(["report"], inventory: inventory).status == ExitCode.usage)
    }

    /// A camera's name, address and maintainer come from whoever filled the registry: in the spreadsheets
    /// the tool writes, a cell that a spreadsheet would run as a formula is written as text.
    @Test func spreadsheetCellsThatLookLikeFormulasAreWrittenAsText() async throws {
        let directory = TemporaryDirectory()
        let (inventory, results) = try setUp(directory)
        let villageFile = inventory + "/villages/450128101201.village"
        var text = try String(contentsOfFile: villageFile, encoding: .utf8)
        let channel = try #require(text.range(of: "[camera 45012801001320000002]"))
        let hostile = ["name": "=HYPERLINK(\"http://evil.example/\",\"点击\")", "address": "=cmd|' /C calc'!A0",
                       "maintainer": "@SUM(1+1)*cmd|' /C calc'!A0"]
        var section = String(text[channel.lowerBound...])
        for (key, value) in hostile {
            let line = try #require(section.range(of: "\n\(key) = [^\n]*", options: .regularExpression))
            section.replaceSubrange(line, with: "\n\(key) = \(value)")
        }
        text = String(text[..<channel.lowerBound]) + section
        try text.write(toFile: villageFile, atomically: true, encoding: .utf8)
        let orders = directory.file("orders.csv")
        let result = await xueliang(["report", "--results", results, "--work-orders", orders], inventory: inventory)
        #expect(result.status == 0, "\(result.error)")
        let written = String(decoding: try Data(contentsOf: URL(fileURLWithPath: orders)).dropFirst(3), as: UTF8.self)
        let row = try #require(written.split(separator: "\r\n").first { $0.contains("45012801001320000002") })
        #expect(row.contains(",45012801001320000002,\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"点击\"\")\","), "\(row)")
        #expect(row.contains(",'@SUM(1+1)*cmd|' /C calc'!A0,"), "the maintainer")
        #expect(row.contains(",'=cmd|' /C calc'!A0,"))
        // Coordinates and other numbers stay numbers.
        #expect(row.contains(",22.8,108.3,"))
    }

    @Test func withoutASweepItSaysWhatToDo() async throws {
        let directory = TemporaryDirectory()
        let (inventory, _) = try setUp(directory)
        let result = await xueliang(["coverage", "--state", directory.file("State")], inventory: inventory)
        #expect(result.status == ExitCode.notFound)
        #expect(result.error == "xueliang coverage: \(directory.file("State"))/sweeps/latest.tsv: no sweep yet; run 'xueliang sweep' first, give --results FILE, "
                + "or --monitor NAME for a watched monitor's latest sweep\n")
        #expect(await xueliang(["coverage", "--by", "planet"], inventory: inventory).status == ExitCode.usage)
    }

    /// A kept sweep that cannot be read is an I/O error naming the file (exit 74), not "no sweep yet"; one
    /// that is damaged names its line (exit 65).
    @Test func anUnreadableOrDamagedKeptSweepIsNotMistakenForNone() async throws {
        let directory = TemporaryDirectory()
        let (inventory, _) = try setUp(directory)
        let latest = directory.file("State/sweeps/latest.tsv")
        try FileManager.default.createDirectory(atPath: latest, withIntermediateDirectories: true)
        let unreadable = await xueliang(["coverage", "--state", directory.file("State")], inventory: inventory)
        #expect(unreadable.status == ExitCode.ioError)
        #expect(unreadable.error == "xueliang coverage: \(latest): cannot read (not a regular file): Invalid argument\n")
        try FileManager.default.removeItem(atPath: latest)
        try "xueliang.sweep-record/1\nstarted_at=2026-11-24T07:00:00Z\tfinished_at=2026-11-24T07:00:30Z\tcomplete=1\ttotal=1\tscope=all\nX\tsideways\tok\t\t\t\n"
            .write(toFile: latest, atomically: true, encoding: .utf8)
        let damaged = await xueliang(["coverage", "--state", directory.file("State")], inventory: inventory)
        #expect(damaged.status == ExitCode.invalidData)
        #expect(damaged.error == "xueliang coverage: \(latest):3: expected id, status, reason, clock offset, time and detail\n")
    }
}
