@testable import CameraFleet
import Testing

@Suite("MD5 and HTTP Digest arithmetic")
struct DigestTests {
    /// The test suite of RFC 1321, appendix A.5.
    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func md5(message: String, digest: String) {
        #expect(MD5.hex(message) == digest)
    }

    /// RFC 2617 section 3.5's worked example.
    @Test func rfc2617Example() {
        let response = HTTPDigest.response(
            username: "Mufasa", realm: "testrealm@host.com", password: "Circle Of Life", method: "GET",
            uri: "/dir/index.html", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", qop: "auth",
            nonceCount: "00000001", clientNonce: "0a4f113b")
        #expect(response == "6629fae49393a05397450978507c4ef1")
    }

    @Test func parsesChallengeParameters() throws {
        let parameters = try #require(HTTPDigest.parameters(#"Digest realm="fleet", nonce="ab,cd", qop="auth", algorithm=MD5"#))
        #expect(parameters == ["realm": "fleet", "nonce": "ab,cd", "qop": "auth", "algorithm": "MD5"])
        #expect(HTTPDigest.parameters(#"Basic realm="fleet""#) == nil)
    }

    @Test func base64() {
        #expect(Base64.encode(Array("admin:fleet".utf8)) == Array("YWRtaW46ZmxlZXQ=".utf8))
        #expect(Base64.encode(Array("ab".utf8)) == Array("YWI=".utf8))
        #expect(Base64.encode(Array("abc".utf8)) == Array("YWJj".utf8))
    }
}
