import Localization
import Registry

struct ExportCommand: Command {
    static let name = "export"
    static let abstract = "Write cameras (or, with --villages, villages) in the columns 'import' reads: an .xlsx workbook, or CSV for Excel."
    static let usage = "FILE.xlsx|FILE.csv [--villages] [--village CODE | --township CODE | --county CODE] [--source public|citizen]"
    static let options: [OptionSpec] = ScopeOptions.specs + [
        .flag("--villages", "write the villages (code, name, kind, township, station, key_points) instead of the cameras"),
        .value("--status", "pending|active|retired", "only cameras in this status"),
        .flag("--show-phone", "write owners' phone numbers in full (masked by default; a masked number imports as the record's own)"),
    ]

    let path: String
    let format: SpreadsheetExport.Format
    let scope: CameraScope
    let villages: Bool
    let revealPhones: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        path = try Self.positionals(arguments, "FILE")[0]
        guard let format = SpreadsheetExport.Format(path: path) else {
            throw Self.usageError("\(path): the file's name must end in .xlsx (a workbook) or .csv (CSV for Excel)")
        }
        self.format = format
        var scope = try ScopeOptions.scope(arguments, command: Self.name)
        if let status = arguments.value("--status") {
            guard let value = CameraStatus(rawValue: status) else { throw Self.usageError("--status: '\(status)' is not pending, active or retired") }
            scope.statuses = [value]
        }
        self.scope = scope
        villages = arguments.has("--villages")
        if villages && (scope.source != nil || scope.statuses != nil) {
            throw Self.usageError("--source and --status choose cameras; with --villages give only --village, --township or --county")
        }
        revealPhones = arguments.has("--show-phone")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let inventory = try context.store.load()
        let count: Int
        if villages {
            let chosen = inventory.villages.values.filter { $0.code.digits.hasPrefix(scope.placePrefix ?? "") }.sorted { $0.code < $1.code }
            count = chosen.count
            switch format {
            case .workbook: try AtomicWrite.write(bytes: SpreadsheetExport.villagesWorkbook(chosen), to: path)
            case .csv: try AtomicWrite.stream(to: path) { write in SpreadsheetExport.villagesCSV(chosen, write: write) }
            }
        } else {
            let cameras = inventory.cameras.filter(scope.contains).sorted { ($0.village, $0.id) < ($1.village, $1.id) }
            count = cameras.count
            switch format {
            case .workbook: try AtomicWrite.write(bytes: SpreadsheetExport.camerasWorkbook(cameras, revealPhones: revealPhones), to: path)
            case .csv: try AtomicWrite.stream(to: path) { write in SpreadsheetExport.camerasCSV(cameras, revealPhones: revealPhones, write: write) }
            }
        }
        let done: Message = switch (villages, count) {
        case (true, 1): "exported 1 village to \(path)"
        case (true, _): "exported \(count) villages to \(path)"
        case (false, 1): "exported 1 camera to \(path)"
        case (false, _): "exported \(count) cameras to \(path)"
        }
        context.print(done.description)
        return ExitCode.success
    }
}
