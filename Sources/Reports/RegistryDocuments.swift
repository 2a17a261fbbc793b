import Localization
import Coverage
import Registry

/// How much of an owner's phone number a document shows.
public enum PhoneDisclosure: Sendable {
    /// `138****5678`: the default in every output.
    case masked
    /// The whole number, only when the user asks for it.
    case revealed

    public func apply(_ phone: String?) -> String? {
        guard let phone else { return nil }
        return self == .revealed ? phone : PhoneNumber.masked(phone)
    }
}

/// A camera record as JSON (`xueliang.camera/1` wraps one, `xueliang.cameras/1` a list).
/// Never carries a secret: only the credential profile's name.
public struct CameraDocument: Encodable, Sendable {
    public struct Endpoints: Encodable, Sendable {
        var rtsp, snapshot, hls, onvif, tcp: String?
    }

    public struct Citizen: Encodable, Sendable {
        var owner, phone: String?
        var consentScope: [ConsentScope]
        var consentUntil: CalendarDate?
        var reviewer: String?
        var reviewedOn: CalendarDate?
        var viewClear, signage: Bool?
        var reviewPassed: Bool

        enum CodingKeys: String, CodingKey {
            case owner, phone, reviewer, signage
            case consentScope = "consent_scope", consentUntil = "consent_until", reviewedOn = "reviewed_on"
            case viewClear = "view_clear", reviewPassed = "review_passed"
        }
    }

    var id, name, village: String
    var villageName, township, station: String?
    var source: CameraSource?
    var status: CameraStatus?
    var deviceType: String?
    var latitude, longitude: Double?
    var address: String?
    var direction: Direction?
    var positionType: Int?
    var manufacturer, model, builder, maintainer: String?
    /// Masked unless phones are revealed, as an owner's.
    var maintainerPhone: String?
    var installed: CalendarDate?
    var covers: [String]
    var parent: String?
    var tags: [String]
    var endpoints: Endpoints
    var credential: String?
    var tlsVerify: Bool
    var citizen: Citizen?

    enum CodingKeys: String, CodingKey {
        case id, name, village, township, station, source, status, latitude, longitude, address, direction
        case manufacturer, model, builder, maintainer, installed, covers, parent, tags, endpoints, credential, citizen
        case villageName = "village_name", deviceType = "device_type", positionType = "position_type", tlsVerify = "tls_verify"
        case maintainerPhone = "maintainer_phone"
    }

    public init(_ camera: CameraRecord, village: Village?, phones: PhoneDisclosure) {
        id = camera.id
        name = camera.name
        self.village = camera.village.digits
        villageName = village?.name
        township = village?.township
        station = camera.station ?? village?.station
        source = camera.source
        status = camera.status
        deviceType = camera.deviceCode?.type.label
        latitude = camera.latitude
        longitude = camera.longitude
        address = camera.address
        direction = camera.direction
        positionType = camera.positionType
        manufacturer = camera.manufacturer
        model = camera.model
        builder = camera.builder
        maintainer = camera.maintainer
        maintainerPhone = phones.apply(camera.maintainerPhone)
        installed = camera.installedOn
        covers = camera.covers
        parent = camera.parent
        tags = camera.tags
        // A hand-edited record may still carry user:pass@ (validate flags it); never print it.
        endpoints = Endpoints(rtsp: camera.endpoints.rtsp.map(EndpointURL.redacted), snapshot: camera.endpoints.snapshot.map(EndpointURL.redacted),
                              hls: camera.endpoints.hls.map(EndpointURL.redacted), onvif: camera.endpoints.onvif.map(EndpointURL.redacted),
                              tcp: camera.endpoints.tcp)
        credential = camera.credential
        tlsVerify = camera.verifyTLS
        let details = camera.citizen
        citizen = camera.source == .citizen || !details.isEmpty
            ? Citizen(owner: details.owner, phone: phones.apply(details.phone), consentScope: details.consentScope,
                      consentUntil: details.consentUntil, reviewer: details.reviewer, reviewedOn: details.reviewedOn,
                      viewClear: details.viewClear, signage: details.signage, reviewPassed: details.reviewPassed)
            : nil
    }
}

/// `xueliang list --json`.
public struct CameraListDocument: Encodable, Sendable {
    var schema = "xueliang.cameras/1"
    var count: Int
    var cameras: [CameraDocument]

    public init(cameras: [CameraDocument]) {
        self.count = cameras.count
        self.cameras = cameras
    }
}

/// `xueliang show ID --json`.
public struct CameraShowDocument: Encodable, Sendable {
    var schema = "xueliang.camera/1"
    var camera: CameraDocument
    public init(camera: CameraDocument) { self.camera = camera }
}

/// `xueliang villages list --json`.
public struct VillageListDocument: Encodable, Sendable {
    struct Entry: Encodable, Sendable {
        var code, name, kind, township, station, county: String
        var keyPoints: [KeyPoint]
        var cameras: Int
        enum CodingKeys: String, CodingKey { case code, name, kind, township, station, county, cameras, keyPoints = "key_points" }
    }

    var schema = "xueliang.villages/1"
    var count: Int
    var villages: [Entry]

    public init(inventory: Inventory) {
        var counts: [VillageCode: Int] = [:]
        for camera in inventory.cameras where camera.status != .retired && !camera.isRecorder { counts[camera.village, default: 0] += 1 }
        villages = inventory.sortedVillages.map {
            Entry(code: $0.code.digits, name: $0.name, kind: $0.kind.rawValue, township: $0.township, station: $0.station,
                  county: $0.code.countyCode, keyPoints: $0.keyPoints, cameras: counts[$0.code] ?? 0)
        }
        count = villages.count
    }
}

/// `xueliang validate --json`: every problem, and the record completeness figure.
public struct ValidationDocument: Encodable, Sendable {
    struct Summary: Encodable, Sendable {
        var villages, cameras, errors, warnings: Int
        var gaps: Int
        var completeRecords: Int
        var countedRecords: Int
        var completenessRate: Double?
        var incompleteByMaintainer: [Maintainer]
        enum CodingKeys: String, CodingKey {
            case villages, cameras, errors, warnings, gaps
            case completeRecords = "complete_records", countedRecords = "counted_records", completenessRate = "completeness_rate"
            case incompleteByMaintainer = "incomplete_by_maintainer"
        }

        // Written even when nil: a reader sees that nothing was counted, not a missing field.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(villages, forKey: .villages)
            try container.encode(cameras, forKey: .cameras)
            try container.encode(errors, forKey: .errors)
            try container.encode(warnings, forKey: .warnings)
            try container.encode(gaps, forKey: .gaps)
            try container.encode(completeRecords, forKey: .completeRecords)
            try container.encode(countedRecords, forKey: .countedRecords)
            try container.encode(completenessRate, forKey: .completenessRate)
            try container.encode(incompleteByMaintainer, forKey: .incompleteByMaintainer)
        }
    }

    struct Maintainer: Encodable, Sendable {
        var maintainer: String
        var cameras: [String]
    }

    struct Issue: Encodable, Sendable {
        var severity: InventoryIssue.Severity
        var file: String
        var line: Int?
        var subject: String?
        var field: String?
        var message: String
        var camera: String?
        var gap: Bool
    }

    var schema = "xueliang.validation/1"
    var summary: Summary
    var issues: [Issue]

    public init(inventory: Inventory, issues: [InventoryIssue], completeness: RecordCompleteness) {
        summary = Summary(villages: inventory.villages.count, cameras: inventory.cameras.count,
                          errors: issues.count { $0.severity == .error }, warnings: issues.count { $0.severity == .warning },
                          gaps: issues.count(where: \.isGap), completeRecords: completeness.complete, countedRecords: completeness.total,
                          completenessRate: completeness.rate.map { ($0 * 10000).rounded() / 10000 },
                          incompleteByMaintainer: completeness.incompleteByMaintainer.map { Maintainer(maintainer: $0.maintainer, cameras: $0.cameras) })
        self.issues = issues.map {
            Issue(severity: $0.severity, file: $0.file, line: $0.line, subject: $0.subject, field: $0.field, message: $0.message.rendered(in: .english), camera: $0.cameraID,
                  gap: $0.isGap)
        }
    }
}
