import Registry

struct ImportCommand: Command {
    static let name = "import"
    static let abstract = "Import cameras (or, with --villages, villages) from an .xlsx workbook or a CSV/TSV file in UTF-8 or GB18030. All or nothing."
    static let usage = "FILE.xlsx|FILE.csv [--sheet NAME] [--villages] [--dry-run] [--skip-invalid [--rejects FILE]]"
    static let options: [OptionSpec] = [
        .flag("--villages", "the file lists villages (code, name, kind, township, station, key_points)"),
        .flag("--dry-run", "check and report, write nothing"),
        .flag("--skip-invalid", "import the valid rows; write the rejected ones to the rejects file"),
        .value("--rejects", "FILE", "where --skip-invalid writes rejected rows (default FILE.rejected.csv)"),
        .value("--sheet", "NAME", "the sheet of an .xlsx workbook to read (default: the first one not hidden)"),
        CommandContext.strictOption,
    ]

    let path: String
    let villages: Bool
    let dryRun: Bool
    let skipInvalid: Bool
    let rejectsPath: String
    let strict: Bool
    let sheet: String?

    init(_ arguments: ParsedArguments) throws(UsageError) {
        let path = try Self.positionals(arguments, "FILE")[0]
        self.path = path
        villages = arguments.has("--villages")
        dryRun = arguments.has("--dry-run")
        skipInvalid = arguments.has("--skip-invalid")
        strict = arguments.has("--strict")
        sheet = arguments.value("--sheet")
        if arguments.has("--rejects") && !skipInvalid { throw Self.usageError("--rejects goes with --skip-invalid") }
        let stem = [".csv", ".xlsx"].first { path.lowercased().hasSuffix($0) }.map { String(path.dropLast($0.count)) } ?? path
        rejectsPath = arguments.value("--rejects") ?? stem + ".rejected.csv"
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let table = try CSVTable.read(path: path, sheet: sheet)
        let validator = try context.validator(strict: strict)
        let report = try context.store.update(dryRun: dryRun) { (inventory: inout Inventory) throws(InventoryError) in
            villages
                ? try SpreadsheetImport.importVillages(table, path: path, into: &inventory, validator: validator, skipInvalid: skipInvalid)
                : try SpreadsheetImport.importCameras(SpreadsheetExport.restoringMaskedPhones(in: table, from: inventory), path: path,
                                                      into: &inventory, validator: validator, skipInvalid: skipInvalid)
        }
        let what = villages ? "villages" : "cameras"
        let layout = table.sheet.map { "sheet '\($0)'" } ?? "\(table.encoding.rawValue), \(table.delimiter == "\t" ? "tab" : "comma")-separated"
        context.print("\(dryRun ? "would import" : "imported") \(path) (\(layout)): \(report.added.count) \(what) added, "
            + "\(report.updated.count) updated, \(report.unchanged.count) unchanged")
        if !report.rejected.isEmpty {
            for row in report.rejected { for problem in row.problems { context.output.writeError(problem + "\n") } }
            if !dryRun { try writeRejects(report.rejected, header: table) }
            context.print("\(report.rejected.count) row\(report.rejected.count == 1 ? "" : "s") rejected\(dryRun ? "" : "; written to \(rejectsPath)")")
        }
        return ExitCode.success
    }

    /// The rejected rows as they were (passwords masked, formula-like cells neutralised, which the importer
    /// undoes), under the original header plus an `error` column, in UTF-8 with a BOM.
    private func writeRejects(_ rows: [SpreadsheetImport.RejectedRow], header: CSVTable) throws {
        let delimiter = String(header.delimiter)
        var text = "\u{FEFF}" + (header.header + ["error"]).map { CSVTable.spreadsheetCell($0, delimiter: header.delimiter) }.joined(separator: delimiter) + "\n"
        for row in rows {
            let cells = row.fields + [row.problems.joined(separator: "; ")]
            text += cells.map { CSVTable.spreadsheetCell($0, delimiter: header.delimiter) }.joined(separator: delimiter) + "\n"
        }
        try AtomicWrite.write(text, to: rejectsPath)
    }
}
