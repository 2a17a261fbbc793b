import Localization
/// A 12-digit statistical division code (统计用区划代码) of a village or community:
/// county (6 digits) + township (3) + village/community (3).
///
/// A value type; safe to share between threads.
public struct VillageCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The twelve digits.
    public let digits: String

    /// Parses a code, or explains why it is not one.
    public static func parse(_ text: String) -> Result<VillageCode, FieldProblem> {
        let utf8 = text.utf8
        guard utf8.count == 12, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return .failure(FieldProblem("'\(text.clipped)' is not a 12-digit division code (county 6 + township 3 + village 3)"))
        }
        let digits = Array(utf8)
        let township = Int(digits[6] - 48) * 100 + Int(digits[7] - 48) * 10 + Int(digits[8] - 48)
        guard (1...599).contains(township) else {
            return .failure(FieldProblem("township part \(String(decoding: digits[6..<9], as: UTF8.self)) of \(text) is outside 001-599"))
        }
        guard digits[9] != 48 || digits[10] != 48 || digits[11] != 48 else {
            return .failure(FieldProblem("\(text) ends in 000: that is a township code, not a village or community"))
        }
        return .success(VillageCode(uncheckedDigits: text))
    }

    init(uncheckedDigits: String) { self.digits = uncheckedDigits }

    /// The county's 6-digit GB/T 2260 code.
    public var countyCode: String { String(decoding: digits.utf8.prefix(6), as: UTF8.self) }
    /// The township's 9-digit code (county + township).
    public var townshipCode: String { String(decoding: digits.utf8.prefix(9), as: UTF8.self) }
    public var description: String { digits }
    public static func < (lhs: VillageCode, rhs: VillageCode) -> Bool { lhs.digits < rhs.digits }
}

/// The kind of device a GB/T 28181 code names (digits 11-13).
public enum DeviceType: Int, Sendable, CaseIterable {
    case digitalVideoRecorder = 111
    case videoServer = 112
    case encoder = 113
    case networkVideoRecorder = 118
    case checkpoint = 121
    case hybridVideoRecorder = 130
    case camera = 131
    case networkCamera = 132

    /// Recorders carry channels (other records name them as `parent`); they are not cameras themselves.
    public var isRecorder: Bool {
        switch self {
        case .digitalVideoRecorder, .networkVideoRecorder, .hybridVideoRecorder: true
        default: false
        }
    }

    public var label: String {
        switch self {
        case .digitalVideoRecorder: "DVR"
        case .videoServer: "video server"
        case .encoder: "encoder"
        case .networkVideoRecorder: "NVR"
        case .checkpoint: "checkpoint"
        case .hybridVideoRecorder: "HVR"
        case .camera: "camera"
        case .networkCamera: "IPC"
        }
    }
}

/// A GB/T 28181 20-digit device code: county (6) + grassroots unit (2) + industry (2) + type (3)
/// + network (1) + serial (6). There is no check digit, so the structure is what can be checked.
///
/// A value type; safe to share between threads.
public struct DeviceCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let digits: String
    public let type: DeviceType

    /// Parses a code, checking length, digits and the type code.
    public static func parse(_ text: String) -> Result<DeviceCode, FieldProblem> {
        let utf8 = text.utf8
        guard utf8.count == 20, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return .failure(FieldProblem("'\(text.clipped)' is not a 20-digit GB/T 28181 device code"))
        }
        guard let type = type(of: text) else {
            let typeDigits = String(decoding: Array(utf8)[10..<13], as: UTF8.self)
            let known = DeviceType.allCases.map { "\($0.rawValue) \($0.label)" }.joined(separator: ", ")
            return .failure(FieldProblem("type code \(typeDigits) (digits 11-13 of \(text)) is not a video device; known: \(known)"))
        }
        return .success(DeviceCode(digits: text, type: type))
    }

    /// The device type a well-formed code names, nil for any other text; allocates nothing (the figures ask
    /// it of every camera, some more than once).
    public static func type(of text: String) -> DeviceType? {
        guard text.utf8.count == 20 else { return nil }
        var typeCode = 0
        for (position, byte) in text.utf8.enumerated() {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            if (10..<13).contains(position) { typeCode = typeCode * 10 + Int(byte - 0x30) }
        }
        return DeviceType(rawValue: typeCode)
    }

    /// Whether `id` names a recorder (DVR, NVR, HVR): recorders are probed, since their channels depend on
    /// them, but no figure counts them as cameras (the same rule in every output).
    public static func isRecorder(id: String) -> Bool { type(of: id)?.isRecorder ?? false }

    /// The county's 6-digit GB/T 2260 code (digits 1-6).
    public var countyCode: String { String(decoding: digits.utf8.prefix(6), as: UTF8.self) }
    /// The network flag (digit 14).
    public var networkFlag: Int { Int(String(digits.dropFirst(13).prefix(1)))! }
    public var description: String { digits }
    public static func < (lhs: DeviceCode, rhs: DeviceCode) -> Bool { lhs.digits < rhs.digits }
}

/// Why a field's value was refused; becomes an ``InventoryIssue`` once its place is known.
public struct FieldProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: Message
    public init(_ message: Message) { self.message = message }
    public var description: String { message.description }
}

extension String {
    /// The text shortened for an error message, so a 10 MB field never floods a terminal, and with the
    /// `user:pass@` of any URL in it masked, so a message never repeats a password typed into a field.
    var clipped: String {
        let limit = 60
        let safe = EndpointURL.redactedEverywhere(self)
        if safe.count <= limit { return safe }
        return String(safe.prefix(limit)) + "…(\(utf8.count) bytes)"
    }
}
