import PictureQuality
import Registry

/// The kinds of check a camera can get, one prober each.
public enum CheckKind: String, Sendable, CaseIterable, Codable, Comparable {
    case tcp, snapshot, rtsp, hls, onvif
    /// PLAYs the RTSP stream and reads its RTP for a few seconds: heavy, so run only when asked for.
    case media
    /// Fetches the snapshot and diagnoses the picture (black, too dark, colour cast…): run when asked for.
    case picture

    /// Whether a sweep that names no checks runs this one (every kind but `media` and `picture`).
    public var runsByDefault: Bool { self != .media && self != .picture }

    public static func < (lhs: CheckKind, rhs: CheckKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Why a check passed or failed: a stable vocabulary used in text and JSON (documented in docs/sweep.md).
public enum ReasonCode: String, Sendable, CaseIterable, Codable {
    case ok
    case timeout
    case connectTimeout = "connect-timeout"
    case connectionRefused = "connection-refused"
    case connectionReset = "connection-reset"
    case dnsFailure = "dns-failure"
    case tlsError = "tls-error"
    case httpStatus = "http-status"
    case rtspStatus = "rtsp-status"
    /// 401 and the camera has no credential profile.
    case authRequired = "auth-required"
    /// 401 although credentials were sent.
    case authFailed = "auth-failed"
    /// Garbage, or an RTSP CSeq that does not match.
    case protocolError = "protocol-error"
    case notJPEG = "not-jpeg"
    case truncatedJPEG = "truncated-jpeg"
    case responseTooLarge = "response-too-large"
    /// A redirect to another host or to a scheme other than HTTP(S), which the sweep does not follow.
    case redirectRefused = "redirect-refused"
    case noVideoTrack = "no-video-track"
    case badPlaylist = "bad-playlist"
    case clockSkew = "clock-skew"
    /// The NVR this camera is a channel of is offline; the camera itself was not probed.
    case parentOffline = "parent-offline"
    /// The same snapshot bytes over several sweeps (set by monitoring, not by one check).
    case frozen
    /// A citizen camera without consent in force: not probed, not counted as offline.
    case noConsent = "no-consent"
    /// Picture diagnosis (the `picture` check): the feed works, the picture does not (docs/sweep.md).
    case signalLoss = "signal-loss"
    case tooDark = "too-dark"
    case tooBright = "too-bright"
    case lowContrast = "low-contrast"
    case colourCast = "colour-cast"
    case blur
    case occlusion
    case sceneChange = "scene-change"
    /// PLAY succeeded but no RTP arrived within the stall limit.
    case noMedia = "no-media"
    /// RTP arrived, then stopped (nothing for the stall limit, or the connection ended) within the window.
    case streamStalled = "stream-stalled"
    /// H.264/H.265 frames arrived but no keyframe (IDR, IRAP) within the window: no picture can be decoded.
    case noKeyframe = "no-keyframe"
    /// Frames per second below the check's fraction of what the SDP's `a=framerate` announces.
    case lowFPS = "low-fps"
    /// A transfer failed for a reason none of the above names.
    case transferError = "transfer-error"

    /// The reason a transfer failure gives.
    public init(_ failure: TransferFailure) {
        switch failure {
        case .timeout: self = .timeout
        case .connectTimeout: self = .connectTimeout
        case .connectionRefused: self = .connectionRefused
        case .connectionReset: self = .connectionReset
        case .dnsFailure: self = .dnsFailure
        case .tlsError: self = .tlsError
        case .protocolError: self = .protocolError
        case .responseTooLarge: self = .responseTooLarge
        case .redirectRefused: self = .redirectRefused
        case .other: self = .transferError
        }
    }
}

/// What a check learned about the camera beyond pass/fail.
public struct CheckFindings: Sendable, Equatable, Codable {
    /// Camera clock minus ours, in seconds (from ONVIF, or from a reply's Date header).
    public var clockOffsetSeconds: Double?
    public var width: Int?
    public var height: Int?
    /// `ContentHash.fingerprint` of the snapshot bytes, hex: equal hashes over sweeps mean a frozen picture.
    public var contentHash: String?
    /// Media tracks in the SDP, e.g. `video H264/90000`.
    public var tracks: [String]?
    /// The video codec from `a=rtpmap`, e.g. `H264`.
    public var codec: String?
    /// Segments or variants in an HLS playlist.
    public var playlistEntries: Int?
    /// What the media check's receive window showed (its picture size is in `width` and `height`).
    public var media: MediaReading?
    /// What the picture check measured (`picture`).
    public var picture: PictureReading?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case clockOffsetSeconds = "clock_offset_s", width, height, contentHash = "content_hash", tracks, codec
        case playlistEntries = "playlist_entries", media, picture
    }
}

/// One check of one camera: a failed probe is data, not an error.
///
/// A value type; safe to share between threads.
public struct CheckResult: Sendable, Equatable, Codable {
    public var kind: CheckKind
    public var passed: Bool
    public var reason: ReasonCode
    /// A human sentence: which step failed and why.
    public var detail: String
    public var phases: TransferPhases
    public var statusCode: Int?
    public var bytes: Int
    public var findings: CheckFindings
    /// Attempts made (1 + retries used).
    public var attempts: Int
    /// A picture check asked to record references: this snapshot's `ReferencePicture`, encoded, when the
    /// picture was normal. Never written into documents.
    public var newReference: [UInt8]? = nil
    /// A picture check asked for signatures (a monitor's sweep): the snapshot's luma signature, for the
    /// monitor to see a frozen picture. Never written into documents.
    public var pictureSignature: PictureSignature? = nil

    public init(kind: CheckKind, passed: Bool, reason: ReasonCode, detail: String, phases: TransferPhases = TransferPhases(),
                statusCode: Int? = nil, bytes: Int = 0, findings: CheckFindings = CheckFindings(), attempts: Int = 1) {
        self.kind = kind
        self.passed = passed
        self.reason = reason
        self.detail = detail
        self.phases = phases
        self.statusCode = statusCode
        self.bytes = bytes
        self.findings = findings
        self.attempts = attempts
    }

    enum CodingKeys: String, CodingKey {
        case kind, passed, reason, detail, phases, bytes, findings, attempts
        case statusCode = "status_code"
    }

    /// The check failed because its transfer failed (no usable reply).
    public static func failed(_ kind: CheckKind, _ result: TransferResult, step: String) -> CheckResult {
        let failure = result.failure ?? .other
        return CheckResult(kind: kind, passed: false, reason: ReasonCode(failure),
                           detail: "\(step): \(result.failureDetail.isEmpty ? ReasonCode(failure).rawValue : result.failureDetail)",
                           phases: result.phases, statusCode: result.statusCode == 0 ? nil : result.statusCode, bytes: result.bodyBytes)
    }
}

/// What a prober needs besides the camera: limits and the credentials the camera's profile names.
///
/// A value type; safe to share between threads.
public struct ProbeSettings: Sendable {
    public var connectTimeoutMilliseconds = 3_000
    public var timeoutMilliseconds = 10_000
    public var maximumBodyBytes = 4 << 20
    /// A clock off by more than this makes a camera degraded (`clock-skew`).
    public var clockSkewThresholdSeconds = 60.0
    /// Which redirects HTTP checks follow.
    public var redirects = RedirectPolicy.sameHost
    /// How the media check receives and judges a stream.
    public var media = MediaCheckSettings()

    public init() {}
}

/// The media check's window and thresholds. A value type; safe to share between threads.
public struct MediaCheckSettings: Sendable, Equatable {
    /// The longest a stream is read after PLAY: GOPs are often 2-4 s, so a keyframe comes within 4 s.
    public var windowMilliseconds = 4_000
    /// Nothing for this long after PLAY is `no-media`; after packets, `stream-stalled`.
    public var stallMilliseconds = 3_000
    /// The window ends early once a keyframe and this many frames arrived.
    public var framesWanted = 10
    /// Below this fraction of the announced frame rate is `low-fps`.
    public var lowFPSFraction = 0.5
    /// Rest between receive rounds (see the transport); 0 reads back to back.
    public var receivePaceMilliseconds = 50

    public init() {}
}

/// One camera's probe, as the sweep runner hands it to a prober.
public struct ProbeTarget: Sendable {
    public var camera: CameraRecord
    public var credential: CredentialProfile?
    public var settings: ProbeSettings

    public init(camera: CameraRecord, credential: CredentialProfile?, settings: ProbeSettings) {
        self.camera = camera
        self.credential = credential
        self.settings = settings
    }

    /// A request to `url` with the target's limits, credentials and TLS choice.
    public func request(_ url: String, _ operation: TransferRequest.Operation) -> TransferRequest {
        // A URL's own user:pass@ is never used (validate refuses it): credentials come from the profile.
        TransferRequest(url: EndpointURL.withoutUserInfo(url), operation: operation, connectTimeoutMilliseconds: settings.connectTimeoutMilliseconds,
                        timeoutMilliseconds: settings.timeoutMilliseconds, maximumBodyBytes: settings.maximumBodyBytes,
                        username: credential?.username, password: credential?.password, verifyTLS: camera.verifyTLS,
                        redirects: settings.redirects)
    }
}

/// A check of one kind. Each prober is one small file; the sweep runner owns deadlines, concurrency
/// and retries. `probe` returns a result for every outcome and throws only on cancellation.
public protocol Prober: Sendable {
    var kind: CheckKind { get }
    /// The endpoint this check needs, or nil when the camera has none.
    func endpoint(of camera: CameraRecord) -> String?
    func probe(_ target: ProbeTarget, endpoint: String, transport: any Transport) async throws -> CheckResult
}
