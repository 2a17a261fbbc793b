import Foundation
import Registry

/// The registry reconciled with a platform's catalog (docs/catalog.md): devices on the platform but not
/// registered (未建档), in-service cameras absent from the platform (未上报), fields that disagree, and
/// cameras the platform reports online that the latest sweep found not working (its false-online list).
///
/// Pure values: the sweep comes in as verdicts, so this module knows nothing of probing. Safe to share
/// between threads.
public struct CatalogDiff: Sendable, Equatable {
    /// A field compared between a registered record and the platform's item.
    public enum Field: String, Sendable, CaseIterable, Codable {
        case name
        /// `CivilCode` against the county of the camera's village.
        case civilCode = "civil_code"
        /// The positions are further apart than the threshold.
        case coordinates
        /// `ParentID` against the record's `parent`.
        case parent
    }

    /// A registered camera whose platform item disagrees on one field.
    public struct Mismatch: Hashable, Sendable {
        public var cameraID: String
        public var field: Field
        /// The registry's value as text (`-` when it has none).
        public var registry: String
        public var platform: String
        /// For coordinates: how far apart, in metres.
        public var distanceMetres: Double?
    }

    /// A registered, in-service camera the platform does not list.
    public struct Unreported: Hashable, Sendable {
        public var cameraID: String
        public var name: String
        public var village: VillageCode
    }

    /// A camera the platform reports online that the latest sweep found not working.
    public struct FalseOnline: Hashable, Sendable {
        public var cameraID: String
        public var name: String
        public var village: VillageCode
        /// The item's `Status` as sent (`ON`, `ONLINE`).
        public var platformStatus: String
    }

    /// 目录一致率: registered in-service cameras found on the platform with no mismatch / registered in-service cameras.
    public struct Consistency: Hashable, Sendable {
        public var consistent: Int
        public var inService: Int
        /// nil when there is no in-service camera (never shown as 100%).
        public var rate: Double? { inService == 0 ? nil : Double(consistent) / Double(inService) }
    }

    /// How the comparison is made.
    public struct Rules: Sendable, Equatable {
        /// Positions further apart than this (haversine, metres) are a mismatch.
        public var distanceThresholdMetres: Double = 100
        public init(distanceThresholdMetres: Double = 100) { self.distanceThresholdMetres = distanceThresholdMetres }
    }

    /// On the platform, not in the registry (未建档), by DeviceID.
    public var unregistered: [CatalogItem]
    /// Registered and active, not on the platform (未上报), by id.
    public var unreported: [Unreported]
    /// By camera id, then field.
    public var mismatches: [Mismatch]
    /// Nil when no sweep was given: the list cannot be made.
    public var falseOnline: [FalseOnline]?
    public var consistency: Consistency
    public var rules: Rules

    /// Reconciles `catalog` with `inventory`. `working` holds the latest sweep's verdict per camera id (true:
    /// online or degraded, its video check passed); cameras the sweep did not reach are left out of the
    /// false-online list, and without a sweep (nil) there is no such list.
    public init(catalog: PlatformCatalog, inventory: Inventory, working: [String: Bool]?, rules: Rules = Rules()) {
        self.rules = rules
        var unregistered: [CatalogItem] = []
        var mismatches: [Mismatch] = []
        var falseOnline: [FalseOnline] = []
        var mismatched = Set<String>()
        for item in catalog.devices {
            guard let camera = inventory.camera(id: item.deviceID) else {
                unregistered.append(item)
                continue
            }
            let found = Self.mismatches(camera, item, rules: rules)
            if !found.isEmpty { mismatched.insert(camera.id) }
            mismatches += found
            if item.isReportedOnline, camera.status == .active, working?[camera.id] == false {
                falseOnline.append(FalseOnline(cameraID: camera.id, name: camera.name, village: camera.village, platformStatus: item.status ?? ""))
            }
        }
        var unreported: [Unreported] = []
        var consistency = Consistency(consistent: 0, inService: 0)
        for camera in inventory.cameras where Self.isInServiceCamera(camera) {
            consistency.inService += 1
            if catalog.device(id: camera.id) == nil {
                unreported.append(Unreported(cameraID: camera.id, name: camera.name, village: camera.village))
            } else if !mismatched.contains(camera.id) {
                consistency.consistent += 1
            }
        }
        self.unregistered = unregistered
        self.unreported = unreported.sorted { $0.cameraID < $1.cameraID }
        self.mismatches = mismatches
        self.falseOnline = working == nil ? nil : falseOnline
        self.consistency = consistency
    }

    /// The cameras the figure counts: active, and not recorders (their channels are the cameras), as in every figure.
    public static func isInServiceCamera(_ camera: CameraRecord) -> Bool { camera.isActiveCamera }

    /// The fields on which `item` disagrees with `camera`. A field the platform leaves empty is not compared.
    static func mismatches(_ camera: CameraRecord, _ item: CatalogItem, rules: Rules) -> [Mismatch] {
        var found: [Mismatch] = []
        func add(_ field: Field, _ registry: String?, _ platform: String, distance: Double? = nil) {
            found.append(Mismatch(cameraID: camera.id, field: field, registry: registry ?? "-", platform: platform, distanceMetres: distance))
        }
        if let name = item.name, name != camera.name.trimmingCharacters(in: .whitespaces) { add(.name, camera.name, name) }
        if let civilCode = item.civilCode, String(civilCode.prefix(6)) != camera.village.countyCode {
            add(.civilCode, camera.village.countyCode, civilCode)
        }
        if let latitude = item.latitude, let longitude = item.longitude {
            let platform = "\(Self.degrees(latitude)),\(Self.degrees(longitude))"
            if let registeredLatitude = camera.latitude, let registeredLongitude = camera.longitude {
                let distance = GeoPosition(latitude: registeredLatitude, longitude: registeredLongitude)
                    .distance(to: GeoPosition(latitude: latitude, longitude: longitude))
                if distance > rules.distanceThresholdMetres {
                    add(.coordinates, "\(Self.degrees(registeredLatitude)),\(Self.degrees(registeredLongitude))", platform,
                        distance: distance.rounded())
                }
            }
        }
        // Platforms also put business groups, virtual organisations and themselves in ParentID: only a
        // recorder there says which device the camera is a channel of.
        if let parentID = item.parentID, DeviceCode.type(of: parentID)?.isRecorder == true, parentID != camera.parent {
            add(.parent, camera.parent, parentID)
        }
        return found
    }


    /// Degrees as people write them: up to six decimals, no trailing zeros.
    static func degrees(_ value: Double) -> String {
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
