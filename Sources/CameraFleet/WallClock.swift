import Glibc

/// Calendar fields of a UTC instant.
struct UTCTime {
    var year: Int
    var month: Int  // 1...12
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    var weekday: Int  // 0 = Sunday

    init(secondsSinceEpoch: Int) {
        var seconds = time_t(secondsSinceEpoch)
        var fields = tm()
        gmtime_r(&seconds, &fields)
        year = Int(fields.tm_year) + 1900
        month = Int(fields.tm_mon) + 1
        day = Int(fields.tm_mday)
        hour = Int(fields.tm_hour)
        minute = Int(fields.tm_min)
        second = Int(fields.tm_sec)
        weekday = Int(fields.tm_wday)
    }
}

/// Writes `Date:` header lines (RFC 1123, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`). The unskewed line is
/// formatted at most once a second and copied from then on, since nearly every response carries it.
struct WallClock {
    private var cachedSecond = Int.min
    private var cachedLine: [UInt8] = []

    /// Seconds since the epoch, now.
    func now() -> Int {
        Int(time(nil))
    }

    /// Appends `Date: <now + offset>\r\n`.
    mutating func appendDateHeader(offsetSeconds: Int, to output: inout OutputBuffer) {
        let instant = now() + offsetSeconds
        if offsetSeconds != 0 {
            Self.appendLine(for: instant, to: &output)
            return
        }
        if instant != cachedSecond {
            var line = OutputBuffer(capacity: 40)
            Self.appendLine(for: instant, to: &line)
            cachedLine = line.bytes
            cachedSecond = instant
        }
        output.append(contentsOf: cachedLine)
    }

    private static func appendLine(for instant: Int, to output: inout OutputBuffer) {
        let time = UTCTime(secondsSinceEpoch: instant)
        let weekdays: StaticString = "SunMonTueWedThuFriSat"
        let months: StaticString = "JanFebMarAprMayJunJulAugSepOctNovDec"
        output.append("Date: ")
        weekdays.withUTF8Buffer { output.append(contentsOf: $0[(time.weekday * 3)..<(time.weekday * 3 + 3)]) }
        output.append(", ")
        output.append(decimal: time.day, width: 2)
        output.append(" ")
        months.withUTF8Buffer { output.append(contentsOf: $0[((time.month - 1) * 3)..<(time.month * 3)]) }
        output.append(" ")
        output.append(decimal: time.year, width: 4)
        output.append(" ")
        output.append(decimal: time.hour, width: 2)
        output.append(":")
        output.append(decimal: time.minute, width: 2)
        output.append(":")
        output.append(decimal: time.second, width: 2)
        output.append(" GMT\r\n")
    }
}
