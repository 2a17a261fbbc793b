import Coverage
import Foundation
import Monitoring
import Registry
import Reports

struct CoverageCommand: Command {
    static let name = "coverage"
    static let abstract = "The figures a county is judged on: online rate, village and key-point coverage, blind spots, completeness."
    static let usage = "[--by village|township|county|station|maintainer] [--village CODE | --township CODE | --county CODE] [--source public|citizen] [--monitor NAME] [--json]"
    static let options: [OptionSpec] = [
        .value("--by", "GROUPING", "village, township (default), county, station or maintainer"),
    ] + ScopeOptions.specs + [
        .value("--results", "FILE", "a xueliang.sweep/1 document (default: the latest sweep in the state directory)"),
    ] + FigureOptions.specs + [CatalogOption.spec] + [
        .value("--monitor", "NAME", "availability over the monitor's whole journal instead of the last 30 kept sweeps"),
        .value("--period", "day|week|month|YYYY-MM-DD|YYYY-MM", "with --monitor: the daily mean online rate, availability and the "
            + "township ranking over the period (local days; week: the last 7 days; day, month: so far)"),
        .flag("--json", "print a xueliang.coverage/1 document"),
    ]

    let grouping: CoverageGrouping
    let scope: CameraScope
    let resultsPath: String?
    let figureOptions: FigureOptions
    let catalogPaths: [String]
    let json: Bool
    let monitor: String?
    let period: String?

    init(_ arguments: ParsedArguments) throws(UsageError) {
        _ = try Self.positionals(arguments)
        let by = arguments.value("--by") ?? "township"
        guard let grouping = CoverageGrouping(rawValue: by) else {
            throw Self.usageError("--by: '\(by)' is not village, township, county, station or maintainer")
        }
        self.grouping = grouping
        scope = try ScopeOptions.scope(arguments, command: Self.name)
        resultsPath = arguments.value("--results")
        figureOptions = try FigureOptions(arguments, command: Self.name)
        catalogPaths = arguments.all("--catalog")
        json = arguments.has("--json")
        monitor = arguments.value("--monitor")
        period = arguments.value("--period")
        if let period {
            guard monitor != nil else { throw Self.usageError("--period needs --monitor NAME: the figures over a period come from its journal") }
            guard PeriodOption.bounds(period, now: Date()) != nil else {
                throw Self.usageError("--period: '\(period)' is not day, week, month, a date (YYYY-MM-DD) or a month (YYYY-MM)")
            }
        }
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let monitorStore = try context.monitorStore(monitor)
        // The sweep and the kept history are other files: read while the registry loads and is validated.
        let (resultsPath, monitorFiles) = (self.resultsPath, monitorStore?.files)
        async let latest = context.latestSweep(resultsPath: resultsPath, monitor: monitorFiles)
        // Availability needs the kept sweeps or a journal; with --results alone there is no period to speak of.
        async let trend = resultsPath == nil || monitorStore != nil ? context.sweepHistory(monitor: monitorStore) : nil
        let inventory = try context.store.load()
        let issues = Validator(today: context.today).validate(inventory)
        let sweep = try await latest
        let history = try await trend
        defer { context.keepUntilExit([inventory, sweep, issues] as [any Sendable]) }
        let rules = figureOptions.rules(today: context.today)
        var report = CoverageCalculator.report(inventory: inventory, readings: sweep.readings, issues: issues, grouping: grouping,
                                               scope: scope, rules: rules)
        report.catalog = try CatalogOption.consistency(catalogPaths, inventory: inventory, readings: sweep.readings)
        let periodFigures = try period.flatMap { text in
            try monitorStore.flatMap { store in
                try PeriodOption.bounds(text, now: context.now).map { try PeriodFigures.compute(store: store, inventory: inventory, start: $0.start, end: $0.end) }
            }
        }
        if json {
            context.output.write(JSONDocument.encode(CoverageDocument(report: report, inventory: inventory, sweepFinishedAt: sweep.finishedAt,
                                                                      sweepComplete: sweep.complete, history: history, period: periodFigures)))
        } else {
            context.output.write(CoverageText.render(report, inventory: inventory, history: history))
            if let periodFigures { context.output.write(PeriodText.render(periodFigures)) }
        }
        return ExitCode.success
    }
}
