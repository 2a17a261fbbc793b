import Foundation
import Registry

/// Dates as HTTP and RTSP `Date` headers carry them, read to learn how far a camera's clock is off.
///
/// Accepts the three forms RFC 9110 section 5.6.7 lists:
/// - IMF-fixdate (RFC 1123): `Tue, 24 Nov 2026 06:21:35 GMT`
/// - RFC 850: `Tuesday, 24-Nov-26 06:21:35 GMT`
/// - asctime: `Tue Nov 24 06:21:35 2026`
///
/// plus a numeric zone (`+0800`) in place of `GMT`, which some camera firmware writes. Pure functions
/// on text; no locale, no Foundation date formatter.
public enum HTTPDate {
    /// Seconds since 1970-01-01 00:00:00 UTC, or nil when `text` is not a date in one of the forms above.
    public static func secondsSinceEpoch(_ text: String) -> Int? {
        if let seconds = imfFixdate(text) { return seconds }
        var day: Int?
        var month: Int?
        var year: Int?
        var time: (hour: Int, minute: Int, second: Int)?
        var zoneOffsetSeconds = 0

        for token in tokens(of: text) {
            guard let first = token.first else { continue }
            if token.contains(58) { // ':'
                guard time == nil, let parsed = timeOfDay(token) else { return nil }
                time = parsed
            } else if isDigit(first) {
                guard let number = number(token[...]) else { return nil }
                if token.count == 4, year == nil {
                    year = number
                } else if token.count <= 2, day == nil {
                    day = number
                } else if token.count == 2, year == nil {
                    // RFC 850's two-digit year. Cameras were not made before 1970.
                    year = number < 70 ? 2000 + number : 1900 + number
                } else {
                    return nil
                }
            } else if first == 43 || first == 45 { // '+' or '-': a numeric zone such as +0800
                guard token.count == 5, let digits = number(token[1...]) else { return nil }
                let offset = (digits / 100) * 3600 + (digits % 100) * 60
                zoneOffsetSeconds = first == 43 ? offset : -offset
            } else {
                let word = String(decoding: token, as: UTF8.self).lowercased()
                if let index = monthNames.firstIndex(of: word) {
                    guard month == nil else { return nil }
                    month = index + 1
                } else if weekdayNames.contains(word) {
                    continue
                } else if ["gmt", "utc", "ut", "z"].contains(word) {
                    continue
                } else {
                    // A named zone other than GMT (CST is both China's and America's): better no
                    // offset than a wrong one.
                    return nil
                }
            }
        }
        guard let day, let month, let year, let time,
              let date = CalendarDate(year: year, month: month, day: day) else { return nil }
        return date.daysSinceEpoch * 86_400 + time.hour * 3_600 + time.minute * 60 + time.second - zoneOffsetSeconds
    }

    /// The common form, `Tue, 24 Nov 2026 06:21:35 GMT`, read by position without allocating (every
    /// snapshot and RTSP reply of a sweep has one); nil for anything else, which the general reader takes.
    static func imfFixdate(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { bytes -> Int? in
            guard bytes.count == 29, bytes[3] == 44, bytes[4] == 32, bytes[7] == 32, bytes[11] == 32, bytes[16] == 32,
                  bytes[19] == 58, bytes[22] == 58, bytes[25] == 32, bytes[26] == 71, bytes[27] == 77, bytes[28] == 84 else { return nil }
            func digits(_ start: Int, _ count: Int) -> Int? {
                var value = 0
                for index in start..<(start + count) {
                    let byte = bytes[index]
                    guard byte >= 48 && byte <= 57 else { return nil }
                    value = value * 10 + Int(byte - 48)
                }
                return value
            }
            // Month names by their three bytes, case-insensitively.
            func key(_ start: Int) -> UInt32 {
                (UInt32(bytes[start] | 0x20) << 16) | (UInt32(bytes[start + 1] | 0x20) << 8) | UInt32(bytes[start + 2] | 0x20)
            }
            // The weekday must be one, as the general reader insists; its value is not checked against the date.
            guard weekdayKeys.contains(key(0)), let monthIndex = monthKeys.firstIndex(of: key(8)), let day = digits(5, 2), let year = digits(12, 4),
                  let hour = digits(17, 2), let minute = digits(20, 2), let second = digits(23, 2),
                  let date = CalendarDate(year: year, month: monthIndex + 1, day: day), hour < 24, minute < 60, second < 61 else { return nil }
            return date.daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60 + second
        }
    }

    private static let monthKeys: [UInt32] = monthNames.map(threeLetterKey)
    private static let weekdayKeys: Set<UInt32> = Set(weekdayNames.filter { $0.count == 3 }.map(threeLetterKey))

    private static func threeLetterKey(_ name: String) -> UInt32 { name.utf8.reduce(UInt32(0)) { ($0 << 8) | UInt32($1) } }

    /// The sender's clock minus ours, in seconds: `Date` header minus `now` (seconds since 1970 on our
    /// clock, taken when the reply arrived). Nil when there is no header or it cannot be read.
    ///
    /// A `Date` header has whole seconds, so the offset is only good to about one second.
    public static func clockOffsetSeconds(dateHeader: String?, now: Double) -> Double? {
        guard let dateHeader, let seconds = secondsSinceEpoch(dateHeader) else { return nil }
        return Double(seconds) - now
    }

    private static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let weekdayNames: Set<String> = [
        "mon", "tue", "wed", "thu", "fri", "sat", "sun",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    ]

    /// The text split on spaces and commas, and `24-Nov-26` split on its hyphens (but not `-0800`).
    private static func tokens(of text: String) -> [[UInt8]] {
        var tokens: [[UInt8]] = []
        for piece in text.utf8.split(whereSeparator: { $0 == 32 || $0 == 44 || $0 == 9 }) {
            if let first = piece.first, isDigit(first), piece.contains(45) {
                tokens.append(contentsOf: piece.split(separator: 45).map { Array($0) })
            } else {
                tokens.append(Array(piece))
            }
        }
        return tokens
    }

    private static func timeOfDay(_ token: [UInt8]) -> (hour: Int, minute: Int, second: Int)? {
        let parts = token.split(separator: 58, omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ (1...2).contains($0.count) }),
              let hour = number(parts[0]), let minute = number(parts[1]), let second = number(parts[2]),
              hour < 24, minute < 60, second <= 60 else { return nil }
        return (hour, minute, second)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 9, bytes.allSatisfy(isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 48) }
    }
}

/// This machine's clock as the probers read it; a prober takes the reading as a function so that tests
/// can pin "now".
public enum UnixTime {
    /// Seconds since 1970-01-01 00:00:00 UTC.
    public static func now() -> Double { Date().timeIntervalSince1970 }
}
