import Localization
import Registry

/// One `<Item>` of a Catalog response: a device or channel as the platform lists it. Fields the platform
/// left out or empty are nil; `Password`, which GB/T 28181 allows in an item, is never kept.
///
/// A value type; safe to share between threads.
public struct CatalogItem: Hashable, Sendable {
    /// The file and line where the item starts, for messages.
    public var file: String
    public var line: Int
    public var deviceID: String
    public var name: String?
    public var manufacturer: String?
    public var model: String?
    public var civilCode: String?
    public var address: String?
    public var parentID: String?
    /// `ON`, `OFF`, `ONLINE`, `OFFLINE` as sent.
    public var status: String?
    /// Degrees, as the platform sends them (WGS-84 assumed; see docs/catalog.md). `0` means unknown and is nil.
    public var longitude: Double?
    public var latitude: Double?

    /// An item as read; tests and callers with items of their own make them the same way.
    public init(file: String, line: Int, deviceID: String, name: String? = nil, manufacturer: String? = nil, model: String? = nil,
                civilCode: String? = nil, address: String? = nil, parentID: String? = nil, status: String? = nil,
                longitude: Double? = nil, latitude: Double? = nil) {
        self.file = file
        self.line = line
        self.deviceID = deviceID
        self.name = name
        self.manufacturer = manufacturer
        self.model = model
        self.civilCode = civilCode
        self.address = address
        self.parentID = parentID
        self.status = status
        self.longitude = longitude
        self.latitude = latitude
    }

    /// The platform reports the device online (`ON` or `ONLINE`, any case).
    public var isReportedOnline: Bool {
        guard let status else { return false }
        let upper = status.uppercased()
        return upper == "ON" || upper == "ONLINE"
    }

    /// Why the item is not a video device to reconcile, or nil when it is one.
    public var skipReason: CatalogSkipReason? {
        let utf8 = deviceID.utf8
        if utf8.isEmpty { return .noDeviceID }
        if utf8.count <= 8 && utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return .administrativeRegion }
        guard utf8.count == 20, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let typeCode = Int(String(decoding: Array(utf8)[10..<13], as: UTF8.self))!
        switch typeCode {
        case 215: return .businessGroup
        case 216: return .virtualOrganisation
        default: return DeviceType(rawValue: typeCode) == nil ? .notVideoDevice : nil
        }
    }
}

/// Why an item of a catalog is left out of the reconciliation.
public enum CatalogSkipReason: String, Sendable, CaseIterable, Comparable, Codable {
    /// A DeviceID of 8 digits or fewer: a CivilCode entry of the catalog's tree, not a device.
    case administrativeRegion = "administrative_regions"
    /// Type code 215 (digits 11-13): a business group.
    case businessGroup = "business_groups"
    /// Type code 216: a virtual organisation.
    case virtualOrganisation = "virtual_organisations"
    /// A 20-digit code of another type: a signalling server (200), an alarm input (134), and so on.
    case notVideoDevice = "not_video_devices"
    /// An item with no DeviceID at all.
    case noDeviceID = "no_device_id"

    public static func < (lhs: CatalogSkipReason, rhs: CatalogSkipReason) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Words for a summary line: `2 administrative regions`.
    public func counted(_ count: Int) -> Message {
        switch self {
        case .administrativeRegion: count == 1 ? "1 administrative region" : "\(count) administrative regions"
        case .businessGroup: count == 1 ? "1 business group" : "\(count) business groups"
        case .virtualOrganisation: count == 1 ? "1 virtual organisation" : "\(count) virtual organisations"
        case .notVideoDevice: count == 1 ? "1 non-video device" : "\(count) non-video devices"
        case .noDeviceID: count == 1 ? "1 item without DeviceID" : "\(count) items without DeviceID"
        }
    }
}

/// One Catalog response (one SIP MESSAGE body): the platform or device that answered, the query's serial
/// number, how many items the whole answer has, and the items of this message.
///
/// A value type; safe to share between threads.
public struct CatalogResponse: Hashable, Sendable {
    public var file: String
    public var line: Int
    /// The `DeviceID` of the response: the platform (or NVR) that answers.
    public var platformID: String
    /// `SN`: the query this message answers; a catalog split over messages keeps it.
    public var serialNumber: String
    /// `SumNum`: the items of the whole answer, over every message; nil when missing or not a number.
    public var sumNum: Int?
    public var items: [CatalogItem]

    public init(file: String, line: Int, platformID: String, serialNumber: String, sumNum: Int?, items: [CatalogItem]) {
        self.file = file
        self.line = line
        self.platformID = platformID
        self.serialNumber = serialNumber
        self.sumNum = sumNum
        self.items = items
    }
}

/// What one catalog file held.
///
/// A value type; safe to share between threads.
public struct CatalogFile: Sendable {
    public var path: String
    /// The encoding the bytes were decoded in: `UTF-8` or `GB18030`.
    public var encoding: String
    /// The encoding the file's XML declaration names (the first one, if several), as written.
    public var declaredEncoding: String?
    public var responses: [CatalogResponse]
    /// Well-formed messages that are not Catalog responses (keep-alives, DeviceStatus, Notify).
    public var otherMessages: Int

    public init(path: String, encoding: String, declaredEncoding: String?, responses: [CatalogResponse], otherMessages: Int) {
        self.path = path
        self.encoding = encoding
        self.declaredEncoding = declaredEncoding
        self.responses = responses
        self.otherMessages = otherMessages
    }
}
