import Registry

/// A camera's state after a sweep.
public enum HealthStatus: String, Sendable, Codable, CaseIterable, Comparable {
    case online, degraded, offline

    public static func < (lhs: HealthStatus, rhs: HealthStatus) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Judges a camera from its checks. The primary video check is `rtsp` if the camera has it, else
/// `snapshot`, else `hls`, else `tcp` (else `onvif`, else `media`): offline when it fails; degraded when
/// it passes but another check fails or the clock is off by more than the threshold; online otherwise.
/// A media check that found no video flowing (`no-media`, `stream-stalled`) makes the camera offline
/// whatever the others say; one that found poor video (`no-keyframe`, `low-fps`) makes it degraded, and so
/// does a picture finding (`signal-loss`, `too-dark`…: the feed works, the picture does not).
public enum CameraHealth {
    public static let primaryOrder: [CheckKind] = [.rtsp, .snapshot, .hls, .tcp, .onvif, .media, .picture]

    public struct Verdict: Sendable, Equatable {
        public var status: HealthStatus
        public var reason: ReasonCode
        public var detail: String
    }

    /// The verdict from the checks that ran (at least one).
    public static func evaluate(_ checks: [CheckResult], clockSkewThresholdSeconds: Double) -> Verdict {
        guard let primary = primaryOrder.lazy.compactMap({ kind in checks.first { $0.kind == kind } }).first else {
            return Verdict(status: .offline, reason: .transferError, detail: "no check could run")
        }
        // A picture check that fetched a picture and found fault with it says the feed works: degraded.
        if !primary.passed && !(primary.kind == .media && !Self.meansNoVideo(primary.reason)) && !primary.reason.isPictureFinding {
            return Verdict(status: .offline, reason: primary.reason, detail: "\(primary.kind.rawValue): \(primary.detail)")
        }
        if let media = checks.first(where: { $0.kind == .media && !$0.passed && Self.meansNoVideo($0.reason) }) {
            return Verdict(status: .offline, reason: media.reason, detail: "media: \(media.detail)")
        }
        if let failed = checks.first(where: { !$0.passed }) {
            return Verdict(status: .degraded, reason: failed.reason, detail: "\(failed.kind.rawValue): \(failed.detail)")
        }
        if let skewed = checks.first(where: { abs($0.findings.clockOffsetSeconds ?? 0) > clockSkewThresholdSeconds }) {
            let offset = Int(skewed.findings.clockOffsetSeconds!.rounded())
            return Verdict(status: .degraded, reason: .clockSkew,
                           detail: "\(skewed.kind.rawValue): camera clock is \(abs(offset)) s \(offset > 0 ? "ahead" : "behind")")
        }
        return Verdict(status: .online, reason: .ok, detail: "")
    }

    /// Whether a failed media check means that no video flows (as opposed to video that is poor).
    public static func meansNoVideo(_ reason: ReasonCode) -> Bool {
        reason != .noKeyframe && reason != .lowFPS
    }
}
