import Catalog
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
