/// The parts of an endpoint URL that the registry checks and the prober needs: scheme, host, port.
///
/// A small parser on purpose: it runs for every endpoint of 200,000 cameras at load.
public struct EndpointURL: Hashable, Sendable {
    public var scheme: String
    public var host: String
    public var port: Int?
    public var hasUserInfo: Bool

    /// Parses `scheme://[userinfo@]host[:port][/path]`; nil when it is not of that shape.
    public init?(_ text: String) {
        // Bytes, not Characters: this runs for every endpoint of the registry at load and validation.
        let bytes = Array(text.utf8)
        var schemeEnd = 0
        while schemeEnd < bytes.count, Self.isSchemeByte(bytes[schemeEnd]) { schemeEnd += 1 }
        guard schemeEnd > 0, schemeEnd + 3 <= bytes.count, bytes[schemeEnd] == 58, bytes[schemeEnd + 1] == 47, bytes[schemeEnd + 2] == 47 else {
            return nil
        }
        let authorityStart = schemeEnd + 3
        var authorityEnd = authorityStart
        while authorityEnd < bytes.count, bytes[authorityEnd] != 47, bytes[authorityEnd] != 63, bytes[authorityEnd] != 35 { authorityEnd += 1 }
        var hostStart = authorityStart
        var hasUserInfo = false
        if let at = bytes[authorityStart..<authorityEnd].lastIndex(of: 64) {
            hasUserInfo = true
            hostStart = at + 1
        }
        var hostEnd = authorityEnd
        var port: Int?
        if hostStart < authorityEnd, bytes[hostStart] == 91 {
            guard let close = bytes[hostStart..<authorityEnd].firstIndex(of: 93) else { return nil }
            hostEnd = close
            hostStart += 1
            if close + 1 < authorityEnd {
                guard bytes[close + 1] == 58, let number = Self.number(bytes[(close + 2)..<authorityEnd]) else { return nil }
                port = number
            }
        } else if let colon = bytes[hostStart..<authorityEnd].lastIndex(of: 58) {
            hostEnd = colon
            guard let number = Self.number(bytes[(colon + 1)..<authorityEnd]) else { return nil }
            port = number
        }
        guard hostStart < hostEnd, bytes[hostStart..<hostEnd].allSatisfy(Self.isHostByte) else { return nil }
        if let port, !(1...65535).contains(port) { return nil }
        self.scheme = String(decoding: bytes[0..<schemeEnd], as: UTF8.self).lowercased()
        self.host = String(decoding: bytes[hostStart..<hostEnd], as: UTF8.self)
        self.port = port
        self.hasUserInfo = hasUserInfo
    }

    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 43
    }

    private static func isHostByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 58) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 46 || byte == 45 || byte == 95
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 5, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    /// The port, or the scheme's default.
    public var effectivePort: Int {
        port ?? (scheme == "https" ? 443 : scheme == "rtsp" ? 554 : 80)
    }

    /// The URL without any `user:pass@`: credentials come from profiles only, never from a URL.
    public static func withoutUserInfo(_ text: String) -> String {
        // Nearly every URL has no '@' at all: a byte scan answers that without parsing (a sweep asks
        // this of every camera).
        guard text.utf8.contains(UInt8(ascii: "@")), let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return text }
        return String(text[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }

    /// The text with the `user:pass@` of every URL in it replaced by `***@`: for messages and rejected rows
    /// that quote what someone typed, where a URL may stand anywhere.
    public static func redactedEverywhere(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "@")), text.contains("://") else { return text }
        var result = ""
        var rest = Substring(text)
        while let schemeEnd = rest.range(of: "://") {
            result += rest[..<schemeEnd.upperBound]
            rest = rest[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex(where: { "/?#\"' \t,;".contains($0) }) ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                result += "***"
                rest = rest[at...]
            }
        }
        return result + rest
    }

    /// The URL with any `user:pass@` replaced by `***@`, safe to print.
    public static func redacted(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "@")), let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return text }
        return String(text[..<schemeEnd.upperBound]) + "***" + String(rest[at...])
    }
}

/// A `host:port` endpoint for the TCP check.
public struct HostPort: Hashable, Sendable {
    public var host: String
    public var port: Int

    public init?(_ text: String) {
        guard let url = EndpointURL("tcp://" + text), let port = url.port, !url.hasUserInfo,
              !text.contains("/") else { return nil }
        self.host = url.host
        self.port = port
    }
}
