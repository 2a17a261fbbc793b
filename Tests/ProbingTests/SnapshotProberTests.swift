import Testing
@testable import Probing
import Registry

@Suite struct SnapshotProberTests {
    let prober = SnapshotProber(now: Fixtures.now)

    func probe(_ reply: TransferResult, credential: CredentialProfile? = nil) async throws -> (CheckResult, FakeTransport) {
        let transport = FakeTransport(url: Fixtures.snapshotURL, reply)
        let result = try await prober.probe(Fixtures.target(credential: credential), endpoint: Fixtures.snapshotURL, transport: transport)
        return (result, transport)
    }

    @Test func passesWithAWholeJPEG() async throws {
        let picture = JPEGBuilder.picture(width: 1280, height: 720)
        let reply = Fixtures.reply(status: 200, body: picture, headers: [("Content-Type", "image/jpeg"), ("Date", Fixtures.referenceDateHeader)])
        let (result, transport) = try await probe(reply)
        #expect(result.passed)
        #expect(result.reason == .ok)
        #expect(result.detail == "GET: JPEG 1280x720, \(picture.count) bytes")
        #expect(result.statusCode == 200)
        #expect(result.bytes == picture.count)
        #expect(result.phases == reply.phases)
        #expect(result.findings.width == 1280)
        #expect(result.findings.height == 720)
        #expect(result.findings.contentHash == ContentHash.fingerprintHex(picture))
        #expect(result.findings.contentHash?.count == 16)
        #expect(result.findings.clockOffsetSeconds == -0.25)
        #expect(transport.requests.map(\.operation) == [.http(method: "GET", body: nil, contentType: nil)])
        #expect(transport.requests.map(\.url) == [Fixtures.snapshotURL])
    }

    @Test func differentPicturesHashDifferently() async throws {
        let (first, _) = try await probe(Fixtures.reply(status: 200, body: JPEGBuilder.picture(width: 640, height: 480)))
        let (second, _) = try await probe(Fixtures.reply(status: 200, body: JPEGBuilder.picture(width: 640, height: 360)))
        #expect(first.findings.contentHash != second.findings.contentHash)
        #expect(first.findings.clockOffsetSeconds == nil)
    }

    @Test(arguments: [
        (nil as String?, 401, ReasonCode.authRequired, "GET: HTTP 401: the camera wants credentials and has no credential profile"),
        ("hik-admin", 401, .authFailed, "GET: HTTP 401: credentials of profile 'hik-admin' were refused"),
        (nil, 503, .httpStatus, "GET: HTTP 503"),
        ("hik-admin", 404, .httpStatus, "GET: HTTP 404"),
        (nil, 302, .httpStatus, "GET: HTTP 302"),
    ])
    func judgesTheStatus(profile: String?, status: Int, reason: ReasonCode, detail: String) async throws {
        let (result, _) = try await probe(Fixtures.reply(status: status, text: "<html>no</html>", headers: [("Date", Fixtures.referenceDateHeader)]),
                                          credential: profile == nil ? nil : Fixtures.credential)
        #expect(!result.passed)
        #expect(result.reason == reason)
        #expect(result.detail == detail)
        #expect(result.statusCode == status)
        // The reply's Date header tells the clock even when the status is wrong.
        #expect(result.findings.clockOffsetSeconds == -0.25)
    }

    @Test(arguments: [
        ("text/html; charset=utf-8", Array("<!DOCTYPE html><html></html>".utf8), "GET: body is text/html, not a JPEG"),
        ("image/jpeg", Array("<!DOCTYPE html>".utf8), "GET: body is not a JPEG (it begins 3C 21 44 4F, not FF D8)"),
        ("image/jpeg", [], "GET: body is empty, not a JPEG"),
        ("", [0x89, 0x50], "GET: body is not a JPEG (it begins 89 50, not FF D8)"),
    ])
    func refusesWhatIsNotAJPEG(contentType: String, body: [UInt8], detail: String) async throws {
        let headers: [(name: String, value: String)] = contentType.isEmpty ? [] : [("content-type", contentType)]
        let (result, _) = try await probe(Fixtures.reply(status: 200, body: body, headers: headers))
        #expect(!result.passed)
        #expect(result.reason == .notJPEG)
        #expect(result.detail == detail)
        #expect(result.findings.contentHash == nil)
    }

    @Test func refusesATruncatedJPEG() async throws {
        let cut = Array(JPEGBuilder.picture().dropLast(3))
        let (result, _) = try await probe(Fixtures.reply(status: 200, body: cut, headers: [("Content-Type", "image/jpeg")]))
        #expect(!result.passed)
        #expect(result.reason == .truncatedJPEG)
        #expect(result.detail == "GET: JPEG ends without EOI after \(cut.count) bytes")
        #expect(result.bytes == cut.count)
        #expect(result.findings.width == nil)
    }
}
