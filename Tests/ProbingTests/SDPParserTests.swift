import Testing
@testable import Probing
import Registry

struct SDPCase: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var tracks: [String]
    var videoCodec: String?
    var testDescription: String { name }
}

@Suite struct SDPParserTests {
    /// What the camera simulator sends, CRLF line ends.
    static let fleetSDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=camera-fleet\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\na=control:*\r\n"
        + "a=range:npt=0-\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
        + "a=fmtp:96 packetization-mode=1;profile-level-id=42C01E\r\na=control:trackID=0\r\n"
        + "m=audio 0 RTP/AVP 97\r\na=rtpmap:97 PCMA/8000\r\na=control:trackID=1\r\n"

    static let cases: [SDPCase] = [
        SDPCase(name: "H.264 and G.711 with CRLF", text: fleetSDP, tracks: ["video H264/90000", "audio PCMA/8000"], videoCodec: "H264"),
        SDPCase(name: "the same with LF", text: fleetSDP.replacingCRLF(), tracks: ["video H264/90000", "audio PCMA/8000"], videoCodec: "H264"),
        SDPCase(name: "static payload types need no rtpmap",
                text: "v=0\nm=video 0 RTP/AVP 26\nm=audio 0 RTP/AVP 0\nm=audio 0 RTP/AVP 8\n",
                tracks: ["video JPEG/90000", "audio PCMU/8000", "audio PCMA/8000"], videoCodec: "JPEG"),
        SDPCase(name: "rtpmap belongs to the section above it",
                text: "v=0\na=rtpmap:96 MP4V-ES/90000\nm=audio 0 RTP/AVP 96\na=rtpmap:96 MPEG4-GENERIC/16000/2\nm=video 0 RTP/AVP 96\na=rtpmap:96 H265/90000\n",
                tracks: ["audio MPEG4-GENERIC/16000/2", "video H265/90000"], videoCodec: "H265"),
        SDPCase(name: "first format is the track's",
                text: "v=0\r\nm=video 0 RTP/AVP 97 96\r\na=rtpmap:96 H264/90000\r\na=rtpmap:97  H265/90000 \r\n",
                tracks: ["video H265/90000"], videoCodec: "H265"),
        SDPCase(name: "dynamic payload without rtpmap", text: "v=0\nm=video 0 RTP/AVP 96\n", tracks: ["video payload 96"], videoCodec: nil),
        SDPCase(name: "audio only", text: "v=0\r\nm=audio 0 RTP/AVP 97\r\na=rtpmap:97 PCMA/8000\r\n", tracks: ["audio PCMA/8000"], videoCodec: nil),
        SDPCase(name: "metadata track", text: "v=0\nm=application 0 RTP/AVP 107\na=rtpmap:107 vnd.onvif.metadata/90000\n",
                tracks: ["application vnd.onvif.metadata/90000"], videoCodec: nil),
        SDPCase(name: "not an SDP", text: "<html><body>404</body></html>", tracks: [], videoCodec: nil),
    ]

    @Test(arguments: cases)
    func parses(_ testCase: SDPCase) {
        let description = SDPParser.parse(testCase.text)
        #expect(description.tracks == testCase.tracks)
        #expect(description.video?.encodingName == testCase.videoCodec)
    }

    @Test func recordsTheVersionLine() {
        #expect(SDPParser.parse(Self.fleetSDP).hasVersionLine)
        #expect(!SDPParser.parse("<html></html>").hasVersionLine)
        let video = SDPParser.parse(Self.fleetSDP).video
        #expect(video == SessionDescription.Media(type: "video", formats: ["96"], encoding: "H264/90000", control: "trackID=0",
                                                  formatParameters: "packetization-mode=1;profile-level-id=42C01E"))
    }

    @Test func readsControlsFrameRateAndClockRate() {
        let description = SDPParser.parse("""
            v=0
            a=control:rtsp://10.0.0.9/live/
            m=video 0 RTP/AVP 98
            a=rtpmap:98 H265/90000
            a=framerate:12.5
            a=fmtp:97 ignored
            a=control: trackID=0
            m=audio 0 RTP/AVP 0
            a=control:trackID=1

            """)
        #expect(description.control == "rtsp://10.0.0.9/live/")
        let video = description.video
        #expect(video != nil)
        #expect(video?.control == "trackID=0")
        #expect(video?.frameRate == 12.5)
        #expect(video?.clockRate == 90_000)
        #expect(video?.formatParameters == nil, "an fmtp of another payload type")
        #expect(description.media.last?.control == "trackID=1")
    }
}

extension String {
    func replacingCRLF() -> String {
        split(separator: "\r\n", omittingEmptySubsequences: false).joined(separator: "\n")
    }
}
