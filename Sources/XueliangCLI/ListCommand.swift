import Probing
import Localization
import Reports
import Registry

struct ListCommand: Command {
    static let name = "list"
    static let abstract = "List registered cameras."
    static let usage = "[--village CODE | --township CODE | --county CODE] [--source public|citizen] [--json]"
    static let options: [OptionSpec] = ScopeOptions.specs + [
        .value("--status", "pending|active|retired", "only cameras in this status"),
        .flag("--json", "print a xueliang.cameras/1 document"),
        .flag("--show-phone", "show owners' phone numbers in full (masked by default)"),
    ]

    let scope: CameraScope
    let json: Bool
    let phones: PhoneDisclosure

    init(_ arguments: ParsedArguments) throws(UsageError) {
        _ = try Self.positionals(arguments)
        var scope = try ScopeOptions.scope(arguments, command: Self.name)
        if let status = arguments.value("--status") {
            guard let value = CameraStatus(rawValue: status) else { throw Self.usageError("--status: '\(status)' is not pending, active or retired") }
            scope.statuses = [value]
        }
        self.scope = scope
        json = arguments.has("--json")
        phones = arguments.has("--show-phone") ? .revealed : .masked
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let inventory = try context.store.load()
        let cameras = inventory.cameras.filter(scope.contains).sorted { ($0.village, $0.id) < ($1.village, $1.id) }
        if json {
            let documents = cameras.map { CameraDocument($0, village: inventory.villages[$0.village], phones: phones) }
            context.output.write(JSONDocument.encode(CameraListDocument(cameras: documents)))
            return ExitCode.success
        }
        var table = TextTable(headers: [localized("ID"), localized("NAME"), localized("VILLAGE"), localized("SOURCE"), localized("STATUS"), localized("CHECKS")])
        for camera in cameras {
            let checks = [("rtsp", camera.endpoints.rtsp), ("snapshot", camera.endpoints.snapshot), ("hls", camera.endpoints.hls),
                          ("onvif", camera.endpoints.onvif), ("tcp", camera.endpoints.tcp)]
                .filter { $0.1 != nil }.map(\.0).joined(separator: ",")
            table.append([camera.id, camera.name, inventory.villages[camera.village]?.name ?? camera.village.digits,
                          camera.source?.localizedName ?? "-", camera.status?.localizedName ?? "-", checks.isEmpty ? "-" : checks])
        }
        context.output.write(table.render())
        context.say(cameras.count == 1 ? "1 camera" : "\(cameras.count) cameras")
        return ExitCode.success
    }
}

struct ShowCommand: Command {
    static let name = "show"
    static let abstract = "Show one camera's whole record."
    static let usage = "ID [--json]"
    static let options: [OptionSpec] = [
        .flag("--json", "print a xueliang.camera/1 document"),
        .flag("--show-phone", "show the owner's phone number in full (masked by default)"),
    ]

    let id: String
    let json: Bool
    let phones: PhoneDisclosure

    init(_ arguments: ParsedArguments) throws(UsageError) {
        id = try Self.positionals(arguments, "ID")[0]
        json = arguments.has("--json")
        phones = arguments.has("--show-phone") ? .revealed : .masked
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let inventory = try context.store.load()
        guard let camera = inventory.camera(id: id) else { throw InventoryError.notFound(kind: "camera", id: id) }
        let village = inventory.villages[camera.village]
        if json {
            context.output.write(JSONDocument.encode(CameraShowDocument(camera: CameraDocument(camera, village: village, phones: phones))))
            return ExitCode.success
        }
        var table = TextTable(headers: [localized("FIELD"), localized("VALUE")])
        table.append(["id", camera.id + (camera.deviceCode.map { " (\($0.type.label))" } ?? "")])
        table.append(["village", camera.village.digits + (village.map { " \($0.name), \($0.township)" } ?? "")])
        for field in CameraField.allCases {
            guard var value = camera.text(of: field) else { continue }
            if field == .phone || field == .maintainerPhone { value = phones.apply(value) ?? value }
            if [.rtsp, .rtspSub, .snapshot, .hls, .onvif].contains(field) { value = EndpointURL.redacted(value) }
            table.append([field.key, value])
        }
        if let origin = inventory.origin(ofCamera: id) { table.append(["file", "\(origin.file):\(origin.line)"]) }
        context.output.write(table.render())
        return ExitCode.success
    }
}
