import Registry

/// One network exchange a prober asks for. The transport performs it; the prober judges the result.
///
/// A value type; safe to share between threads.
public struct TransferRequest: Sendable {
    public enum Operation: Sendable, Equatable {
        /// Connect to the URL's host and port, send nothing (the TCP check).
        case connect
        /// An HTTP(S) request; the body, if any, is sent with `contentType`.
        case http(method: String, body: [UInt8]?, contentType: String?)
        /// RTSP requests sent in order on one connection (e.g. OPTIONS then DESCRIBE); the result holds
        /// the last one's reply, or the first that failed.
        case rtsp([RTSPMethod])
        /// An RTSP media session on one connection: SETUP, PLAY, a bounded receive window, TEARDOWN.
        /// The result's `media` holds what the window showed.
        case rtspMedia(MediaExchange)
    }

    public enum RTSPMethod: String, Sendable, Equatable {
        case options = "OPTIONS"
        case describe = "DESCRIBE"
    }

    public var url: String
    public var operation: Operation
    public var connectTimeoutMilliseconds: Int
    public var timeoutMilliseconds: Int
    /// The body is cut off past this many bytes and the transfer ends with `responseTooLarge`.
    public var maximumBodyBytes: Int
    public var username: String?
    public var password: Secret?
    public var verifyTLS: Bool
    /// Which HTTP redirects a prober follows (the transport itself never follows one: it reports the
    /// target in `TransferResult.redirectURL`). Webhooks and other non-probe requests keep `.never`.
    public var redirects: RedirectPolicy

    public init(url: String, operation: Operation, connectTimeoutMilliseconds: Int = 3_000, timeoutMilliseconds: Int = 10_000,
                maximumBodyBytes: Int = 4 << 20, username: String? = nil, password: Secret? = nil, verifyTLS: Bool = true,
                redirects: RedirectPolicy = .never) {
        self.url = url
        self.operation = operation
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.maximumBodyBytes = maximumBodyBytes
        self.username = username
        self.password = password
        self.verifyTLS = verifyTLS
        self.redirects = redirects
    }
}

/// An RTSP media session as the media check asks for it. The request's `url` is where to connect; its
/// timeout bounds the whole session, TEARDOWN included, and the transport stops receiving in time to send it.
///
/// A value type; safe to share between threads.
public struct MediaExchange: Sendable, Equatable {
    /// SETUP's request URI: the video track's control URL.
    public var trackURL: String
    /// PLAY's and TEARDOWN's request URI: the session's aggregate control URL.
    public var sessionURL: String
    public var format: VideoPayloadFormat
    /// The track's RTP payload type; packets of another type are not counted.
    public var payloadType: Int?
    public var clockRate: Int
    /// The longest the receive window lasts after PLAY.
    public var windowMilliseconds: Int
    /// Receiving stops when nothing arrives for this long.
    public var stallMilliseconds: Int
    /// Receiving stops early once a keyframe (where the format has them) and this many frames arrived.
    public var framesWanted: Int
    /// Rest between receive rounds, so that one read takes what arrived meanwhile; 0 reads back to back.
    public var receivePaceMilliseconds: Int

    public init(trackURL: String, sessionURL: String, format: VideoPayloadFormat, payloadType: Int?, clockRate: Int = 90_000,
                windowMilliseconds: Int, stallMilliseconds: Int, framesWanted: Int, receivePaceMilliseconds: Int = 50) {
        self.receivePaceMilliseconds = receivePaceMilliseconds
        self.trackURL = trackURL
        self.sessionURL = sessionURL
        self.format = format
        self.payloadType = payloadType
        self.clockRate = clockRate
        self.windowMilliseconds = windowMilliseconds
        self.stallMilliseconds = stallMilliseconds
        self.framesWanted = framesWanted
    }

    /// The Transport header SETUP asks for: RTP inside the RTSP connection, so one TCP connection and no
    /// UDP ports through firewalls and NAT.
    public static let interleavedTransport = "RTP/AVP/TCP;unicast;interleaved=0-1"
}

/// The requests of a media session, in order.
public enum MediaStep: String, Sendable, Codable {
    case setup = "SETUP", play = "PLAY", receive = "RECEIVE", teardown = "TEARDOWN"
}

/// Why a receive window ended.
public enum MediaWindowEnd: String, Sendable, Codable {
    /// A keyframe and the frames wanted arrived.
    case certain
    /// The window's length passed (or the request's timeout, less TEARDOWN's share).
    case window
    /// Nothing arrived for the stall limit.
    case stalled
    /// The connection ended: closed by the camera, or broken (libcurl 7.88 reports a closed connection as
    /// one receive that succeeds with no frame).
    case connectionLost = "connection-lost"
    /// SETUP or PLAY did not succeed, so there was no window.
    case notStarted = "not-started"
}

/// What a media session gave: the window's reading and how each step went.
///
/// A value type; safe to share between threads.
public struct MediaExchangeOutcome: Sendable, Equatable {
    public var reading = MediaReading()
    /// The step the session ended in: SETUP or PLAY when either failed or was refused, else RECEIVE.
    public var step = MediaStep.setup
    public var windowEnd = MediaWindowEnd.notStarted
    /// The RTP channel the SETUP reply's Transport named (0 when it named none).
    public var channel = 0
    /// Receive transfers the window took.
    public var receiveRounds = 0
    /// TEARDOWN's status code; nil when it got no reply.
    public var teardownStatus: Int?
    /// What ended the receive window when it was a transfer error (the library's words).
    public var receiveDetail = ""

    public init() {}
}

/// Where a redirect may lead. A camera on the video network must not be able to send the sweeper to
/// another host (an internal address, a server that collects credentials), so the default follows only
/// redirects to the camera's own host, over HTTP or HTTPS.
public enum RedirectPolicy: String, Sendable, Codable, CaseIterable {
    /// A 3xx is judged as the camera's answer (`http-status`), never followed.
    case never = "none"
    /// Followed when the new URL names the same host (any port), over http or https.
    case sameHost = "same-host"
    /// Followed to any host, over http or https.
    case anyHost = "any"
}

/// Why a transfer did not complete. Mapped by the transport from its library's own errors.
public enum TransferFailure: Sendable, Equatable {
    case timeout
    case connectTimeout
    case connectionRefused
    case connectionReset
    case dnsFailure
    case tlsError
    /// The peer answered with something that is not the protocol (garbage, a CSeq that does not match).
    case protocolError
    /// The body went past the request's byte cap, the headers past the transport's, or the transfer held
    /// more than its share of the transport's memory budget.
    case responseTooLarge
    /// A redirect the request's `RedirectPolicy` does not allow (another host, a scheme other than HTTP(S)).
    case redirectRefused
    /// Anything else; the detail says what.
    case other
}

/// Cumulative times from the start of a transfer, in microseconds (0 when a phase was not reached).
public struct TransferPhases: Sendable, Equatable, Codable {
    public var dnsMicroseconds: Int64 = 0
    public var connectMicroseconds: Int64 = 0
    public var tlsMicroseconds: Int64 = 0
    public var firstByteMicroseconds: Int64 = 0
    public var totalMicroseconds: Int64 = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case dnsMicroseconds = "dns_us", connectMicroseconds = "connect_us", tlsMicroseconds = "tls_us"
        case firstByteMicroseconds = "first_byte_us", totalMicroseconds = "total_us"
    }
}

/// What came back: a failure with its detail, or a reply with its status, headers and body.
///
/// A value type; safe to share between threads.
public struct TransferResult: Sendable {
    /// Nil when the exchange completed (whatever its status code).
    public var failure: TransferFailure?
    /// The library's own words on the failure; never holds credentials.
    public var failureDetail: String
    /// HTTP or RTSP status code of the last reply (0 when none).
    public var statusCode: Int
    /// The header lines of the last reply, as received (`Name: value\r\n` each). Kept as bytes and parsed
    /// only when asked: a sweep needs one or two headers of each of 200,000 replies.
    public var headerBlock: [UInt8]
    public var body: [UInt8]
    /// Bytes received in the body, counted past the cap too.
    public var bodyBytes: Int
    public var phases: TransferPhases
    /// When the transfer ended (seconds since 1970, UTC), stamped by the transport as the reply arrived,
    /// so that clock offsets do not include the time a busy machine took to resume the prober; nil from
    /// transports that do not know.
    public var completedAt: Double?
    /// For a 3xx reply with a `Location`, the absolute URL it points to (resolved against the request's URL).
    public var redirectURL: String?
    /// For an `rtspMedia` request: how the session went and what the window showed.
    public var media: MediaExchangeOutcome?

    public init(failure: TransferFailure? = nil, failureDetail: String = "", statusCode: Int = 0,
                headerBlock: [UInt8] = [], body: [UInt8] = [], bodyBytes: Int? = nil, phases: TransferPhases = TransferPhases(),
                completedAt: Double? = nil, redirectURL: String? = nil) {
        self.failure = failure
        self.failureDetail = failureDetail
        self.statusCode = statusCode
        self.headerBlock = headerBlock
        self.body = body
        self.bodyBytes = bodyBytes ?? body.count
        self.phases = phases
        self.completedAt = completedAt
        self.redirectURL = redirectURL
    }

    /// A result with the given header lines (for fakes and tests).
    public init(statusCode: Int, headers: [(name: String, value: String)], body: [UInt8] = [], phases: TransferPhases = TransferPhases()) {
        self.init(statusCode: statusCode, headerBlock: Array(headers.map { "\($0.name): \($0.value)\r\n" }.joined().utf8), body: body,
                  phases: phases)
    }

    /// Every header line, names as sent.
    public var headers: [(name: String, value: String)] {
        headerBlock.split(separator: 10).compactMap { line in
            guard let colon = line.firstIndex(of: 58) else { return nil }
            return (String(decoding: line[..<colon], as: UTF8.self), Self.trimmed(line[(colon + 1)...]))
        }
    }

    /// The first header with this name, case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = Array(name.utf8).map(Self.lowercased)
        var lineStart = headerBlock.startIndex
        while lineStart < headerBlock.endIndex {
            let lineEnd = headerBlock[lineStart...].firstIndex(of: 10) ?? headerBlock.endIndex
            let line = headerBlock[lineStart..<lineEnd]
            if let colon = line.firstIndex(of: 58), colon - lineStart == wanted.count,
               zip(line[lineStart..<colon], wanted).allSatisfy({ Self.lowercased($0) == $1 }) {
                return Self.trimmed(line[(colon + 1)...])
            }
            lineStart = lineEnd + 1
        }
        return nil
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
        var slice = bytes
        while let first = slice.first, first == 32 || first == 9 { slice = slice.dropFirst() }
        while let last = slice.last, last == 32 || last == 9 || last == 13 || last == 10 { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}

/// Performs transfers. `perform` returns when the transfer ends, whatever its outcome; it throws only
/// `CancellationError` (the task was cancelled: the transfer is stopped at once) or when the transfer
/// could not be started at all.
public protocol Transport: Sendable {
    func perform(_ request: TransferRequest) async throws -> TransferResult
    /// Where work that awaits transfers runs best: a transport driven by one thread can run the tasks on
    /// that thread, so a finished transfer resumes its task without waking another. Nil: anywhere.
    var preferredExecutor: (any TaskExecutor)? { get }
}

extension Transport {
    public var preferredExecutor: (any TaskExecutor)? { nil }
}
