import Localization
import Coverage
import Foundation
import Localization
import Registry
import StateStore

/// `xueliang coverage --json`: the figures of everything and of each group, and the blind spots.
public struct CoverageDocument: Encodable, Sendable {
    struct Figures: Encodable, Sendable {
        var group: String
        var name: String
        var cameras, working, offline, notSwept, noConsent, pending: Int
        var onlineRate: Double?
        var villages, coveredVillages: Int
        var villageCoverageRate: Double?
        var ruralVillages, coveredRuralVillages: Int
        var ruralVillageCoverageRate: Double?
        var communities, coveredCommunities: Int
        var communityCoverageRate: Double?
        var villagesWithKeyPoints, fullyWatchedVillages: Int
        var fullyWatchedRate: Double?
        var keyPoints, watchedKeyPoints: Int
        var keyPointCoverageRate: Double?
        var completeRecords, countedRecords: Int
        var completenessRate: Double?
        var clockReadings, accurateClocks: Int
        var clockAccuracyRate: Double?
        var publicCameras, publicWorking, citizenCameras, citizenWorking: Int
        var consentExpiringSoon: Int
        var picturesChecked, normalPictures: Int
        var pictureNormalRate: Double?

        enum CodingKeys: String, CodingKey {
            case group, name, cameras, working, offline, villages, keyPoints = "key_points"
            case notSwept = "not_swept", onlineRate = "online_rate", coveredVillages = "covered_villages"
            case villageCoverageRate = "village_coverage_rate", watchedKeyPoints = "watched_key_points"
            case keyPointCoverageRate = "key_point_coverage_rate", completeRecords = "complete_records", countedRecords = "counted_records"
            case completenessRate = "completeness_rate", clockReadings = "clock_readings", accurateClocks = "accurate_clocks"
            case clockAccuracyRate = "clock_accuracy_rate", publicCameras = "public_cameras", publicWorking = "public_working"
            case citizenCameras = "citizen_cameras", citizenWorking = "citizen_working", consentExpiringSoon = "consent_expiring_soon"
            case noConsent = "no_consent", pending
            case ruralVillages = "rural_villages", coveredRuralVillages = "covered_rural_villages"
            case ruralVillageCoverageRate = "rural_village_coverage_rate", communities, coveredCommunities = "covered_communities"
            case communityCoverageRate = "community_coverage_rate", villagesWithKeyPoints = "villages_with_key_points"
            case fullyWatchedVillages = "fully_watched_villages", fullyWatchedRate = "fully_watched_rate"
            case picturesChecked = "pictures_checked", normalPictures = "normal_pictures", pictureNormalRate = "picture_normal_rate"
        }

        init(_ figures: CoverageFigures) {
            // A rate with nothing to count is null, not 100%.
            func round(_ value: Double, over whole: Int) -> Double? { whole == 0 ? nil : (value * 10_000).rounded() / 10_000 }
            group = figures.group
            name = figures.label
            cameras = figures.cameras
            working = figures.working
            offline = figures.offline
            notSwept = figures.notSwept
            noConsent = figures.noConsent
            pending = figures.pending
            onlineRate = round(figures.onlineRate, over: figures.cameras)
            villages = figures.villages
            coveredVillages = figures.coveredVillages
            villageCoverageRate = round(figures.villageCoverageRate, over: figures.villages)
            ruralVillages = figures.ruralVillages
            coveredRuralVillages = figures.coveredRuralVillages
            ruralVillageCoverageRate = round(figures.ruralVillageCoverageRate, over: figures.ruralVillages)
            communities = figures.communities
            coveredCommunities = figures.coveredCommunities
            communityCoverageRate = round(figures.communityCoverageRate, over: figures.communities)
            villagesWithKeyPoints = figures.villagesWithKeyPoints
            fullyWatchedVillages = figures.fullyWatchedVillages
            fullyWatchedRate = round(figures.fullyWatchedRate, over: figures.villagesWithKeyPoints)
            keyPoints = figures.keyPoints
            watchedKeyPoints = figures.watchedKeyPoints
            keyPointCoverageRate = round(figures.keyPointCoverageRate, over: figures.keyPoints)
            completeRecords = figures.completeRecords
            countedRecords = figures.countedRecords
            completenessRate = round(figures.completenessRate, over: figures.countedRecords)
            clockReadings = figures.clockReadings
            accurateClocks = figures.accurateClocks
            clockAccuracyRate = round(figures.clockAccuracyRate, over: figures.clockReadings)
            publicCameras = figures.publicCameras
            publicWorking = figures.publicWorking
            citizenCameras = figures.citizenCameras
            citizenWorking = figures.citizenWorking
            consentExpiringSoon = figures.consentExpiringSoon
            picturesChecked = figures.picturesChecked
            normalPictures = figures.normalPictures
            pictureNormalRate = round(figures.pictureNormalRate, over: figures.picturesChecked)
        }
    }

    struct Spot: Encodable, Sendable {
        var kind: BlindSpot.Kind
        var village: String
        var villageName: String?
        var keyPoint: String?
        var keyPointName: String?
        var cameras: [String]
        enum CodingKeys: String, CodingKey {
            case kind, village, cameras, villageName = "village_name", keyPoint = "key_point", keyPointName = "key_point_name"
        }
    }

    struct Sweep: Encodable, Sendable {
        var finishedAt: Date
        var complete: Bool
        enum CodingKeys: String, CodingKey { case complete, finishedAt = "finished_at" }
    }

    struct Consent: Encodable, Sendable {
        var camera: String
        var name: String
        var village: String
        var owner: String
        var phone: String
        var until: String?
        var reason: String?

        init(_ notice: ConsentNotice) {
            camera = notice.cameraID
            name = notice.name
            village = notice.village.digits
            owner = notice.owner
            phone = notice.phone
            until = notice.until?.description
            reason = notice.reason?.rendered(in: .english)
        }
    }

    /// Online time / observed time over the sweeps kept in the state directory.
    struct Availability: Encodable, Sendable {
        var rate: Double
        var since: Date
        var sweeps: Int
    }

    var schema = "xueliang.coverage/1"
    var by: String
    var sweep: Sweep
    var total: Figures
    var groups: [Figures]
    var blindSpots: [Spot]
    var availability: Availability?
    var consentToRenew: [Consent]
    var consentExpiring: [Consent]
    var catalogConsistency: Catalog?
    var period: Period?

    /// `coverage --period`: the figures over the period from the monitor's journal (`PeriodFigures`).
    struct Period: Encodable, Sendable {
        struct Group: Encodable, Sendable {
            var key: String
            var name: String
            var rank: Int?
            var cameras: Int
            var sweeps: Int
            var meanOnlineRate: Double?
            var availability: Double?
            enum CodingKeys: String, CodingKey {
                case key, name, rank, cameras, sweeps, availability, meanOnlineRate = "mean_online_rate"
            }

            init(_ group: PeriodFigures.Group) {
                func round(_ value: Double?) -> Double? { value.map { ($0 * 10_000).rounded() / 10_000 } }
                key = group.key
                name = group.label
                rank = group.rank
                cameras = group.cameras
                sweeps = group.sweeps
                meanOnlineRate = round(group.meanOnlineRate)
                availability = round(group.availability)
            }
        }
        var monitor: String
        var start: Date
        var end: Date
        var sweeps: Int
        var townships: [Group]
        var total: Group
    }

    struct Catalog: Encodable, Sendable {
        var consistent: Int
        var inService: Int
        var rate: Double?
        enum CodingKeys: String, CodingKey { case consistent, rate, inService = "in_service" }
    }

    enum CodingKeys: String, CodingKey {
        case schema, by, sweep, total, groups, availability, blindSpots = "blind_spots"
        case consentToRenew = "consent_to_renew", consentExpiring = "consent_expiring", catalogConsistency = "catalog_consistency", period
    }

    public init(report: CoverageReport, inventory: Inventory, sweepFinishedAt: Date, sweepComplete: Bool, history: SweepTrend? = nil,
                period: PeriodFigures? = nil) {
        self.period = period.map { Period(monitor: $0.monitor, start: $0.start, end: $0.end, sweeps: $0.sweeps,
                                          townships: $0.townships.map(Period.Group.init), total: Period.Group($0.total)) }
        if let history, let rate = history.availability, let since = history.periodStart {
            availability = Availability(rate: (rate * 10_000).rounded() / 10_000, since: since, sweeps: history.points.count)
        }
        by = report.grouping.rawValue
        sweep = Sweep(finishedAt: sweepFinishedAt, complete: sweepComplete)
        total = Figures(report.total)
        groups = report.groups.map(Figures.init)
        consentToRenew = report.consentToRenew.map(Consent.init)
        consentExpiring = report.consentExpiring.map(Consent.init)
        catalogConsistency = report.catalog.map { Catalog(consistent: $0.consistent, inService: $0.inService, rate: $0.rate.map { ($0 * 10_000).rounded() / 10_000 }) }
        blindSpots = report.blindSpots.map { spot in
            let village = inventory.villages[spot.village]
            return Spot(kind: spot.kind, village: spot.village.digits, villageName: village?.name, keyPoint: spot.keyPoint,
                        keyPointName: spot.keyPoint.flatMap { id in village?.keyPoints.first { $0.id == id }?.name }, cameras: spot.cameras)
        }
    }
}

/// The figures as a table that stays aligned with Chinese names, worst first, then the total.
public enum CoverageText {
    public static func render(_ report: CoverageReport, inventory: Inventory, history: SweepTrend? = nil) -> String {
        var table = TextTable(headers: [Vocabulary.name("grouping", report.grouping.rawValue.uppercased()), localized("NAME"), localized("CAMERAS"),
                                        localized("ONLINE"), localized("VILLAGES"), localized("COVERED"), localized("KEY POINTS"),
                                        localized("COMPLETE"), localized("CLOCK OK")],
                              alignments: [.left, .left, .right, .right, .right, .right, .right, .right, .right])
        // A rate with nothing to count reads "-", not 100%.
        func rate(_ value: Double, over whole: Int) -> String { whole == 0 ? "-" : Percent.text(value) }
        func row(_ figures: CoverageFigures) -> [String] {
            [figures.group, figures.label, String(figures.cameras), rate(figures.onlineRate, over: figures.cameras), String(figures.villages),
             rate(figures.villageCoverageRate, over: figures.villages), rate(figures.keyPointCoverageRate, over: figures.keyPoints),
             rate(figures.completenessRate, over: figures.countedRecords), rate(figures.clockAccuracyRate, over: figures.clockReadings)]
        }
        for group in report.groups { table.append(row(group)) }
        var totalRow = row(report.total)
        if OutputLocale.current.language == .chinese { totalRow[0] = localized("total"); totalRow[1] = "" }
        table.append(totalRow)
        let total = report.total
        let registryGaps = report.blindSpots.filter { $0.kind == .registryGap }.count
        let outageGaps = report.blindSpots.count - registryGaps
        var text = table.render()
        text += localized("online rate \(rate(total.onlineRate, over: total.cameras)) (\(total.working)/\(total.cameras); "
            + "public \(rate(total.publicOnlineRate, over: total.publicCameras)), citizen \(rate(total.citizenOnlineRate, over: total.citizenCameras))); "
            + "village coverage \(rate(total.villageCoverageRate, over: total.villages)) (\(total.coveredVillages)/\(total.villages); "
            + "villages \(total.coveredRuralVillages)/\(total.ruralVillages), communities \(total.coveredCommunities)/\(total.communities)); "
            + "key points \(rate(total.keyPointCoverageRate, over: total.keyPoints)) (\(total.watchedKeyPoints)/\(total.keyPoints)); "
            + "every key point watched in \(total.fullyWatchedVillages)/\(total.villagesWithKeyPoints) villages") + "\n"
        text += localized("blind spots: \(registryGaps) with no camera registered, \(outageGaps) with every camera offline")
        if total.notSwept > 0 { text += localized("; \(total.notSwept) active cameras not in the sweep") }
        if total.consentExpiringSoon > 0 { text += localized("; \(total.consentExpiringSoon) citizen consents expire within 30 days") }
        text += "\n"
        if total.picturesChecked > 0 {
            let line: Message = "picture normal rate (图像质量正常率) \(rate(total.pictureNormalRate, over: total.picturesChecked)) "
                + "(\(total.normalPictures)/\(total.picturesChecked) pictures checked without a finding)"
            text += line.description + "\n"
        }
        if let catalog = report.catalog {
            text += localized("catalog consistency (目录一致率) \(catalog.rate.map(Percent.text) ?? "-") (\(catalog.consistent)/\(catalog.inService)); "
                + "the differences: xueliang catalog diff") + "\n"
        }
        if total.pending > 0 { text += localized("pending: \(total.pending) records awaiting review, not in service and not counted") + "\n" }
        let toRenew: Message = "consent to renew (not probed, not counted): \(report.consentToRenew.count)"
        let expiring: Message = "consent expiring within 30 days: \(report.consentExpiring.count)"
        for (heading, notices) in [(toRenew, report.consentToRenew), (expiring, report.consentExpiring)] where !notices.isEmpty {
            text += localized(heading) + "\n"
            var consent = TextTable(headers: [localized("CAMERA"), localized("NAME"), localized("VILLAGE"), localized("OWNER"),
                                              localized("PHONE"), localized("UNTIL"), localized("WHY")],
                                    alignments: [.left, .left, .left, .left, .left, .left, .left])
            for notice in notices {
                consent.append([notice.cameraID, notice.name, inventory.villages[notice.village]?.name ?? notice.village.digits, notice.owner,
                                notice.phone, notice.until?.description ?? "-", notice.reason?.description ?? ""])
            }
            text += consent.render()
        }
        if let history, let availability = history.availability, let since = history.periodStart {
            let locale = OutputLocale.current
            text += localized("availability \(Percent.text(availability)) over \(history.points.count) sweeps since "
                + "\(locale.minute(since)) (\(locale.zoneNote(at: since)))") + "\n"
        }
        return text
    }
}
