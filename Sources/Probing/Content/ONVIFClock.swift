import Registry

/// A camera's UTC clock as ONVIF's `GetSystemDateAndTime` reports it.
public struct ONVIFDateTime: Sendable, Equatable, CustomStringConvertible {
    // The six fields as the reply gives them, in UTC; not checked until `secondsSinceEpoch`.
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Seconds since 1970-01-01 00:00:00 UTC; nil when the fields are not a real date and time.
    public var secondsSinceEpoch: Int? {
        guard let date = CalendarDate(year: year, month: month, day: day),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        return date.daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60 + second
    }

    /// `2026-11-24 06:21:35`, zero-padded whatever the camera sent.
    public var description: String {
        func two(_ value: Int) -> String { value >= 0 && value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(hour)):\(two(minute)):\(two(second))"
    }
}

/// The ONVIF device service's clock call: the request to send and a reader for the reply.
///
/// The reply is read with a few-line tag scanner instead of an XML parser: only six numbers are needed,
/// and cameras disagree on namespace prefixes (`tt:Year`, `Year`, `ns2:Year`), which the scanner
/// ignores by matching local names.
public enum ONVIFClock {
    /// The device service's WSDL namespace.
    public static let deviceNamespace = "http://www.onvif.org/ver10/device/wsdl"
    /// The SOAP action of the call.
    public static let action = deviceNamespace + "/GetSystemDateAndTime"
    /// SOAP 1.2 names the action in the content type (there is no SOAPAction header in 1.2).
    public static let contentType = "application/soap+xml; charset=utf-8; action=\"\(action)\""

    /// A SOAP 1.2 envelope asking for the clock. It carries no WS-Security header: the ONVIF core
    /// specification lets anyone call GetSystemDateAndTime, so that a client can learn the clock it
    /// needs for authenticating other calls.
    public static let requestBody: [UInt8] = Array("""
        <?xml version="1.0" encoding="UTF-8"?>\
        <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">\
        <s:Body><GetSystemDateAndTime xmlns="\(deviceNamespace)"/></s:Body>\
        </s:Envelope>
        """.utf8)

    /// Why a reply gave no clock.
    public struct Problem: Error, Sendable, Equatable {
        /// A short sentence, e.g. `no UTCDateTime in reply`.
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    /// The camera's UTC date and time from a GetSystemDateAndTimeResponse: the `Date` (`Year`, `Month`,
    /// `Day`) and `Time` (`Hour`, `Minute`, `Second`) inside `UTCDateTime`, with any namespace prefix.
    /// `LocalDateTime`, which has the same fields, is not read.
    public static func utcDateTime(in reply: [UInt8]) -> Result<ONVIFDateTime, Problem> {
        guard let utc = elementContent(named: "UTCDateTime", in: reply[...]) else {
            if let fault = faultReason(in: reply) { return .failure(Problem("no UTCDateTime in reply (SOAP fault: \(fault))")) }
            return .failure(Problem("no UTCDateTime in reply"))
        }
        let date = elementContent(named: "Date", in: utc)
        let time = elementContent(named: "Time", in: utc)
        var values: [Int] = []
        for (parent, name) in [(date, "Year"), (date, "Month"), (date, "Day"), (time, "Hour"), (time, "Minute"), (time, "Second")] {
            guard let parent, let content = elementContent(named: name, in: parent), let value = integer(content) else {
                return .failure(Problem("UTCDateTime in reply has no readable \(name)"))
            }
            values.append(value)
        }
        let reading = ONVIFDateTime(year: values[0], month: values[1], day: values[2], hour: values[3], minute: values[4], second: values[5])
        guard reading.secondsSinceEpoch != nil else {
            return .failure(Problem("UTCDateTime in reply is not a valid date and time (\(reading.description))"))
        }
        return .success(reading)
    }

    /// The text of a SOAP fault's reason (SOAP 1.2 `Reason/Text`, SOAP 1.1 `faultstring`), if the body is one.
    public static func faultReason(in reply: [UInt8]) -> String? {
        guard let fault = elementContent(named: "Fault", in: reply[...]) else { return nil }
        let reason = elementContent(named: "Reason", in: fault).flatMap { elementContent(named: "Text", in: $0) }
            ?? elementContent(named: "faultstring", in: fault)
        guard let reason else { return "no reason given" }
        let text = String(decoding: reason, as: UTF8.self).trimmingBlanks()
        return text.isEmpty ? "no reason given" : String(text.prefix(120))
    }

    /// The bytes between the start and end tags of the first element whose local name is `name`
    /// (whatever its prefix); empty for `<name/>`. Nil when there is no such element or it is not closed.
    static func elementContent(named name: String, in bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        let wanted = Array(name.utf8)
        var index = bytes.startIndex
        while let open = bytes[index...].firstIndex(of: 60) { // '<'
            index = open + 1
            guard index < bytes.endIndex else { return nil }
            let isClosing = bytes[index] == 47 // '/'
            let nameStart = isClosing ? index + 1 : index
            var nameEnd = nameStart
            while nameEnd < bytes.endIndex, !isNameTerminator(bytes[nameEnd]) { nameEnd += 1 }
            guard !isClosing, localName(bytes[nameStart..<nameEnd]).elementsEqual(wanted) else { continue }
            guard let tagEnd = bytes[nameEnd...].firstIndex(of: 62) else { return nil } // '>'
            if bytes[tagEnd - 1] == 47 { return bytes[tagEnd..<tagEnd] } // <name/>
            let contentStart = tagEnd + 1
            // The first closing tag with the same local name ends it: these elements do not nest.
            var search = contentStart
            while let closeOpen = bytes[search...].firstIndex(of: 60) {
                search = closeOpen + 1
                guard search < bytes.endIndex, bytes[search] == 47 else { continue }
                var closeEnd = search + 1
                while closeEnd < bytes.endIndex, !isNameTerminator(bytes[closeEnd]) { closeEnd += 1 }
                if localName(bytes[(search + 1)..<closeEnd]).elementsEqual(wanted) {
                    return bytes[contentStart..<closeOpen]
                }
            }
            return nil
        }
        return nil
    }

    /// The part of a qualified name after its last colon.
    private static func localName(_ qualified: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let colon = qualified.lastIndex(of: 58) else { return qualified }
        return qualified[(colon + 1)...]
    }

    private static func isNameTerminator(_ byte: UInt8) -> Bool {
        byte == 62 || byte == 47 || byte == 32 || byte == 9 || byte == 10 || byte == 13 // > / space tab LF CR
    }

    private static func integer(_ bytes: ArraySlice<UInt8>) -> Int? {
        let digits = bytes.drop { isBlank($0) }.reversed().drop { isBlank($0) }.reversed()
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }

    /// How far the camera's clock is off, as a sentence: `camera clock is 300 s ahead`.
    public static func describeOffset(_ offsetSeconds: Double) -> String {
        let seconds = Int(offsetSeconds.magnitude.rounded())
        guard seconds > 0 else { return "camera clock agrees with ours" }
        let direction = offsetSeconds > 0 ? "ahead" : "behind"
        // A camera that lost its clock on a power cut reports 1970 or 2000: say so in days too.
        let days = seconds / 86_400
        return "camera clock is \(seconds) s \(direction)" + (days >= 2 ? " (about \(days) days)" : "")
    }
}

extension String {
    fileprivate func trimmingBlanks() -> String {
        let scalars = unicodeScalars.drop { $0.properties.isWhitespace }.reversed().drop { $0.properties.isWhitespace }.reversed()
        return String(String.UnicodeScalarView(scalars))
    }
}
