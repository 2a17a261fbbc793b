import Registry

/// Whether a prober follows a redirect: the rule of `RedirectPolicy`, applied to two URLs.
///
/// The transport never follows redirects itself. libcurl 7.88 following a redirect to a refused scheme
/// leaves the easy handle in a state that corrupts the heap on its next large reply, and a camera could
/// otherwise send the sweeper (and its credentials) to any host on the network.
enum RedirectFollowing {
    /// Redirects followed from one request at most; real cameras use one (to a login-free snapshot path).
    static let maximumHops = 3

    enum Decision: Equatable {
        /// Follow it: a new request to the target URL.
        case follow
        /// Do not follow, and judge the 3xx as the camera's reply (the policy is `.never`).
        case judgeAsReply
        /// Do not follow, and fail the check with `redirect-refused` and this sentence.
        case refuse(String)
    }

    static func decide(from origin: String, to target: String, policy: RedirectPolicy, hopsSoFar: Int) -> Decision {
        if policy == .never { return .judgeAsReply }
        let from = EndpointURL(origin)
        let describedOrigin = from.map(address) ?? "the camera"
        guard let to = EndpointURL(target) else {
            return .refuse("redirected from \(describedOrigin) to a Location that is not a URL")
        }
        let prefix = "redirected from \(describedOrigin) to \(address(to))"
        guard to.scheme == "http" || to.scheme == "https" else {
            return .refuse("\(prefix): \(to.scheme) is not followed (only http and https)")
        }
        if policy == .sameHost, to.host.lowercased() != from?.host.lowercased() {
            return .refuse("\(prefix): another host is not followed (sweep --redirects any allows it)")
        }
        guard hopsSoFar < maximumHops else {
            return .refuse("\(prefix): more than \(maximumHops) redirects")
        }
        return .follow
    }

    /// `scheme://host:port` only: paths and queries may carry tokens, and user info is never shown.
    private static func address(_ url: EndpointURL) -> String {
        let host = url.host.contains(":") ? "[\(url.host)]" : url.host
        return "\(url.scheme)://\(host):\(url.effectivePort)"
    }
}

extension TransferPhases {
    /// Makes the phases count from the start of an exchange whose earlier requests took `microseconds`.
    public mutating func addElapsedBefore(_ microseconds: Int64) {
        for keyPath in [\TransferPhases.dnsMicroseconds, \.connectMicroseconds, \.tlsMicroseconds, \.firstByteMicroseconds,
                        \.totalMicroseconds] where self[keyPath: keyPath] > 0 {
            self[keyPath: keyPath] += microseconds
        }
    }
}
