import Testing
@testable import Probing
import Registry

@Suite struct HLSProberTests {
    func probe(_ reply: TransferResult, credential: CredentialProfile? = nil) async throws -> (CheckResult, FakeTransport) {
        let transport = FakeTransport(url: Fixtures.hlsURL, reply)
        let result = try await HLSProber().probe(Fixtures.target(credential: credential), endpoint: Fixtures.hlsURL, transport: transport)
        return (result, transport)
    }

    @Test(arguments: [
        (PlaylistParserTests.media, "GET: media playlist with 2 segments", 2),
        (PlaylistParserTests.master, "GET: master playlist with 2 variants", 2),
    ])
    func passesWithEntries(playlist: String, detail: String, entries: Int) async throws {
        let (result, transport) = try await probe(Fixtures.reply(status: 200, text: playlist))
        #expect(result.passed)
        #expect(result.reason == .ok)
        #expect(result.detail == detail)
        #expect(result.findings.playlistEntries == entries)
        #expect(result.bytes == playlist.utf8.count)
        #expect(transport.requests.map(\.operation) == [.http(method: "GET", body: nil, contentType: nil)])
        #expect(transport.requests.map(\.url) == [Fixtures.hlsURL])
    }

    @Test(arguments: [
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n", "GET: playlist has no #EXTINF segments and no #EXT-X-STREAM-INF variants"),
        ("<html><body>Not here</body></html>", "GET: playlist does not begin with #EXTM3U (it begins '<html><body>Not here</bo…')"),
        ("", "GET: playlist does not begin with #EXTM3U (the body is empty)"),
    ])
    func failsWithABadPlaylist(body: String, detail: String) async throws {
        let (result, _) = try await probe(Fixtures.reply(status: 200, text: body))
        #expect(!result.passed)
        #expect(result.reason == .badPlaylist)
        #expect(result.detail == detail)
        #expect(result.findings.playlistEntries == nil)
    }

    @Test(arguments: [
        (false, 401, ReasonCode.authRequired, "GET: HTTP 401: the camera wants credentials and has no credential profile"),
        (true, 401, .authFailed, "GET: HTTP 401: credentials of profile 'hik-admin' were refused"),
        (false, 404, .httpStatus, "GET: HTTP 404"),
        (true, 500, .httpStatus, "GET: HTTP 500"),
    ])
    func judgesTheStatus(withCredential: Bool, status: Int, reason: ReasonCode, detail: String) async throws {
        let (result, _) = try await probe(Fixtures.reply(status: status, text: PlaylistParserTests.media),
                                          credential: withCredential ? Fixtures.credential : nil)
        #expect(!result.passed)
        #expect(result.reason == reason)
        #expect(result.detail == detail)
    }
}
