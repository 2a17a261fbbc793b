import Coverage
import Foundation
import Localization
import Probing
import Registry
import StateStore

/// The report as one self-contained HTML5 page a county leader reads: which county and period, the headline
/// figures, a map of the cameras, the townships ranked, every village, the trend, and the short lists that
/// need someone's attention (offline, degraded, incomplete records, consents expiring, blind spots).
///
/// Self-contained because it is opened on police workstations without internet access: no scripts and no
/// external stylesheets, images or fonts; the charts and the map are inline SVG, thumbnails are `data:` URIs,
/// and the CSS asks only for fonts such a workstation already has. The markup is also well-formed XML (every
/// element closed, every attribute quoted, no entities but XML's own), so an XML parser can check it. In the
/// reader's language (`OutputLocale`), with local times and the zone said once.
public enum HTMLReport {
    /// The whole document for `input`. Every value that comes from data goes through ``escape(_:)``.
    public static func render(_ input: ReportInput) -> String {
        let chinese = OutputLocale.current.language == .chinese
        let title = reportTitle(input)
        var page = """
            <!DOCTYPE html>
            <html lang="\(chinese ? "zh-CN" : "en")">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(escape(title))</title>
            <style>\(style)</style>
            </head>
            <body>
            <main>

            """
        page += header(input, title: title)
        page += headline(input.byTownship.total, availability: input.availability, sweeps: input.history.count, catalog: input.byTownship.catalog)
        page += CameraMap.section(input)
        page += townshipRanking(input.byTownship.groups)
        page += villageTable(input)
        page += historyChart(input.history)
        page += offlineTable(input.offline)
        page += degradedTable(input)
        page += mediaTable(input.latest, inventory: input.inventory)
        page += incompleteTable(input)
        page += consentTable(input)
        page += blindSpotTable(input.byTownship.blindSpots, inventory: input.inventory)
        return page + "</main>\n</body>\n</html>\n"
    }

    /// `青山县雪亮工程视频监控运行报告`: the area's name, or its county code when the report was not given one.
    static func reportTitle(_ input: ReportInput) -> String {
        let area = input.area ?? countyCode(input.inventory).map { localized("county \($0)") } ?? ""
        return localized("\(area) video network operations report (雪亮工程)")
    }

    /// The county code most villages share (the registry normally holds one county).
    static func countyCode(_ inventory: Inventory) -> String? {
        let counts = Dictionary(grouping: inventory.villages.keys, by: \.countyCode).mapValues(\.count)
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
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

    /// Local time to the minute; the header says the zone once.
    static func dateTime(_ date: Date) -> String { OutputLocale.current.minute(date) }
    static func day(_ date: Date) -> String { OutputLocale.current.day(date) }

    /// An SVG coordinate with one decimal: enough for the eye, short in the file.
    static func coordinate(_ value: Double) -> String { String(format1: value) }

    static func header(_ input: ReportInput, title: String) -> String {
        let locale = OutputLocale.current
        let latest = input.latest.finishedAt
        let first = input.history.first?.finishedAt ?? latest
        let period = day(first) == day(latest) ? day(latest) : localized("\(day(first)) to \(day(latest))")
        let sweep = dateTime(latest) + (input.latest.complete ? "" : localized(" (incomplete)"))
        let meta = localized("Period: \(period) · latest sweep \(sweep) · generated \(dateTime(input.generatedAt)) · times in \(locale.zoneNote(at: latest))")
        return """
            <header>
            <h1>\(escape(title))</h1>
            <p class="meta" id="period">\(escape(meta))</p>
            </header>

            """
    }

    static func headline(_ total: CoverageFigures, availability: Double? = nil, sweeps: Int = 0, catalog: CatalogConsistency? = nil) -> String {
        var cards: [(id: String, label: String, value: String, count: String)] = [
            ("online-rate", localized("Online rate"), rate(total.working, of: total.cameras), "\(total.working) / \(total.cameras)"),
            ("village-coverage", localized("Village coverage"), rate(total.coveredVillages, of: total.villages),
             localized("\(total.coveredVillages) / \(total.villages) (villages \(total.coveredRuralVillages)/\(total.ruralVillages), "
                + "communities \(total.coveredCommunities)/\(total.communities))")),
            ("fully-watched", localized("Villages with every key point watched"), rate(total.fullyWatchedVillages, of: total.villagesWithKeyPoints),
             "\(total.fullyWatchedVillages) / \(total.villagesWithKeyPoints)"),
            ("key-point-coverage", localized("Key-point coverage"), rate(total.watchedKeyPoints, of: total.keyPoints),
             "\(total.watchedKeyPoints) / \(total.keyPoints)"),
            ("record-completeness", localized("Record completeness"), rate(total.completeRecords, of: total.countedRecords),
             "\(total.completeRecords) / \(total.countedRecords)"),
            ("clock-accuracy", localized("Clock accuracy"), rate(total.accurateClocks, of: total.clockReadings),
             "\(total.accurateClocks) / \(total.clockReadings)"),
            ("public-online-rate", localized("Public cameras online"), rate(total.publicWorking, of: total.publicCameras),
             "\(total.publicWorking) / \(total.publicCameras)"),
            ("citizen-online-rate", localized("Citizen cameras online"), rate(total.citizenWorking, of: total.citizenCameras),
             "\(total.citizenWorking) / \(total.citizenCameras)"),
            ("consent-expiring", localized("Consents expiring soon"), "\(total.consentExpiringSoon)", localized("citizen cameras")),
            ("no-consent", localized("No consent (not probed)"), "\(total.noConsent)", localized("citizen cameras")),
            ("pending", localized("Pending review (not in service)"), "\(total.pending)", localized("records")),
        ]
        if total.picturesChecked > 0 {
            // Only when pictures were checked: a sweep without the picture check says nothing of them.
            let clock = cards.firstIndex { $0.id == "clock-accuracy" }! + 1
            cards.insert(("picture-normal-rate", localized("Picture normal rate"), rate(total.normalPictures, of: total.picturesChecked),
                          "\(total.normalPictures) / \(total.picturesChecked)"), at: clock)
        }
        if let availability {
            cards.insert(("availability", localized("Availability"), Percent.text(availability), localized("\(sweeps) sweeps")), at: 1)
        }
        if let catalog {
            cards.append(("catalog-consistency", localized("Catalog consistency"), rate(catalog.consistent, of: catalog.inService),
                          "\(catalog.consistent) / \(catalog.inService)"))
        }
        var body = "<div class=\"cards\">\n"
        for card in cards {
            body += "<div class=\"card\" id=\"\(card.id)\"><div class=\"label\">\(escape(card.label))</div>"
                + "<div class=\"value\">\(escape(card.value))</div><div class=\"count\">\(escape(card.count))</div></div>\n"
        }
        body += "</div>\n<p class=\"note\">"
            + escape(localized("active cameras \(total.cameras) · offline \(total.offline) · not swept \(total.notSwept) · villages \(total.villages)"))
            + "</p>\n"
        return section("headline", localized("Headline figures"), body)
    }

    /// The townships ranked by village coverage, worst first (then by online rate): one bar each, the online
    /// rate as text beside it.
    static func townshipRanking(_ groups: [CoverageFigures]) -> String {
        let title = localized("Townships ranked by village coverage")
        guard !groups.isEmpty else { return section("townships", title, empty(localized("no townships"))) }
        let ranked = groups.sorted {
            ($0.villageCoverageRate, $0.onlineRate, $0.group) < ($1.villageCoverageRate, $1.onlineRate, $1.group)
        }
        let row = 30.0, labelRight = 190.0, barLeft = 200.0, barWidth = 260.0
        var svg = "<svg class=\"chart\" viewBox=\"0 0 760 \(coordinate(row * Double(ranked.count) + 10))\" role=\"img\""
            + " aria-labelledby=\"townships-title\">\n<title id=\"townships-title\">\(escape(title))</title>\n"
        for (index, group) in ranked.enumerated() {
            let top = 5 + row * Double(index)
            let coverage = rate(group.coveredVillages, of: group.villages), online = rate(group.working, of: group.cameras)
            let fraction = group.villages == 0 ? 0 : group.villageCoverageRate
            let label = group.label.isEmpty ? group.group : group.label
            let summary = localized("\(label): village coverage \(coverage) (\(group.coveredVillages)/\(group.villages)), "
                + "online rate \(online) (\(group.working)/\(group.cameras))")
            svg += "<g aria-label=\"\(escape(summary))\"><title>\(escape(summary))</title>"
                + "<text class=\"label\" x=\"\(coordinate(labelRight))\" y=\"\(coordinate(top + 14))\" text-anchor=\"end\">"
                + "\(index + 1). \(escape(label))</text>"
                + "<rect class=\"track\" x=\"\(coordinate(barLeft))\" y=\"\(coordinate(top + 1))\" width=\"\(coordinate(barWidth))\" height=\"18\"/>"
                + "<rect class=\"bar \(level(fraction))\" x=\"\(coordinate(barLeft))\" y=\"\(coordinate(top + 1))\""
                + " width=\"\(coordinate(barWidth * fraction))\" height=\"18\"/>"
                + "<text class=\"value\" x=\"\(coordinate(barLeft + barWidth + 10))\" y=\"\(coordinate(top + 14))\">"
                + "\(escape(localized("\(coverage) · online \(online)")))</text></g>\n"
        }
        return section("townships", title, svg + "</svg>\n")
    }

    /// Bars are coloured by how far they fall short, so the worst townships stand out in print too.
    static func level(_ fraction: Double) -> String { fraction >= 0.95 ? "good" : fraction >= 0.8 ? "fair" : "poor" }

    /// Every village: its township, cameras, working cameras, whether it is covered, its online rate and its
    /// record completeness; by township, then code.
    static func villageTable(_ input: ReportInput) -> String {
        let rows = input.byVillage.groups.compactMap { figures -> (township: String, cells: [String])? in
            let village = (try? VillageCode.parse(figures.group).get()).flatMap { input.inventory.villages[$0] }
            let township = village?.township ?? ""
            return (township, [figures.label.isEmpty ? figures.group : figures.label, township, String(figures.cameras), String(figures.working),
                               figures.coveredVillages > 0 ? localized("yes") : localized("no"), rate(figures.working, of: figures.cameras),
                               rate(figures.completeRecords, of: figures.countedRecords)])
        }
        let sorted = rows.enumerated().sorted { ($0.element.township, $0.offset) < ($1.element.township, $1.offset) }.map(\.element.cells)
        let headers = [localized("Village"), localized("Township"), localized("Cameras"), localized("Working"), localized("Covered"),
                       localized("Online rate"), localized("Record completeness")]
        return section("villages", localized("Villages and communities (\(rows.count))"),
                       table(headers, sorted, empty: localized("no villages registered"), numeric: [2, 3, 5, 6]))
    }

    /// The online rate of each kept sweep, oldest first, on a 0-100% scale.
    static func historyChart(_ history: [SweepPoint]) -> String {
        let title = localized("Online rate over the last sweeps (\(history.count))")
        guard !history.isEmpty else { return section("history", title, empty(localized("no history yet"))) }
        let left = 56.0, right = 740.0, top = 16.0, bottom = 216.0
        func x(_ index: Int) -> Double {
            history.count == 1 ? (left + right) / 2 : left + (right - left) * Double(index) / Double(history.count - 1)
        }
        func y(_ rate: Double) -> Double { bottom - (bottom - top) * rate }
        var svg = "<svg class=\"chart\" viewBox=\"0 0 760 250\" role=\"img\" aria-labelledby=\"history-title\">\n"
            + "<title id=\"history-title\">\(escape(title))</title>\n"
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
            let summary = localized("\(dateTime(point.finishedAt)): online rate \(rate(point.working, of: point.cameras)) (\(point.working)/\(point.cameras))")
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
        return section("history", title, svg + "</svg>\n")
    }

    static func blindSpotTable(_ spots: [BlindSpot], inventory: Inventory) -> String {
        let rows = spots.map { spot -> [String] in
            let village = inventory.villages[spot.village]
            let point = spot.keyPoint.map { id in village?.keyPoints.first { $0.id == id }?.name ?? id } ?? localized("whole village")
            return [spot.kind == .registryGap ? localized("no camera registered") : localized("every camera offline"),
                    village?.name ?? spot.village.digits, point, spot.cameras.isEmpty ? "-" : spot.cameras.joined(separator: ", ")]
        }
        let body = table([localized("Kind"), localized("Village"), localized("Key point"), localized("Cameras")], rows,
                         empty: localized("no blind spots"))
        return section("blind-spots", localized("Blind spots (\(spots.count))"), body)
    }

    /// Rows a list on the page shows at most: a reader wants the longest outages, and the work orders
    /// (`report --work-orders`) list every one. A city's 20,000 rows made a 6 MB page.
    static let offlineRowsShown = 200
    /// The short lists (degraded, incomplete, consents): the first ones, and how many more.
    static let shortListRows = 20

    static func offlineTable(_ feeds: [OfflineFeed]) -> String {
        let shown = feeds.count <= offlineRowsShown ? feeds
            : Array(feeds.sorted { ($0.offlineSince, $0.maintainer, $0.cameraID) < ($1.offlineSince, $1.maintainer, $1.cameraID) }.prefix(offlineRowsShown))
        let rows = shown.map { feed in
            [feed.maintainer, feed.villageName.isEmpty ? feed.village : feed.villageName, feed.cameraID, feed.name, feed.address,
             feed.reason.localizedName, feed.detail, dateTime(feed.offlineSince), feed.station]
        }
        let headers = [localized("Maintainer"), localized("Village"), localized("Camera id"), localized("Name"), localized("Address"),
                       localized("Reason"), localized("Detail"), localized("Offline since"), localized("Station")]
        let more = feeds.count - shown.count
        let note = more > 0 ? empty(localized("and \(more) more, the longest offline shown first: every one is in the work orders (report --work-orders)")) : ""
        return section("offline", localized("Offline cameras (\(feeds.count))"), table(headers, rows, empty: localized("no offline cameras")) + note)
    }

    /// The latest sweep's degraded cameras: the feed works but something is wrong (a frozen or faulty picture,
    /// a clock off, a check failing), with the picture beside it when there is a thumbnail.
    static func degradedTable(_ input: ReportInput) -> String {
        let degraded = input.latest.readings.filter { $0.value.status == .degraded && !DeviceCode.isRecorder(id: $0.key) }
            .sorted { ($0.value.reason.rawValue, $0.key) < ($1.value.reason.rawValue, $1.key) }
        guard !degraded.isEmpty else { return "" }
        let hasPictures = degraded.contains { input.thumbnails[$0.key] != nil }
        let hasReferences = degraded.contains { input.thumbnails[$0.key]?.reference != nil }
        var html = "<table>\n<thead><tr>"
        var headers = [localized("Reason"), localized("Camera id"), localized("Name"), localized("Village"), localized("Detail")]
        if hasPictures { headers.append(localized("Picture")) }
        if hasReferences { headers.append(localized("Reference")) }
        html += headers.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for (id, reading) in degraded.prefix(shortListRows) {
            let camera = input.inventory.camera(id: id)
            let village = camera.flatMap { input.inventory.villages[$0.village] }
            let cells = [reading.reason.localizedName, id, camera?.name ?? "", village?.name ?? "", input.latest.details[id] ?? ""]
            html += "<tr>" + zip(headers, cells).map { "<td data-label=\"\(escape($0))\">\(escape($1))</td>" }.joined()
            let thumbnail = input.thumbnails[id]
            if hasPictures {
                html += "<td data-label=\"\(escape(headers[5]))\">\(image(thumbnail?.picture))</td>"
            }
            if hasReferences {
                html += "<td data-label=\"\(escape(headers[6]))\">\(image(thumbnail?.reference))</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
        if degraded.count > shortListRows { html += empty(localized("and \(degraded.count - shortListRows) more")) }
        return section("degraded", localized("Degraded cameras (\(degraded.count))"), html)
    }

    /// A thumbnail from a `data:` URI the report was given (never an external address).
    static func image(_ uri: String?) -> String {
        guard let uri, uri.hasPrefix("data:image/") else { return "" }
        return "<img class=\"thumbnail\" alt=\"\" src=\"\(escape(uri))\"/>"
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
            return [reading.status.localizedName, reading.reason.localizedName, id, camera?.name ?? "", village?.name ?? "", latest.details[id] ?? ""]
        }
        let headers = [localized("Status"), localized("Reason"), localized("Camera id"), localized("Name"), localized("Village"), localized("Detail")]
        let more = flagged.count - shown.count
        let note = more > 0 ? empty(localized("and \(more) more")) : ""
        return section("media", localized("Video that does not flow, or flows poorly (\(flagged.count))"), table(headers, rows, empty: "") + note)
    }

    /// Active records with a gap or an error (一机一档), per camera, with what is missing.
    static func incompleteTable(_ input: ReportInput) -> String {
        let byCamera = Dictionary(grouping: input.issues.filter { $0.cameraID != nil && ($0.isGap || $0.severity == .error) }, by: { $0.cameraID! })
        let cameras = byCamera.keys.compactMap { input.inventory.camera(id: $0) }.filter(\.isActiveCamera).sorted { $0.id < $1.id }
        guard !cameras.isEmpty else { return "" }
        let rows = cameras.prefix(shortListRows).map { camera -> [String] in
            let missing = Set(byCamera[camera.id, default: []].compactMap(\.field)).sorted().joined(separator: ", ")
            return [camera.id, camera.name, input.inventory.villages[camera.village]?.name ?? camera.village.digits, camera.maintainer ?? "", missing]
        }
        let headers = [localized("Camera id"), localized("Name"), localized("Village"), localized("Maintainer"), localized("Missing or wrong")]
        let more = cameras.count - rows.count
        return section("incomplete", localized("Incomplete records (\(cameras.count))"),
                       table(headers, Array(rows), empty: "") + (more > 0 ? empty(localized("and \(more) more")) : ""))
    }

    /// Citizen cameras whose owner's consent ends soon or has ended: someone must call the owner.
    static func consentTable(_ input: ReportInput) -> String {
        let notices = input.byTownship.consentToRenew + input.byTownship.consentExpiring
        guard !notices.isEmpty else { return "" }
        let rows = notices.prefix(shortListRows).map { notice in
            [notice.cameraID, notice.name, input.inventory.villages[notice.village]?.name ?? notice.village.digits, notice.owner, notice.phone,
             notice.until?.description ?? "-"]
        }
        let headers = [localized("Camera id"), localized("Name"), localized("Village"), localized("Owner"), localized("Phone"), localized("Consent until")]
        let more = notices.count - rows.count
        return section("consents", localized("Consents to renew or expiring (\(notices.count))"),
                       table(headers, Array(rows), empty: "") + (more > 0 ? empty(localized("and \(more) more")) : ""))
    }

    /// A table; every header and cell is escaped here. Each cell carries its column's name, which the phone
    /// layout shows beside it when the table stacks.
    static func table(_ headers: [String], _ rows: [[String]], empty message: String, numeric: Set<Int> = []) -> String {
        guard !rows.isEmpty else { return message.isEmpty ? "" : empty(message) }
        var html = "<table>\n<thead><tr>" + headers.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>" + row.enumerated().map { column, cell in
                let label = column < headers.count ? " data-label=\"\(escape(headers[column]))\"" : ""
                return "<td\(label)\(numeric.contains(column) ? " class=\"number\"" : "")>\(escape(cell))</td>"
            }.joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    static func empty(_ message: String) -> String { "<p class=\"empty\">\(escape(message))</p>\n" }

    static func section(_ id: String, _ title: String, _ body: String) -> String {
        "<section id=\"\(id)\">\n<h2>\(escape(title))</h2>\n\(body)</section>\n"
    }

    /// No `<` or `&` in here: the style sheet is element text, and must stay well-formed XML. Below 640 px
    /// (a phone) the tables stack, one card per row with each cell's column name beside it, and the charts
    /// scale to the width.
    static let style = """

        body { margin: 0; background: #f3f5f8; color: #1f2933; font-size: 14px; line-height: 1.5;
          font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
        main { max-width: 1200px; margin: 0 auto; padding: 20px; }
        header { background: #0b3d91; color: #fff; padding: 18px 24px; border-radius: 6px; }
        h1 { margin: 0; font-size: 24px; letter-spacing: 1px; }
        .meta { margin: 6px 0 0; font-size: 13px; opacity: 0.9; }
        section { background: #fff; border-radius: 6px; padding: 14px 20px; margin-top: 16px; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.1); }
        h2 { font-size: 18px; margin: 0 0 12px; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px; }
        .card { border: 1px solid #d9e2ec; border-radius: 6px; padding: 10px 14px; }
        .card .label { color: #52606d; font-size: 13px; }
        .card .value { font-size: 28px; font-weight: bold; color: #0b3d91; }
        .card .count, .note, .empty { color: #7b8794; font-size: 12px; }
        svg.chart, svg.map { display: block; width: 100%; max-width: 900px; height: auto; font-size: 13px; }
        .track { fill: #e4e7eb; }
        .bar.good { fill: #2f855a; } .bar.fair { fill: #d69e2e; } .bar.poor { fill: #c53030; }
        .grid { stroke: #e4e7eb; } .axis { fill: #7b8794; font-size: 12px; }
        .line { fill: none; stroke: #0b3d91; stroke-width: 2; } .point { fill: #0b3d91; }
        .map .land { fill: #f7f9fb; stroke: #d9e2ec; }
        .camera { stroke: #fff; stroke-width: 1; }
        .camera.online, .legend .online { fill: #2f855a; } .camera.degraded, .legend .degraded { fill: #d69e2e; }
        .camera.offline, .legend .offline { fill: #c53030; } .camera.unswept, .legend .unswept { fill: #9aa5b1; }
        .place { fill: #1f2933; font-size: 12px; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; }
        th, td { border-bottom: 1px solid #e4e7eb; padding: 5px 8px; text-align: left; vertical-align: top; }
        th { background: #f0f4f8; font-weight: 600; }
        td { word-break: break-word; }
        td.number { text-align: right; }
        img.thumbnail { width: 120px; height: auto; image-rendering: pixelated; border: 1px solid #d9e2ec; }
        @media (max-width: 640px) {
          main { padding: 8px; }
          header { padding: 12px 14px; }
          h1 { font-size: 19px; }
          section { padding: 10px 12px; }
          table, thead, tbody, tr, th, td { display: block; width: auto; }
          thead { display: none; }
          tr { border: 1px solid #d9e2ec; border-radius: 6px; margin-bottom: 8px; padding: 4px 0; }
          td { border: none; padding: 2px 10px; text-align: left; }
          td.number { text-align: left; }
          td::before { content: attr(data-label) "："; color: #7b8794; }
          .cards { grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; }
          .card .value { font-size: 22px; }
          .map .place { font-size: 24px; stroke-width: 5px; }
          .map circle.camera { r: 9px; }
          svg.chart { font-size: 20px; }
          svg.chart .axis { font-size: 20px; }
        }
        @media print { body { background: #fff; } section, header { box-shadow: none; break-inside: avoid; } }

        """
}
