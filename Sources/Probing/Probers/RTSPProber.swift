import Registry

/// Asks the camera's RTSP URL for OPTIONS then DESCRIBE, and checks that the session description
/// offers a video track.
public struct RTSPProber: Prober {
    public var kind: CheckKind { .rtsp }
    /// Seconds since 1970 on our clock, read when the reply arrives (for the `Date` header's offset).
    public let now: @Sendable () -> Double

    /// - Parameter now: our clock; tests pass a fixed one.
    public init(now: @escaping @Sendable () -> Double = UnixTime.now) {
        self.now = now
    }

    public func endpoint(of camera: CameraRecord) -> String? { camera.endpoints.rtsp }

    public func probe(_ target: ProbeTarget, endpoint: String, transport: any Transport) async throws -> CheckResult {
        let result = try await ProbeSteps.perform(target.request(endpoint, .rtsp([.options, .describe])), on: transport)
        // The transport reports a CSeq mismatch as protocolError, so it needs no case of its own here.
        guard result.failure == nil else { return CheckResult.failed(.rtsp, result, step: "OPTIONS/DESCRIBE") }
        var findings = CheckFindings()
        findings.clockOffsetSeconds = HTTPDate.clockOffsetSeconds(dateHeader: result.header("Date"), now: result.completedAt ?? now())
        guard result.statusCode == 200 else {
            // The result holds the first reply that was not 200, which may be OPTIONS's or DESCRIBE's.
            return ProbeSteps.rejectedStatus(.rtsp, result, step: "OPTIONS/DESCRIBE", protocolName: "RTSP",
                                             credential: target.credential, findings: findings)
        }
        let description = SDPParser.parse(String(decoding: result.body, as: UTF8.self))
        guard description.hasVersionLine || !description.media.isEmpty else {
            return CheckResult(.rtsp, result, passed: false, reason: .protocolError,
                               detail: "DESCRIBE: reply is not an SDP (\(describeBeginning(of: result.body[...])))", findings: findings)
        }
        findings.tracks = description.tracks
        let trackList = description.tracks.isEmpty ? "none" : description.tracks.joined(separator: ", ")
        guard let video = description.video else {
            return CheckResult(.rtsp, result, passed: false, reason: .noVideoTrack,
                               detail: "DESCRIBE: SDP has no m=video track (tracks: \(trackList))", findings: findings)
        }
        findings.codec = video.encodingName
        return CheckResult(.rtsp, result, passed: true, reason: .ok, detail: "DESCRIBE: \(trackList)", findings: findings)
    }
}
