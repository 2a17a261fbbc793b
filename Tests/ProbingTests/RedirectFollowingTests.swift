import Testing
@testable import Probing
import Registry

/// The rule of which redirects a prober follows, and the snapshot prober following one (the fake
/// transport never follows anything itself, like the real one).
@Suite struct RedirectFollowingTests {
    static let origin = "http://10.45.1.20:8080/snapshot.jpg"

    @Test(arguments: [
        ("http://10.45.1.20/moved.jpg", RedirectPolicy.sameHost, RedirectFollowing.Decision.follow),
        ("https://10.45.1.20:8443/x.jpg", .sameHost, .follow),
        ("http://10.45.1.21/x.jpg", .anyHost, .follow),
        ("http://10.45.1.21/x.jpg", .never, .judgeAsReply),
        ("http://10.45.1.21/x.jpg", .sameHost,
         .refuse("redirected from http://10.45.1.20:8080 to http://10.45.1.21:80: another host is not followed (sweep --redirects any allows it)")),
        ("rtsp://10.45.1.20/stream", .anyHost, .refuse("redirected from http://10.45.1.20:8080 to rtsp://10.45.1.20:554: rtsp is not followed (only http and https)")),
        ("file:///etc/passwd", .anyHost, .refuse("redirected from http://10.45.1.20:8080 to a Location that is not a URL")),
        ("gopher://10.45.1.20:70/x", .sameHost, .refuse("redirected from http://10.45.1.20:8080 to gopher://10.45.1.20:70: gopher is not followed (only http and https)")),
        ("http://admin:token@10.45.1.99/x?key=secret", .sameHost,
         .refuse("redirected from http://10.45.1.20:8080 to http://10.45.1.99:80: another host is not followed (sweep --redirects any allows it)")),
    ])
    func decision(target: String, policy: RedirectPolicy, expected: RedirectFollowing.Decision) {
        #expect(RedirectFollowing.decide(from: Self.origin, to: target, policy: policy, hopsSoFar: 0) == expected)
    }

    @Test func atMostThreeHops() {
        let decision = RedirectFollowing.decide(from: Self.origin, to: "http://10.45.1.20/4.jpg", policy: .sameHost, hopsSoFar: 3)
        #expect(decision == .refuse("redirected from http://10.45.1.20:8080 to http://10.45.1.20:80: more than 3 redirects"))
    }

    @Test func theSnapshotProberFollowsASameHostRedirectAndRefusesAnotherHost() async throws {
        let moved = "http://10.45.1.20/moved.jpg"
        var redirect = Fixtures.reply(status: 302, text: "Found", headers: [("Location", "/moved.jpg")])
        redirect.redirectURL = moved
        redirect.phases.totalMicroseconds = 2_000
        var picture = Fixtures.reply(status: 200, body: JPEGBuilder.picture(width: 64, height: 48))
        picture.phases.totalMicroseconds = 3_000
        let transport = FakeTransport([Fixtures.snapshotURL: .result(redirect), moved: .result(picture)])
        let result = try await SnapshotProber(now: Fixtures.now).probe(Fixtures.target(), endpoint: Fixtures.snapshotURL, transport: transport)
        #expect(result.passed)
        #expect(result.findings.width == 64)
        #expect(transport.requests.map(\.url) == [Fixtures.snapshotURL, moved])
        #expect(result.phases.totalMicroseconds == 5_000)

        redirect.redirectURL = "http://10.45.1.99/moved.jpg"
        let away = FakeTransport([Fixtures.snapshotURL: .result(redirect)])
        let refused = try await SnapshotProber(now: Fixtures.now).probe(Fixtures.target(), endpoint: Fixtures.snapshotURL, transport: away)
        #expect(!refused.passed)
        #expect(refused.reason == .redirectRefused)
        #expect(refused.detail == "GET: redirected from http://10.45.1.20:80 to http://10.45.1.99:80: another host is not followed (sweep --redirects any allows it)")
        #expect(away.requests.count == 1)
    }
}
