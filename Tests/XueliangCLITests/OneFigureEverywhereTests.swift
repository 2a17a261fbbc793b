import CameraFleet
import Foundation
import Localization
import Monitoring
import Probing
import Reports
import StateStore
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

    /// 图像质量正常率 (docs/figures.md) from three sweeps of a picture monitor over cameras whose snapshots nginx
    /// serves: …01 a normal scene that moves each sweep, …02 a normal scene that never changes (frozen after
    /// three sweeps, by the monitor), …03 too dark, …04 a black screen, …05 a snapshot that is missing (no
    /// picture: not counted). Pictures checked 4, normal 1: 25.0% in every output.
    @Test func everyOutputGivesTheSamePictureNormalRate() async throws {
        let directory = TemporaryDirectory("xueliang-nginx")
        let port = try freePort()
        let peers = Repository.root + "/Tests/Peers"
        let started = try ProcessRunner.run("/bin/bash", [peers + "/nginx.sh", "start", directory.path, String(port)])
        defer { _ = try? ProcessRunner.run("/bin/bash", [peers + "/nginx.sh", "stop", directory.path]) }
        try #require(started.status == 0, "nginx did not start: \(started.standardError)")
        func scene(_ x: Int, _ y: Int, shift: Int = 0) -> UInt8 {
            UInt8(clamping: 220 - (x + shift) % 320 / 2 - y / 3 + (((x + shift) / 8 + y / 8) % 2) * 30)
        }
        func picture(_ name: String, _ pixel: (Int, Int) -> UInt8) throws { try CJPEG.grey(width: 320, height: 240, to: directory.file("www/\(name).jpg"), pixel) }
        try picture("still") { scene($0, $1) }
        try picture("dark") { x, y in scene(x, y) / 12 }
        try picture("black") { _, _ in 0 }

        let work = TemporaryDirectory()
        let cameras = [(1, "moving"), (2, "still"), (3, "dark"), (4, "black"), (5, "missing")].map { serial, name in
            InventoryFixtures.publicCamera(id: "4501280100132000000\(serial)")
                .replacingOccurrences(of: "rtsp = rtsp://127.0.0.1:8554/stream", with: "snapshot = http://127.0.0.1:\(port)/\(name).jpg")
        }.joined(separator: "\n")
        let inventory = try InventoryFixtures.makeInventory(in: work, files: [InventoryFixtures.villageCode: InventoryFixtures.villageFile(cameras: cameras)])
        let monitor = work.file("pictures.json")
        try #"{"schema": "xueliang.monitor/1", "every": "15m", "checks": ["picture"], "timeout": "3s", "connect_timeout": "2s"}"#
            .write(toFile: monitor, atomically: true, encoding: .utf8)
        let environment = ["XUELIANG_STATE": work.file("State"), "XUELIANG_TODAY": "2026-11-24"]
        func run(_ arguments: [String]) async -> CommandResult { await xueliang(arguments, inventory: inventory, environment: environment) }
        for number in 1...3 {
            try picture("moving") { scene($0, $1, shift: number * 40) }
            let sweep = await run(["sweep", "--monitor", monitor])
            #expect(sweep.status == 0, "\(sweep.error)")
            #expect(sweep.output.contains("\(number == 3 ? 3 : 0) frozen"), "\(sweep.output)")
        }

        let coverage = await run(["coverage", "--monitor", "pictures"])
        #expect(coverage.output.contains("picture normal rate (图像质量正常率) 25.0% (1/4 pictures checked without a finding)"), "\(coverage.output)")
        let untranslated = UntranslatedMessages()
        let chinese = await OutputLocale.$current.withValue(OutputLocale(language: .chinese)) {
            await OutputLocale.$untranslated.withValue(untranslated) { await run(["coverage", "--monitor", "pictures"]) }
        }
        #expect(chinese.output.contains("图像质量正常率 25.0%（已检图像 4 路，无异常 1 路）"), "\(chinese.output)")
        #expect(!untranslated.keys.contains { $0.hasPrefix("picture normal rate") })
        let json = await run(["coverage", "--monitor", "pictures", "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let total = try #require(document["total"] as? [String: Any])
        #expect(total["pictures_checked"] as? Int == 4 && total["normal_pictures"] as? Int == 1 && total["picture_normal_rate"] as? Double == 0.25)
        let prometheus = work.file("metrics.prom")
        let report = await run(["report", "--monitor", "pictures", "--prometheus", prometheus])
        #expect(report.status == 0, "\(report.error)")
        let metrics = try String(contentsOfFile: prometheus, encoding: .utf8)
        #expect(metrics.contains("xueliang_county_picture_normal_ratio{county=\"450128\"} 0.25\n"), "\(metrics)")

        // The pictures a report shows: the kept sweep's thumbnails of the cameras with a finding, the frozen
        // one's from its signature (grey), all 20x15 (320x240 is 40x30 blocks).
        let kept = try String(contentsOfFile: work.file("State/monitors/pictures/sweeps/thumbnails.tsv"), encoding: .utf8)
        let keptLines: [String] = kept.split(separator: "\n").dropFirst(2).map { line in line.split(separator: "\t").prefix(3).joined(separator: " ") }
        #expect(keptLines == ["45012801001320000002 20 15", "45012801001320000003 20 15", "45012801001320000004 20 15"], "\(kept.prefix(300))")
        let thumbnails = try MonitorStore(stateDirectory: work.file("State"), monitor: "pictures").files.sweeps.thumbnails()
        #expect(thumbnails.keys.sorted() == ["45012801001320000002", "45012801001320000003", "45012801001320000004"])
        #expect(thumbnails["45012801001320000003"]?.dataURI.hasPrefix("data:image/png;base64,") == true)
        let grey = try #require(thumbnails["45012801001320000002"])
        let pixels: [ArraySlice<UInt8>] = stride(from: 0, to: grey.rgb.count, by: 3).map { grey.rgb[$0..<($0 + 3)] }
        #expect(pixels.allSatisfy { Set($0).count == 1 }, "a signature has luma only")
        // A plain sweep's document carries them too, and reads back.
        let documentPath = work.file("sweep.json")
        let plain = await run(["sweep", "--checks", "picture", "--output", documentPath, "--no-save", "--timeout", "3"])
        #expect(plain.status == 0, "\(plain.error)")
        let fromDocument = try SweepReadings.load(path: documentPath)
        #expect(fromDocument.thumbnails.keys.sorted() == ["45012801001320000003", "45012801001320000004"], "a plain sweep knows no frozen picture")
        #expect(fromDocument.readings["45012801001320000003"]?.pictureFindings == [ReasonCode.tooDark])
    }
}
