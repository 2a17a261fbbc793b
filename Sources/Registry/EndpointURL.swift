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
        guard let schemeEnd = text.range(of: "://") else { return nil }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0 == "+" }) else { return nil }
        var authority = text[schemeEnd.upperBound...]
        if let pathStart = authority.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            authority = authority[..<pathStart]
        }
        var hasUserInfo = false
        if let at = authority.lastIndex(of: "@") {
            hasUserInfo = true
            authority = authority[authority.index(after: at)...]
        }
        var host = authority
        var port: Int?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let rest = authority[authority.index(after: close)...]
            if rest.hasPrefix(":") {
                guard let number = Int(rest.dropFirst()) else { return nil }
                port = number
            } else if !rest.isEmpty { return nil }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            guard let number = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = number
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" || $0 == "_" }) else {
            return nil
        }
        if let port, !(1...65535).contains(port) { return nil }
        self.scheme = scheme
        self.host = String(host)
        self.port = port
        self.hasUserInfo = hasUserInfo
    }

    /// The port, or the scheme's default.
    public var effectivePort: Int {
        port ?? (scheme == "https" ? 443 : scheme == "rtsp" ? 554 : 80)
    }

    /// The URL with any `user:pass@` replaced by `***@`, safe to print.
    public static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
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
