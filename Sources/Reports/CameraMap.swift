import Coverage
import Foundation
import Localization
import Probing
import Registry

/// The report's map: every positioned camera where it stands, coloured by the latest sweep, with village names
/// at the middle of their cameras. Offline by design: an equirectangular projection of the cameras' bounding box
/// (WGS-84 degrees, longitude scaled by the cosine of the middle latitude so that a kilometre looks the same
/// both ways), no tiles, no external assets.
enum CameraMap {
    /// Above this many positioned cameras, a city's map would be megabytes of circles: cameras are drawn per
    /// cell of a fine grid instead (one mark per cell, its colour the cell's worst status, its size its count).
    static let markLimit = 5_000
    static let width = 760.0
    static let margin = 24.0

    enum MarkStatus: String, CaseIterable {
        case online, degraded, offline, unswept
    }

    struct Mark {
        var latitude: Double
        var longitude: Double
        var status: MarkStatus
        var title: String
    }

    static func section(_ input: ReportInput) -> String {
        let title = localized("Map of cameras")
        var marks: [Mark] = []
        var villages: [VillageCode: (latitude: Double, longitude: Double, count: Int)] = [:]
        for camera in input.inventory.cameras where camera.isActiveCamera {
            guard let latitude = camera.latitude, let longitude = camera.longitude else { continue }
            let status: MarkStatus = switch input.latest.readings[camera.id]?.status {
            case .online?: .online
            case .degraded?: .degraded
            case .offline?: .offline
            case nil: .unswept
            }
            marks.append(Mark(latitude: latitude, longitude: longitude, status: status,
                              title: "\(camera.name) \(camera.id): \(Vocabulary.name(status == .unswept ? "map" : "status", status.rawValue))"))
            let sum = villages[camera.village] ?? (0, 0, 0)
            villages[camera.village] = (sum.latitude + latitude, sum.longitude + longitude, sum.count + 1)
        }
        guard !marks.isEmpty else {
            return HTMLReport.section("map", title, HTMLReport.empty(localized("no camera has a position")))
        }
        let latitudes = marks.map(\.latitude), longitudes = marks.map(\.longitude)
        // A minimum span keeps a village of cameras a few metres apart from filling the page with one dot.
        let minimumSpan = 0.005
        var south = latitudes.min()!, north = latitudes.max()!, west = longitudes.min()!, east = longitudes.max()!
        if north - south < minimumSpan { let middle = (north + south) / 2; south = middle - minimumSpan / 2; north = middle + minimumSpan / 2 }
        if east - west < minimumSpan { let middle = (east + west) / 2; west = middle - minimumSpan / 2; east = middle + minimumSpan / 2 }
        let squeeze = cos((north + south) / 2 * .pi / 180)
        let plotWidth = width - 2 * margin
        let scale = plotWidth / ((east - west) * squeeze)
        // Tall areas would make a page-long map: the height is capped, and then the width follows.
        let plotHeight = min((north - south) * scale, plotWidth * 0.66)
        let fitted = min(scale, plotHeight / (north - south))
        let height = plotHeight + 2 * margin
        func x(_ longitude: Double) -> Double { margin + (longitude - west) * squeeze * fitted }
        func y(_ latitude: Double) -> Double { margin + (north - latitude) * fitted }
        let c = HTMLReport.coordinate
        var svg = "<svg class=\"map\" viewBox=\"0 0 \(c(width)) \(c(height))\" role=\"img\" aria-labelledby=\"map-title\">\n"
            + "<title id=\"map-title\">\(HTMLReport.escape(title))</title>\n"
            + "<rect class=\"land\" x=\"0\" y=\"0\" width=\"\(c(width))\" height=\"\(c(height))\"/>\n"
        // Worst last, so that an offline camera is never hidden under a working neighbour.
        let order: [MarkStatus] = [.online, .unswept, .degraded, .offline]
        if marks.count <= markLimit {
            for mark in marks.sorted(by: { order.firstIndex(of: $0.status)! < order.firstIndex(of: $1.status)! }) {
                svg += "<circle class=\"camera \(mark.status.rawValue)\" cx=\"\(c(x(mark.longitude)))\" cy=\"\(c(y(mark.latitude)))\" r=\"4\">"
                    + "<title>\(HTMLReport.escape(mark.title))</title></circle>\n"
            }
        } else {
            var cells: [Int: (count: Int, worst: MarkStatus, latitude: Double, longitude: Double)] = [:]
            for mark in marks {
                let key = Int(x(mark.longitude) / 4) * 10_000 + Int(y(mark.latitude) / 4)
                var cell = cells[key] ?? (0, .online, mark.latitude, mark.longitude)
                cell.count += 1
                if order.firstIndex(of: mark.status)! > order.firstIndex(of: cell.worst)! { cell.worst = mark.status }
                cells[key] = cell
            }
            for (_, cell) in cells.sorted(by: { ($0.value.worst == .offline ? 1 : 0, $0.key) < ($1.value.worst == .offline ? 1 : 0, $1.key) }) {
                let radius = min(8, 2 + log2(Double(cell.count)))
                svg += "<circle class=\"camera \(cell.worst.rawValue)\" cx=\"\(c(x(cell.longitude)))\" cy=\"\(c(y(cell.latitude)))\""
                    + " r=\"\(c(radius))\"><title>\(HTMLReport.escape(localized("\(cell.count) cameras here")))</title></circle>\n"
            }
        }
        // Village names at the middle of their cameras, over the marks.
        for (code, sum) in villages.sorted(by: { $0.key.digits < $1.key.digits }) {
            let name = input.inventory.villages[code]?.name ?? code.digits
            // Kept inside the map: a village at its edge would have half its name cut off.
            let labelX = min(max(x(sum.longitude / Double(sum.count)), margin + 40), width - margin - 40)
            let labelY = max(y(sum.latitude / Double(sum.count)) - 8, 14)
            svg += "<text class=\"place\" x=\"\(c(labelX))\" y=\"\(c(labelY))\""
                + " text-anchor=\"middle\">\(HTMLReport.escape(name))</text>\n"
        }
        svg += "</svg>\n"
        let counts = Dictionary(grouping: marks, by: \.status).mapValues(\.count)
        var legend = "<p class=\"legend\">"
        for status in MarkStatus.allCases {
            let name = Vocabulary.name(status == .unswept ? "map" : "status", status.rawValue)
            legend += "<svg width=\"12\" height=\"12\" viewBox=\"0 0 12 12\" aria-hidden=\"true\"><circle class=\"\(status.rawValue)\" cx=\"6\" cy=\"6\" r=\"5\"/></svg> "
                + HTMLReport.escape("\(name) \(counts[status] ?? 0)") + " "
        }
        let unpositioned = input.inventory.cameras.count { $0.isActiveCamera && ($0.latitude == nil || $0.longitude == nil) }
        if unpositioned > 0 { legend += HTMLReport.escape(localized("· \(unpositioned) cameras without a position are not drawn")) }
        legend += "</p>\n"
        return HTMLReport.section("map", title, svg + legend)
    }
}
