import Probing
import Localization
import Reports
import Registry

struct VillagesAddCommand: Command {
    static let name = "villages add"
    static let abstract = "Add a village or community, or change one."
    static let usage = "CODE --name NAME [--kind village|community] --township NAME --station NAME [--key-point ID:NAME]... [--reassign OLD=NEW]..."
    static let options: [OptionSpec] = [
        .value("--name", "NAME", "name (名称)"),
        .value("--kind", "village|community", "village (村, default) or community (社区)"),
        .value("--township", "NAME", "township or street (乡镇街道)"),
        .value("--station", "NAME", "police station (派出所)"),
        .repeated("--key-point", "ID:NAME[@LAT,LON]", "a key point that must be watched (重点点位); the list replaces the village's"),
        .repeated("--reassign", "OLD=NEW", "cameras covering key point OLD, which the new list drops, cover NEW instead"),
    ]

    let code: String
    let arguments: ParsedArguments

    init(_ arguments: ParsedArguments) throws(UsageError) {
        code = try Self.positionals(arguments, "CODE")[0]
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        var issues: [InventoryIssue] = []
        func problem(_ field: String, _ message: Message) {
            issues.append(InventoryIssue(file: "command line", line: nil, subject: "village \(code)", field: field, message: message))
        }
        let parsedCode: VillageCode? = switch VillageCode.parse(code) {
        case .success(let value): value
        case .failure(let failure): { problem("CODE", failure.message); return nil }()
        }
        var kind: VillageKind?
        if let kindText = arguments.value("--kind") {
            kind = VillageKind(rawValue: kindText) ?? (kindText == "村" ? .village : kindText == "社区" ? .community : nil)
            if kind == nil { problem("--kind", "'\(kindText)' is not village or community") }
        }
        var keyPoints: [KeyPoint] = []
        for text in arguments.all("--key-point") {
            if let point = Self.keyPoint(text) { keyPoints.append(point) } else { problem("--key-point", "'\(text)' is not ID:NAME or ID:NAME@LAT,LON") }
        }
        var reassign: [String: String] = [:]
        for text in arguments.all("--reassign") {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty {
                reassign[parts[0]] = parts[1]
            } else {
                problem("--reassign", "'\(text)' is not OLD=NEW (key point ids)")
            }
        }
        for (old, new) in reassign.sorted(by: { $0.key < $1.key }) where !keyPoints.contains(where: { $0.id == new }) {
            problem("--reassign", "\(old)=\(new): \(new) is not among the new --key-point list")
        }
        guard let parsedCode, issues.isEmpty else { throw InventoryError.invalid(issues) }
        let validator = try context.validator()
        let added = try context.store.update { (inventory: inout Inventory) throws(InventoryError) -> Bool in
            let existing = inventory.villages[parsedCode]
            var village = existing ?? Village(code: parsedCode, name: "", kind: .village, township: "", station: "")
            if let name = arguments.value("--name") { village.name = name }
            if let kind { village.kind = kind }
            if let township = arguments.value("--township") { village.township = township }
            if let station = arguments.value("--station") { village.station = station }
            if !keyPoints.isEmpty { village.keyPoints = keyPoints }
            let origin = RecordOrigin(file: "command line", line: 0)
            let errors = validator.validate(village, origin: origin).filter { $0.severity == .error }
            if !errors.isEmpty { throw .invalid(errors) }
            inventory.reassignKeyPoints(in: parsedCode, reassign)
            let dangling = inventory.camerasCoveringRemovedKeyPoints(village)
            if !dangling.isEmpty { throw .invalid(Inventory.removedKeyPointIssues(dangling, village: parsedCode, file: "command line", line: nil)) }
            inventory.upsert(village, origin: origin)
            return existing == nil
        }
        context.say(added ? "added village \(parsedCode)" : "updated village \(parsedCode)")
        return ExitCode.success
    }

    static func keyPoint(_ text: String) -> KeyPoint? {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { return nil }
        var name = parts[1]
        var latitude: Double?
        var longitude: Double?
        if let at = name.lastIndex(of: "@") {
            let coordinates = name[name.index(after: at)...].split(separator: ",")
            guard coordinates.count == 2, let lat = DecimalNumber.parse(String(coordinates[0])), let lon = DecimalNumber.parse(String(coordinates[1])),
                  abs(lat) <= 90, abs(lon) <= 180 else { return nil }
            latitude = lat
            longitude = lon
            name = String(name[..<at])
        }
        return KeyPoint(id: parts[0], name: name, latitude: latitude, longitude: longitude)
    }
}

struct VillagesListCommand: Command {
    static let name = "villages list"
    static let abstract = "List villages and communities with their key points and camera counts."
    static let usage = "[--json]"
    static let options: [OptionSpec] = [.flag("--json", "print a xueliang.villages/1 document")]

    let json: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        _ = try Self.positionals(arguments)
        json = arguments.has("--json")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let inventory = try context.store.load()
        let document = VillageListDocument(inventory: inventory)
        if json {
            context.output.write(JSONDocument.encode(document))
            return ExitCode.success
        }
        var table = TextTable(headers: [localized("CODE"), localized("NAME"), localized("KIND"), localized("TOWNSHIP"), localized("STATION"), localized("KEY POINTS"), localized("CAMERAS")],
                              alignments: [.left, .left, .left, .left, .left, .right, .right])
        for village in inventory.sortedVillages {
            let cameras = inventory.cameras.count { $0.village == village.code && $0.status != .retired && !$0.isRecorder }
            table.append([village.code.digits, village.name, village.kind.localizedName, village.township, village.station,
                          String(village.keyPoints.count), String(cameras)])
        }
        context.output.write(table.render())
        context.say("\(inventory.villages.count) villages and communities")
        return ExitCode.success
    }
}
