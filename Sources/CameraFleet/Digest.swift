/// The client side of HTTP Digest authentication (RFC 7616 with MD5, as RFC 2617 defined it): what a
/// client must send as `response=` for given credentials. Public so that tests can build valid and invalid
/// `Authorization` headers for `auth-digest` cameras.
public enum HTTPDigest {
    /// The `response` value: `MD5(HA1:nonce:nc:cnonce:qop:HA2)` with qop, `MD5(HA1:nonce:HA2)` without,
    /// where HA1 = `MD5(username:realm:password)` and HA2 = `MD5(method:uri)`.
    public static func response(
        username: String, realm: String, password: String, method: String, uri: String, nonce: String,
        qop: String? = "auth", nonceCount: String = "00000001", clientNonce: String = ""
    ) -> String {
        let secret = MD5.hex("\(username):\(realm):\(password)")
        let target = MD5.hex("\(method):\(uri)")
        if let qop {
            return MD5.hex("\(secret):\(nonce):\(nonceCount):\(clientNonce):\(qop):\(target)")
        }
        return MD5.hex("\(secret):\(nonce):\(target)")
    }

    /// The parameters of a `Digest` challenge or credentials header value, keys lowercased, quotes removed.
    /// Returns nil unless the value starts with the `Digest` scheme.
    public static func parameters(_ headerValue: String) -> [String: String]? {
        var rest = Substring(headerValue)
        while rest.first == " " { rest = rest.dropFirst() }
        guard rest.lowercased().hasPrefix("digest ") else { return nil }
        rest = rest.dropFirst(7)
        var parameters: [String: String] = [:]
        while !rest.isEmpty {
            while let first = rest.first, first == " " || first == "," { rest = rest.dropFirst() }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingSpaces().lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                }
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = rest[..<end].trimmingSpaces()
                rest = rest[end...]
            }
            parameters[key] = value
        }
        return parameters
    }
}

/// Checks `Authorization` headers against the fleet's one user, and writes the matching challenges.
struct Authenticator {
    let username: String
    let password: String
    let realm: String
    /// One nonce for the whole fleet run: cameras keep no per-client state, and curl repeats the nonce it got.
    let nonce: String
    /// `WWW-Authenticate: Basic realm="…"\r\n`
    let basicChallenge: [UInt8]
    /// `WWW-Authenticate: Digest realm="…", nonce="…", qop="auth", algorithm=MD5\r\n`
    let digestChallenge: [UInt8]
    /// The base64 of `username:password`, which is the only token a Basic header may carry.
    private let basicToken: [UInt8]

    init(username: String, password: String, realm: String) {
        self.username = username
        self.password = password
        self.realm = realm
        var generator = SystemRandomNumberGenerator()
        nonce = (0..<4).map { _ in String(generator.next() as UInt32, radix: 16) }.joined()
        basicChallenge = Array("WWW-Authenticate: Basic realm=\"\(realm)\"\r\n".utf8)
        digestChallenge = Array("WWW-Authenticate: Digest realm=\"\(realm)\", nonce=\"\(nonce)\", qop=\"auth\", algorithm=MD5\r\n".utf8)
        basicToken = Base64.encode(Array("\(username):\(password)".utf8))
    }

    /// Whether the request carries `Authorization: Basic <base64 of username:password>`.
    func acceptsBasic(_ request: Request) -> Bool {
        guard let header = request.authorization, request.hasPrefixIgnoringCase(header, "basic ") else { return false }
        var start = header.lowerBound + 6
        while start < header.upperBound, request.bytes[start] == 32 { start += 1 }
        let token = start..<header.upperBound
        guard token.count == basicToken.count else { return false }
        return zip(token, basicToken).allSatisfy { request.bytes[$0.0] == $0.1 }
    }

    /// Whether the request carries Digest credentials for this user, realm and nonce whose response hash
    /// matches the request's method. Allocates, but only `auth-digest` cameras call it.
    func acceptsDigest(_ request: Request) -> Bool {
        guard let header = request.authorization,
              let parameters = HTTPDigest.parameters(request.string(header)),
              parameters["username"] == username, parameters["realm"] == realm, parameters["nonce"] == nonce,
              let uri = parameters["uri"], let response = parameters["response"]
        else { return false }
        if let algorithm = parameters["algorithm"], algorithm.lowercased() != "md5" { return false }
        let qop = parameters["qop"]
        if let qop, qop != "auth" { return false }
        let expected = HTTPDigest.response(
            username: username, realm: realm, password: password, method: request.string(request.method),
            uri: uri, nonce: nonce, qop: qop, nonceCount: parameters["nc"] ?? "", clientNonce: parameters["cnonce"] ?? "")
        return response.lowercased() == expected
    }
}

/// Standard base64 with padding (RFC 4648), for the Basic token.
enum Base64 {
    static func encode(_ input: [UInt8]) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var output: [UInt8] = []
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index < input.count {
            let remaining = input.count - index
            let group = UInt32(input[index]) << 16
                | (remaining > 1 ? UInt32(input[index + 1]) << 8 : 0)
                | (remaining > 2 ? UInt32(input[index + 2]) : 0)
            output.append(alphabet[Int(group >> 18 & 63)])
            output.append(alphabet[Int(group >> 12 & 63)])
            output.append(remaining > 1 ? alphabet[Int(group >> 6 & 63)] : UInt8(ascii: "="))
            output.append(remaining > 2 ? alphabet[Int(group & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return output
    }
}
