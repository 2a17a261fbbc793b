import CurlTransport
import Probing
import Registry
import Testing

/// The media check against GStreamer's RTSP server (Tests/Peers/rtsp-server.py): live H.264, H.265 and
/// MJPEG pipelines, digest auth, a source that stops, a long GOP and a server that dies mid-stream. The
/// figures are compared with what each pipeline is set to produce.
@Suite(.serialized) struct MediaPeerTests {
    /// The credentials `RealPeerTests.withRTSPServer` starts the server with.
    static let credential = CredentialProfile(name: "gst", username: "viewer", password: Secret("Gst-Secret-7"))

    func withRTSPServer(_ body: (UInt16) async throws -> Void) async throws {
        try await RealPeerTests().withRTSPServer(body)
    }

    func media(_ url: String, credential: CredentialProfile? = nil, window: Int = 4_000, framesWanted: Int = 10,
               transport: CurlTransport) async throws -> CheckResult {
        var camera = CameraRecord(id: "45012801001320000001", name: "peer", village: try! VillageCode.parse("450128101201").get(),
                                  source: .public, status: .active)
        camera.endpoints.rtsp = url
        var settings = ProbeSettings()
        settings.timeoutMilliseconds = 5_000
        settings.media.windowMilliseconds = window
        settings.media.framesWanted = framesWanted
        let target = ProbeTarget(camera: camera, credential: credential, settings: settings)
        return try await MediaProber().probe(target, endpoint: url, transport: transport)
    }

    @Test func liveStreamsGiveTheirPipelinesFigures() async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        try await withRTSPServer { port in
            // Frames wanted past the window's reach: the whole window is read, so fps is measured over 2 s.
            let h264 = try await media("rtsp://127.0.0.1:\(port)/h264", window: 2_000, framesWanted: 1_000, transport: transport)
            #expect(h264.passed, "\(h264.detail)")
            #expect(h264.findings.codec == "H264")
            #expect(h264.findings.width == 640 && h264.findings.height == 360)
            let reading = try #require(h264.findings.media)
            #expect(reading.keyframe && reading.parameterSets)
            #expect(abs((reading.framesPerSecond ?? 0) - 25) <= 2.5, "fps \(reading.framesPerSecond ?? 0)")
            #expect((40...60).contains(reading.frames), "frames in 2 s at 25 fps: \(reading.frames)")
            #expect(reading.packetsLost == 0)
            #expect((reading.bitsPerSecond ?? 0) > 50_000, "\(reading.bitsPerSecond ?? 0) bit/s")

            let h265 = try await media("rtsp://127.0.0.1:\(port)/h265", transport: transport)
            #expect(h265.passed, "\(h265.detail)")
            #expect(h265.findings.codec == "H265")
            #expect(h265.findings.width == 320 && h265.findings.height == 240)
            #expect(abs((h265.findings.media?.framesPerSecond ?? 0) - 25) <= 2.5)
            #expect(h265.findings.media?.parameterSets == true)

            let mjpeg = try await media("rtsp://127.0.0.1:\(port)/stream", transport: transport)
            #expect(mjpeg.passed, "\(mjpeg.detail)")
            #expect(mjpeg.findings.width == 320 && mjpeg.findings.height == 240)
            #expect(abs((mjpeg.findings.media?.framesPerSecond ?? 0) - 5) <= 0.5)
        }
    }

    @Test func digestAuthenticationOnEveryStep() async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        try await withRTSPServer { port in
            let url = "rtsp://127.0.0.1:\(port)/digest"
            let anonymous = try await media(url, transport: transport)
            #expect(anonymous.reason == .authRequired)
            let authorised = try await media(url, credential: Self.credential, transport: transport)
            #expect(authorised.passed, "\(authorised.detail)")
            #expect(authorised.findings.media?.keyframe == true)
            let wrong = CredentialProfile(name: "gst", username: "viewer", password: Secret("not-it"))
            let refused = try await media(url, credential: wrong, transport: transport)
            #expect(refused.reason == .authFailed)
            #expect(!"\(refused)\(authorised)".contains("Gst-Secret-7"))
        }
    }

    @Test func streamsThatStopOrLackKeyframes() async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        try await withRTSPServer { port in
            let stall = try await media("rtsp://127.0.0.1:\(port)/stall", framesWanted: 1_000, transport: transport)
            #expect(stall.reason == .streamStalled, "\(stall.detail)")
            let frames = try #require(stall.findings.media?.frames)
            #expect((5...10).contains(frames), "the source stops after 10 frames: \(frames)")

            let longGOP = try await media("rtsp://127.0.0.1:\(port)/longgop", window: 2_000, transport: transport)
            #expect(longGOP.reason == .noKeyframe, "\(longGOP.detail)")
            #expect(abs((longGOP.findings.media?.framesPerSecond ?? 0) - 25) <= 2.5)
            #expect(longGOP.findings.media?.keyframe == false)

            let silent = try await media("rtsp://127.0.0.1:\(port)/silent", transport: transport)
            #expect(silent.reason == .noMedia, "\(silent.detail)")
            #expect(silent.findings.media?.frames == 0, "one SPS packet at most")

            let missing = try await media("rtsp://127.0.0.1:\(port)/nothing", transport: transport)
            #expect(missing.reason == .rtspStatus)
        }
    }

    @Test func aServerKilledMidStream() async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        try await withRTSPServer { port in
            let died = try await media("rtsp://127.0.0.1:\(port)/dies", framesWanted: 1_000, transport: transport)
            #expect(died.reason == .streamStalled, "\(died.detail)")
            #expect((10...20).contains(died.findings.media?.frames ?? 0), "killed after 20 frames: \(died.findings.media?.frames ?? 0)")
        }
    }
}
