import Testing
@testable import Probing
import Registry

@Suite struct RTSPProberTests {
    let prober = RTSPProber(now: Fixtures.now)

    func probe(_ reply: TransferResult, credential: CredentialProfile? = nil) async throws -> (CheckResult, FakeTransport) {
        let transport = FakeTransport(url: Fixtures.rtspURL, reply)
        let result = try await prober.probe(Fixtures.target(credential: credential), endpoint: Fixtures.rtspURL, transport: transport)
        return (result, transport)
    }

    @Test func passesWithAVideoTrack() async throws {
        let reply = Fixtures.reply(status: 200, text: SDPParserTests.fleetSDP,
                                   headers: [("CSeq", "2"), ("Content-Type", "application/sdp"), ("Date", "Tue, Nov 24 2026 06:26:35 GMT")])
        let (result, transport) = try await probe(reply)
        #expect(result.passed)
        #expect(result.reason == .ok)
        #expect(result.detail == "DESCRIBE: video H264/90000, audio PCMA/8000")
        #expect(result.findings.tracks == ["video H264/90000", "audio PCMA/8000"])
        #expect(result.findings.codec == "H264")
        #expect(result.findings.clockOffsetSeconds == 299.75)
        #expect(result.statusCode == 200)
        #expect(result.bytes == SDPParserTests.fleetSDP.utf8.count)
        #expect(transport.requests.map(\.operation) == [.rtsp([.options, .describe])])
        #expect(transport.requests.map(\.url) == [Fixtures.rtspURL])
    }

    @Test func motionJPEGCameraWithoutRtpmap() async throws {
        let (result, _) = try await probe(Fixtures.reply(status: 200, text: "v=0\r\ns=old\r\nm=video 0 RTP/AVP 26\r\n"))
        #expect(result.passed)
        #expect(result.findings.codec == "JPEG")
        #expect(result.findings.clockOffsetSeconds == nil)
    }

    @Test func failsWithoutAVideoTrack() async throws {
        let (result, _) = try await probe(Fixtures.reply(status: 200, text: "v=0\r\nm=audio 0 RTP/AVP 97\r\na=rtpmap:97 PCMA/8000\r\n"))
        #expect(!result.passed)
        #expect(result.reason == .noVideoTrack)
        #expect(result.detail == "DESCRIBE: SDP has no m=video track (tracks: audio PCMA/8000)")
        #expect(result.findings.tracks == ["audio PCMA/8000"])
        #expect(result.findings.codec == nil)
    }

    @Test func failsWithAnEmptySessionDescription() async throws {
        let (result, _) = try await probe(Fixtures.reply(status: 200, text: "v=0\r\ns=-\r\n"))
        #expect(result.reason == .noVideoTrack)
        #expect(result.detail == "DESCRIBE: SDP has no m=video track (tracks: none)")
    }

    @Test func failsWhenTheBodyIsNotAnSDP() async throws {
        let (result, _) = try await probe(Fixtures.reply(status: 200, text: "garbage"))
        #expect(result.reason == .protocolError)
        #expect(result.detail == "DESCRIBE: reply is not an SDP (it begins 'garbage')")
    }

    @Test(arguments: [
        (false, 401, ReasonCode.authRequired, "OPTIONS/DESCRIBE: RTSP 401: the camera wants credentials and has no credential profile"),
        (true, 401, .authFailed, "OPTIONS/DESCRIBE: RTSP 401: credentials of profile 'hik-admin' were refused"),
        (false, 404, .rtspStatus, "OPTIONS/DESCRIBE: RTSP 404"),
        (true, 503, .rtspStatus, "OPTIONS/DESCRIBE: RTSP 503"),
        (false, 204, .rtspStatus, "OPTIONS/DESCRIBE: RTSP 204"),
    ])
    func judgesTheStatus(withCredential: Bool, status: Int, reason: ReasonCode, detail: String) async throws {
        let (result, _) = try await probe(Fixtures.reply(status: status), credential: withCredential ? Fixtures.credential : nil)
        #expect(!result.passed)
        #expect(result.reason == reason)
        #expect(result.detail == detail)
        #expect(result.statusCode == status)
    }

    /// The transport reports a CSeq that does not match as a protocol error; the prober passes it on.
    @Test func mismatchedCSeqIsAProtocolError() async throws {
        let (result, _) = try await probe(TransferResult(failure: .protocolError, failureDetail: "CSeq 1002 in reply to 2", statusCode: 200))
        #expect(result.reason == .protocolError)
        #expect(result.detail == "OPTIONS/DESCRIBE: CSeq 1002 in reply to 2")
        #expect(result.statusCode == 200)
    }
}
