import Localization
import Catalog
import Foundation
import Coverage
import Registry

/// The options that change how figures are counted, the same for `coverage` and `report` (docs/figures.md).
struct FigureOptions {
    static let specs: [OptionSpec] = [
        .value("--min-cameras", "K", "working cameras a village or community needs to count as covered (default 1)"),
        .value("--clock-tolerance", "SECONDS", "a camera clock within this many seconds is accurate (default 60)"),
    ]

    var minimumWorkingCameras = 1
    var clockToleranceSeconds = 60.0

    init(_ arguments: ParsedArguments, command: String) throws(UsageError) {
        let minimum = arguments.value("--min-cameras") ?? "1"
        guard let cameras = Int(minimum), cameras >= 1 else {
            throw UsageError(message: "--min-cameras: '\(minimum)' is not a whole number ≥ 1", command: command)
        }
        minimumWorkingCameras = cameras
        if let text = arguments.value("--clock-tolerance") {
            guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= 86_400 else {
                throw UsageError(message: "--clock-tolerance: '\(text)' is not a number of seconds in 0...86400", command: command)
            }
            clockToleranceSeconds = seconds
        }
    }

    /// The rules these options set, judged on `today`.
    func rules(today: CalendarDate) -> CoverageRules {
        var rules = CoverageRules(today: today)
        rules.minimumWorkingCameras = minimumWorkingCameras
        rules.clockToleranceSeconds = clockToleranceSeconds
        return rules
    }
}

/// `--catalog FILE.xml` (repeatable) of `coverage` and `report`: the platform's catalog, for 目录一致率.
enum CatalogOption {
    static let spec = OptionSpec.repeated("--catalog", "FILE.xml", "the GB/T 28181 platform's Catalog responses: adds 目录一致率 (docs/catalog.md)")

    /// 目录一致率 of `inventory` against the catalog files given, nil when none was.
    static func consistency(_ paths: [String], inventory: Inventory, readings: [String: CameraReading]) throws -> CatalogConsistency? {
        guard !paths.isEmpty else { return nil }
        let catalog = try CatalogReader.read(paths: paths)
        let diff = CatalogDiff(catalog: catalog, inventory: inventory, working: readings.mapValues(\.isWorking))
        return CatalogConsistency(consistent: diff.consistency.consistent, inService: diff.consistency.inService)
    }
}

/// `--period` of `coverage`: which local days the figures over a period cover.
enum PeriodOption {
    /// `day` (today so far), `week` (the last 7 days), `month` (this month so far), `YYYY-MM-DD` (that day),
    /// `YYYY-MM` (that month); days in the local time zone (`TZ`). Nil for anything else.
    static func bounds(_ text: String, now: Date, timeZone: TimeZone = OutputLocale.current.timeZone) -> (start: Date, end: Date)? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        switch text {
        case "day": return (calendar.startOfDay(for: now), now)
        case "week": return (now.addingTimeInterval(-7 * 86_400), now)
        case "month":
            return calendar.dateInterval(of: .month, for: now).map { ($0.start, now) }
        default:
            let parts = text.split(separator: "-").map { Int($0) }
            guard parts.allSatisfy({ $0 != nil }), let year = parts.first ?? nil, (1970...9999).contains(year) else { return nil }
            if parts.count == 3, let day = CalendarDate(year: year, month: parts[1]!, day: parts[2]!),
               let start = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)),
               let end = calendar.date(byAdding: .day, value: 1, to: start) {
                return (start, end.addingTimeInterval(-0.001))
            }
            if parts.count == 2, (1...12).contains(parts[1]!), let start = calendar.date(from: DateComponents(year: year, month: parts[1]!, day: 1)),
               let end = calendar.date(byAdding: .month, value: 1, to: start) {
                return (start, end.addingTimeInterval(-0.001))
            }
            return nil
        }
    }
}
