import Localization
/// What a camera's owner allows the police to do with it, as a sweep must obey (Decree 799, the personal
/// information law): public cameras are probed in full; a citizen camera only within its consent.
public enum ProbeAllowance: Sendable, Equatable {
    /// Every check the camera has.
    case everything
    /// Consent for playback only: no live picture or stream is pulled. Only whether the device answers on
    /// its port (a TCP connect, nothing sent) is checked.
    case reachabilityOnly
    /// No consent in force (none recorded, no scope, or expired): the camera is not touched at all.
    case nothing(reason: Message)
}

extension CameraRecord {
    /// What may be probed on `today` (a Beijing date: consent ends at the end of its last day).
    public func probeAllowance(on today: CalendarDate) -> ProbeAllowance {
        guard source == .citizen else { return .everything }
        let consent = citizen
        guard let until = consent.consentUntil else { return .nothing(reason: "no consent end date on record") }
        guard until >= today else { return .nothing(reason: "consent expired on \(until)") }
        if consent.consentScope.contains(.live) { return .everything }
        if consent.consentScope.contains(.playback) { return .reachabilityOnly }
        return .nothing(reason: "no consent scope on record")
    }

    /// Whether no consent is in force on `today`: such a camera is not probed and not counted as offline.
    public func lacksConsent(on today: CalendarDate) -> Bool {
        if case .nothing = probeAllowance(on: today) { return true }
        return false
    }

    /// The camera as a playback-only consent lets it be probed: its endpoints reduced to the `host:port`
    /// of its device (the TCP endpoint, else the first URL's host and port).
    public var reachabilityOnly: CameraRecord {
        var reduced = self
        let endpoints = self.endpoints
        let hostPort = endpoints.tcp ?? [endpoints.rtsp, endpoints.snapshot, endpoints.onvif, endpoints.hls].lazy.compactMap { url in
            url.flatMap(EndpointURL.init).map { parsed in
                let host = parsed.host.contains(":") ? "[\(parsed.host)]" : parsed.host
                return "\(host):\(parsed.effectivePort)"
            }
        }.first
        reduced.endpoints = CameraEndpoints(tcp: hostPort)
        return reduced
    }
}
