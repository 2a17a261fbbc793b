import Localization
import CurlTransport
import Foundation
import Glibc
import PictureQuality
import Probing
import Registry
import StateStore

/// Which reference a sweep compares with, and where references are read from: the state directory's
/// `references/ID.day` and `ID.night` (docs/state.md). Day is 07:00 to 19:00 local time: infrared night
/// pictures are grey and lit differently, so they are compared with a night reference.
enum PictureReferences {
    static func kind(at date: Date, timeZone: TimeZone = OutputLocale.current.timeZone) -> ReferenceStore.Kind {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return (7..<19).contains(calendar.component(.hour, from: date)) ? .day : .night
    }

    /// The probers, with the picture check reading the `kind` references of `stateDirectory` (nil: by the
    /// hour of each check, for a watch that runs through day and night), and handing back each picture's
    /// signature for a monitor's frozen-picture rule when `signatures`.
    static func probers(stateDirectory: String, kind: ReferenceStore.Kind? = nil, recording: Bool = false,
                        signatures: Bool = false) -> [CheckKind: any Prober] {
        var probers = ProberTable.all
        let store = ReferenceStore(stateDirectory: stateDirectory)
        probers[.picture] = PictureProber(references: { camera in
            // A reference that cannot be read is no reference: the picture is still judged on its own.
            (try? store.load(camera: camera.id, kind: kind ?? Self.kind(at: Date()))).flatMap { $0.flatMap(ReferencePicture.init(encoded:)) }
        }, recordsReferences: recording, recordsSignatures: signatures)
        return probers
    }
}

/// `xueliang reference`: records cameras' snapshots as their reference pictures (what they normally look
/// like), for the picture check's blur, occlusion and scene-change findings.
struct ReferenceCommand: Command {
    static let name = "reference"
    static let abstract = "Record cameras' current snapshots as their reference pictures (for blur, occlusion and scene change)."
    static let usage = "ID... | --all [--village CODE | --township CODE | --county CODE] [--day | --night]"
    static let options: [OptionSpec] = [
        .flag("--all", "every active camera in scope with a snapshot URL"),
        .flag("--day", "record day references (default: by the local hour, day 07:00-19:00)"),
        .flag("--night", "record night references"),
    ] + ScopeOptions.specs + SweepOptions.specs

    let ids: [String]
    let scope: CameraScope
    let settings: SweepSettings
    let kind: ReferenceStore.Kind?

    init(_ arguments: ParsedArguments) throws(UsageError) {
        ids = arguments.positionals
        guard !ids.isEmpty != arguments.has("--all") else { throw Self.usageError("give camera ids or --all, not both") }
        guard !(arguments.has("--day") && arguments.has("--night")) else { throw Self.usageError("--day or --night, not both") }
        kind = arguments.has("--day") ? .day : arguments.has("--night") ? .night : nil
        scope = try ScopeOptions.scope(arguments, command: Self.name)
        var settings = try SweepOptions.settings(arguments, command: Self.name)
        settings.checks = [.picture]
        self.settings = settings
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        ProcessLimits.prepare()
        let wanted = Set(ids)
        let scope = self.scope
        let inputs = try context.sweepInputs { camera in (wanted.isEmpty || wanted.contains(camera.id)) && scope.contains(camera) }
        if let missing = ids.first(where: { id in !inputs.cameras.contains { $0.id == id } }) {
            throw InventoryError.notFound(kind: "active camera", id: missing)
        }
        let kind = self.kind ?? PictureReferences.kind(at: context.now)
        let transport = try CurlTransport(memoryBudgetBytes: settings.memoryBudget, transfersInFlight: settings.concurrency)
        defer { transport.shutdown() }
        let runner = SweepRunner(transport: transport, probers: PictureReferences.probers(stateDirectory: context.statePath, kind: kind, recording: true))
        let plan = SweepPlan(cameras: inputs.cameras, credentials: inputs.credentials, settings: settings, today: inputs.today)
        let outcome = try await SignalCancellation.run(cancelledBy: [SIGINT]) { await runner.run(plan) }
        let store = ReferenceStore(stateDirectory: context.statePath)
        var recorded = 0
        var refused: [String] = []
        for camera in outcome.outcomes.sorted(by: { $0.camera.id < $1.camera.id }) {
            if let reference = camera.checks.first(where: { $0.kind == .picture })?.newReference {
                try store.save(reference, camera: camera.camera.id, kind: kind)
                recorded += 1
            } else {
                refused.append("\(camera.camera.id): \(camera.reason.localizedName): \(camera.detail)")
            }
        }
        for line in refused { context.say("not recorded: \(line)") }
        for withheld in outcome.withheld { context.say("not recorded: \("\(withheld.camera.id): \(ReasonCode.noConsent.localizedName): \(withheld.detail)")") }
        let directory = store.directory
        let summary: Message = switch (kind, recorded == 1) {
        case (.day, true): "recorded 1 day reference in \(directory)"
        case (.day, false): "recorded \(recorded) day references in \(directory)"
        case (.night, true): "recorded 1 night reference in \(directory)"
        case (.night, false): "recorded \(recorded) night references in \(directory)"
        }
        context.print(localized(summary) + (refused.isEmpty ? "" : localized("; \(refused.count) not recorded (no picture, or a picture with a finding is no reference)")))
        return outcome.complete ? (refused.isEmpty ? ExitCode.success : ExitCode.problemsFound) : ExitCode.interrupted
    }
}
