import Localization
import Catalog
import Foundation
import Registry
import Reports
import StateStore

/// Reads the platform's catalog files named on the command line (`FILE.xml...`).
private func catalogPaths(_ arguments: ParsedArguments, command: String) throws(UsageError) -> [String] {
    guard !arguments.positionals.isEmpty else {
        throw UsageError(message: "missing FILE.xml (one or more Catalog responses of the GB/T 28181 platform)", command: command)
    }
    return arguments.positionals
}

/// What was read, in a few lines: files and encodings, each answer (incomplete ones said so), devices and skips.
private func catalogSummary(_ catalog: PlatformCatalog) -> String {
    var encodings: [String: Int] = [:]
    for file in catalog.files {
        let encoding: Message = file.declaredEncoding.map { $0.uppercased() == file.encoding ? Message(verbatim: file.encoding) : "\(file.encoding) declared \($0)" }
            ?? "\(file.encoding) undeclared"
        encodings[localized(encoding), default: 0] += 1
    }
    let separator = localized(", ")
    let responses = catalog.files.reduce(0) { $0 + $1.responses }
    let others = catalog.files.reduce(0) { $0 + $1.otherMessages }
    let encodingList = encodings.keys.sorted().map { "\($0): \(encodings[$0]!)" }.joined(separator: separator)
    let files: Message = catalog.files.count == 1 ? "1 file" : "\(catalog.files.count) files"
    let responseCount: Message = responses == 1 ? "1 Catalog response" : "\(responses) Catalog responses"
    let otherCount: Message = others == 1 ? "1 other message" : "\(others) other messages"
    var lines = [localized("read \(files) (\(encodingList)): \(responseCount), \(otherCount)")]
    for answer in catalog.answers {
        let messages: Message = answer.messages == 1 ? "1 message" : "\(answer.messages) messages"
        var line: Message = answer.sumNum.map { "catalog \(answer.platformID) SN \(answer.serialNumber): \(answer.received) of \($0) items in \(messages)" }
            ?? "catalog \(answer.platformID) SN \(answer.serialNumber): \(answer.received) (no SumNum) items in \(messages)"
        if !answer.isComplete { line = "\(line): incomplete, \(answer.sumNum! - answer.received) never arrived" }
        lines.append(localized(line))
    }
    let skipped = CatalogSkipReason.allCases.compactMap { reason in catalog.skipped[reason].map { localized(reason.counted($0)) } }
    let devices: Message = catalog.devices.count == 1 ? "1 video device" : "\(catalog.devices.count) video devices"
    var last: Message = skipped.isEmpty ? "\(devices); skipped nothing" : "\(devices); skipped \(skipped.joined(separator: separator))"
    if catalog.repeated > 0 { last = "\(last); \(catalog.repeated) listed more than once (the last file's item is kept)" }
    lines.append(localized(last))
    return lines.joined(separator: "\n") + "\n"
}

struct CatalogImportCommand: Command {
    static let name = "catalog import"
    static let abstract = "Read a GB/T 28181 platform's Catalog responses; --register makes pending records (一机一档) of the devices not registered."
    static let usage = "FILE.xml... [--register [--dry-run]]"
    static let options: [OptionSpec] = [
        .flag("--register", "create a pending record (一机一档) for every device not registered, in the village its CivilCode and Name give; all or nothing"),
        .flag("--dry-run", "with --register: check and report, write nothing"),
    ]

    let paths: [String]
    let register: Bool
    let dryRun: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        paths = try catalogPaths(arguments, command: Self.name)
        register = arguments.has("--register")
        dryRun = arguments.has("--dry-run")
        if dryRun && !register { throw Self.usageError("--dry-run goes with --register") }
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let catalog = try CatalogReader.read(paths: paths)
        context.output.write(catalogSummary(catalog))
        guard register else {
            context.say("'xueliang catalog diff' compares it with the registry; --register makes pending records of the devices not registered")
            return ExitCode.success
        }
        let validator = try context.validator()
        let added = try context.store.update(dryRun: dryRun) { (inventory: inout Inventory) throws(InventoryError) -> [[String]] in
            let ids = try CatalogRegistration.register(catalog.devices, into: &inventory, validator: validator)
            return ids.compactMap { id in
                inventory.camera(id: id).map { camera in
                    [id, camera.name, camera.village.digits + (inventory.villages[camera.village].map { " \($0.name)" } ?? "")]
                }
            }
        }
        if !added.isEmpty {
            var table = TextTable(headers: [localized("ID"), localized("NAME"), localized("VILLAGE")])
            for row in added { table.append(row) }
            context.output.write(table.render())
        }
        let cameras: Message = added.count == 1 ? "1 pending camera" : "\(added.count) pending cameras"
        let done: Message = dryRun ? "would register \(cameras) from the catalog" : "registered \(cameras) from the catalog"
        context.say(added.isEmpty ? "\(done) (every device is registered already)" : "\(done); complete them and set them active with 'xueliang update'")
        return ExitCode.success
    }
}

struct CatalogDiffCommand: Command {
    static let name = "catalog diff"
    static let abstract = "Reconcile a GB/T 28181 platform's catalog with the registry: 未建档, 未上报, mismatches, false online, 目录一致率."
    static let usage = "FILE.xml... [--json] [--distance METRES] [--results FILE]"
    static let options: [OptionSpec] = [
        .value("--distance", "METRES", "positions further apart than this are a mismatch (default 100; WGS-84 assumed)"),
        .value("--results", "FILE", "a xueliang.sweep/1 document for the false-online list (default: the latest sweep in the state directory)"),
        .flag("--json", "print a xueliang.catalog-diff/1 document"),
    ]

    let paths: [String]
    let json: Bool
    let distance: Double
    let resultsPath: String?

    init(_ arguments: ParsedArguments) throws(UsageError) {
        paths = try catalogPaths(arguments, command: Self.name)
        json = arguments.has("--json")
        let distanceText = arguments.value("--distance") ?? "100"
        guard let distance = Double(distanceText), distance.isFinite, distance > 0 else {
            throw Self.usageError("--distance: '\(distanceText)' is not a distance in metres above 0")
        }
        self.distance = distance
        resultsPath = arguments.value("--results")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let catalog = try CatalogReader.read(paths: paths)
        let inventory = try context.store.load()
        // Without a sweep there is no false-online list, but the rest of the reconciliation stands.
        var sweep: SweepReadings?
        do {
            sweep = try context.latestSweep(resultsPath: resultsPath)
        } catch let error as StateError {
            guard case .nothingYet = error else { throw error }
        }
        let working = sweep.map { $0.readings.mapValues { $0.status != .offline } }
        let diff = CatalogDiff(catalog: catalog, inventory: inventory, working: working,
                               rules: CatalogDiff.Rules(distanceThresholdMetres: distance))
        defer { context.keepUntilExit([inventory, sweep] as [any Sendable]) }
        if json {
            context.output.write(JSONDocument.encode(CatalogDiffDocument(diff: diff, catalog: catalog, inventory: inventory,
                                                                         sweepFinishedAt: sweep?.finishedAt)))
        } else {
            context.output.write(catalogSummary(catalog))
            context.output.write(Self.render(diff, inventory: inventory, catalog: catalog))
        }
        return ExitCode.success
    }

    /// The figure, then a table per category (a heading with its count; no table when it is empty).
    static func render(_ diff: CatalogDiff, inventory: Inventory, catalog: PlatformCatalog) -> String {
        let figure = diff.consistency
        let rate = figure.rate.map(Percent.text) ?? "-"
        var text = localized("目录一致率 catalog consistency: \(rate) (\(figure.consistent)/\(figure.inService) registered in-service cameras on the platform with no mismatch)") + "\n"
        if !catalog.incompleteAnswers.isEmpty {
            text += localized("warning: the catalog is incomplete, so 未上报 may list cameras of the messages that never arrived") + "\n"
        }
        func villageName(_ code: VillageCode) -> String { inventory.villages[code].map { "\(code) \($0.name)" } ?? code.digits }
        func section(_ heading: Message, _ count: Int, note: String = "", _ table: () -> TextTable) {
            text += "\n\(localized(heading)): \(count)\(note)\n"
            if count > 0 { text += table().render() }
        }
        section("未建档 on the platform, not registered", diff.unregistered.count) {
            var table = TextTable(headers: [localized("ID"), localized("NAME"), localized("CIVIL CODE"), localized("STATUS"), localized("WHERE")])
            for item in diff.unregistered {
                table.append([item.deviceID, item.name ?? "-", item.civilCode ?? "-", item.status ?? "-", "\(item.file):\(item.line)"])
            }
            return table
        }
        section("未上报 registered and in service, not on the platform", diff.unreported.count) {
            var table = TextTable(headers: [localized("ID"), localized("NAME"), localized("VILLAGE")])
            for camera in diff.unreported { table.append([camera.cameraID, camera.name, villageName(camera.village)]) }
            return table
        }
        let mismatchedCameras = Set(diff.mismatches.map(\.cameraID)).count
        section("mismatches", diff.mismatches.count, note: mismatchedCameras == 0 ? "" : (mismatchedCameras == 1 ? localized(" (in 1 camera)") : localized(" (in \(mismatchedCameras) cameras)"))) {
            var table = TextTable(headers: [localized("ID"), localized("FIELD"), localized("REGISTRY"), localized("PLATFORM")])
            for mismatch in diff.mismatches {
                let platform = mismatch.platform + (mismatch.distanceMetres.map { localized(" (\(Int($0)) m away)") } ?? "")
                table.append([mismatch.cameraID, Vocabulary.name("catalog-field", mismatch.field.rawValue), mismatch.registry, platform])
            }
            return table
        }
        if let falseOnline = diff.falseOnline {
            section("false online: the platform says online, the latest sweep found it not working", falseOnline.count) {
                var table = TextTable(headers: [localized("ID"), localized("NAME"), localized("VILLAGE"), localized("PLATFORM")])
                for camera in falseOnline { table.append([camera.cameraID, camera.name, villageName(camera.village), camera.platformStatus]) }
                return table
            }
        } else {
            text += "\n" + localized("false online: no sweep yet to compare with ('xueliang sweep' first, or give --results FILE)") + "\n"
        }
        return text
    }
}

extension XueliangCLI {
    /// A file that could not be read keeps the registry's exit code for it; content at fault is refused input.
    static func exitCode(for error: CatalogError) -> Int32 {
        switch error {
        case .unreadable(_, let cause): exitCode(for: cause)
        case .tooLarge, .encoding, .malformed, .noCatalog: ExitCode.invalidData
        }
    }
}
