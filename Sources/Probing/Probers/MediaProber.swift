import Registry

/// Plays the camera's RTSP stream and judges the video that flows: DESCRIBE, then SETUP of the video
/// track over TCP, PLAY, a few seconds of RTP, TEARDOWN. A camera whose encoder hung answers DESCRIBE
/// like a healthy one; only the packets tell.
public struct MediaProber: Prober {
    public var kind: CheckKind { .media }

    public init() {}

    /// The sub-stream when the record names one: the same verdict for a fraction of the bandwidth.
    public func endpoint(of camera: CameraRecord) -> String? { camera.endpoints.rtspSub ?? camera.endpoints.rtsp }

    public func probe(_ target: ProbeTarget, endpoint: String, transport: any Transport) async throws -> CheckResult {
        let described = try await ProbeSteps.perform(target.request(endpoint, .rtsp([.describe])), on: transport)
        guard described.failure == nil else { return CheckResult.failed(.media, described, step: "DESCRIBE") }
        guard described.statusCode == 200 else {
            return ProbeSteps.rejectedStatus(.media, described, step: "DESCRIBE", protocolName: "RTSP", credential: target.credential)
        }
        let description = SDPParser.parse(String(decoding: described.body, as: UTF8.self))
        guard let video = description.video else {
            return CheckResult(.media, described, passed: false, reason: .noVideoTrack, detail: "DESCRIBE: SDP has no m=video track")
        }
        let exchange = Self.exchange(for: video, in: description, reply: described, requestURL: EndpointURL.withoutUserInfo(endpoint),
                                     settings: target.settings.media)
        var request = target.request(endpoint, .rtspMedia(exchange))
        // SETUP, PLAY and TEARDOWN get the usual patience on top of the window (the runner's budget still bounds it).
        request.timeoutMilliseconds += exchange.windowMilliseconds
        let played = try await ProbeSteps.perform(request, on: transport)
        guard let session = played.media else { return CheckResult.failed(.media, played, step: "SETUP") }
        let step = session.step.rawValue
        guard played.failure == nil else { return CheckResult.failed(.media, played, step: step) }
        guard played.statusCode == 200 else {
            return ProbeSteps.rejectedStatus(.media, played, step: step, protocolName: "RTSP", credential: target.credential)
        }
        var reading = session
        if reading.reading.width == nil,
           let size = SequenceParameterSet.pictureSize(formatParameters: video.formatParameters, format: exchange.format) {
            // No SPS in the stream (some cameras send it only in the SDP): the SDP's gives the size.
            reading.reading.width = size.width
            reading.reading.height = size.height
        }
        return Self.judge(reading, format: exchange.format, encoding: video.encodingName ?? "video", announcedFPS: video.frameRate,
                          settings: target.settings.media, result: played)
    }

    /// The session to ask for: the video track's and the session's control URLs resolved as RFC 2326 says.
    static func exchange(for video: SessionDescription.Media, in description: SessionDescription, reply: TransferResult,
                         requestURL: String, settings: MediaCheckSettings) -> MediaExchange {
        let base = RTSPControl.base(contentBase: reply.header("Content-Base"), contentLocation: reply.header("Content-Location"),
                                    requestURL: requestURL)
        let payloadType = video.formats.first.flatMap { Int($0) }
        return MediaExchange(trackURL: RTSPControl.resolve(video.control, base: base, connectedTo: requestURL),
                             sessionURL: RTSPControl.resolve(description.control, base: base, connectedTo: requestURL),
                             format: VideoPayloadFormat(encodingName: video.encodingName, payloadType: payloadType),
                             payloadType: payloadType, clockRate: video.clockRate ?? 90_000,
                             windowMilliseconds: settings.windowMilliseconds, stallMilliseconds: settings.stallMilliseconds,
                             framesWanted: settings.framesWanted, receivePaceMilliseconds: settings.receivePaceMilliseconds)
    }

    /// The verdict on a window: no packets, packets that stopped, no keyframe, too few frames, or video.
    static func judge(_ session: MediaExchangeOutcome, format: VideoPayloadFormat, encoding: String, announcedFPS: Double?,
                      settings: MediaCheckSettings, result: TransferResult) -> CheckResult {
        let reading = session.reading
        var findings = CheckFindings()
        findings.codec = encoding
        findings.media = reading
        findings.width = reading.width
        findings.height = reading.height
        func verdict(_ reason: ReasonCode, _ detail: String) -> CheckResult {
            var checked = CheckResult(.media, result, passed: reason == .ok, reason: reason, detail: detail, findings: findings)
            checked.bytes = reading.bytes
            return checked
        }
        let stall = seconds(settings.stallMilliseconds)
        let connectionEnded = "the connection ended\(session.receiveDetail.isEmpty ? "" : " (\(session.receiveDetail))")"
        let ending = session.windowEnd == .connectionLost ? connectionEnded : "nothing came for \(stall) s"
        if reading.packets == 0 {
            let why = session.windowEnd == .connectionLost ? "before \(connectionEnded)" : "within \(stall) s"
            return verdict(.noMedia, "PLAY: no RTP \(why)")
        }
        if reading.frames == 0 {
            return verdict(.noMedia, "RECEIVE: \(reading.packets) RTP packets but no complete frame in \(seconds(reading.windowMilliseconds)) s")
        }
        if session.windowEnd == .stalled || session.windowEnd == .connectionLost {
            return verdict(.streamStalled, "RECEIVE: \(reading.frames) frames, then \(ending)")
        }
        let summary = describe(reading, encoding: encoding)
        if format.hasKeyframes && !reading.keyframe {
            return verdict(.noKeyframe, "RECEIVE: no keyframe in \(seconds(reading.windowMilliseconds)) s (\(summary))")
        }
        if let announcedFPS, announcedFPS > 0, let fps = reading.framesPerSecond, fps < announcedFPS * settings.lowFPSFraction {
            return verdict(.lowFPS, "RECEIVE: \(oneDecimal(fps)) fps, the SDP announces \(oneDecimal(announcedFPS)) (\(summary))")
        }
        return verdict(.ok, "RECEIVE: \(summary)")
    }

    /// `H264 640x360, 25.0 fps, 512 kbit/s, 30 frames, first packet after 12 ms`.
    static func describe(_ reading: MediaReading, encoding: String) -> String {
        var parts = [encoding + (reading.width.map { w in reading.height.map { " \(w)x\($0)" } ?? "" } ?? "")]
        if let fps = reading.framesPerSecond { parts.append("\(oneDecimal(fps)) fps") }
        if let bits = reading.bitsPerSecond { parts.append("\(bits / 1000) kbit/s") }
        parts.append("\(reading.frames) frames")
        if let first = reading.firstPacketMilliseconds { parts.append("first packet after \(first) ms") }
        if reading.packetsLost > 0 { parts.append("\(reading.packetsLost) packets lost") }
        return parts.joined(separator: ", ")
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    static func seconds(_ milliseconds: Int) -> String {
        milliseconds % 1000 == 0 ? "\(milliseconds / 1000)" : oneDecimal(Double(milliseconds) / 1000)
    }
}
