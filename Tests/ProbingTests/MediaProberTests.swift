import Foundation
import Synchronization
import Testing
import TestSupport
@testable import Probing
import Registry

/// A transport for the media check: DESCRIBE gets `described`, the media session gets `played`; every
/// request is kept.
final class MediaSessionFake: Transport {
    let described: TransferResult
    let played: TransferResult
    private let received = Mutex<[TransferRequest]>([])

    init(described: TransferResult, played: TransferResult) {
        self.described = described
        self.played = played
    }

    var requests: [TransferRequest] { received.withLock { $0 } }

    func perform(_ request: TransferRequest) async throws -> TransferResult {
        received.withLock { $0.append(request) }
        if case .rtspMedia = request.operation { return played }
        return described
    }
}

@Suite struct MediaProberTests {
    static let sdp = """
        v=0\r
        a=control:*\r
        m=video 0 RTP/AVP 96\r
        a=rtpmap:96 H264/90000\r
        a=framerate:25\r
        a=control:trackID=0\r

        """

    static func described(_ sdp: String = sdp, base: String? = "rtsp://192.168.1.64:554/Streaming/Channels/101/") -> TransferResult {
        Fixtures.reply(status: 200, text: sdp, headers: base.map { [("Content-Base", $0)] } ?? [])
    }

    static func played(_ configure: (inout MediaExchangeOutcome) -> Void, status: Int = 200) -> TransferResult {
        var outcome = MediaExchangeOutcome()
        outcome.step = .receive
        outcome.windowEnd = .certain
        outcome.reading.packets = 120
        outcome.reading.bytes = 150_000
        outcome.reading.frames = 25
        outcome.reading.keyframe = true
        outcome.reading.parameterSets = true
        outcome.reading.framesPerSecond = 25
        outcome.reading.width = 1920
        outcome.reading.height = 1080
        outcome.reading.firstPacketMilliseconds = 30
        outcome.reading.lastPacketMilliseconds = 990
        outcome.reading.windowMilliseconds = 1_000
        outcome.reading.bitsPerSecond = 1_200_000
        configure(&outcome)
        var result = TransferResult(statusCode: status, headers: [])
        result.media = outcome
        return result
    }

    func probe(_ fake: MediaSessionFake, credential: CredentialProfile? = nil) async throws -> CheckResult {
        try await MediaProber().probe(Fixtures.target(credential: credential), endpoint: Fixtures.rtspURL, transport: fake)
    }

    @Test func flowingVideoPassesWithItsFigures() async throws {
        let fake = MediaSessionFake(described: Self.described(), played: Self.played { _ in })
        let result = try await probe(fake)
        #expect(result.passed && result.reason == .ok)
        #expect(result.detail == "RECEIVE: H264 1920x1080, 25.0 fps, 1200 kbit/s, 25 frames, first packet after 30 ms")
        #expect(result.findings.width == 1920 && result.findings.codec == "H264" && result.findings.media?.frames == 25)
        #expect(result.bytes == 150_000)
        // The track and the session resolve against Content-Base, on the host connected to.
        let session = try #require(fake.requests.last)
        guard case .rtspMedia(let exchange) = session.operation else { Issue.record("no media request"); return }
        #expect(session.url == Fixtures.rtspURL)
        #expect(exchange.trackURL == "rtsp://10.45.1.20:554/Streaming/Channels/101/trackID=0")
        #expect(exchange.sessionURL == "rtsp://10.45.1.20:554/Streaming/Channels/101/")
        #expect(exchange.format == .h264 && exchange.payloadType == 96 && exchange.clockRate == 90_000)
        #expect(session.timeoutMilliseconds == ProbeSettings().timeoutMilliseconds + ProbeSettings().media.windowMilliseconds)
        guard case .rtsp(let methods) = fake.requests.first?.operation else { Issue.record("no DESCRIBE"); return }
        #expect(methods == [.describe])
    }

    @Test(arguments: [
        ("nothing after PLAY", ReasonCode.noMedia, "PLAY: no RTP within 3 s"),
        ("closed after PLAY", .noMedia, "PLAY: no RTP before the connection ended (Recv failure: Connection reset by peer)"),
        ("packets without frames", .noMedia, "RECEIVE: 120 RTP packets but no complete frame in 1 s"),
        ("stopped", .streamStalled, "RECEIVE: 25 frames, then nothing came for 3 s"),
        ("no keyframe", .noKeyframe, "RECEIVE: no keyframe in 1 s (H264 1920x1080, 25.0 fps, 1200 kbit/s, 25 frames, first packet after 30 ms)"),
        ("slow", .lowFPS, "RECEIVE: 5.0 fps, the SDP announces 25.0 (H264 1920x1080, 5.0 fps, 1200 kbit/s, 25 frames, first packet after 30 ms)"),
    ])
    func eachWayVideoFailsHasItsReason(_ situation: String, reason: ReasonCode, detail: String) async throws {
        let played = Self.played { outcome in
            switch situation {
            case "nothing after PLAY":
                outcome.reading = MediaReading()
                outcome.windowEnd = .stalled
            case "closed after PLAY":
                outcome.reading = MediaReading()
                outcome.windowEnd = .connectionLost
                outcome.receiveDetail = "Recv failure: Connection reset by peer"
            case "packets without frames": outcome.reading.frames = 0
            case "stopped": outcome.windowEnd = .stalled
            case "no keyframe":
                outcome.reading.keyframe = false
                outcome.windowEnd = .window
            default: outcome.reading.framesPerSecond = 5
            }
        }
        let result = try await probe(MediaSessionFake(described: Self.described(), played: played))
        #expect(!result.passed)
        #expect(result.reason == reason)
        #expect(result.detail == detail)
        #expect(result.findings.media != nil)
    }

    @Test func refusedStepsAreNamed() async throws {
        let unauthorised = Self.played({ $0.step = .setup }, status: 401)
        let refused = try await probe(MediaSessionFake(described: Self.described(), played: unauthorised), credential: Fixtures.credential)
        #expect(refused.reason == .authFailed)
        #expect(refused.detail == "SETUP: RTSP 401: credentials of profile 'hik-admin' were refused")
        let noSession = try await probe(MediaSessionFake(described: Self.described(), played: Self.played({ $0.step = .play }, status: 454)))
        #expect(noSession.reason == .rtspStatus && noSession.detail == "PLAY: RTSP 454")
        var broken = Self.played { $0.step = .setup }
        broken.failure = .connectionReset
        broken.failureDetail = "Recv failure"
        let reset = try await probe(MediaSessionFake(described: Self.described(), played: broken))
        #expect(reset.reason == .connectionReset && reset.detail == "SETUP: Recv failure")
        let audioOnly = MediaSessionFake(described: Self.described("v=0\r\nm=audio 0 RTP/AVP 8\r\n"), played: Self.played { _ in })
        #expect(try await probe(audioOnly).reason == .noVideoTrack)
        #expect(audioOnly.requests.count == 1, "no SETUP without a video track")
    }

    @Test func withoutAnSPSInTheStreamTheSDPsGivesTheSize() async throws {
        let sdp = Self.sdp.replacingOccurrences(of: "a=framerate:25\r\n", with: """
            a=framerate:25\r
            a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LAHtoCgL/lwFqDAwNSgAAAAwCAAAAZR4sXUA==,aM48gA==\r

            """)
        let played = Self.played { $0.reading.width = nil; $0.reading.height = nil }
        let result = try await probe(MediaSessionFake(described: Self.described(sdp), played: played))
        #expect(result.passed)
        #expect(result.findings.width == 640 && result.findings.height == 360)
        #expect(result.findings.media?.width == 640)
    }

    @Test func theSubStreamIsPlayedWhenTheRecordNamesOne() {
        var camera = Fixtures.camera()
        #expect(MediaProber().endpoint(of: camera) == Fixtures.rtspURL)
        camera.endpoints.rtspSub = "rtsp://10.45.1.20:554/Streaming/Channels/102"
        #expect(MediaProber().endpoint(of: camera) == "rtsp://10.45.1.20:554/Streaming/Channels/102")
        #expect(RTSPProber().endpoint(of: camera) == Fixtures.rtspURL, "the rtsp check keeps the main stream")
    }

    @Test func withoutContentBaseTheRequestURLIsTheBase() async throws {
        let sdp = "v=0\r\nm=video 0 RTP/AVP 26\r\na=control:rtsp://192.168.0.8/media/video1\r\n"
        let fake = MediaSessionFake(described: Self.described(sdp, base: nil), played: Self.played { _ in })
        _ = try await probe(fake)
        guard case .rtspMedia(let exchange) = fake.requests.last?.operation else { Issue.record("no media request"); return }
        #expect(exchange.trackURL == "rtsp://10.45.1.20:554/media/video1")
        #expect(exchange.sessionURL == Fixtures.rtspURL)
        #expect(exchange.format == .jpeg)
    }
}

@Suite struct MediaBandwidthTests {
    @Test(arguments: [("500M", 500_000_000), ("1G", 1_000_000_000), ("800k", 800_000), ("2000000", 2_000_000)] as [(String, Int)])
    func ratesParse(text: String, bits: Int) {
        #expect(MediaBandwidth.parse(text) == bits)
    }

    @Test(arguments: ["", "M", "500MB", "-5M", "1.5G", "999", "5 M"])
    func otherTextIsNoRate(text: String) {
        #expect(MediaBandwidth.parse(text) == nil)
    }

    @Test func streamsOpenWithinTheBudgetFromMeasuredBitrates() {
        var bandwidth = MediaBandwidth(budgetBitsPerSecond: 10_000_000)
        // 4 Mbit/s assumed: two fit, a third does not.
        bandwidth.open()
        bandwidth.open()
        #expect(!bandwidth.mayOpen)
        // Sub-streams measured at 1 Mbit/s: ten fit.
        bandwidth.close(measuredBitsPerSecond: 1_000_000)
        bandwidth.close(measuredBitsPerSecond: 1_000_000)
        for _ in 0..<10 {
            #expect(bandwidth.mayOpen)
            bandwidth.open()
        }
        #expect(!bandwidth.mayOpen)
        // A budget below one stream still lets one through at a time.
        var tight = MediaBandwidth(budgetBitsPerSecond: 1_000)
        #expect(tight.mayOpen)
        tight.open()
        #expect(!tight.mayOpen)
        #expect(MediaBandwidth(budgetBitsPerSecond: nil).mayOpen)
    }
}

/// A transport whose media sessions last a little while, counting how many are open at once.
final class StreamCountingTransport: Transport {
    let bitsPerSecond: Int
    private let state = Mutex<(open: Int, most: Int, hosts: Set<String>, sameHostOverlap: Bool)>((0, 0, [], false))

    init(bitsPerSecond: Int) { self.bitsPerSecond = bitsPerSecond }

    var mostOpen: Int { state.withLock { $0.most } }
    var sameHostOverlapped: Bool { state.withLock { $0.sameHostOverlap } }

    func perform(_ request: TransferRequest) async throws -> TransferResult {
        guard case .rtspMedia = request.operation else {
            return Fixtures.reply(status: 200, text: MediaProberTests.sdp)
        }
        let host = EndpointURL(request.url)?.host ?? ""
        state.withLock {
            $0.open += 1
            $0.most = max($0.most, $0.open)
            if !$0.hosts.insert(host).inserted { $0.sameHostOverlap = true }
        }
        // The stream's length on the wire; what is measured is how many overlap.
        try await Task.sleep(for: .milliseconds(20))
        state.withLock {
            $0.open -= 1
            $0.hosts.remove(host)
        }
        var outcome = MediaExchangeOutcome()
        outcome.step = .receive
        outcome.windowEnd = .certain
        outcome.reading.frames = 20
        outcome.reading.packets = 20
        outcome.reading.keyframe = true
        outcome.reading.bytes = bitsPerSecond / 8
        outcome.reading.bitsPerSecond = bitsPerSecond
        outcome.reading.windowMilliseconds = 1_000
        var result = TransferResult(statusCode: 200, headers: [])
        result.media = outcome
        return result
    }
}

@Suite struct MediaSweepSchedulingTests {
    func cameras(_ count: Int, hosts: Int) -> [CameraRecord] {
        (0..<count).map { index in
            var camera = Fixtures.camera()
            camera.id = "4501280100132" + String(1_000_000 + index).suffix(7)
            camera.endpoints = CameraEndpoints(rtsp: "rtsp://10.45.\(index % hosts / 250).\(index % hosts % 250 + 1):554/ch\(index)")
            return camera
        }
    }

    @Test func theBandwidthBudgetBoundsStreamsOpenAtOnce() async throws {
        let transport = StreamCountingTransport(bitsPerSecond: 2_000_000)
        var settings = SweepSettings()
        settings.checks = [.media]
        settings.concurrency = 100
        settings.mediaBandwidthBitsPerSecond = 10_000_000
        let outcome = await SweepRunner(transport: transport, probers: ProberTable.all)
            .run(SweepPlan(cameras: cameras(60, hosts: 60), credentials: CredentialStore(profiles: [:]), settings: settings, today: InventoryFixtures.today))
        #expect(outcome.outcomes.count == 60 && outcome.outcomes.allSatisfy { $0.status == .online })
        // 2 at the assumed 4 Mbit/s, then 5 at the measured 2 Mbit/s: never the 100 the concurrency allows.
        #expect(transport.mostOpen == 5)
    }

    @Test func streamsToOneHostPortGoOneAtATime() async throws {
        let transport = StreamCountingTransport(bitsPerSecond: 1_000_000)
        var settings = SweepSettings()
        settings.checks = [.rtsp, .media]
        settings.perHost = 8
        let outcome = await SweepRunner(transport: transport, probers: ProberTable.all)
            .run(SweepPlan(cameras: cameras(24, hosts: 3), credentials: CredentialStore(profiles: [:]), settings: settings, today: InventoryFixtures.today))
        #expect(outcome.outcomes.count == 24)
        #expect(!transport.sameHostOverlapped)
        #expect(transport.mostOpen == 3)
    }
}
