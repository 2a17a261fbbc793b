import Testing
import TestSupport
@testable import Probing

/// Every parser that reads what a camera sent, fed mutated inputs for a bounded time: each input gives a
/// value or a reason, never a crash, and what is reported stays within what the bytes can hold.
@Suite struct ParserFuzzTests {
    static let sdp = """
        v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=Media Presentation\r\nt=0 0\r\na=control:*\r\n\
        m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\na=control:trackID=1\r\n\
        m=audio 0 RTP/AVP 8\r\na=control:trackID=2\r\n
        """

    @Test func sessionDescriptions() {
        let fuzzer = Fuzzer(textSeeds: [Self.sdp, "v=0\nm=video 0 RTP/AVP 26\n", "m=audio 0 RTP/AVP 0 8 97\na=rtpmap:97 opus/48000/2\n"])
        let tried = fuzzer.run { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            let description = SDPParser.parse(text)
            #expect(description.media.count <= text.utf8.count / 2 + 1)
            for media in description.media { _ = media.track }
        }
        #expect(tried > 1_000)
    }

    @Test func playlists() {
        let media = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:7\n#EXTINF:2.0,\nseg7.ts\n#EXTINF:2.0,\nseg8.ts\n"
        let master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\nlow/index.m3u8\n"
        let tried = Fuzzer(textSeeds: [media, master, "#EXTM3U\r\n"]).run { bytes in
            switch PlaylistParser.parse(bytes) {
            case .success(let playlist): #expect(playlist.entries >= 0 && playlist.entries <= bytes.count)
            case .failure(let problem): #expect(!problem.message.isEmpty)
            }
        }
        #expect(tried > 1_000)
    }

    @Test func jpegStructure() {
        let seeds = [JPEGBuilder.picture(), JPEGBuilder.picture(width: 1920, height: 1080, frameMarker: 0xC2),
                     JPEGBuilder.picture(width: 16, height: 16, extraSegments: JPEGBuilder.segment(0xE1, Array(repeating: 0xAB, count: 300)))]
        let tried = Fuzzer(seeds: seeds).run { bytes in
            switch JPEGInspector.inspect(bytes) {
            // Height 0 is allowed: ITU T.81 lets a DNL segment give it later.
            case .picture(let width, let height): #expect(width > 0 && width <= 65_535 && height >= 0 && height <= 65_535)
            case .truncated(let problem): #expect(!problem.isEmpty)
            case .notJPEG: #expect(bytes.count < 2 || bytes[0] != 0xFF || bytes[1] != 0xD8)
            }
        }
        #expect(tried > 1_000)
    }

    @Test func onvifReplies() {
        let reply = """
            <?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema">\
            <s:Body><tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:UTCDateTime><tt:Time><tt:Hour>6</tt:Hour>\
            <tt:Minute>21</tt:Minute><tt:Second>35</tt:Second></tt:Time><tt:Date><tt:Year>2026</tt:Year><tt:Month>11</tt:Month>\
            <tt:Day>24</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse></s:Body></s:Envelope>
            """
        let tried = Fuzzer(textSeeds: [reply, "<s:Fault><s:Reason><s:Text>nope</s:Text></s:Reason></s:Fault>"]).run { bytes in
            if case .success(let time) = ONVIFClock.utcDateTime(in: bytes) { _ = time }
            _ = ONVIFClock.faultReason(in: bytes)
        }
        #expect(tried > 1_000)
    }

    @Test func httpDates() {
        let tried = Fuzzer(textSeeds: ["Tue, 24 Nov 2026 06:21:35 GMT", "Tuesday, 24-Nov-26 06:21:35 GMT", "Tue Nov 24 06:21:35 2026"]).run { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            if let seconds = HTTPDate.secondsSinceEpoch(text) { #expect(HTTPDate.clockOffsetSeconds(dateHeader: text, now: 0) == Double(seconds)) }
        }
        #expect(tried > 1_000)
    }
}
