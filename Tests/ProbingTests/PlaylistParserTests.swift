import Testing
@testable import Probing
import Registry

struct PlaylistCase: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var expected: Result<Playlist, PlaylistProblem>
    var testDescription: String { name }
}

@Suite struct PlaylistParserTests {
    static let media = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:41\n"
        + "#EXTINF:2.000,\nsegment41.ts\n#EXTINF:2.000,\nsegment42.ts\n"
    static let master = """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=1280x720,CODECS="avc1.4d401f,mp4a.40.2"
        main/index.m3u8
        #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=86000,URI="main/iframes.m3u8"
        #EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=320x240
        sub/index.m3u8

        """

    static func text(_ string: String) -> [UInt8] { Array(string.utf8) }

    static let cases: [PlaylistCase] = [
        PlaylistCase(name: "media", bytes: text(media), expected: .success(Playlist(kind: .media, entries: 2))),
        PlaylistCase(name: "master", bytes: text(master), expected: .success(Playlist(kind: .master, entries: 2))),
        PlaylistCase(name: "byte order mark", bytes: [0xEF, 0xBB, 0xBF] + text(media), expected: .success(Playlist(kind: .media, entries: 2))),
        PlaylistCase(name: "CRLF", bytes: text(media.split(separator: "\n").joined(separator: "\r\n") + "\r\n"),
                     expected: .success(Playlist(kind: .media, entries: 2))),
        PlaylistCase(name: "tags between #EXTINF and its URI",
                     bytes: text("#EXTM3U\n#EXTINF:2.0,\n#EXT-X-BYTERANGE:1000@0\n# a comment\nall.ts\n#EXT-X-ENDLIST\n"),
                     expected: .success(Playlist(kind: .media, entries: 1))),
        PlaylistCase(name: "header only", bytes: text("#EXTM3U\n#EXT-X-VERSION:3\n"),
                     expected: .failure(PlaylistProblem("playlist has no #EXTINF segments and no #EXT-X-STREAM-INF variants"))),
        PlaylistCase(name: "empty body", bytes: [],
                     expected: .failure(PlaylistProblem("playlist does not begin with #EXTM3U (the body is empty)"))),
        PlaylistCase(name: "HTML", bytes: text("<!DOCTYPE html>\n<html><body>Login</body></html>"),
                     expected: .failure(PlaylistProblem("playlist does not begin with #EXTM3U (it begins '<!DOCTYPE html> <html><b…')"))),
        PlaylistCase(name: "#EXTINF with no URI", bytes: text("#EXTM3U\n#EXTINF:2.0,\nseg1.ts\n#EXTINF:2.0,\n"),
                     expected: .failure(PlaylistProblem("#EXTINF on line 4 has no URI line after it"))),
        PlaylistCase(name: "two tags in a row", bytes: text("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n#EXT-X-STREAM-INF:BANDWIDTH=2\nb.m3u8\n"),
                     expected: .failure(PlaylistProblem("#EXT-X-STREAM-INF on line 2 has no URI line after it"))),
        PlaylistCase(name: "mixed kinds", bytes: text("#EXTM3U\n#EXTINF:2,\na.ts\n#EXT-X-STREAM-INF:BANDWIDTH=1\nb.m3u8\n"),
                     expected: .failure(PlaylistProblem("playlist mixes 1 #EXTINF segments with 1 #EXT-X-STREAM-INF variants"))),
    ]

    @Test(arguments: cases)
    func parses(_ testCase: PlaylistCase) {
        #expect(PlaylistParser.parse(testCase.bytes) == testCase.expected)
    }

    @Test func summaries() {
        #expect(Playlist(kind: .media, entries: 2).summary == "media playlist with 2 segments")
        #expect(Playlist(kind: .master, entries: 1).summary == "master playlist with 1 variant")
    }
}
