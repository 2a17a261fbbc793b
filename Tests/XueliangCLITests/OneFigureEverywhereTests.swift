import CameraFleet
import Foundation
import Testing
import TestSupport
@testable import XueliangCLI

/// One sweep of a monitor, then every output that states the online rate: they must agree. The fleet and
/// registry are `SweepCommandTests.Setup(consent: true)`: in service are …01, …03 (digest), …04 (clock skew,
/// degraded), …05 (a channel of the refusing NVR, parent-offline), …10 (blackholed) and the playback-only
/// citizen camera (a TCP connect); the NVR is not a camera, the camera with expired consent and the pending
/// one are not in service. Working 4 of 6: 66.7%.
@Suite(.serialized) struct OneFigureEverywhereTests {
    @Test func everyOutputGivesTheSameOnlineRateForTheSameSweep() async throws {
        let setup = try SweepCommandTests.Setup(consent: true)
        defer { setup.fleet.stop() }
        let monitor = setup.directory.file("county.json")
        try #"{"schema": "xueliang.monitor/1", "every": "15m", "timeout": "3s", "connect_timeout": "2s"}"#
            .write(toFile: monitor, atomically: true, encoding: .utf8)
        let environment = ["XUELIANG_STATE": setup.state, "XUELIANG_TODAY": "2026-11-24"]
        func run(_ arguments: [String]) async -> CommandResult {
            await xueliang(arguments, inventory: setup.inventory, environment: environment)
        }
        let sweep = await run(["sweep", "--monitor", monitor])
        #expect(sweep.status == 0, "\(sweep.error)")
        #expect(sweep.output.contains("county sweep 1: 4/6 working (66.7%)"), "the watch line: \(sweep.output)")

        let coverage = await run(["coverage", "--monitor", "county"])
        #expect(coverage.output.contains("online rate 66.7% (4/6;"), "\(coverage.output)")
        let json = await run(["coverage", "--monitor", "county", "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let total = try #require(document["total"] as? [String: Any])
        #expect(total["cameras"] as? Int == 6 && total["working"] as? Int == 4 && total["online_rate"] as? Double == 0.6667)

        let html = setup.directory.file("report.html"), csv = setup.directory.file("villages.csv"), prometheus = setup.directory.file("metrics.prom")
        let report = await run(["report", "--monitor", "county", "--html", html, "--csv", csv, "--prometheus", prometheus])
        #expect(report.status == 0, "\(report.error)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains(#"<div class="card" id="online-rate"><div class="label">Online rate</div><div class="value">66.7%</div><div class="count">4 / 6</div>"#))
        #expect(page.contains("online rate 66.7% (4/6)</title>"), "the trend's point for this sweep")
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let rows = lines.filter { $0[0].count == 12 && $0[0].allSatisfy(\.isNumber) }
        #expect(lines.last.map { Int($0[4]) == 6 && Int($0[5]) == 4 && $0[6] == "66.7%" } == true, "the total line")
        #expect(rows.reduce(0) { $0 + Int($1[4])! } == 6 && rows.reduce(0) { $0 + Int($1[5])! } == 4, "the village CSV's cameras and online")
        let metrics = try String(contentsOfFile: prometheus, encoding: .utf8)
        #expect(metrics.contains("xueliang_county_online_ratio{county=\"450128\"} 0.666667"), "\(metrics)")

        let check = await run(["check", "--monitor", "county", "--max-age", "6h"])
        #expect(check.output.hasPrefix("XUELIANG CRITICAL - 4/6 online (66.7%)"), "\(check.output)")
    }
}
