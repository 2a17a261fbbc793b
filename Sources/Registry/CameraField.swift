import Localization
import Foundation

/// Every field of a camera record but its id and village, in the canonical order files are written in.
///
/// One table drives the inventory file format, the CSV import headers and the `register`/`update`
/// flags, so a field is named the same way everywhere.
public enum CameraField: Int, CaseIterable, Sendable {
    case name, source, status
    case latitude, longitude, address, direction, positionType
    case station, manufacturer, model, builder, maintainer, maintainerPhone, installedOn
    case covers, parent, tags
    case rtsp, rtspSub, snapshot, hls, onvif, tcp, credential, verifyTLS
    case owner, phone, consentScope, consentUntil, reviewer, reviewedOn, viewClear, signage

    /// The key in inventory files, the English CSV header, and (with `-` for `_`) the CLI flag.
    public var key: String {
        switch self {
        case .name: "name"
        case .source: "source"
        case .status: "status"
        case .latitude: "latitude"
        case .longitude: "longitude"
        case .address: "address"
        case .direction: "direction"
        case .positionType: "position_type"
        case .station: "station"
        case .manufacturer: "manufacturer"
        case .model: "model"
        case .builder: "builder"
        case .maintainer: "maintainer"
        case .maintainerPhone: "maintainer_phone"
        case .installedOn: "installed"
        case .covers: "covers"
        case .parent: "parent"
        case .tags: "tags"
        case .rtsp: "rtsp"
        case .rtspSub: "rtsp_sub"
        case .snapshot: "snapshot"
        case .hls: "hls"
        case .onvif: "onvif"
        case .tcp: "tcp"
        case .credential: "credential"
        case .verifyTLS: "tls_verify"
        case .owner: "owner"
        case .phone: "phone"
        case .consentScope: "consent_scope"
        case .consentUntil: "consent_until"
        case .reviewer: "reviewer"
        case .reviewedOn: "reviewed_on"
        case .viewClear: "view_clear"
        case .signage: "signage"
        }
    }

    /// The Chinese CSV header staff spreadsheets use.
    public var chineseHeader: String {
        switch self {
        case .name: "点位名称"
        case .source: "来源"
        case .status: "状态"
        case .latitude: "纬度"
        case .longitude: "经度"
        case .address: "地址"
        case .direction: "监视方位"
        case .positionType: "点位类型"
        case .station: "派出所"
        case .manufacturer: "厂商"
        case .model: "型号"
        case .builder: "建设单位"
        case .maintainer: "运维单位"
        case .maintainerPhone: "运维电话"
        case .installedOn: "安装日期"
        case .covers: "覆盖点位"
        case .parent: "上级设备"
        case .tags: "标签"
        case .rtsp: "rtsp"
        case .rtspSub: "rtsp子码流"
        case .snapshot: "snapshot"
        case .hls: "hls"
        case .onvif: "onvif"
        case .tcp: "tcp"
        case .credential: "凭据"
        case .verifyTLS: "证书校验"
        case .owner: "机主"
        case .phone: "电话"
        case .consentScope: "授权范围"
        case .consentUntil: "授权截止"
        case .reviewer: "审核人"
        case .reviewedOn: "审核日期"
        case .viewClear: "视野合规"
        case .signage: "标识"
        }
    }

    /// The `register`/`update` flag, e.g. `--position-type`.
    public var flag: String { "--" + key.replacingOccurrences(of: "_", with: "-") }

    /// Fields that only citizen cameras carry.
    public var isCitizenOnly: Bool { rawValue >= CameraField.owner.rawValue }

    /// Looks a field up by its file key.
    public static func forKey(_ key: String) -> CameraField? { byKey[key] }

    private static let byKey: [String: CameraField] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.key, $0) })
}

extension CameraRecord {
    /// Sets a field from its text form, as written in files, CSV cells and flags; empty text clears it.
    public mutating func set(_ field: CameraField, text rawText: some StringProtocol) throws(FieldProblem) {
        let text = String(rawText).trimmingWhitespace
        try FieldText.checkSingleLine(text)
        let value: String? = text.isEmpty ? nil : text
        switch field {
        case .name: name = text
        case .source: source = try value.map(FieldText.source)
        case .status: status = try value.map(FieldText.status)
        case .latitude: latitude = try value.map { (text: String) throws(FieldProblem) -> Double in try FieldText.coordinate(text, limit: 90) }
        case .longitude: longitude = try value.map { (text: String) throws(FieldProblem) -> Double in try FieldText.coordinate(text, limit: 180) }
        case .address: address = value
        case .direction: direction = try value.map(FieldText.direction)
        case .positionType: positionType = try value.map(FieldText.positionType)
        case .station: station = value
        case .manufacturer: manufacturer = value
        case .model: model = value
        case .builder: builder = value
        case .maintainer: maintainer = value
        case .maintainerPhone: maintainerPhone = value.map(FieldText.phone)
        case .installedOn: installedOn = try value.map(FieldText.date)
        case .covers: covers = FieldText.list(text)
        case .parent: parent = value
        case .tags: tags = FieldText.list(text)
        case .rtsp: endpoints.rtsp = value
        case .rtspSub: endpoints.rtspSub = value
        case .snapshot: endpoints.snapshot = value
        case .hls: endpoints.hls = value
        case .onvif: endpoints.onvif = value
        case .tcp: endpoints.tcp = value
        case .credential: credential = value
        case .verifyTLS: verifyTLS = try value.map(FieldText.boolean) ?? true
        case .owner: citizen.owner = value
        case .phone: citizen.phone = value.map(FieldText.phone)
        case .consentScope: citizen.consentScope = try FieldText.list(text).map(FieldText.consentScope).sortedUnique
        case .consentUntil: citizen.consentUntil = try value.map(FieldText.date)
        case .reviewer: citizen.reviewer = value
        case .reviewedOn: citizen.reviewedOn = try value.map(FieldText.date)
        case .viewClear: citizen.viewClear = try value.map(FieldText.boolean)
        case .signage: citizen.signage = try value.map(FieldText.boolean)
        }
    }

    /// Whether a field holds a value, without formatting it.
    public func hasValue(_ field: CameraField) -> Bool {
        switch field {
        case .latitude: latitude != nil
        case .longitude: longitude != nil
        case .installedOn: installedOn != nil
        case .positionType: positionType != nil
        default: text(of: field) != nil
        }
    }

    /// The text form of a field, as files store it; nil when the field is empty.
    public func text(of field: CameraField) -> String? {
        switch field {
        case .name: name.isEmpty ? nil : name
        case .source: source?.rawValue
        case .status: status?.rawValue
        case .latitude: latitude.map(FieldText.coordinateText)
        case .longitude: longitude.map(FieldText.coordinateText)
        case .address: address
        case .direction: direction?.rawValue
        case .positionType: positionType.map(String.init)
        case .station: station
        case .manufacturer: manufacturer
        case .model: model
        case .builder: builder
        case .maintainer: maintainer
        case .maintainerPhone: maintainerPhone
        case .installedOn: installedOn?.description
        case .covers: covers.isEmpty ? nil : covers.joined(separator: ", ")
        case .parent: parent
        case .tags: tags.isEmpty ? nil : tags.joined(separator: ", ")
        case .rtsp: endpoints.rtsp
        case .rtspSub: endpoints.rtspSub
        case .snapshot: endpoints.snapshot
        case .hls: endpoints.hls
        case .onvif: endpoints.onvif
        case .tcp: endpoints.tcp
        case .credential: credential
        case .verifyTLS: verifyTLS ? nil : "no"
        case .owner: citizen.owner
        case .phone: citizen.phone
        case .consentScope: citizen.consentScope.isEmpty ? nil : citizen.consentScope.map(\.rawValue).joined(separator: ", ")
        case .consentUntil: citizen.consentUntil?.description
        case .reviewer: citizen.reviewer
        case .reviewedOn: citizen.reviewedOn?.description
        case .viewClear: citizen.viewClear.map { $0 ? "yes" : "no" }
        case .signage: citizen.signage.map { $0 ? "yes" : "no" }
        }
    }
}

/// Parsing of field text shared by files, CSV cells and flags.
enum FieldText {
    static func checkSingleLine(_ text: String) throws(FieldProblem) {
        let isControl: (UInt8) -> Bool = { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F }
        let hasControl = text.utf8.withContiguousStorageIfAvailable { $0.contains(where: isControl) } ?? text.utf8.contains(where: isControl)
        if hasControl {
            throw FieldProblem("contains a line break or control character")
        }
        if text.utf8.count > 1024 {
            throw FieldProblem("is \(text.utf8.count) bytes long; at most 1024 are allowed")
        }
    }

    static func source(_ text: String) throws(FieldProblem) -> CameraSource {
        guard let source = Spellings.lookUp(text, in: Spellings.source) else {
            throw FieldProblem("'\(text.clipped)' is not a source; use public (公共) or citizen (社会)")
        }
        return source
    }

    static func status(_ text: String) throws(FieldProblem) -> CameraStatus {
        guard let status = Spellings.lookUp(text, in: Spellings.status) else {
            throw FieldProblem("'\(text.clipped)' is not a status; use pending, active or retired")
        }
        return status
    }

    static func coordinate(_ text: String, limit: Double) throws(FieldProblem) -> Double {
        guard let value = DecimalNumber.parse(text) else { throw FieldProblem("'\(text.clipped)' is not a number (decimal degrees, like 22.815)") }
        guard (-limit...limit).contains(value) else {
            throw FieldProblem("\(text) is outside -\(Int(limit))...\(Int(limit)) (WGS-84 degrees)")
        }
        // Kept at the six decimals files are written with, so that what was read is what a write writes back
        // (and re-importing 22.1234567 finds the record unchanged).
        return (value * 1_000_000).rounded() / 1_000_000
    }

    static func coordinateText(_ value: Double) -> String {
        // Six decimals is 0.1 m: enough for a camera, and stable across writes.
        var text = String(format6: value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func direction(_ text: String) throws(FieldProblem) -> Direction {
        guard let direction = Direction(text: text) else {
            throw FieldProblem("'\(text.clipped)' is not a direction; use east…southwest, 1-8 or 东/西/南/北/东北/西北/东南/西南")
        }
        return direction
    }

    static func positionType(_ text: String) throws(FieldProblem) -> Int {
        guard text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(text), (1...10).contains(value) else {
            throw FieldProblem("'\(text.clipped)' is not a GB/T 28181 position type 1-10")
        }
        return value
    }

    static func date(_ text: String) throws(FieldProblem) -> CalendarDate {
        try CalendarDate.spreadsheet(text)
    }

    static func boolean(_ text: String) throws(FieldProblem) -> Bool {
        guard let value = Spellings.lookUp(text, in: Spellings.boolean) else { throw FieldProblem("'\(text.clipped)' is not yes or no") }
        return value
    }

    static func consentScope(_ text: String) throws(FieldProblem) -> ConsentScope {
        guard let scope = Spellings.lookUp(text, in: Spellings.consentScope) else {
            throw FieldProblem("'\(text.clipped)' is not a consent scope; use live and/or playback")
        }
        return scope
    }

    /// A phone number in the registry's one form (`PhoneNumber.canonical`); text that is not one is kept as
    /// it is, for validation to refuse with the field's place.
    static func phone(_ text: String) -> String { PhoneNumber.canonical(text) ?? text }

    /// Splits a list written with `,` or `;` (also full-width `，` `；`).
    static func list(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "，" || $0 == "；" })
            .map { String($0).trimmingWhitespace }
            .filter { !$0.isEmpty }
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and full-width spaces.
    var trimmingWhitespace: String {
        // Fast path on bytes (most values need no trimming): space, tab, CR, LF, or the last byte of U+3000.
        let utf8 = self.utf8
        guard let firstByte = utf8.first, let lastByte = utf8.last else { return self }
        let edge: (UInt8) -> Bool = { $0 == 32 || $0 == 9 || $0 == 13 || $0 == 10 || $0 == 0xE3 || $0 == 0x80 }
        if !edge(firstByte) && !edge(lastByte) { return self }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{3000}" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }

    init(format6 value: Double) {
        let scaled = (value * 1_000_000).rounded()
        let negative = scaled < 0
        let magnitude = Int64(abs(scaled))
        let whole = magnitude / 1_000_000
        let fraction = String(magnitude % 1_000_000)
        self = (negative ? "-" : "") + "\(whole)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}

extension Array where Element: Comparable {
    var sortedUnique: [Element] {
        var result: [Element] = []
        for element in sorted() where result.last != element { result.append(element) }
        return result
    }
}
