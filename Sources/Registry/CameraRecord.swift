/// Who built and runs a camera: the public 雪亮 network or a resident/shop (守望, socially built).
public enum CameraSource: String, Sendable, CaseIterable, Codable {
    case `public`
    case citizen
}

/// Where a camera record stands in its life.
public enum CameraStatus: String, Sendable, CaseIterable, Codable {
    /// Registered, awaiting review; not swept.
    case pending
    /// In service; swept and counted.
    case active
    /// Out of service; kept for the record.
    case retired
}

/// What a citizen's consent lets the police do with the feed.
public enum ConsentScope: String, Sendable, CaseIterable, Codable, Comparable {
    case live
    case playback
    public static func < (lhs: ConsentScope, rhs: ConsentScope) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The direction a camera watches (监视方位), GB/T 28181's 1-8.
public enum Direction: String, Sendable, CaseIterable, Codable {
    case east, west, south, north, northeast, northwest, southeast, southwest

    /// Accepts the spellings of `Spellings.direction`: the English word, GB/T 28181's number 1-8, or the
    /// Chinese 东/西/南/北/东北/西北/东南/西南.
    public init?(text: String) {
        guard let direction = Spellings.lookUp(text, in: Spellings.direction) else { return nil }
        self = direction
    }
}

/// A day in the proleptic Gregorian calendar, written `YYYY-MM-DD`; no time zone is involved.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// Year, month and day in one word (`year << 9 | month << 5 | day`), ordered as the date: a record holds
    /// several dates, and a city's registry 200,000 records.
    private let packed: UInt32

    public var year: Int { Int(packed >> 9) }
    public var month: Int { Int(packed >> 5 & 0xf) }
    public var day: Int { Int(packed & 0x1f) }

    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        packed = UInt32(year) << 9 | UInt32(month) << 5 | UInt32(day)
    }

    /// Parses `YYYY-MM-DD` (also `YYYY/MM/DD` and `YYYY.MM.DD`, as spreadsheets write them).
    public init?(text: String) {
        var numbers: [Int] = []
        var digits = 0
        var current = 0
        for byte in text.utf8 {
            if byte >= 48 && byte <= 57 {
                current = current * 10 + Int(byte - 48)
                digits += 1
                guard digits <= 4 else { return nil }
            } else if byte == 45 || byte == 47 || byte == 46, digits > 0 {
                numbers.append(current)
                current = 0
                digits = 0
            } else {
                return nil
            }
        }
        guard digits > 0 else { return nil }
        numbers.append(current)
        guard numbers.count == 3, text.utf8.prefix(5).last.map({ $0 == 45 || $0 == 47 || $0 == 46 }) == true else { return nil }
        self.init(year: numbers[0], month: numbers[1], day: numbers[2])
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (negative before), for differences between dates.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    /// The date `days` days since 1970-01-01.
    public init(daysSinceEpoch days: Int) {
        let shifted = days + 719468
        let era = (shifted >= 0 ? shifted : shifted - 146096) / 146097
        let dayOfEra = shifted - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        packed = UInt32(clamping: year) << 9 | UInt32(month) << 5 | UInt32(day)
    }

    public func adding(days: Int) -> CalendarDate { CalendarDate(daysSinceEpoch: daysSinceEpoch + days) }

    public var description: String {
        let monthText = month < 10 ? "0\(month)" : "\(month)"
        let dayText = day < 10 ? "0\(day)" : "\(day)"
        return "\(year)-\(monthText)-\(dayText)"
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.packed < rhs.packed }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(text: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Where a camera can be probed. URLs never carry credentials: those come from a credential profile.
public struct CameraEndpoints: Hashable, Sendable {
    /// An `rtsp://` stream URL.
    public var rtsp: String?
    /// The camera's sub-stream (`rtsp://`, a lower resolution and bitrate), which the media check plays
    /// instead of the main stream when there is one.
    public var rtspSub: String?
    /// An `http(s)://` URL answering with one JPEG picture.
    public var snapshot: String?
    /// An `http(s)://` HLS playlist URL.
    public var hls: String?
    /// An `http(s)://` ONVIF device service URL.
    public var onvif: String?
    /// A `host:port` for a plain TCP check.
    public var tcp: String?

    public init(rtsp: String? = nil, snapshot: String? = nil, hls: String? = nil, onvif: String? = nil, tcp: String? = nil,
                rtspSub: String? = nil) {
        self.rtsp = rtsp
        self.rtspSub = rtspSub
        self.snapshot = snapshot
        self.hls = hls
        self.onvif = onvif
        self.tcp = tcp
    }

    public var isEmpty: Bool { rtsp == nil && snapshot == nil && hls == nil && onvif == nil && tcp == nil }
}

/// The owner and consent of a citizen-contributed (守望) camera, and its privacy review.
public struct CitizenDetails: Hashable, Sendable {
    public var owner: String?
    public var phone: String?
    public var consentScope: [ConsentScope]
    public var consentUntil: CalendarDate?
    /// Who reviewed the position and field of view, and when.
    public var reviewer: String?
    public var reviewedOn: CalendarDate?
    /// The field of view is clear of the places Decree 799 forbids (hotel rooms, dormitories, baths,
    /// toilets, changing rooms, nursing and fitting rooms).
    public var viewClear: Bool?
    /// Conspicuous signage is in place.
    public var signage: Bool?

    public init(owner: String? = nil, phone: String? = nil, consentScope: [ConsentScope] = [], consentUntil: CalendarDate? = nil,
                reviewer: String? = nil, reviewedOn: CalendarDate? = nil, viewClear: Bool? = nil, signage: Bool? = nil) {
        self.owner = owner
        self.phone = phone
        self.consentScope = consentScope
        self.consentUntil = consentUntil
        self.reviewer = reviewer
        self.reviewedOn = reviewedOn
        self.viewClear = viewClear
        self.signage = signage
    }

    public var isEmpty: Bool { self == CitizenDetails() }

    /// The privacy review passed: someone reviewed it on a date, the view is clear and signage present.
    public var reviewPassed: Bool {
        reviewer != nil && reviewedOn != nil && viewClear == true && signage == true
    }
}

/// One camera, one record (一机一档).
///
/// A value type; safe to share between threads. `id` is kept as text so that a record with a
/// malformed code can still be loaded, shown and reported by `validate`.
public struct CameraRecord: Hashable, Sendable {
    /// The fields live in one shared box, copied only when a shared record is changed (as Array does):
    /// a sweep of 200,000 cameras copies records into its plan and outcomes, and a copy is then a pointer.
    private struct Fields: Hashable, Sendable {
        var id: String
        var name: String
        var village: VillageCode
        var source: CameraSource?
        var status: CameraStatus?
        var latitude: Double?
        var longitude: Double?
        var address: String?
        var direction: Direction?
        var positionType: Int?
        var station: String?
        var manufacturer: String?
        var model: String?
        var builder: String?
        var maintainer: String?
        /// The maintainer's contact (运维电话), in `PhoneNumber`'s one form.
        var maintainerPhone: String?
        var installedOn: CalendarDate?
        var covers: [String]
        var parent: String?
        var tags: [String]
        var endpoints: CameraEndpoints
        var credential: String?
        var verifyTLS: Bool
        /// At most one element: 8 bytes in every record instead of the details' ~130, which only citizen
        /// cameras have.
        var citizen: [CitizenDetails]
    }

    /// Shared only while unchanged: every mutation first makes it unique, so no two owners ever see a write.
    private final class Storage: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var storage: Storage

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
    }

    public static func == (lhs: CameraRecord, rhs: CameraRecord) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(storage.fields) }

    public var id: String {
        get { storage.fields.id }
        _modify {
            makeUnique()
            yield &storage.fields.id
        }
    }

    public var name: String {
        get { storage.fields.name }
        _modify {
            makeUnique()
            yield &storage.fields.name
        }
    }

    public var village: VillageCode {
        get { storage.fields.village }
        _modify {
            makeUnique()
            yield &storage.fields.village
        }
    }

    public var source: CameraSource? {
        get { storage.fields.source }
        _modify {
            makeUnique()
            yield &storage.fields.source
        }
    }

    public var status: CameraStatus? {
        get { storage.fields.status }
        _modify {
            makeUnique()
            yield &storage.fields.status
        }
    }

    public var latitude: Double? {
        get { storage.fields.latitude }
        _modify {
            makeUnique()
            yield &storage.fields.latitude
        }
    }

    public var longitude: Double? {
        get { storage.fields.longitude }
        _modify {
            makeUnique()
            yield &storage.fields.longitude
        }
    }

    public var address: String? {
        get { storage.fields.address }
        _modify {
            makeUnique()
            yield &storage.fields.address
        }
    }

    public var direction: Direction? {
        get { storage.fields.direction }
        _modify {
            makeUnique()
            yield &storage.fields.direction
        }
    }

    /// GB/T 28181 position type 1-10 (1 border checkpoint … 8 around schools, 10 main roads).
    public var positionType: Int? {
        get { storage.fields.positionType }
        _modify {
            makeUnique()
            yield &storage.fields.positionType
        }
    }

    public var station: String? {
        get { storage.fields.station }
        _modify {
            makeUnique()
            yield &storage.fields.station
        }
    }

    public var manufacturer: String? {
        get { storage.fields.manufacturer }
        _modify {
            makeUnique()
            yield &storage.fields.manufacturer
        }
    }

    public var model: String? {
        get { storage.fields.model }
        _modify {
            makeUnique()
            yield &storage.fields.model
        }
    }

    public var builder: String? {
        get { storage.fields.builder }
        _modify {
            makeUnique()
            yield &storage.fields.builder
        }
    }

    public var maintainer: String? {
        get { storage.fields.maintainer }
        _modify {
            makeUnique()
            yield &storage.fields.maintainer
        }
    }

    /// The maintainer's phone (运维电话), who a work order calls; masked in output like an owner's phone.
    public var maintainerPhone: String? {
        get { storage.fields.maintainerPhone }
        _modify {
            makeUnique()
            yield &storage.fields.maintainerPhone
        }
    }

    public var installedOn: CalendarDate? {
        get { storage.fields.installedOn }
        _modify {
            makeUnique()
            yield &storage.fields.installedOn
        }
    }

    public var covers: [String] {
        get { storage.fields.covers }
        _modify {
            makeUnique()
            yield &storage.fields.covers
        }
    }

    public var parent: String? {
        get { storage.fields.parent }
        _modify {
            makeUnique()
            yield &storage.fields.parent
        }
    }

    public var tags: [String] {
        get { storage.fields.tags }
        _modify {
            makeUnique()
            yield &storage.fields.tags
        }
    }

    public var endpoints: CameraEndpoints {
        get { storage.fields.endpoints }
        _modify {
            makeUnique()
            yield &storage.fields.endpoints
        }
    }

    /// The name of a credential profile in the credentials file; never the secret itself.
    public var credential: String? {
        get { storage.fields.credential }
        _modify {
            makeUnique()
            yield &storage.fields.credential
        }
    }

    /// TLS certificates are verified unless the record opts out (cameras with self-signed certificates).
    public var verifyTLS: Bool {
        get { storage.fields.verifyTLS }
        _modify {
            makeUnique()
            yield &storage.fields.verifyTLS
        }
    }

    public var citizen: CitizenDetails {
        get { storage.fields.citizen.first ?? CitizenDetails() }
        _modify {
            makeUnique()
            var details = storage.fields.citizen.first ?? CitizenDetails()
            defer { storage.fields.citizen = details.isEmpty ? [] : [details] }
            yield &details
        }
    }

    public init(id: String, name: String, village: VillageCode, source: CameraSource? = nil, status: CameraStatus? = nil) {
        storage = Storage(Fields(id: id, name: name, village: village, source: source, status: status, latitude: nil, longitude: nil,
                                 address: nil, direction: nil, positionType: nil, station: nil, manufacturer: nil, model: nil,
                                 builder: nil, maintainer: nil, maintainerPhone: nil, installedOn: nil, covers: [], parent: nil, tags: [],
                                 endpoints: CameraEndpoints(), credential: nil, verifyTLS: true, citizen: []))
    }

    /// The parsed device code, when `id` is a valid one.
    public var deviceCode: DeviceCode? { try? DeviceCode.parse(id).get() }

    /// Recorders (DVR/NVR/HVR) hold channels; they are probed but not counted as cameras.
    public var isRecorder: Bool { DeviceCode.isRecorder(id: id) }

    /// An active camera, not a recorder: what the figures count as a registered camera (docs/figures.md).
    public var isActiveCamera: Bool { status == .active && !isRecorder }
}
