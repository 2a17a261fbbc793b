import CameraFleet
import Glibc

/// A fleet started for one test on ephemeral ports.
struct RunningFleet {
    let fleet: CameraFleet
    let httpPort: UInt16
    let rtspPort: UInt16

    func http(_ host: String, receiveTimeoutMilliseconds: Int = 5000) throws -> TestSocket {
        try TestSocket(host, port: httpPort, receiveTimeoutMilliseconds: receiveTimeoutMilliseconds)
    }

    func rtsp(_ host: String, receiveTimeoutMilliseconds: Int = 5000) throws -> TestSocket {
        try TestSocket(host, port: rtspPort, receiveTimeoutMilliseconds: receiveTimeoutMilliseconds)
    }

    /// One HTTP request on a fresh connection, answered and read in full, up to the fleet's close
    /// (so that the fleet's statistics already count the connection as closed).
    func get(_ host: String, _ path: String, headers: [String] = []) throws -> TestResponse {
        let socket = try http(host)
        try socket.send(Requests.http("GET", path, host: host, headers: headers))
        let response = try socket.readResponse()
        let rest = socket.readToEnd()
        guard rest.bytes.isEmpty, rest.ending == .endOfStream else {
            throw TestSocketError.malformedResponse("\(rest.bytes.count) bytes after the response, then \(rest.ending)")
        }
        return response
    }
}

/// Starts a fleet, runs `body`, and stops the fleet whatever happens.
func withFleet<Result>(_ configuration: FleetConfiguration = FleetConfiguration(), _ body: (RunningFleet) throws -> Result) throws -> Result {
    let fleet = try CameraFleet(configuration: configuration)
    let ports = try fleet.start()
    defer { fleet.stop() }
    return try body(RunningFleet(fleet: fleet, httpPort: ports.httpPort, rtspPort: ports.rtspPort))
}

/// Starts a fleet where the camera at `host` has `behaviour` and every other address is healthy.
func withCamera<Result>(_ behaviour: CameraBehaviour, at host: String, _ body: (RunningFleet) throws -> Result) throws -> Result {
    let address = FleetAddress.parse(host)!
    return try withFleet(FleetConfiguration(behaviours: [address: behaviour]), body)
}

/// Request texts as clients send them.
enum Requests {
    static func http(_ method: String, _ path: String, host: String, headers: [String] = [], body: String = "", close: Bool = true) -> String {
        var lines = ["\(method) \(path) HTTP/1.1", "Host: \(host)", "User-Agent: camera-fleet-tests"]
        if close { lines.append("Connection: close") }
        lines += headers
        if !body.isEmpty { lines.append("Content-Length: \(body.utf8.count)") }
        return lines.joined(separator: "\r\n") + "\r\n\r\n" + body
    }

    static func rtsp(_ method: String, _ url: String, cSeq: Int, headers: [String] = []) -> String {
        let lines = ["\(method) \(url) RTSP/1.0", "CSeq: \(cSeq)", "User-Agent: camera-fleet-tests"] + headers
        return lines.joined(separator: "\r\n") + "\r\n\r\n"
    }

    static let getSystemDateAndTime = """
        <?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">\
        <s:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>
        """
}

/// Seconds since the epoch of an RFC 1123 date such as `Tue, 24 Nov 2026 06:23:15 GMT`.
func secondsSinceEpoch(httpDate text: String) -> Int? {
    let fields = text.split(separator: " ")
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    guard fields.count == 6, fields[5] == "GMT", let day = Int(fields[1]), let year = Int(fields[3]),
          let monthIndex = months.firstIndex(of: String(fields[2]))
    else { return nil }
    let clock = fields[4].split(separator: ":").compactMap { Int($0) }
    guard clock.count == 3 else { return nil }
    return secondsSinceEpoch(year: year, month: monthIndex + 1, day: day) + clock[0] * 3600 + clock[1] * 60 + clock[2]
}

/// Seconds since the epoch of midnight UTC on a civil date (Howard Hinnant's days_from_civil).
func secondsSinceEpoch(year: Int, month: Int, day: Int) -> Int {
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return (era * 146_097 + dayOfEra - 719_468) * 86_400
}

func nowSeconds() -> Int { Int(time(nil)) }

/// The markers of a JPEG in order, walking segment lengths up to SOS and scanning the entropy-coded data
/// for the next marker after it; also the SOF0 frame size. Nil if the structure is broken.
func jpegStructure(_ bytes: [UInt8]) -> (markers: [UInt8], width: Int, height: Int)? {
    guard bytes.count > 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
    var markers: [UInt8] = [0xD8]
    var width = 0
    var height = 0
    var index = 2
    while index + 2 <= bytes.count {
        guard bytes[index] == 0xFF else { return nil }
        let marker = bytes[index + 1]
        markers.append(marker)
        if marker == 0xD9 { return (markers, width, height) }
        guard index + 4 <= bytes.count else { break }
        let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
        if marker == 0xC0, index + 9 <= bytes.count {
            height = Int(bytes[index + 5]) << 8 | Int(bytes[index + 6])
            width = Int(bytes[index + 7]) << 8 | Int(bytes[index + 8])
        }
        index += 2 + length
        if marker == 0xDA {
            // Entropy-coded data: 0xFF is followed by 0x00 (stuffing) or a restart marker, except at EOI.
            while index + 1 < bytes.count, !(bytes[index] == 0xFF && bytes[index + 1] != 0x00 && !(0xD0...0xD7).contains(bytes[index + 1])) {
                index += 1
            }
        }
    }
    return (markers, width, height)
}
