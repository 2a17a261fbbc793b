import Localization
import Probing
import Registry

/// What the latest sweep said of one camera, as coverage needs it.
public struct CameraReading: Sendable, Equatable {
    public var status: HealthStatus
    public var reason: ReasonCode
    /// Camera clock minus ours, seconds, when a check read it.
    public var clockOffsetSeconds: Double?
    /// What the picture check found of the camera's picture: nil when no picture was checked, empty for a
    /// normal picture, else its findings (picture reasons, `frozen`).
    public var pictureFindings: [ReasonCode]?

    public init(status: HealthStatus, reason: ReasonCode, clockOffsetSeconds: Double? = nil, pictureFindings: [ReasonCode]? = nil) {
        self.status = status
        self.reason = reason
        self.clockOffsetSeconds = clockOffsetSeconds
        self.pictureFindings = pictureFindings
    }

    /// The feed works: online, or degraded (its primary video check passed).
    public var isWorking: Bool { status != .offline }
}

/// How figures are grouped.
public enum CoverageGrouping: String, Sendable, CaseIterable {
    case village, township, county, station, maintainer
}

/// The rules of the figures (docs/figures.md).
public struct CoverageRules: Sendable {
    /// A village or community is covered (视联网覆盖) with at least this many working cameras.
    public var minimumWorkingCameras = 1
    /// A clock within this many seconds is accurate.
    public var clockToleranceSeconds = 60.0
    /// Citizen consent ending within this many days is listed.
    public var consentWarningDays = 30
    public var today: CalendarDate

    public init(today: CalendarDate) { self.today = today }
}

/// A gap in what is watched: on paper (the registry has no camera for it) or in fact (every camera that
/// should watch it is offline).
public struct BlindSpot: Sendable, Equatable, Hashable {
    public enum Kind: String, Sendable, Codable { case registryGap = "registry-gap", outageGap = "outage-gap" }
    public var kind: Kind
    public var village: VillageCode
    /// The key point, or nil for the village as a whole.
    public var keyPoint: String?
    /// The cameras that should watch it (all offline for an outage gap).
    public var cameras: [String]
}

/// The figures of one group (a village, a township, a county, a station, a maintainer) or of everything.
///
/// A value type; safe to share between threads.
public struct CoverageFigures: Sendable, Equatable {
    public var group: String
    public var label: String
    /// Cameras in service: active, with consent in force for citizen cameras (recorders not counted).
    public var cameras = 0
    /// Of those, working in the latest sweep (online or degraded).
    public var working = 0
    public var offline = 0
    /// Active cameras the latest sweep did not cover.
    public var notSwept = 0
    public var publicCameras = 0
    public var publicWorking = 0
    public var citizenCameras = 0
    public var citizenWorking = 0
    /// Active citizen cameras without consent in force: not probed, not in `cameras`, listed for renewal.
    public var noConsent = 0
    /// Pending records (awaiting review): not in service, not swept unless asked for.
    public var pending = 0
    public var villages = 0
    /// Villages and communities with at least K working cameras.
    public var coveredVillages = 0
    /// The same, for administrative villages (行政村) and communities (社区) apart.
    public var ruralVillages = 0
    public var coveredRuralVillages = 0
    public var communities = 0
    public var coveredCommunities = 0
    /// Villages that have key points, and of those, the ones whose every key point is watched.
    public var villagesWithKeyPoints = 0
    public var fullyWatchedVillages = 0
    public var keyPoints = 0
    public var watchedKeyPoints = 0
    public var completeRecords = 0
    public var countedRecords = 0
    public var clockReadings = 0
    public var accurateClocks = 0
    public var consentExpiringSoon = 0
    /// Cameras in service whose latest sweep checked their picture (the picture check fetched and decoded
    /// one), and of those the ones with no finding: neither a picture reason nor `frozen`.
    public var picturesChecked = 0
    public var normalPictures = 0

    public var onlineRate: Double { Self.rate(working, cameras) }
    public var villageCoverageRate: Double { Self.rate(coveredVillages, villages) }
    public var ruralVillageCoverageRate: Double { Self.rate(coveredRuralVillages, ruralVillages) }
    public var communityCoverageRate: Double { Self.rate(coveredCommunities, communities) }
    public var fullyWatchedRate: Double { Self.rate(fullyWatchedVillages, villagesWithKeyPoints) }
    public var keyPointCoverageRate: Double { Self.rate(watchedKeyPoints, keyPoints) }
    public var completenessRate: Double { Self.rate(completeRecords, countedRecords) }
    public var clockAccuracyRate: Double { Self.rate(accurateClocks, clockReadings) }
    public var publicOnlineRate: Double { Self.rate(publicWorking, publicCameras) }
    public var citizenOnlineRate: Double { Self.rate(citizenWorking, citizenCameras) }
    /// 图像质量正常率: normal pictures / pictures checked.
    public var pictureNormalRate: Double { Self.rate(normalPictures, picturesChecked) }

    /// part / whole, or 1 when there is nothing to count (nothing is missing).
    static func rate(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 1 : Double(part) / Double(whole) }
}

/// A citizen camera whose consent needs the owner: renewed (none in force) or soon to end.
///
/// A value type; safe to share between threads.
public struct ConsentNotice: Sendable, Equatable {
    public var cameraID: String
    public var name: String
    public var village: VillageCode
    public var owner: String
    /// The owner's phone, masked (`138****5678`).
    public var phone: String
    /// When consent ends or ended; nil when none is recorded.
    public var until: CalendarDate?
    /// Why the camera is not probed, for those without consent in force; nil for those expiring soon.
    public var reason: Message?
}

/// 目录一致率 (docs/catalog.md): cameras in service found on the platform's catalog with no mismatch / cameras
/// in service. Computed by the Catalog module from a catalog file; carried here as numbers.
public struct CatalogConsistency: Sendable, Equatable {
    public var consistent: Int
    public var inService: Int
    public var rate: Double? { inService == 0 ? nil : Double(consistent) / Double(inService) }

    public init(consistent: Int, inService: Int) {
        self.consistent = consistent
        self.inService = inService
    }
}

/// Everything `coverage` reports: the total, each group, and the blind spots.
public struct CoverageReport: Sendable {
    /// 目录一致率, when a platform catalog was given (`--catalog`).
    public var catalog: CatalogConsistency?
    public var total: CoverageFigures
    public var groups: [CoverageFigures]
    public var blindSpots: [BlindSpot]
    public var grouping: CoverageGrouping
    /// Active citizen cameras without consent in force (not probed), by id.
    public var consentToRenew: [ConsentNotice] = []
    /// Active citizen cameras whose consent ends within `CoverageRules.consentWarningDays`, soonest first.
    public var consentExpiring: [ConsentNotice] = []
}

/// Computes the figures: pure, from the registry, the latest sweep's readings and the validation issues.
public enum CoverageCalculator {
    public static func report(inventory: Inventory, readings: [String: CameraReading], issues: [InventoryIssue],
                              grouping: CoverageGrouping, scope: CameraScope = CameraScope(), rules: CoverageRules) -> CoverageReport {
        let incomplete = RecordCompleteness.incompleteCameras(issues)
        let villages = inventory.sortedVillages.filter { village in scope.placePrefix.map { village.code.digits.hasPrefix($0) } ?? true }
        var camerasByVillage: [VillageCode: [CameraRecord]] = [:]
        var withoutConsent: [CameraRecord] = []
        var pending: [CameraRecord] = []
        for camera in inventory.cameras where !camera.isRecorder && scope.contains(camera) {
            if camera.status == .pending { pending.append(camera) }
            guard camera.status == .active else { continue }
            // Not probed (SweepPlan obeys the same rule), so neither working nor offline.
            if camera.lacksConsent(on: rules.today) {
                withoutConsent.append(camera)
            } else {
                camerasByVillage[camera.village, default: []].append(camera)
            }
        }

        var total = CoverageFigures(group: "all", label: "all")
        var groups: [String: CoverageFigures] = [:]
        var blindSpots: [BlindSpot] = []

        func keys(_ camera: CameraRecord?, village: Village) -> [(String, String)] {
            switch grouping {
            case .village: [(village.code.digits, village.name)]
            case .township: [(village.code.townshipCode, village.township)]
            case .county: [(village.code.countyCode, village.code.countyCode)]
            case .station: [(camera?.station ?? village.station, camera?.station ?? village.station)]
            case .maintainer: [(camera?.maintainer ?? "(none)", camera?.maintainer ?? "(none)")]
            }
        }
        func update(_ key: (String, String), _ change: (inout CoverageFigures) -> Void) {
            change(&groups[key.0, default: CoverageFigures(group: key.0, label: key.1)])
        }

        for village in villages {
            let cameras = camerasByVillage[village.code] ?? []
            let working = cameras.filter { readings[$0.id]?.isWorking == true }
            // Cameras' own figures go to their group (station and maintainer are per camera).
            for camera in cameras {
                let reading = readings[camera.id]
                let expiring = camera.source == .citizen && (camera.citizen.consentUntil.map {
                    $0 >= rules.today && $0.daysSinceEpoch - rules.today.daysSinceEpoch <= rules.consentWarningDays
                } ?? false)
                let change = { (figures: inout CoverageFigures) in
                    figures.cameras += 1
                    if let reading {
                        if reading.isWorking { figures.working += 1 } else { figures.offline += 1 }
                        if let offset = reading.clockOffsetSeconds {
                            figures.clockReadings += 1
                            if abs(offset) <= rules.clockToleranceSeconds { figures.accurateClocks += 1 }
                        }
                        if let findings = reading.pictureFindings {
                            figures.picturesChecked += 1
                            if findings.isEmpty { figures.normalPictures += 1 }
                        }
                    } else {
                        figures.notSwept += 1
                    }
                    if camera.source == .citizen {
                        figures.citizenCameras += 1
                        if reading?.isWorking == true { figures.citizenWorking += 1 }
                    } else {
                        figures.publicCameras += 1
                        if reading?.isWorking == true { figures.publicWorking += 1 }
                    }
                    figures.countedRecords += 1
                    if !incomplete.contains(camera.id) { figures.completeRecords += 1 }
                    if expiring { figures.consentExpiringSoon += 1 }
                }
                change(&total)
                for key in keys(camera, village: village) { update(key, change) }
            }

            // The village's own figures go to every group that has a camera there (or, for places, its place).
            var watched = 0
            for point in village.keyPoints {
                let covering = cameras.filter { $0.covers.contains(point.id) }
                if covering.isEmpty {
                    blindSpots.append(BlindSpot(kind: .registryGap, village: village.code, keyPoint: point.id, cameras: []))
                } else if covering.contains(where: { readings[$0.id]?.isWorking == true }) {
                    watched += 1
                } else if covering.allSatisfy({ readings[$0.id] != nil }) {
                    // An outage only when the sweep saw every covering camera offline; unswept is unknown.
                    blindSpots.append(BlindSpot(kind: .outageGap, village: village.code, keyPoint: point.id, cameras: covering.map(\.id).sorted()))
                }
            }
            if cameras.isEmpty {
                blindSpots.append(BlindSpot(kind: .registryGap, village: village.code, keyPoint: nil, cameras: []))
            } else if working.isEmpty && cameras.allSatisfy({ readings[$0.id] != nil }) {
                blindSpots.append(BlindSpot(kind: .outageGap, village: village.code, keyPoint: nil, cameras: cameras.map(\.id).sorted()))
            }
            let covered = working.count >= rules.minimumWorkingCameras
            let villageChange = { (figures: inout CoverageFigures) in
                figures.villages += 1
                if covered { figures.coveredVillages += 1 }
                switch village.kind {
                case .village:
                    figures.ruralVillages += 1
                    if covered { figures.coveredRuralVillages += 1 }
                case .community:
                    figures.communities += 1
                    if covered { figures.coveredCommunities += 1 }
                }
                if !village.keyPoints.isEmpty {
                    figures.villagesWithKeyPoints += 1
                    if watched == village.keyPoints.count { figures.fullyWatchedVillages += 1 }
                }
                figures.keyPoints += village.keyPoints.count
                figures.watchedKeyPoints += watched
            }
            villageChange(&total)
            let villageKeys: [(String, String)]
            switch grouping {
            case .station, .maintainer:
                var seen = Set<String>()
                villageKeys = (cameras.isEmpty ? keys(nil, village: village) : cameras.flatMap { keys($0, village: village) })
                    .filter { seen.insert($0.0).inserted }
            default:
                villageKeys = keys(nil, village: village)
            }
            for key in villageKeys { update(key, villageChange) }
        }

        // Cameras outside the figures' denominators still belong to their groups' counts.
        // A record without consent is still a record: 一机一档 counts every active one (RecordCompleteness).
        for (cameras, change) in [(withoutConsent, { (figures: inout CoverageFigures) in figures.noConsent += 1 }),
                                  (pending, { (figures: inout CoverageFigures) in figures.pending += 1 })] {
            for camera in cameras {
                let record = { (figures: inout CoverageFigures) in
                    change(&figures)
                    guard camera.status == .active else { return }
                    figures.countedRecords += 1
                    if !incomplete.contains(camera.id) { figures.completeRecords += 1 }
                }
                record(&total)
                guard let village = inventory.villages[camera.village],
                      scope.placePrefix.map({ village.code.digits.hasPrefix($0) }) ?? true else { continue }
                for key in keys(camera, village: village) { update(key, record) }
            }
        }

        // Worst first: the lowest village coverage, then the lowest online rate, then by name.
        let sorted = groups.values.sorted {
            ($0.villageCoverageRate, $0.onlineRate, $0.group) < ($1.villageCoverageRate, $1.onlineRate, $1.group)
        }
        func notice(_ camera: CameraRecord, reason: Message?) -> ConsentNotice {
            ConsentNotice(cameraID: camera.id, name: camera.name, village: camera.village, owner: camera.citizen.owner ?? "",
                          phone: camera.citizen.phone.map(PhoneNumber.masked) ?? "", until: camera.citizen.consentUntil, reason: reason)
        }
        var report = CoverageReport(total: total, groups: sorted, blindSpots: blindSpots, grouping: grouping)
        report.consentToRenew = withoutConsent.sorted { $0.id < $1.id }.map { camera in
            guard case .nothing(let reason) = camera.probeAllowance(on: rules.today) else { return notice(camera, reason: nil) }
            return notice(camera, reason: reason)
        }
        report.consentExpiring = camerasByVillage.values.joined().filter { camera in
            camera.source == .citizen && (camera.citizen.consentUntil.map {
                $0.daysSinceEpoch - rules.today.daysSinceEpoch <= rules.consentWarningDays
            } ?? false)
        }.sorted { ($0.citizen.consentUntil!, $0.id) < ($1.citizen.consentUntil!, $1.id) }.map { notice($0, reason: nil) }
        return report
    }
}
