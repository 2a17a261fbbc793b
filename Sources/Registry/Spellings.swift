/// The ways staff spreadsheets write each kind of value, one table per kind. The parsers read these tables,
/// and docs/inventory-format.md lists them in its "Accepted spellings" tables, which a test reads back and
/// feeds to the parsers: a spelling is accepted exactly when it is documented.
///
/// Spellings are matched ignoring case and surrounding spaces.
public enum Spellings {
    /// `source`: who built the camera.
    public static let source: [(spelling: String, value: CameraSource)] = [
        ("public", .public), ("公共", .public), ("雪亮", .public), ("雪亮工程", .public),
        ("citizen", .citizen), ("社会", .citizen), ("守望", .citizen),
    ]

    /// `status`: where the record stands.
    public static let status: [(spelling: String, value: CameraStatus)] = [
        ("pending", .pending), ("待审核", .pending),
        ("active", .active), ("在用", .active), ("启用", .active),
        ("retired", .retired), ("停用", .retired), ("退役", .retired),
    ]

    /// A village's `kind`: 村 or 社区, also written as the committee that runs it.
    public static let villageKind: [(spelling: String, value: VillageKind)] = [
        ("village", .village), ("村", .village), ("行政村", .village), ("村委会", .village), ("村民委员会", .village),
        ("community", .community), ("社区", .community), ("居委会", .community), ("社区居委会", .community), ("居民委员会", .community),
    ]

    /// `direction` (监视方位): the English word, GB/T 28181's number, or the Chinese.
    public static let direction: [(spelling: String, value: Direction)] = [
        ("east", .east), ("1", .east), ("东", .east),
        ("west", .west), ("2", .west), ("西", .west),
        ("south", .south), ("3", .south), ("南", .south),
        ("north", .north), ("4", .north), ("北", .north),
        ("northeast", .northeast), ("5", .northeast), ("东北", .northeast),
        ("northwest", .northwest), ("6", .northwest), ("西北", .northwest),
        ("southeast", .southeast), ("7", .southeast), ("东南", .southeast),
        ("southwest", .southwest), ("8", .southwest), ("西南", .southwest),
    ]

    /// Yes/no fields (`tls_verify`, `view_clear`, `signage`).
    public static let boolean: [(spelling: String, value: Bool)] = [
        ("yes", true), ("y", true), ("true", true), ("1", true), ("是", true), ("有", true),
        ("no", false), ("n", false), ("false", false), ("0", false), ("否", false), ("无", false),
    ]

    /// One element of `consent_scope`.
    public static let consentScope: [(spelling: String, value: ConsentScope)] = [
        ("live", .live), ("实时", .live), ("实时查看", .live),
        ("playback", .playback), ("回放", .playback), ("录像回放", .playback),
    ]

    /// The `coordinates` column; an empty cell is WGS-84.
    public static let coordinateSystem: [(spelling: String, value: CoordinateSystem)] = [
        ("wgs84", .wgs84), ("wgs-84", .wgs84), ("gps", .wgs84), ("wgs84坐标", .wgs84),
        ("gcj02", .gcj02), ("gcj-02", .gcj02), ("火星坐标", .gcj02), ("国测局坐标", .gcj02), ("高德", .gcj02), ("gcj02坐标", .gcj02),
    ]

    /// The value `text` spells in `table`, or nil.
    static func lookUp<Value>(_ text: String, in table: [(spelling: String, value: Value)]) -> Value? {
        // Most cells are spelled as the table has them: no lowercased copy for those.
        if let exact = table.first(where: { $0.spelling == text }) { return exact.value }
        let key = text.trimmingWhitespace.lowercased()
        return table.first { $0.spelling == key }?.value
    }
}

extension CalendarDate {
    /// The day a spreadsheet cell names: `2023-06-05` (also with `/` or `.`, and without leading zeros),
    /// `2023年6月5日`, `20230605`, or an Excel date number (`45082`, 1900 date system); a time of day after it
    /// (`2023-06-05 14:30`, `45082.6`) is dropped. Full-width digits are read as digits.
    static func spreadsheet(_ text: String) throws(FieldProblem) -> CalendarDate {
        // The registry's own form, which most cells have, without the copies below.
        if let date = CalendarDate(text: text) { return date }
        var characters = text.trimmingWhitespace.unicodeScalars.map { scalar -> Character in
            // Full-width digits and separators (an IME's) as their ASCII forms.
            switch scalar.value {
            case 0xFF10...0xFF19, 0xFF0D, 0xFF0E, 0xFF0F, 0xFF1A: Character(Unicode.Scalar(scalar.value - 0xFEE0)!)
            case 0x3000: " "
            default: Character(scalar)
            }
        }
        let notADate = FieldProblem("'\(text.clipped)' is not a date; write YYYY-MM-DD (also 2023/6/5, 2023年6月5日, 20230605 or an Excel date number)")
        // A time of day after the date: `2023-06-05 14:30:00`, `2023-06-05T14:30`.
        if let split = characters.firstIndex(where: { $0 == " " || $0 == "T" }) {
            let time = characters[(split + 1)...].drop { $0 == " " }
            guard isTimeOfDay(time) else { throw notADate }
            characters.removeSubrange(split...)
        }
        if characters.last == "日" || characters.last == "号" { characters.removeLast() }
        characters = characters.map { $0 == "年" || $0 == "月" ? "-" : $0 }
        let isDigit: (Character) -> Bool = { $0.isASCII && $0.isNumber }

        var parts: [Int]
        if let dot = characters.firstIndex(of: "."), dot == 5, characters.prefix(5).allSatisfy(isDigit),
           characters[(dot + 1)...].allSatisfy(isDigit) {
            // An Excel date number with a time of day as its fraction.
            return try excelSerial(Int(String(characters.prefix(5)))!, text: text)
        } else if characters.count == 5, characters.allSatisfy(isDigit) {
            return try excelSerial(Int(String(characters))!, text: text)
        } else if characters.count == 8, characters.allSatisfy(isDigit) {
            let digits = String(characters)
            parts = [Int(digits.prefix(4))!, Int(digits.dropFirst(4).prefix(2))!, Int(digits.suffix(2))!]
        } else {
            let fields = characters.split(omittingEmptySubsequences: false) { $0 == "-" || $0 == "/" || $0 == "." }
            guard fields.count == 3, fields[0].count == 4, fields[1].count <= 2, fields[2].count <= 2,
                  fields.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isDigit) }) else { throw notADate }
            parts = fields.map { Int(String($0))! }
        }
        return try checked(year: parts[0], month: parts[1], day: parts[2], text: text)
    }

    /// Excel's serial day numbers in its 1900 date system: 1 is 1900-01-01, and 60 the 1900-02-29 that never
    /// was (Lotus 1-2-3's leap-year bug, kept for compatibility), so from 61 on day N is 1899-12-30 + N.
    private static func excelSerial(_ serial: Int, text: String) throws(FieldProblem) -> CalendarDate {
        // 1899-12-30 is day -25,569 from 1970-01-01. Five digits, 10000-99999, are 1927-05-18 to 2173-10-14.
        let date = CalendarDate(daysSinceEpoch: -25_569 + serial)
        return try checked(year: date.year, month: date.month, day: date.day, text: text)
    }

    private static func checked(year: Int, month: Int, day: Int, text: String) throws(FieldProblem) -> CalendarDate {
        guard (1900...2999).contains(year) else { throw FieldProblem("'\(text.clipped)' is not a date between 1900 and 2999") }
        guard (1...12).contains(month) else { throw FieldProblem("'\(text.clipped)' is not a real date: there is no month \(month)") }
        guard let date = CalendarDate(year: year, month: month, day: day) else {
            let monthText = month < 10 ? "0\(month)" : "\(month)"
            throw FieldProblem("'\(text.clipped)' is not a real date: \(year)-\(monthText) has \(daysIn(month: month, year: year)) days")
        }
        return date
    }

    /// `14:30` or `14:30:05`.
    private static func isTimeOfDay(_ text: ArraySlice<Character>) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
            return false
        }
        let numbers = parts.map { Int(String($0))! }
        return numbers[0] < 24 && numbers[1] < 60 && (numbers.count < 3 || numbers[2] < 60)
    }
}
