import Coverage
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Localization
import Probing
import Registry
import StateStore
import Testing
import TestSupport
@testable import Reports

/// The HTML report on a registry small enough to count by hand (the example of docs/figures.md, in three townships):
///
/// - 青山村 (青山镇): camera A (public, covers entrance, online, clock +10 s), B (public, covers school, offline),
///   C (citizen, online, consent ends in 10 days).
/// - 东门社区 (东门街道): camera D (public, covers both key points, degraded, clock +300 s).
/// - a village named like an attack, in a township named like one too: no camera at all.
///
/// Online 3/4 = 75.0%; villages covered 1/3 = 33.3%; key points 3/6 = 50.0%; records 4/4 = 100.0% (no issues
/// passed in); clocks 1/2 = 50.0%; public 2/3 = 66.7%; citizen 1/1 = 100.0%; consent expiring soon 1.
@Suite struct HTMLReportTests {
    static let evilVillage = "<script>alert(\"x\")</script>&"
    static let evilTownship = "龙头镇 <b>'T'</b>"
    static let generatedAt = Date(timeIntervalSince1970: 1_795_509_000)  // 2026-11-24T08:30:00Z
    static let sweptAt = Date(timeIntervalSince1970: 1_795_507_200)  // 2026-11-24T08:00:00Z

    static func history(_ count: Int) -> [SweepPoint] {
        (0..<count).map { index in
            SweepPoint(finishedAt: sweptAt.addingTimeInterval(Double(index - count + 1) * 3600), cameras: 4, working: [4, 3, 2, 3][index % 4])
        }
    }

    static func makeInput(history: [SweepPoint] = history(3)) throws -> ReportInput {
        let directory = TemporaryDirectory()
        func camera(_ serial: String, covers: String) -> String {
            InventoryFixtures.publicCamera(id: "450128010013200000\(serial)").replacingOccurrences(of: "covers = entrance", with: "covers = \(covers)")
        }
        let qingshan = [camera("01", covers: "entrance"), camera("02", covers: "school"),
                        InventoryFixtures.citizenCamera(id: "45012801011320500003").replacingOccurrences(of: "2027-12-31", with: "2026-12-04")]
        let root = try InventoryFixtures.makeInventory(in: directory, files: [
            "450128101201": InventoryFixtures.villageFile(cameras: qingshan.joined(separator: "\n")),
            "450128001001": InventoryFixtures.villageFile(code: "450128001001", name: "东门社区", cameras: camera("04", covers: "entrance, school"))
                .replacingOccurrences(of: "township = 青山镇", with: "township = 东门街道"),
            "450128102201": InventoryFixtures.villageFile(code: "450128102201", name: evilVillage)
                .replacingOccurrences(of: "township = 青山镇", with: "township = \(evilTownship)"),
        ])
        let inventory = try InventoryStore(directory: root).load()
        let readings: [String: CameraReading] = [
            "45012801001320000001": CameraReading(status: .online, reason: .ok, clockOffsetSeconds: 10),
            "45012801001320000002": CameraReading(status: .offline, reason: .timeout),
            "45012801011320500003": CameraReading(status: .online, reason: .ok),
            "45012801001320000004": CameraReading(status: .degraded, reason: .clockSkew, clockOffsetSeconds: 300),
        ]
        let rules = CoverageRules(today: InventoryFixtures.today)
        func report(_ grouping: CoverageGrouping) -> CoverageReport {
            CoverageCalculator.report(inventory: inventory, readings: readings, issues: [], grouping: grouping, rules: rules)
        }
        let offline = OfflineFeed(cameraID: "45012801001320000002", name: "学校门口枪机", village: "450128101201", villageName: "青山村",
                                  township: "青山镇", address: "青山村学校门口", latitude: nil, longitude: nil, reason: .timeout,
                                  detail: "no reply in 5 s <rtsp> & \"retry\"", offlineSince: sweptAt.addingTimeInterval(-7200),
                                  station: "青山派出所", maintainer: "青山县联通运维中心", source: .public)
        return ReportInput(byTownship: report(.township), byVillage: report(.village), inventory: inventory, offline: [offline],
                           history: history, latest: SweepReadings(readings: readings, finishedAt: sweptAt, complete: true),
                           generatedAt: generatedAt)
    }

    /// What an XML parser saw: elements by name and class, the headline cards' values, all the text.
    final class Outline: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        var cardValues: [String: String] = [:]
        var text = ""
        private var open: [(id: String?, classes: [String])] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let classes = attributes["class"]?.split(separator: " ").map(String.init) ?? []
            counts[elementName, default: 0] += 1
            for name in classes { counts[elementName + "." + name, default: 0] += 1 }
            open.append((attributes["id"], classes))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
            if open.count >= 2, open[open.count - 1].classes.contains("value"), let card = open[open.count - 2].id {
                cardValues[card, default: ""] += string
            }
        }
    }

    /// The markup without the cells' column names (the phone layout's labels), to compare rows as they read.
    func plain(_ html: String) -> String {
        html.replacingOccurrences(of: " data-label=\"[^\"]*\"", with: "", options: .regularExpression)
            .replacingOccurrences(of: "<td class=\"number\">", with: "<td>")
    }

    func chinese<T>(_ body: () throws -> T) rethrows -> T {
        try OutputLocale.$current.withValue(OutputLocale(language: .chinese, timeZone: TimeZone(identifier: "Asia/Shanghai")!)) { try body() }
    }

    func outline(_ html: String) -> Outline {
        let parser = XMLParser(data: Data(html.utf8))
        let outline = Outline()
        parser.delegate = outline
        let parsed = parser.parse()
        #expect(parsed, "not well-formed: \(String(describing: parser.parserError)) at line \(parser.lineNumber)")
        return outline
    }

    /// A city's outage must not make a page nobody can read: the longest 200 are listed, the rest counted.
    @Test func theOfflineListShowsTheLongestOutagesAndCountsTheRest() throws {
        var input = try Self.makeInput()
        let feed = input.offline[0]
        input.offline = (0..<250).map { index in
            var copy = feed
            copy.cameraID = "450128010013" + String(40_000_000 + index)
            copy.offlineSince = Self.sweptAt.addingTimeInterval(Double(-index) * 60)
            return copy
        }
        let html = plain(HTMLReport.render(input))
        let section = try #require(html.range(of: "<section id=\"offline\">").map { html[$0.lowerBound...] }?.prefix { _ in true })
        let offline = String(section[..<(section.range(of: "</section>")?.upperBound ?? section.endIndex)])
        #expect(offline.components(separatedBy: "<tr><td>").count - 1 == 200)
        #expect(offline.contains("Offline cameras (250)"))
        #expect(offline.contains("and 50 more, the longest offline shown first"))
        // The longest outage (index 249, offline since 249 minutes before the sweep) leads; the 50 shortest are left out.
        #expect(offline.range(of: "45012801001340000249")!.lowerBound < offline.range(of: "45012801001340000100")!.lowerBound)
        #expect(!offline.contains("45012801001340000049"))
    }

    @Test func mediaVerdictsAreListedWithTheirFiguresOnlyWhenThereAreAny() throws {
        var input = try Self.makeInput()
        #expect(!HTMLReport.render(input).contains("<section id=\"media\">"), "a sweep without media checks shows no such section")
        input.latest.readings["45012801001320000002"] = CameraReading(status: .offline, reason: .noMedia)
        input.latest.readings["45012801001320000004"] = CameraReading(status: .degraded, reason: .lowFPS)
        input.latest.details["45012801001320000002"] = "media: PLAY: no RTP within 3 s"
        input.latest.details["45012801001320000004"] = "media: RECEIVE: 5.0 fps, the SDP announces 25.0 (H264 640x360, 5.0 fps, 65 kbit/s <&>)"
        let html = plain(HTMLReport.render(input))
        let start = try #require(html.range(of: "<section id=\"media\">"))
        let media = String(html[start.lowerBound...])
        let section = String(media[..<(media.range(of: "</section>")?.upperBound ?? media.endIndex)])
        #expect(section.contains("(2)"))
        #expect(section.contains("<td>offline</td><td>no-media</td><td>45012801001320000002</td>"))
        #expect(section.contains("5.0 fps, the SDP announces 25.0 (H264 640x360, 5.0 fps, 65 kbit/s &lt;&amp;&gt;)"))
        #expect(section.range(of: "45012801001320000002")!.lowerBound < section.range(of: "45012801001320000004")!.lowerBound)
        #expect(outline(html).counts["section", default: 0] > 0, "still well-formed XML")
    }

    @Test func theDocumentIsWellFormedChineseAndSelfContained() throws {
        let input = try Self.makeInput()
        let html = try chinese { HTMLReport.render(input) }
        let parsed = outline(html)
        #expect(parsed.counts["html"] == 1 && parsed.counts["style"] == 1 && parsed.counts["svg.chart"] == 2 && parsed.counts["svg.map"] == 1)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        #expect(html.contains("<meta charset=\"utf-8\"/>"))
        for reference in ["http://", "https://", "<script", "<link", "<img", "src=", "url(", "@import", "@font-face"] {
            #expect(!html.contains(reference), "external reference or script: \(reference)")
        }
        #expect(html.contains("\"Noto Sans CJK SC\", \"Microsoft YaHei\", \"PingFang SC\", sans-serif"))
        for chinese in ["县区450128雪亮工程视频监控运行报告", "在线率", "视联网覆盖率", "一机一档合格率", "离线设备清单", "青山村", "东门街道",
                        "各村（社区）情况", "点位分布图", "超时"] {
            #expect(parsed.text.contains(chinese), "missing \(chinese)")
        }
        // Beijing time, the zone said once: generated 08:30 UTC, swept 08:00 UTC, offline since 06:00 UTC.
        #expect(parsed.text.contains("生成于 2026-11-24 16:30") && parsed.text.contains("最近巡检 2026-11-24 16:00"), "generated and sweep times")
        #expect(parsed.text.contains("Asia/Shanghai, UTC+08:00"))
        #expect(parsed.text.contains("2026-11-24 14:00"), "offline since")
        #expect(!parsed.text.contains("timeout"), "the reason is in Chinese")
    }

    @Test func dataIsEscapedEverywhere() throws {
        let html = HTMLReport.render(try Self.makeInput())
        #expect(!html.contains("<script>") && !html.contains("<b>") && !html.contains("<rtsp>"))
        #expect(plain(html).contains("<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;</td>"), "blind-spot table")
        #expect(html.contains(". 龙头镇 &lt;b&gt;&#39;T&#39;&lt;/b&gt;</text>"), "SVG text")
        #expect(html.contains("aria-label=\"龙头镇 &lt;b&gt;&#39;T&#39;&lt;/b&gt;: "), "SVG attribute")
        #expect(html.contains("no reply in 5 s &lt;rtsp&gt; &amp; &quot;retry&quot;"), "offline detail")
        // The parser reads the names back as text, never as elements.
        let parsed = outline(html)
        #expect(parsed.text.contains(Self.evilVillage) && parsed.text.contains(Self.evilTownship))
        #expect(parsed.counts["script"] == nil && parsed.counts["b"] == nil && parsed.counts["rtsp"] == nil)
        #expect(HTMLReport.escape("a&<>\"'\u{1}b\n") == "a&amp;&lt;&gt;&quot;&#39;\u{FFFD}b\n")
    }

    @Test func theHeadlineShowsTheHandComputedFigures() throws {
        let parsed = outline(HTMLReport.render(try Self.makeInput()))
        #expect(parsed.cardValues == [
            "online-rate": "75.0%", "village-coverage": "66.7%", "fully-watched": "33.3%", "key-point-coverage": "50.0%",
            "record-completeness": "100.0%", "clock-accuracy": "50.0%", "public-online-rate": "66.7%", "citizen-online-rate": "100.0%",
            "consent-expiring": "1", "no-consent": "0", "pending": "0",
        ])
    }

    @Test func aRateWithNothingToCountIsADash() throws {
        let empty = CoverageCalculator.report(inventory: Inventory(), readings: [:], issues: [], grouping: .township,
                                              rules: CoverageRules(today: InventoryFixtures.today))
        let input = ReportInput(byTownship: empty, byVillage: empty, inventory: Inventory(), offline: [], history: [],
                                latest: SweepReadings(readings: [:], finishedAt: Self.sweptAt, complete: false), generatedAt: Self.generatedAt)
        let html = HTMLReport.render(input)
        let parsed = outline(html)
        let counts = ["consent-expiring", "no-consent", "pending"]
        #expect(parsed.cardValues.filter { !counts.contains($0.key) }.values.allSatisfy { $0 == "-" }, "\(parsed.cardValues)")
        #expect(parsed.cardValues.count == 11 && counts.allSatisfy { parsed.cardValues[$0] == "0" })
        #expect(parsed.counts["svg"] == nil && parsed.counts["table"] == nil)
        #expect(parsed.text.contains("no camera has a position"))
        for message in ["no history yet", "no townships", "no blind spots", "no offline cameras", "incomplete"] {
            #expect(parsed.text.contains(message), "missing \(message)")
        }
    }

    @Test(arguments: [0, 1, 3, 12])
    func oneBarPerTownshipAndOnePointPerSweep(sweeps: Int) throws {
        let input = try Self.makeInput(history: Self.history(sweeps))
        let parsed = outline(HTMLReport.render(input))
        #expect(input.byTownship.groups.count == 3)
        #expect(parsed.counts["rect.bar"] == 3 && parsed.counts["rect.track"] == 3)
        #expect(parsed.counts["circle.point", default: 0] == sweeps)
        #expect(parsed.counts["polyline.line", default: 0] == (sweeps > 1 ? 1 : 0), "a line needs two points")
        #expect(parsed.text.contains("no history yet") == (sweeps == 0))
        #expect(parsed.counts["svg.chart"] == (sweeps == 0 ? 1 : 2))
    }

    /// `XUELIANG_WRITE_SAMPLE_REPORT=/tmp/report.html swift test --filter HTMLReportTests` writes a sample to look at.
    @Test func writesASampleWhenAsked() throws {
        guard let path = ProcessInfo.processInfo.environment["XUELIANG_WRITE_SAMPLE_REPORT"] else { return }
        try HTMLReport.render(try Self.makeInput(history: Self.history(12))).write(toFile: path, atomically: true, encoding: .utf8)
    }
}
