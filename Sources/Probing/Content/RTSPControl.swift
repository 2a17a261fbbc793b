/// Where an RTSP session's requests go (RFC 2326 C.1.1) and what a SETUP reply's `Transport` says.
public enum RTSPControl {
    /// The URL relative controls resolve against: the reply's `Content-Base`, else its `Content-Location`,
    /// else the URL the DESCRIBE went to; always on the host and port connected to.
    public static func base(contentBase: String?, contentLocation: String?, requestURL: String) -> String {
        for candidate in [contentBase, contentLocation] {
            if let value = candidate?.trimmingBlanks(), !value.isEmpty { return onConnectedHost(value, requestURL: requestURL) }
        }
        return requestURL
    }

    /// The URL a control attribute names: the base for none or `*`; an absolute `rtsp://` control with its
    /// host and port replaced by the ones connected to (cameras behind NAT advertise an internal address);
    /// otherwise the control appended to the base with one `/` between them.
    public static func resolve(_ control: String?, base: String, connectedTo requestURL: String) -> String {
        guard let control = control?.trimmingBlanks(), !control.isEmpty, control != "*" else { return base }
        if authorityRange(of: control) != nil { return onConnectedHost(control, requestURL: requestURL) }
        let trimmedBase = base.hasSuffix("/") ? String(base.dropLast()) : base
        return trimmedBase + "/" + (control.hasPrefix("/") ? String(control.dropFirst()) : control)
    }

    /// `url` with its authority replaced by `requestURL`'s (which never holds credentials).
    static func onConnectedHost(_ url: String, requestURL: String) -> String {
        guard let advertised = authorityRange(of: url), let connected = authorityRange(of: requestURL) else { return url }
        return String(url[..<advertised.lowerBound]) + requestURL[connected] + String(url[advertised.upperBound...])
    }

    /// Where the authority (`host:port`) of an `rtsp://` or `rtsps://` URL lies; nil for other text.
    static func authorityRange(of url: String) -> Range<String.Index>? {
        let lowered = url.prefix(8).lowercased()
        let schemeLength = lowered.hasPrefix("rtsp://") ? 7 : lowered.hasPrefix("rtsps://") ? 8 : 0
        guard schemeLength > 0 else { return nil }
        let start = url.index(url.startIndex, offsetBy: schemeLength)
        let end = url[start...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        return start < end ? start..<end : nil
    }

    /// The RTP channel of a SETUP reply's `Transport` (`…;interleaved=10-11` gives 10); nil without one.
    public static func interleavedChannel(transport: String?) -> Int? {
        guard let transport else { return nil }
        for parameter in transport.split(separator: ";") {
            let parts = parameter.trimmingBlanks().split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "interleaved" else { continue }
            return Int(parts[1].split(separator: "-").first ?? "").flatMap { (0...255).contains($0) ? $0 : nil }
        }
        return nil
    }
}

extension StringProtocol {
    fileprivate func trimmingBlanks() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

}
