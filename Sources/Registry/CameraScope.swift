import Localization
/// Which cameras a command covers: by place (village, township or county code), source and status.
///
/// A value type; safe to share between threads.
public struct CameraScope: Sendable, Equatable {
    /// A 12-digit village, 9-digit township or 6-digit county code prefix; nil for all.
    public var placePrefix: String?
    public var source: CameraSource?
    public var statuses: Set<CameraStatus>?

    public init(placePrefix: String? = nil, source: CameraSource? = nil, statuses: Set<CameraStatus>? = nil) {
        self.placePrefix = placePrefix
        self.source = source
        self.statuses = statuses
    }

    public func contains(_ camera: CameraRecord) -> Bool {
        if let placePrefix, !camera.village.digits.hasPrefix(placePrefix) { return false }
        if let source, camera.source != source { return false }
        if let statuses, !statuses.contains(camera.status ?? .pending) { return false }
        return true
    }

    /// Checks a place code given on the command line: 12 digits (village), 9 (township) or 6 (county).
    public static func placeCode(_ text: String, digits: Int) throws(FieldProblem) -> String {
        guard text.utf8.count == digits, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            switch digits {
            case 12: throw FieldProblem("'\(text.clipped)' is not a 12-digit village code")
            case 9: throw FieldProblem("'\(text.clipped)' is not a 9-digit township code")
            default: throw FieldProblem("'\(text.clipped)' is not a 6-digit county code")
            }
        }
        return text
    }
}
