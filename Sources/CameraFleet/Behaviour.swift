/// How one simulated camera answers: healthy, or one of the faults a real video network shows.
///
/// The same behaviour applies on the HTTP and the RTSP port of the camera's address unless a case says
/// otherwise. Each case has a stable name (``name``) used by map files, patterns and the command line.
public enum CameraBehaviour: Sendable, Hashable, CustomStringConvertible {
    /// Serves a changing JPEG snapshot, HLS playlists, ONVIF time and an RTSP stream description.
    case healthy
    /// Accepts and reads, but never answers; the connection stays open until the client gives up.
    case blackhole
    /// Resets every connection right after accepting it (the client sees a TCP RST).
    case reset
    /// Answers any request with about 200 bytes that are neither HTTP nor RTSP, then closes.
    case garbage
    /// Requires HTTP Basic credentials (401 otherwise), then behaves healthy.
    case authBasic
    /// Requires HTTP Digest (MD5, qop=auth) credentials (401 otherwise), then behaves healthy.
    case authDigest
    /// Answers every HTTP and RTSP request with 503 Service Unavailable.
    case serverError
    /// RTSP DESCRIBE answers 404 (OPTIONS still works); the HTTP snapshot answers 404.
    case rtspNotFound
    /// The snapshot URL answers 200 with an HTML page instead of a JPEG.
    case htmlInsteadOfJPEG
    /// The snapshot is a JPEG cut off before its EOI marker (Content-Length matches the short body).
    case truncatedJPEG
    /// HTTP answers 200 image/jpeg with no Content-Length and never stops sending; RTSP DESCRIBE likewise.
    case endlessBody
    /// The RTSP session description carries only an audio track.
    case sdpWithoutVideo
    /// Date headers and the ONVIF clock are shifted by this many seconds.
    case clockSkew(seconds: Int)
    /// Every response is delayed by this many milliseconds.
    case slow(milliseconds: Int)
    /// The snapshot is byte-for-byte identical on every request (a camera whose image froze).
    case frozen
    /// RTSP replies carry the request's CSeq plus 1000.
    case badCSeq
    /// The HLS playlist URLs answer 200 with text that does not start with `#EXTM3U`.
    case badPlaylist
    /// A valid snapshot of about 100 KB (padded with comment segments): more than one receive buffer.
    case largeSnapshot
    /// HTTP GETs answer `302` to an `rtsp://` URL on the same address: a scheme a prober must not follow.
    case redirectToRefusedScheme
    /// HTTP GETs answer `302` to the same path on the next address (another host), same port.
    case redirectToAnotherHost
    /// HTTP GETs answer `302` to `/moved` plus the path, a relative Location on the same host, which is
    /// then served as `healthy` would.
    case redirectOnSameHost
    /// The status line, then header lines that never end (HTTP and RTSP).
    case endlessHeaders
    /// The status line, then one byte of a header line every 100 ms, forever (HTTP and RTSP).
    case slowloris
    /// Replies declare `Content-Length: 1073741824` and then send without end: a 1 GB snapshot, a 1 GB SDP.
    case hugeContentLength
    /// Accepts connections and never reads from them (nor writes); only a client's close ends them.
    case neverReads
    /// RTSP SETUP and PLAY answer 200, then no RTP ever comes (an encoder that hung; the stream limit reached).
    case mediaNone
    /// RTP at 25 fps for 5 frames after PLAY (a keyframe first), then nothing; the session stays open.
    case mediaStall
    /// RTP at 25 fps with parameter sets but never a keyframe (IDR).
    case mediaNoKeyframe
    /// The SDP announces `a=framerate:25`; RTP comes at 5 fps.
    case mediaLowFPS
    /// SETUP answers `interleaved=10-11` whatever was asked (as some NVRs number their channels), and the
    /// RTP comes on channel 10.
    case mediaOtherChannel
    /// Healthy, but the snapshot is the picture given as `--picture NAME=FILE` (a dark, blurred or covered
    /// scene, say), stamped with a frame counter like the default snapshot.
    case picture(name: String)

    /// The skew `clock-skew` means when its name gives no number.
    public static let defaultClockSkewSeconds = 300
    /// The delay `slow` means when its name gives no number.
    public static let defaultSlowMilliseconds = 1500

    /// One of each behaviour, with the default arguments: handy for table tests and help texts.
    public static let catalogue: [CameraBehaviour] = [
        .healthy, .blackhole, .reset, .garbage, .authBasic, .authDigest, .serverError, .rtspNotFound,
        .htmlInsteadOfJPEG, .truncatedJPEG, .endlessBody, .sdpWithoutVideo,
        .clockSkew(seconds: defaultClockSkewSeconds), .slow(milliseconds: defaultSlowMilliseconds),
        .frozen, .badCSeq, .badPlaylist, .largeSnapshot, .redirectToRefusedScheme, .redirectToAnotherHost, .redirectOnSameHost,
        .endlessHeaders, .slowloris, .hugeContentLength, .neverReads, .mediaNone, .mediaStall, .mediaNoKeyframe, .mediaLowFPS,
        .mediaOtherChannel,
    ]

    /// The behaviours meant to break a prober: every one must end in a bounded time with a failed check,
    /// and must not disturb the healthy cameras swept with it.
    public static let hostile: [CameraBehaviour] = [
        .garbage, .endlessBody, .badCSeq, .redirectToRefusedScheme, .redirectToAnotherHost, .endlessHeaders, .slowloris,
        .hugeContentLength, .neverReads, .blackhole, .reset,
    ]

    /// Parses a behaviour name such as `healthy`, `auth-digest`, `clock-skew`, `clock-skew:-60`,
    /// `slow`, `slow:250` or `picture:dark`. Returns nil for an unknown name or a malformed argument.
    public init?(name: String) {
        if name.hasPrefix("picture:") {
            let pictureName = name.dropFirst("picture:".count)
            guard Self.isPictureName(pictureName) else { return nil }
            self = .picture(name: String(pictureName))
            return
        }
        let parts = name.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let base = parts[0]
        let argument: Int?
        if parts.count == 2 {
            // A colon promises a number; "slow:" or "slow:abc" is a typo, not the default.
            guard let number = Int(parts[1]) else { return nil }
            argument = number
        } else {
            argument = nil
        }
        switch base {
        case "clock-skew":
            self = .clockSkew(seconds: argument ?? Self.defaultClockSkewSeconds)
            return
        case "slow":
            let milliseconds = argument ?? Self.defaultSlowMilliseconds
            guard milliseconds >= 0 else { return nil }
            self = .slow(milliseconds: milliseconds)
            return
        default:
            break
        }
        guard argument == nil else { return nil }
        switch base {
        case "healthy": self = .healthy
        case "blackhole": self = .blackhole
        case "reset": self = .reset
        case "garbage": self = .garbage
        case "auth-basic": self = .authBasic
        case "auth-digest": self = .authDigest
        case "server-error": self = .serverError
        case "rtsp-404": self = .rtspNotFound
        case "html": self = .htmlInsteadOfJPEG
        case "truncated-jpeg": self = .truncatedJPEG
        case "endless": self = .endlessBody
        case "no-video": self = .sdpWithoutVideo
        case "frozen": self = .frozen
        case "bad-cseq": self = .badCSeq
        case "bad-playlist": self = .badPlaylist
        case "large-snapshot": self = .largeSnapshot
        case "redirect-scheme": self = .redirectToRefusedScheme
        case "redirect-host": self = .redirectToAnotherHost
        case "redirect-same": self = .redirectOnSameHost
        case "endless-headers": self = .endlessHeaders
        case "slowloris": self = .slowloris
        case "huge-length": self = .hugeContentLength
        case "never-reads": self = .neverReads
        case "media-none": self = .mediaNone
        case "media-stall": self = .mediaStall
        case "media-no-keyframe": self = .mediaNoKeyframe
        case "media-low-fps": self = .mediaLowFPS
        case "media-channel": self = .mediaOtherChannel
        default: return nil
        }
    }

    /// The stable name; parameterised cases always print their argument (`clock-skew:300`, `slow:1500`)
    /// so that `CameraBehaviour(name: b.name) == b` holds for every behaviour.
    public var name: String {
        switch self {
        case .healthy: "healthy"
        case .blackhole: "blackhole"
        case .reset: "reset"
        case .garbage: "garbage"
        case .authBasic: "auth-basic"
        case .authDigest: "auth-digest"
        case .serverError: "server-error"
        case .rtspNotFound: "rtsp-404"
        case .htmlInsteadOfJPEG: "html"
        case .truncatedJPEG: "truncated-jpeg"
        case .endlessBody: "endless"
        case .sdpWithoutVideo: "no-video"
        case .clockSkew(let seconds): "clock-skew:\(seconds)"
        case .slow(let milliseconds): "slow:\(milliseconds)"
        case .frozen: "frozen"
        case .badCSeq: "bad-cseq"
        case .badPlaylist: "bad-playlist"
        case .largeSnapshot: "large-snapshot"
        case .redirectToRefusedScheme: "redirect-scheme"
        case .redirectToAnotherHost: "redirect-host"
        case .redirectOnSameHost: "redirect-same"
        case .endlessHeaders: "endless-headers"
        case .slowloris: "slowloris"
        case .hugeContentLength: "huge-length"
        case .neverReads: "never-reads"
        case .mediaNone: "media-none"
        case .mediaStall: "media-stall"
        case .mediaNoKeyframe: "media-no-keyframe"
        case .mediaLowFPS: "media-low-fps"
        case .mediaOtherChannel: "media-channel"
        case .picture(let name): "picture:\(name)"
        }
    }

    /// Whether `text` can name a picture: letters, digits, `-` and `_`, so that it fits map files and patterns.
    public static func isPictureName(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.count <= 64
            && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
    }

    /// The same as ``name``.
    public var description: String { name }

    /// Seconds added to every clock this camera shows (zero unless `clock-skew`).
    var clockOffsetSeconds: Int {
        if case .clockSkew(let seconds) = self { return seconds }
        return 0
    }

    /// Milliseconds every response waits (zero unless `slow`).
    var responseDelayMilliseconds: Int {
        if case .slow(let milliseconds) = self { return milliseconds }
        return 0
    }
}
