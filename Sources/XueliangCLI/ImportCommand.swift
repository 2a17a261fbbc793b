import Foundation
import Localization
import Registry

struct ImportCommand: Command {
    static let name = "import"
    static let abstract = "Import cameras (or, with --villages, villages) from an .xlsx workbook or a CSV/TSV file in UTF-8 or GB18030. "
        + "All or nothing; changes to cameras already registered need --update."
    static let usage = "FILE.xlsx|FILE.csv [--sheet NAME] [--villages] [--dry-run] [--update] [--clear-blanks] [--skip-invalid [--rejects FILE]]"
    static let options: [OptionSpec] = [
        .flag("--villages", "the file lists villages (code, name, kind, township, station, key_points)"),
        .flag("--dry-run", "check and show what would change, field by field; write nothing"),
        .flag("--update", "apply changes to cameras already in the registry (refused without it, with what would change)"),
        .flag("--clear-blanks", "an empty cell clears its field (by default it keeps the registry's value)"),
        .flag("--skip-invalid", "import the valid rows; write the rejected ones to the rejects file"),
        .value("--rejects", "FILE", "where --skip-invalid writes rejected rows (default NAME.rejected.csv next to NAME.csv)"),
        .value("--sheet", "NAME", "the sheet of an .xlsx workbook to read (default: the first one not hidden)"),
        CommandContext.strictOption,
    ]

    let path: String
    let villages: Bool
    let dryRun: Bool
    let options: SpreadsheetImport.Options
    let rejectsPath: String
    let strict: Bool
    let sheet: String?

    init(_ arguments: ParsedArguments) throws(UsageError) {
        let path = try Self.positionals(arguments, "FILE")[0]
        self.path = path
        villages = arguments.has("--villages")
        dryRun = arguments.has("--dry-run")
        options = SpreadsheetImport.Options(skipInvalid: arguments.has("--skip-invalid"), update: arguments.has("--update"),
                                            clearBlanks: arguments.has("--clear-blanks"))
        strict = arguments.has("--strict")
        sheet = arguments.value("--sheet")
        if arguments.has("--rejects") && !options.skipInvalid { throw Self.usageError("--rejects goes with --skip-invalid") }
        rejectsPath = arguments.value("--rejects") ?? Self.defaultRejectsPath(for: path)
    }

    /// `cameras.csv` (or `.tsv`, `.txt`, `.xlsx`) → `cameras.rejected.csv`, next to it; a name without one of
    /// those extensions gets `.rejected.csv` appended.
    static func defaultRejectsPath(for path: String) -> String {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        for fileExtension in [".csv", ".tsv", ".txt", ".xlsx"] where name.lowercased().hasSuffix(fileExtension) && name.count > fileExtension.count {
            return String(path.dropLast(fileExtension.count)) + ".rejected.csv"
        }
        return path + ".rejected.csv"
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let table = try CSVTable.read(path: path, sheet: sheet)
        let validator = try context.validator(strict: strict)
        // A dry run shows what --update would change instead of refusing it.
        var importOptions = options
        importOptions.update = options.update || dryRun
        let report = try context.store.update(dryRun: dryRun) { (inventory: inout Inventory) throws(InventoryError) in
            villages
                ? try SpreadsheetImport.importVillages(table, path: path, into: &inventory, validator: validator, options: importOptions)
                : try SpreadsheetImport.importCameras(SpreadsheetExport.restoringMaskedPhones(in: table, from: inventory), path: path,
                                                      into: &inventory, validator: validator, options: importOptions)
        }
        if !report.ignoredColumns.isEmpty {
            let names = report.ignoredColumns.joined(separator: ", ")
            context.print((villages ? "ignored columns \(names): not village columns (see docs/inventory-format.md)" as Message
                : "ignored columns \(names): not camera columns (see docs/inventory-format.md)").description)
        }
        for change in report.changes {
            if change.isNew {
                // What a dry run would add; a real import counts them.
                guard dryRun else { continue }
                context.print(Message("would add \(change.id) (line \(change.line)): \(change.name), \(change.village)").description)
                continue
            }
            context.print((dryRun ? "would change \(change.id) (line \(change.line)):" as Message : "changed \(change.id) (line \(change.line)):").description)
            for field in change.fields {
                let empty = Message("(empty)").description
                context.print("  \(field.field): \(field.old ?? empty) → \(field.new ?? empty)")
            }
        }
        let layout: Message = if let sheet = table.sheet { "sheet '\(sheet)'" } else if table.delimiter == "\t" {
            "\(table.encoding.rawValue), tab-separated"
        } else {
            "\(table.encoding.rawValue), comma-separated"
        }
        let counts = (report.added.count, report.updated.count, report.unchanged.count)
        let summary: Message = switch (villages, dryRun) {
        case (false, false): "imported \(path) (\(layout)): \(counts.0) cameras added, \(counts.1) updated, \(counts.2) unchanged"
        case (false, true): "would import \(path) (\(layout)): \(counts.0) cameras added, \(counts.1) updated, \(counts.2) unchanged"
        case (true, false): "imported \(path) (\(layout)): \(counts.0) villages added, \(counts.1) updated, \(counts.2) unchanged"
        case (true, true): "would import \(path) (\(layout)): \(counts.0) villages added, \(counts.1) updated, \(counts.2) unchanged"
        }
        context.print(summary.description)
        let changed = report.changes.count { !$0.isNew }
        if dryRun && !options.update && changed > 0 {
            context.print(Message("\(changed) cameras already in the registry would change: import with --update to apply the changes").description)
        }
        if !report.rejected.isEmpty {
            for row in report.rejected { for problem in row.problems { context.output.writeError(problem + "\n") } }
            if !dryRun { try writeRejects(report.rejected, header: table.header) }
            let count = report.rejected.count
            let rejected: Message = switch (count == 1, dryRun) {
            case (true, true): "1 row rejected"
            case (true, false): "1 row rejected; written to \(rejectsPath)"
            case (false, true): "\(count) rows rejected"
            case (false, false): "\(count) rows rejected; written to \(rejectsPath)"
            }
            context.print(rejected.description)
        }
        return ExitCode.success
    }

    /// The rejected rows as they were (passwords masked, formula-like cells neutralised, which the importer
    /// undoes), under the original header plus an `error` column (`错误` in Chinese, read back as neither a
    /// field nor an unknown column), comma-separated UTF-8 with a BOM: the file re-imports as it is.
    private func writeRejects(_ rows: [SpreadsheetImport.RejectedRow], header: [String]) throws {
        let errorHeader = OutputLocale.current.language == .chinese ? "错误" : "error"
        // A rejects file imported again and rejected again gets its error column anew, not a second one.
        let earlierErrors = header.indices.filter { SpreadsheetImport.isRejectsErrorHeader(header[$0]) }
        func withoutEarlierErrors(_ cells: [String]) -> [String] {
            cells.indices.filter { !earlierErrors.contains($0) }.map { cells[$0] }
        }
        var text = "\u{FEFF}" + (withoutEarlierErrors(header) + [errorHeader]).map { CSVTable.spreadsheetCell($0) }.joined(separator: ",") + "\n"
        for row in rows {
            let cells = withoutEarlierErrors(row.fields) + [row.problems.joined(separator: "; ")]
            text += cells.map { CSVTable.spreadsheetCell($0) }.joined(separator: ",") + "\n"
        }
        try AtomicWrite.write(text, to: rejectsPath)
    }
}
