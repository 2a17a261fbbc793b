import Coverage
import Foundation
import Monitoring
import PictureQuality
import Probing
import Registry
import Reports
import StateStore

struct ReportCommand: Command {
    static let name = "report"
    static let abstract = "Write report files from the latest sweep: an offline HTML page, the per-village CSV, work orders, Prometheus metrics."
    static let usage = "[--html FILE] [--csv FILE] [--work-orders FILE.csv] [--prometheus FILE] [--results FILE] [--monitor NAME]"
    static let options: [OptionSpec] = [
        .value("--html", "FILE", "one self-contained HTML page: headline figures, coverage by township, trend, blind spots, offline list"),
        .value("--csv", "FILE", "the per-village figures, CSV in UTF-8 with BOM (opens right in Excel)"),
        .value("--work-orders", "FILE", "one row per offline feed, grouped by maintainer (CSV, UTF-8 with BOM)"),
        .value("--prometheus", "FILE", "node_exporter textfile-collector metrics, written atomically"),
        .value("--results", "FILE", "a xueliang.sweep/1 document (default: the latest sweep in the state directory)"),
        .value("--monitor", "NAME", "trend, availability and offline-since from the monitor's journal instead of the last 30 kept sweeps"),
        .value("--area", "NAME", "the county or city the report is for, in its title (default: its county code)"),
        .value("--respond-within", "DURATION", "the work orders' response deadline after the report, like 24h or 2d (default 24h)"),
    ] + FigureOptions.specs + [CatalogOption.spec]

    let outputs: [(option: String, path: String)]
    let resultsPath: String?
    let monitor: String?
    let figureOptions: FigureOptions
    let catalogPaths: [String]
    let area: String?
    let respondWithinSeconds: Double

    init(_ arguments: ParsedArguments) throws(UsageError) {
        _ = try Self.positionals(arguments)
        outputs = ["--html", "--csv", "--work-orders", "--prometheus"].compactMap { option in arguments.value(option).map { (option, $0) } }
        guard !outputs.isEmpty else { throw Self.usageError("give at least one of --html, --csv, --work-orders, --prometheus") }
        resultsPath = arguments.value("--results")
        monitor = arguments.value("--monitor")
        figureOptions = try FigureOptions(arguments, command: Self.name)
        catalogPaths = arguments.all("--catalog")
        area = arguments.value("--area")
        let respond = arguments.value("--respond-within") ?? "24h"
        guard let seconds = MonitorDefinition.seconds(respond), seconds >= 60, seconds <= 90 * 86400 else {
            throw Self.usageError("--respond-within: '\(respond)' is not a duration between 1m and 90d, like 24h or 2d")
        }
        respondWithinSeconds = seconds
    }

    func run(_ context: CommandContext) async throws -> Int32 {
        let monitorStore = try context.monitorStore(monitor)
        // The sweep and the kept history are other files: read while the registry loads and is validated.
        let (resultsPath, monitorFiles) = (self.resultsPath, monitorStore?.files)
        let latencies = outputs.contains { $0.option == "--prometheus" }
        // The page shows the pictures of cameras with a picture finding (`ReportInput.latest.thumbnails`).
        let thumbnails = outputs.contains { $0.option == "--html" }
        async let latestSweep = context.latestSweep(resultsPath: resultsPath, monitor: monitorFiles, latencies: latencies, thumbnails: thumbnails)
        async let trend = context.sweepHistory(monitor: monitorStore)
        let inventory = try context.store.load()
        let issues = Validator(today: context.today).validate(inventory)
        let rules = figureOptions.rules(today: context.today)
        let latest = try await latestSweep
        let history = try await trend
        defer { context.keepUntilExit([inventory, latest, issues] as [any Sendable]) }
        var offline: [OfflineFeed] = []
        for camera in inventory.cameras where camera.isActiveCamera {
            guard let reading = latest.readings[camera.id], !reading.isWorking else { continue }
            let village = inventory.villages[camera.village]
            var feed = OfflineFeed(cameraID: camera.id, name: camera.name, village: camera.village.digits, villageName: village?.name ?? "",
                                       township: village?.township ?? "", address: camera.address ?? "", latitude: camera.latitude,
                                       longitude: camera.longitude, reason: reading.reason, detail: latest.details[camera.id] ?? "",
                                       offlineSince: history.offlineSince[camera.id] ?? latest.finishedAt,
                                       station: camera.station ?? village?.station ?? "", maintainer: camera.maintainer ?? "(none)",
                                       source: camera.source ?? .public)
            feed.host = Self.host(of: camera)
            feed.maintainerPhone = camera.maintainerPhone.map(PhoneNumber.masked) ?? ""
            offline.append(feed)
        }
        offline.sort { ($0.maintainer, $0.village, $0.cameraID) < ($1.maintainer, $1.village, $1.cameraID) }
        var points = history.points
        if points.last?.finishedAt != latest.finishedAt {
            // Counted as every figure counts: recorders are not cameras.
            let cameras = latest.readings.filter { !DeviceCode.isRecorder(id: $0.key) }
            points.append(SweepPoint(finishedAt: latest.finishedAt, cameras: cameras.count, working: cameras.values.count { $0.isWorking }))
        }
        var byTownship = CoverageCalculator.report(inventory: inventory, readings: latest.readings, issues: issues, grouping: .township, rules: rules)
        byTownship.catalog = try CatalogOption.consistency(catalogPaths, inventory: inventory, readings: latest.readings)
        var input = ReportInput(
            byTownship: byTownship,
            byVillage: CoverageCalculator.report(inventory: inventory, readings: latest.readings, issues: issues, grouping: .village, rules: rules),
            inventory: inventory, offline: offline, history: points, availability: history.availability, latest: latest, generatedAt: context.now)
        input.area = area
        input.issues = issues
        input.respondWithinSeconds = respondWithinSeconds
        input.thumbnails = Self.pictures(latest, references: ReferenceStore(stateDirectory: context.statePath))
        for (option, file) in outputs {
            try AtomicWrite.stream(to: file) { write in
                switch option {
                case "--html": write(HTMLReport.render(input))
                case "--csv": CSVReports.villages(input, write: write)
                case "--work-orders": CSVReports.workOrders(input, write: write)
                default: PrometheusReport.render(input, write: write)
                }
            }
            context.say("wrote \(file)")
        }
        return ExitCode.success
    }

    /// Findings judged against the camera's reference: the page shows the reference beside the picture.
    static let judgedAgainstReference: Set<ReasonCode> = [.sceneChange, .blur, .occlusion]

    /// Each kept thumbnail as a `data:` URI and, for a finding judged against the reference, the reference the
    /// sweep compared with (day or night by the sweep's local hour). A reference that cannot be read is left out.
    static func pictures(_ latest: SweepReadings, references: ReferenceStore) -> [String: (picture: String, reference: String?)] {
        let kind = PictureReferences.kind(at: latest.finishedAt)
        var pictures: [String: (picture: String, reference: String?)] = [:]
        for (id, thumbnail) in latest.thumbnails {
            var reference: String?
            if let findings = latest.readings[id]?.pictureFindings, !judgedAgainstReference.isDisjoint(with: findings),
               let bytes = try? references.load(camera: id, kind: kind), let picture = ReferencePicture(encoded: bytes) {
                reference = PictureThumbnail(picture).dataURI
            }
            pictures[id] = (thumbnail.dataURI, reference)
        }
        return pictures
    }

    /// The host and port of the camera's main endpoint (what a technician goes to), never its credentials.
    static func host(of camera: CameraRecord) -> String {
        for url in [camera.endpoints.rtsp, camera.endpoints.snapshot, camera.endpoints.hls, camera.endpoints.onvif].compactMap({ $0 }) {
            if let endpoint = EndpointURL(url) { return endpoint.port.map { "\(endpoint.host):\($0)" } ?? endpoint.host }
        }
        return camera.endpoints.tcp ?? ""
    }
}
