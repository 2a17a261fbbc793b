import Foundation
import Localization
import Registry
import Testing
import TestSupport
@testable import Reports

/// The report in a real browser: Debian's Chromium, headless, lays out the page at a phone's width (390 px)
/// and at a desk's, and a script added to a copy of the page reports what it laid out: the map's marks and
/// every element that sticks out to the right. (The report itself has no script; the copy is only for the test.)
@Suite(.serialized) struct BrowserRenderingTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The page goes into a frame of the width under test (headless Chromium's window is at least 500 px wide,
    /// a phone is 390): the frame is its own viewport, so the page's media queries see that width. The script,
    /// in the outer page only, reads the frame's layout once it has loaded.
    static func probe(_ html: String, width: Int) -> String {
        let escaped = html.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
        return """
            <!DOCTYPE html><html><head><meta charset="utf-8"/><style>body{margin:0}</style></head><body>
            <iframe id="page" style="width:\(width)px;height:6000px;border:0;display:block" srcdoc="\(escaped)"></iframe>
            <script>
            document.getElementById('page').addEventListener('load', () => {
              const page = document.getElementById('page').contentDocument;
              const width = page.documentElement.clientWidth;
              const wide = [...page.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 0.5)
                .map(e => e.tagName + (e.id ? '#' + e.id : ''));
              document.body.setAttribute('data-check', JSON.stringify({width: width, scrollWidth: page.documentElement.scrollWidth,
                marks: page.querySelectorAll('svg.map circle.camera').length, wide: wide.slice(0, 10)}));
            });
            </script></body></html>
            """
    }

    struct Layout: Decodable {
        var width: Double
        var scrollWidth: Double
        var marks: Int
        var wide: [String]
    }

    func layout(_ html: String, width: Int, screenshot: String? = nil) async throws -> Layout {
        let chromium = try #require(Self.chromium, "chromium is not installed: scripts/setup.sh --test installs it")
        let directory = TemporaryDirectory()
        let page = directory.file("report.html")
        try Self.probe(html, width: width).write(toFile: page, atomically: true, encoding: .utf8)
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
                      "--user-data-dir=" + directory.file("profile"), "--window-size=\(max(width, 500)),2000", "--virtual-time-budget=10000"]
        let dump = try await ProcessRunner.runOffThePool(chromium, common + ["--dump-dom", "file://" + page], environment: ["HOME": directory.path])
        #expect(dump.status == 0, "\(dump.standardError.suffix(500))")
        let marker = "data-check=\""
        let start = try #require(dump.standardOutput.range(of: marker), "no layout reported: \(dump.standardError.suffix(300))")
        let rest = dump.standardOutput[start.upperBound...]
        let json = String(rest[..<rest.firstIndex(of: "\"")!]).replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&amp;", with: "&")
        if let screenshot {
            _ = try await ProcessRunner.runOffThePool(chromium, common + ["--screenshot=" + screenshot, "file://" + page], environment: ["HOME": directory.path])
        }
        return try JSONDecoder().decode(Layout.self, from: Data(json.utf8))
    }

    func chineseReport(_ input: ReportInput) -> String {
        OutputLocale.$current.withValue(OutputLocale(language: .chinese, timeZone: TimeZone(identifier: "Asia/Shanghai")!)) {
            HTMLReport.render(input)
        }
    }

    /// `XUELIANG_SCREENSHOTS=DIR` keeps the screenshots, to look at them.
    var screenshots: String? { ProcessInfo.processInfo.environment["XUELIANG_SCREENSHOTS"] }

    @Test(arguments: [390, 1280])
    func theMapHasOneMarkPerPositionedCameraAndNothingOverflows(width: Int) async throws {
        let input = try HTMLReportTests.makeInput()
        let positioned = input.inventory.cameras.count { $0.isActiveCamera && $0.latitude != nil && $0.longitude != nil }
        #expect(positioned >= 3)
        let layout = try await layout(chineseReport(input), width: width, screenshot: screenshots.map { "\($0)/report-\(width).png" })
        #expect(layout.width == Double(width))
        #expect(layout.marks == positioned)
        #expect(layout.wide.isEmpty, "sticks out at \(width) px: \(layout.wide)")
        #expect(layout.scrollWidth <= Double(width), "the page scrolls sideways at \(width) px")
    }

    /// A city's page: hundreds of offline rows with long addresses and details must still stack on a phone.
    @Test func aLongOfflineListStillFitsAPhone() async throws {
        var input = try HTMLReportTests.makeInput()
        let feed = input.offline[0]
        input.offline = (0..<60).map { index in
            var copy = feed
            copy.cameraID = "450128010013" + String(40_000_000 + index)
            copy.address = String(repeating: "青山村学校门口东侧五十米电线杆上", count: 3)
            copy.detail = "rtsp: DESCRIBE rtsp://192.0.2.1:554/cam/realmonitor?channel=1&subtype=0 answered 503 Service Unavailable"
            return copy
        }
        let layout = try await layout(chineseReport(input), width: 390, screenshot: screenshots.map { "\($0)/report-offline-390.png" })
        #expect(layout.wide.isEmpty, "sticks out: \(layout.wide)")
        #expect(layout.scrollWidth <= 390)
    }
}
