import Coverage
import Foundation
import Probing
import Registry
import StateStore

/// A feed that is offline in the latest sweep, with what a maintainer needs to go and fix it.
public struct OfflineFeed: Sendable, Equatable {
    public var cameraID: String
    public var name: String
    public var village: String
    public var villageName: String
    public var township: String
    public var address: String
    public var latitude: Double?
    public var longitude: Double?
    public var reason: ReasonCode
    public var detail: String
    /// The start of the run of consecutive sweeps (kept in the state directory) that found it offline.
    public var offlineSince: Date
    public var station: String
    public var maintainer: String
    /// The maintainer's phone (运维电话), masked as every phone in output; empty when the record has none.
    public var maintainerPhone: String
    public var source: CameraSource
    /// The host (and port) of the camera's main endpoint, for the technician: never the credentials.
    public var host: String = ""

    public init(cameraID: String, name: String, village: String, villageName: String, township: String, address: String,
                latitude: Double?, longitude: Double?, reason: ReasonCode, detail: String, offlineSince: Date, station: String,
                maintainer: String, source: CameraSource, maintainerPhone: String = "") {
        self.cameraID = cameraID
        self.name = name
        self.village = village
        self.villageName = villageName
        self.township = township
        self.address = address
        self.latitude = latitude
        self.longitude = longitude
        self.reason = reason
        self.detail = detail
        self.offlineSince = offlineSince
        self.station = station
        self.maintainer = maintainer
        self.maintainerPhone = maintainerPhone
        self.source = source
    }
}

/// Everything the report files are made from. Built once by the `report` command.
public struct ReportInput: Sendable {
    /// Figures by township (headline, bars) and by village (the per-village table).
    public var byTownship: CoverageReport
    public var byVillage: CoverageReport
    public var inventory: Inventory
    /// Offline feeds, by maintainer then village then id.
    public var offline: [OfflineFeed]
    /// Past sweeps, oldest first (the latest included).
    public var history: [SweepPoint]
    /// Availability over the kept sweeps (online time / observed time), nil without two sweeps.
    public var availability: Double?
    /// Per-camera results of the latest sweep (for the Prometheus per-camera series).
    public var latest: SweepReadings
    public var generatedAt: Date
    /// The county or city the report is for (`report --area 青山县`), shown in its title; nil: named by its code.
    public var area: String? = nil
    /// The registry's validation findings: the incomplete records the report lists.
    public var issues: [InventoryIssue] = []
    /// Thumbnails of the cameras with a picture finding (`data:` URIs), by camera id, with the reference's when
    /// there is one.
    public var thumbnails: [String: (picture: String, reference: String?)] = [:]
    /// How long a maintainer has to respond to a work order (`report --respond-within 24h`).
    public var respondWithinSeconds: Double = 24 * 3600

    public init(byTownship: CoverageReport, byVillage: CoverageReport, inventory: Inventory, offline: [OfflineFeed],
                history: [SweepPoint], availability: Double? = nil, latest: SweepReadings, generatedAt: Date) {
        self.availability = availability
        self.byTownship = byTownship
        self.byVillage = byVillage
        self.inventory = inventory
        self.offline = offline
        self.history = history
        self.latest = latest
        self.generatedAt = generatedAt
    }
}
