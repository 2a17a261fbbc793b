import Localization
import Foundation
import Registry

/// The flags for every camera field, shared by `register` and `update`.
enum CameraFieldOptions {
    static let specs: [OptionSpec] = CameraField.allCases.map { field in
        .value(field.flag, valueName(field), field.help)
    }

    static func valueName(_ field: CameraField) -> String {
        switch field {
        case .source: "public|citizen"
        case .status: "pending|active|retired"
        case .latitude, .longitude: "DEGREES"
        case .installedOn, .consentUntil, .reviewedOn: "YYYY-MM-DD"
        case .covers, .tags: "A,B"
        case .rtsp, .rtspSub, .snapshot, .hls, .onvif: "URL"
        case .tcp: "HOST:PORT"
        case .verifyTLS, .viewClear, .signage: "yes|no"
        case .positionType: "1-10"
        case .direction: "east..southwest"
        case .consentScope: "live,playback"
        case .parent: "DEVICE-ID"
        case .credential: "PROFILE"
        default: "TEXT"
        }
    }

    /// Applies every field flag given; problems are collected with the flag's name.
    static func apply(_ arguments: ParsedArguments, to camera: inout CameraRecord) -> [InventoryIssue] {
        var issues: [InventoryIssue] = []
        for field in CameraField.allCases {
            guard let value = arguments.value(field.flag) else { continue }
            do {
                try camera.set(field, text: value)
            } catch {
                issues.append(InventoryIssue(file: "command line", line: nil, subject: "camera \(camera.id)", field: field.flag, message: error.message))
            }
        }
        return issues
    }

    /// Commits `camera` if it and everything it touches pass validation; otherwise throws every problem:
    /// the flags that did not parse (`flagIssues`) and what validation found in the rest.
    static func commit(_ camera: CameraRecord, in inventory: inout Inventory, validator: Validator,
                       flagIssues: [InventoryIssue] = []) throws(InventoryError) {
        inventory.upsert(camera, origin: RecordOrigin(file: "command line", line: 0))
        let refusedKeys = Set(flagIssues.compactMap { $0.field.map { String($0.dropFirst(2)).replacingOccurrences(of: "-", with: "_") } })
        let errors = flagIssues + validator.errorsInChanges(inventory).filter { !refusedKeys.contains($0.field ?? "") }
        if !errors.isEmpty { throw .invalid(errors) }
    }
}

extension CameraField {
    var help: String {
        switch self {
        case .name: "point name (点位名称)"
        case .source: "public (雪亮) or citizen (守望)"
        case .status: "pending (default), active or retired"
        case .latitude: "WGS-84 latitude"
        case .longitude: "WGS-84 longitude"
        case .address: "address"
        case .direction: "direction watched (监视方位): east, …, southwest, 1-8 or 东…西南"
        case .positionType: "GB/T 28181 position type 1-10"
        case .station: "police station (派出所), if not the village's"
        case .manufacturer: "manufacturer"
        case .model: "model"
        case .builder: "builder (建设单位)"
        case .maintainer: "maintainer (运维单位)"
        case .maintainerPhone: "maintainer's phone (运维电话), for work orders; masked in output"
        case .installedOn: "install date"
        case .covers: "key point ids this camera watches"
        case .parent: "the NVR/DVR this camera is a channel of"
        case .tags: "free tags"
        case .rtsp: "RTSP stream URL (rtsp://)"
        case .rtspSub: "RTSP sub-stream URL, which the media check plays instead (rtsp://)"
        case .snapshot: "HTTP(S) JPEG snapshot URL"
        case .hls: "HLS playlist URL"
        case .onvif: "ONVIF device service URL"
        case .tcp: "host:port for a TCP check"
        case .credential: "credential profile name (never a password)"
        case .verifyTLS: "verify TLS certificates (default yes)"
        case .owner: "citizen camera: owner name (机主)"
        case .phone: "citizen camera: owner phone"
        case .consentScope: "citizen camera: consent scope"
        case .consentUntil: "citizen camera: consent valid until"
        case .reviewer: "citizen camera: privacy reviewer"
        case .reviewedOn: "citizen camera: privacy review date"
        case .viewClear: "citizen camera: view clear of forbidden places"
        case .signage: "citizen camera: signage present"
        }
    }
}

struct RegisterCommand: Command {
    static let name = "register"
    static let abstract = "Register a camera (一机一档). Refused, with every problem listed, when something is wrong; gaps are warnings."
    static let usage = "ID --village CODE --name NAME --source public|citizen [field options]"
    static let options: [OptionSpec] = [.value("--village", "CODE", "the village or community (12-digit code)"), CommandContext.strictOption]
        + CameraFieldOptions.specs

    let arguments: ParsedArguments
    let id: String

    init(_ arguments: ParsedArguments) throws(UsageError) {
        id = try Self.positionals(arguments, "ID")[0]
        guard arguments.value("--village") != nil else { throw Self.usageError("missing --village CODE") }
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let villageText = arguments.value("--village")!
        let village: VillageCode
        switch VillageCode.parse(villageText) {
        case .success(let code): village = code
        case .failure(let problem):
            throw InventoryError.invalid([InventoryIssue(file: "command line", line: nil, field: "--village", message: problem.message)])
        }
        let validator = try context.validator(strict: arguments.has("--strict"))
        try context.store.update { (inventory: inout Inventory) throws(InventoryError) in
            if let existing = inventory.camera(id: id) {
                throw .invalid([InventoryIssue(file: "command line", line: nil, subject: "camera \(id)", field: "id",
                                               message: "already registered in village \(existing.village); use 'xueliang update \(id)'")])
            }
            var camera = CameraRecord(id: id, name: "", village: village, status: .pending)
            let issues = CameraFieldOptions.apply(arguments, to: &camera)
            try CameraFieldOptions.commit(camera, in: &inventory, validator: validator, flagIssues: issues)
        }
        context.say("registered camera \(id) in village \(village)")
        return ExitCode.success
    }
}

struct UpdateCommand: Command {
    static let name = "update"
    static let abstract = "Change fields of a registered camera; an empty value clears a field."
    static let usage = "ID [--village CODE] [field options]"
    static let options: [OptionSpec] = [.value("--village", "CODE", "move the camera to this village"), CommandContext.strictOption]
        + CameraFieldOptions.specs

    let arguments: ParsedArguments
    let id: String

    init(_ arguments: ParsedArguments) throws(UsageError) {
        id = try Self.positionals(arguments, "ID")[0]
        guard arguments.values.count > 0 else { throw Self.usageError("nothing to change; give at least one field option") }
        self.arguments = arguments
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let validator = try context.validator(strict: arguments.has("--strict"))
        let changed = try context.store.update { (inventory: inout Inventory) throws(InventoryError) -> Bool in
            guard var camera = inventory.camera(id: id) else { throw .notFound(kind: "camera", id: id) }
            if let villageText = arguments.value("--village") {
                switch VillageCode.parse(villageText) {
                case .success(let code): camera.village = code
                case .failure(let problem):
                    throw .invalid([InventoryIssue(file: "command line", line: nil, field: "--village", message: problem.message)])
                }
            }
            let issues = CameraFieldOptions.apply(arguments, to: &camera)
            guard camera != inventory.camera(id: id) || !issues.isEmpty else { return false }
            try CameraFieldOptions.commit(camera, in: &inventory, validator: validator, flagIssues: issues)
            return true
        }
        context.say(changed ? "updated camera \(id)" : "camera \(id) unchanged")
        return ExitCode.success
    }
}

struct RetireCommand: Command {
    static let name = "retire"
    static let abstract = "Take a camera out of service; its record is kept."
    static let usage = "ID"
    static let options: [OptionSpec] = []

    let id: String

    init(_ arguments: ParsedArguments) throws(UsageError) { id = try Self.positionals(arguments, "ID")[0] }

    func run(_ context: CommandContext) throws -> Int32 {
        let validator = try context.validator()
        try context.store.update { (inventory: inout Inventory) throws(InventoryError) in
            guard var camera = inventory.camera(id: id) else { throw .notFound(kind: "camera", id: id) }
            camera.status = .retired
            try CameraFieldOptions.commit(camera, in: &inventory, validator: validator)
        }
        context.say("retired camera \(id)")
        return ExitCode.success
    }
}
