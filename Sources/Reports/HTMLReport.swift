import Coverage
import Foundation
import Probing
import Registry
import StateStore

/// The report as one self-contained HTML5 page: headline figures, village coverage by township, the online
/// rate over past sweeps, blind spots and the offline list.
///
/// Self-contained because it is opened on police workstations without internet access: no scripts and no
/// external stylesheets, images or fonts; the charts are inline SVG and the CSS asks only for fonts such a
/// workstation already has. The markup is also well-formed XML (every element closed, every attribute quoted,
/// no entities but XML's own), so an XML parser can check it.
public enum HTMLReport {
    /// The whole document for `input`. Every value that comes from data goes through ``escape(_:)``.
    public static func render(_ input: ReportInput) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>雪亮工程视频监控运行报告</title>
            <style>\(style)</style>
            </head>
            <body>
            <main>

            """
        page += header(input)
        page += headline(input.byTownship.total, availability: input.availability, sweeps: input.history.count, catalog: input.byTownship.catalog)
        page += townshipChart(input.byTownship.groups)
        page += historyChart(input.history)
        page += blindSpotTable(input.byTownship.blindSpots, inventory: input.inventory)
        page += offlineTable(input.offline)
        page += mediaTable(input.latest, inventory: input.inventory)
        return page + "</main>\n</body>\n</html>\n"
    }

    /// Makes text safe both as element content and inside a quoted attribute.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            // XML forbids other control characters: a stray one in a registry field must not make the whole
            // document unreadable to a parser.
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// A rate as people read it, or "-" when there is nothing to count (never 100%, docs/figures.md).
    static func rate(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "-" : Percent.text(Double(part) / Double(whole))
    }

    static func dateTime(_ date: Date) -> String { date.formatted(.iso8601) }
    static func day(_ date: Date) -> String { date.formatted(.iso8601.year().month().day()) }

    /// An SVG coordinate with one decimal: enough for the eye, short in the file.
    static func coordinate(_ value: Double) -> String { String(format1: value) }

    static func header(_ input: ReportInput) -> String {
        let sweep = dateTime(input.latest.finishedAt) + (input.latest.complete ? "" : "（未完成 incomplete）")
        return """
            <header>
            <h1>雪亮工程视频监控运行报告</h1>
            <p class="subtitle">Xueliang Project video surveillance operations report</p>
            <p class="meta">生成时间 Generated: \(escape(dateTime(input.generatedAt))) · 最近巡检 Latest sweep: \(escape(sweep))</p>
            </header>

            """
    }

    static func headline(_ total: CoverageFigures, availability: Double? = nil, sweeps: Int = 0, catalog: CatalogConsistency? = nil) -> String {
        var cards: [(id: String, label: String, value: String, count: String)] = [
            ("online-rate", "在线率 online rate", rate(total.working, of: total.cameras), "\(total.working) / \(total.cameras)"),
            ("village-coverage", "视联网覆盖率 village coverage", rate(total.coveredVillages, of: total.villages),
             "\(total.coveredVillages) / \(total.villages) (村 \(total.coveredRuralVillages)/\(total.ruralVillages), "
                + "社区 \(total.coveredCommunities)/\(total.communities))"),
            ("fully-watched", "重点点位全覆盖村 every key point watched", rate(total.fullyWatchedVillages, of: total.villagesWithKeyPoints),
             "\(total.fullyWatchedVillages) / \(total.villagesWithKeyPoints)"),
            ("key-point-coverage", "重点点位覆盖率 key-point coverage", rate(total.watchedKeyPoints, of: total.keyPoints),
             "\(total.watchedKeyPoints) / \(total.keyPoints)"),
            ("record-completeness", "一机一档合格率 record completeness", rate(total.completeRecords, of: total.countedRecords),
             "\(total.completeRecords) / \(total.countedRecords)"),
            ("clock-accuracy", "时钟准确率 clock accuracy", rate(total.accurateClocks, of: total.clockReadings),
             "\(total.accurateClocks) / \(total.clockReadings)"),
            ("public-online-rate", "公共视频在线率 public (雪亮) online", rate(total.publicWorking, of: total.publicCameras),
             "\(total.publicWorking) / \(total.publicCameras)"),
            ("citizen-online-rate", "社会视频在线率 citizen (守望) online", rate(total.citizenWorking, of: total.citizenCameras),
             "\(total.citizenWorking) / \(total.citizenCameras)"),
            ("consent-expiring", "授权即将到期 consent expiring soon", "\(total.consentExpiringSoon)", "守望 citizen cameras"),
            ("no-consent", "授权失效 no consent (not probed)", "\(total.noConsent)", "守望 citizen cameras"),
            ("pending", "待审核 pending (not in service)", "\(total.pending)", "records 档案"),
        ]
        if let availability {
            cards.insert(("availability", "可用率 availability", Percent.text(availability), "\(sweeps) sweeps 次巡检"), at: 1)
        }
        if let catalog {
            cards.append(("catalog-consistency", "目录一致率 catalog consistency", rate(catalog.consistent, of: catalog.inService),
                          "\(catalog.consistent) / \(catalog.inService)"))
        }
        var body = "<div class=\"cards\">\n"
        for card in cards {
            body += "<div class=\"card\" id=\"\(card.id)\"><div class=\"label\">\(escape(card.label))</div>"
                + "<div class=\"value\">\(escape(card.value))</div><div class=\"count\">\(escape(card.count))</div></div>\n"
        }
        body += "</div>\n<p class=\"note\">在用设备 active cameras \(total.cameras) · 离线 offline \(total.offline)"
            + " · 未巡检 not swept \(total.notSwept) · 村/社区 villages \(total.villages)</p>\n"
        return section("headline", "核心指标", "Headline figures", body)
    }

    /// One horizontal bar per township: its village coverage, with its online rate as text beside it.
    static func townshipChart(_ groups: [CoverageFigures]) -> String {
        guard !groups.isEmpty else {
            return section("townships", "各乡镇视联网覆盖率", "Village coverage by township", empty("暂无乡镇 no townships"))
        }
        let row = 30.0, labelRight = 150.0, barLeft = 160.0, barWidth = 400.0
        var svg = "<svg class=\"chart\" viewBox=\"0 0 760 \(coordinate(row * Double(groups.count) + 10))\" role=\"img\""
            + " aria-labelledby=\"townships-title\">\n<title id=\"townships-title\">各乡镇视联网覆盖率 village coverage by township</title>\n"
        for (index, group) in groups.enumerated() {
            let top = 5 + row * Double(index)
            let coverage = rate(group.coveredVillages, of: group.villages), online = rate(group.working, of: group.cameras)
            let fraction = group.villages == 0 ? 0 : group.villageCoverageRate
            let label = group.label.isEmpty ? group.group : group.label
            let summary = "\(label): 视联网覆盖率 \(coverage) (\(group.coveredVillages)/\(group.villages)),"
                + " 在线率 \(online) (\(group.working)/\(group.cameras))"
            svg += "<g aria-label=\"\(escape(summary))\"><title>\(escape(summary))</title>"
                + "<text class=\"label\" x=\"\(coordinate(labelRight))\" y=\"\(coordinate(top + 14))\" text-anchor=\"end\">\(escape(label))</text>"
                + "<rect class=\"track\" x=\"\(coordinate(barLeft))\" y=\"\(coordinate(top + 1))\" width=\"\(coordinate(barWidth))\" height=\"18\"/>"
                + "<rect class=\"bar \(level(fraction))\" x=\"\(coordinate(barLeft))\" y=\"\(coordinate(top + 1))\""
                + " width=\"\(coordinate(barWidth * fraction))\" height=\"18\"/>"
                + "<text class=\"value\" x=\"\(coordinate(barLeft + barWidth + 10))\" y=\"\(coordinate(top + 14))\">"
                + "\(escape(coverage)) · 在线率 \(escape(online))</text></g>\n"
        }
        return section("townships", "各乡镇视联网覆盖率", "Village coverage by township (bar), online rate (text)", svg + "</svg>\n")
    }

    /// Bars are coloured by how far they fall short, so the worst townships stand out in print too.
    static func level(_ fraction: Double) -> String { fraction >= 0.95 ? "good" : fraction >= 0.8 ? "fair" : "poor" }

    /// The online rate of each kept sweep, oldest first, on a 0-100% scale.
    static func historyChart(_ history: [SweepPoint]) -> String {
        let title = "在线率趋势", subtitle = "Online rate over the last sweeps"
        guard !history.isEmpty else { return section("history", title, subtitle, empty("暂无历史记录 no history yet")) }
        let left = 56.0, right = 740.0, top = 16.0, bottom = 216.0
        func x(_ index: Int) -> Double {
            history.count == 1 ? (left + right) / 2 : left + (right - left) * Double(index) / Double(history.count - 1)
        }
        func y(_ rate: Double) -> Double { bottom - (bottom - top) * rate }
        var svg = "<svg class=\"chart\" viewBox=\"0 0 760 250\" role=\"img\" aria-labelledby=\"history-title\">\n"
            + "<title id=\"history-title\">在线率趋势 online rate over \(history.count) sweeps</title>\n"
        for step in 0...4 {
            let level = y(Double(step) / 4)
            svg += "<line class=\"grid\" x1=\"\(coordinate(left))\" y1=\"\(coordinate(level))\" x2=\"\(coordinate(right))\""
                + " y2=\"\(coordinate(level))\"/><text class=\"axis\" x=\"\(coordinate(left - 8))\" y=\"\(coordinate(level + 4))\""
                + " text-anchor=\"end\">\(step * 25)%</text>\n"
        }
        // A sweep of no cameras has no rate (SweepPoint would call it 100%): it keeps its place on the axis, without a point.
        let plotted = history.enumerated().filter { $0.element.cameras > 0 }
        if plotted.count > 1 {
            let points = plotted.map { "\(coordinate(x($0.offset))),\(coordinate(y($0.element.onlineRate)))" }.joined(separator: " ")
            svg += "<polyline class=\"line\" points=\"\(points)\"/>\n"
        }
        for (index, point) in plotted {
            let summary = "\(dateTime(point.finishedAt)): 在线率 \(rate(point.working, of: point.cameras)) (\(point.working)/\(point.cameras))"
            svg += "<circle class=\"point\" cx=\"\(coordinate(x(index)))\" cy=\"\(coordinate(y(point.onlineRate)))\" r=\"4\">"
                + "<title>\(escape(summary))</title></circle>\n"
        }
        let first = escape(day(history[0].finishedAt)), last = escape(day(history[history.count - 1].finishedAt))
        if history.count == 1 {
            svg += "<text class=\"axis\" x=\"\(coordinate(x(0)))\" y=\"240\" text-anchor=\"middle\">\(first)</text>\n"
        } else {
            svg += "<text class=\"axis\" x=\"\(coordinate(left))\" y=\"240\" text-anchor=\"start\">\(first)</text>\n"
                + "<text class=\"axis\" x=\"\(coordinate(right))\" y=\"240\" text-anchor=\"end\">\(last)</text>\n"
        }
        return section("history", title, subtitle + " (\(history.count))", svg + "</svg>\n")
    }

    static func blindSpotTable(_ spots: [BlindSpot], inventory: Inventory) -> String {
        let rows = spots.map { spot -> [String] in
            let village = inventory.villages[spot.village]
            let point = spot.keyPoint.map { id in village?.keyPoints.first { $0.id == id }?.name ?? id } ?? "全村 (whole village)"
            return [spot.kind == .registryGap ? "未建设 registry gap" : "全部离线 outage gap", village?.name ?? spot.village.digits,
                    point, spot.cameras.isEmpty ? "-" : spot.cameras.joined(separator: ", ")]
        }
        let body = table(["类型 kind", "村/社区 village", "重点点位 key point", "设备 cameras"], rows, empty: "无盲区 no blind spots")
        return section("blind-spots", "盲区", "Blind spots (\(spots.count))", body)
    }

    /// Offline cameras the page lists at most: a reader wants the longest outages, and the work orders
    /// (`report --work-orders`) list every one. A city's 20,000 rows made a 6 MB page.
    static let offlineRowsShown = 200

    static func offlineTable(_ feeds: [OfflineFeed]) -> String {
        let shown = feeds.count <= offlineRowsShown ? feeds
            : Array(feeds.sorted { ($0.offlineSince, $0.maintainer, $0.cameraID) < ($1.offlineSince, $1.maintainer, $1.cameraID) }.prefix(offlineRowsShown))
        let rows = shown.map { feed in
            [feed.maintainer, feed.villageName.isEmpty ? feed.village : feed.villageName, feed.cameraID, feed.name, feed.address,
             feed.reason.rawValue, feed.detail, dateTime(feed.offlineSince), feed.station]
        }
        let headers = ["运维单位 maintainer", "村/社区 village", "设备编码 camera id", "名称 name", "地址 address", "原因 reason",
                       "详情 detail", "离线起始 offline since", "派出所 station"]
        let more = feeds.count - shown.count
        let note = more > 0 ? "<p class=\"empty\">\(escape("另有 \(more) 台离线设备见工单 and \(more) more, the longest offline shown first: every one is in the work orders (report --work-orders)"))</p>\n" : ""
        return section("offline", "离线设备清单", "Offline cameras (\(feeds.count))", table(headers, rows, empty: "无离线设备 no offline cameras") + note)
    }

    /// The latest sweep's cameras whose media check found video not flowing or poor, with the check's
    /// figures (its detail: fps, bitrate, frames, what stopped); nothing at all for sweeps without one.
    static func mediaTable(_ latest: SweepReadings, inventory: Inventory) -> String {
        let mediaReasons: Set<ReasonCode> = [.noMedia, .streamStalled, .noKeyframe, .lowFPS]
        let flagged = latest.readings.filter { mediaReasons.contains($0.value.reason) }.sorted { $0.key < $1.key }
        guard !flagged.isEmpty else { return "" }
        let shown = flagged.prefix(offlineRowsShown)
        let rows = shown.map { id, reading -> [String] in
            let camera = inventory.camera(id: id)
            let village = camera.flatMap { inventory.villages[$0.village] }
            return [reading.status.rawValue, reading.reason.rawValue, id, camera?.name ?? "", village?.name ?? "", latest.details[id] ?? ""]
        }
        let headers = ["状态 status", "原因 reason", "设备编码 camera id", "名称 name", "村/社区 village", "详情 detail"]
        let more = flagged.count - shown.count
        let note = more > 0 ? "<p class=\"empty\">\(escape("另有 \(more) 台 and \(more) more"))</p>\n" : ""
        return section("media", "视频流检测", "Video that does not flow, or flows poorly (\(flagged.count))",
                       table(headers, rows, empty: "") + note)
    }

    /// A table; every header and cell is escaped here.
    static func table(_ headers: [String], _ rows: [[String]], empty message: String) -> String {
        guard !rows.isEmpty else { return empty(message) }
        var html = "<table>\n<thead><tr>" + headers.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows { html += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
        return html + "</tbody>\n</table>\n"
    }

    static func empty(_ message: String) -> String { "<p class=\"empty\">\(escape(message))</p>\n" }

    static func section(_ id: String, _ title: String, _ subtitle: String, _ body: String) -> String {
        "<section id=\"\(id)\">\n<h2>\(escape(title)) <small>\(escape(subtitle))</small></h2>\n\(body)</section>\n"
    }

    /// No `<` or `&` in here: the style sheet is element text, and must stay well-formed XML.
    static let style = """

        body { margin: 0; background: #f3f5f8; color: #1f2933; font-size: 14px; line-height: 1.5;
          font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
        main { max-width: 1200px; margin: 0 auto; padding: 20px; }
        header { background: #0b3d91; color: #fff; padding: 18px 24px; border-radius: 6px; }
        h1 { margin: 0; font-size: 26px; letter-spacing: 2px; }
        .subtitle { margin: 2px 0 8px; opacity: 0.85; }
        .meta { margin: 0; font-size: 13px; }
        section { background: #fff; border-radius: 6px; padding: 14px 20px; margin-top: 16px; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.1); }
        h2 { font-size: 18px; margin: 0 0 12px; }
        h2 small { font-weight: normal; color: #52606d; font-size: 13px; margin-left: 6px; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 12px; }
        .card { border: 1px solid #d9e2ec; border-radius: 6px; padding: 10px 14px; }
        .card .label { color: #52606d; font-size: 13px; }
        .card .value { font-size: 28px; font-weight: bold; color: #0b3d91; }
        .card .count, .note, .empty { color: #7b8794; font-size: 12px; }
        svg.chart { display: block; width: 100%; max-width: 900px; height: auto; font-size: 13px; }
        .track { fill: #e4e7eb; }
        .bar.good { fill: #2f855a; } .bar.fair { fill: #d69e2e; } .bar.poor { fill: #c53030; }
        .grid { stroke: #e4e7eb; } .axis { fill: #7b8794; font-size: 12px; }
        .line { fill: none; stroke: #0b3d91; stroke-width: 2; } .point { fill: #0b3d91; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; }
        th, td { border-bottom: 1px solid #e4e7eb; padding: 5px 8px; text-align: left; vertical-align: top; }
        th { background: #f0f4f8; font-weight: 600; }
        td { word-break: break-word; }
        @media print { body { background: #fff; } section, header { box-shadow: none; break-inside: avoid; } }

        """
}
