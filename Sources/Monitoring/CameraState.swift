import Localization
import Foundation
import Probing

/// A camera's debounced ("hard") state in a monitor. `unknown` until the camera has either worked once
/// or failed enough sweeps in a row to be flagged.
public enum MonitorStatus: String, Sendable, Codable, CaseIterable {
    case unknown, online, degraded, offline
}

/// What one sweep saw of one camera, reduced to what the state machine needs.
///
/// A value type; safe to share between threads.
public struct Observation: Sendable, Equatable, Codable {
    public var status: HealthStatus
    public var reason: ReasonCode
    public var detail: String
    /// The snapshot repeated the one of the sweep before: the same bytes, or the same picture cell by cell
    /// (on-screen clock aside) while the fleet's pictures changed (a frozen picture is a broken camera).
    public var sameSnapshot: Bool
    /// The picture repeated the one before, but so did most of the fleet's (a still night): no evidence either
    /// way, so a run of repeats neither grows nor breaks.
    public var pictureHeld: Bool
    /// What the media check said when it ran in this sweep (`ok` or its failure); nil when it did not run (a
    /// media share's other sweeps): the camera's last media verdict then holds (`CameraState.heldMedia`).
    public var media: ReasonCode?
    /// What the picture check found when it diagnosed the picture in this sweep (empty: normal); nil when it
    /// took no picture (a picture share's other sweeps): the camera's last picture verdict then holds
    /// (`CameraState.heldPicture`).
    public var picture: [ReasonCode]?

    public init(status: HealthStatus, reason: ReasonCode, detail: String = "", sameSnapshot: Bool = false, pictureHeld: Bool = false) {
        self.status = status
        self.reason = reason
        self.detail = detail
        self.sameSnapshot = sameSnapshot
        self.pictureHeld = pictureHeld
    }

    enum CodingKeys: String, CodingKey { case status, reason, detail, sameSnapshot = "same_snapshot", pictureHeld = "picture_held", media, picture }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(HealthStatus.self, forKey: .status)
        reason = try container.decode(ReasonCode.self, forKey: .reason)
        detail = try container.decodeIfPresent(String.self, forKey: .detail) ?? ""
        sameSnapshot = try container.decodeIfPresent(Bool.self, forKey: .sameSnapshot) ?? false
        pictureHeld = try container.decodeIfPresent(Bool.self, forKey: .pictureHeld) ?? false
        media = try container.decodeIfPresent(ReasonCode.self, forKey: .media)
        picture = try container.decodeIfPresent([ReasonCode].self, forKey: .picture)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(reason, forKey: .reason)
        if !detail.isEmpty { try container.encode(detail, forKey: .detail) }
        if sameSnapshot { try container.encode(true, forKey: .sameSnapshot) }
        if pictureHeld { try container.encode(true, forKey: .pictureHeld) }
        if let media { try container.encode(media, forKey: .media) }
        if let picture { try container.encode(picture, forKey: .picture) }
    }
}

/// The rules a monitor judges by, recorded with every sweep in the journal so that replaying the journal
/// gives the same states even after the monitor file changed.
public struct StateRules: Sendable, Equatable, Codable {
    public var offlineAfter: Int
    public var frozenAfter: Int
    public var flappingTransitions: Int
    public var flappingWindow: Int
    /// The checks whose verdict holds between a camera's turns (those the monitor shares out: `media_share`,
    /// `picture_share`). A check not shared holds nothing, so a monitor that stops sharing one, or drops it,
    /// leaves no verdict standing that no sweep will ever renew.
    public var heldChecks: [CheckKind]

    public init(offlineAfter: Int = 2, frozenAfter: Int = 3, flappingTransitions: Int = 4, flappingWindow: Int = 10,
                heldChecks: [CheckKind] = []) {
        self.offlineAfter = offlineAfter
        self.frozenAfter = frozenAfter
        self.flappingTransitions = flappingTransitions
        self.flappingWindow = flappingWindow
        self.heldChecks = heldChecks
    }

    /// A monitor's rules: its thresholds, and the checks it shares out.
    public init(_ monitor: MonitorDefinition) {
        let thresholds = monitor.thresholds
        self.init(offlineAfter: thresholds.offlineAfter, frozenAfter: thresholds.frozenAfter,
                  flappingTransitions: thresholds.flappingTransitions, flappingWindow: thresholds.flappingWindow,
                  heldChecks: (monitor.mediaShareSeconds == nil ? [] : [.media]) + (monitor.pictureShareSeconds == nil ? [] : [.picture]))
    }

    public func holds(_ kind: CheckKind) -> Bool { heldChecks.contains(kind) }

    enum CodingKeys: String, CodingKey {
        case offlineAfter = "offline_after", frozenAfter = "frozen_after"
        case flappingTransitions = "flapping_transitions", flappingWindow = "flapping_window", heldChecks = "held_checks"
    }

    /// Journal lines written before `held_checks` held a camera's media verdict whatever the monitor: they
    /// replay as they were judged.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        offlineAfter = try container.decode(Int.self, forKey: .offlineAfter)
        frozenAfter = try container.decode(Int.self, forKey: .frozenAfter)
        flappingTransitions = try container.decode(Int.self, forKey: .flappingTransitions)
        flappingWindow = try container.decode(Int.self, forKey: .flappingWindow)
        heldChecks = try container.decodeIfPresent([CheckKind].self, forKey: .heldChecks) ?? [.media]
    }
}

/// One camera's state in a monitor, after the sweeps so far.
///
/// A value type; safe to share between threads.
public struct CameraState: Sendable, Equatable, Codable {
    /// The debounced status, and since when it holds. An offline camera's `since` is its first failed sweep.
    public var status: MonitorStatus = .unknown
    public var since: Date
    /// The last sweep's own verdict (before debouncing; `frozen` applied).
    public var observed: HealthStatus = .online
    public var reason: ReasonCode = .ok
    /// The detail of the sweep that first gave the current reason (later sweeps' wording is not kept).
    public var detail: String = ""
    public var consecutiveFailures = 0
    /// The first failed sweep of the current run of failures.
    public var failingSince: Date?
    public var lastSuccess: Date?
    /// Sweeps in a row whose snapshot equalled the one before.
    public var snapshotRepeats = 0
    /// One bit per sweep, newest lowest: whether the camera went from working to not working or back.
    public var changeBits: UInt64 = 0
    public var flapping = false
    /// What the last alert told people: that the camera is offline, that its picture is frozen. Alerts are
    /// sent when the state differs from what was last told, so the state a flapping camera settles in, or a
    /// thawed picture, is always announced.
    public var announcedOffline = false
    public var announcedFrozen = false
    /// The failure the camera's last media check found (`no-media`, `low-fps`…), nil when it passed or never
    /// ran. With a media share the camera is played once a period: its verdict holds over the sweeps in
    /// between, which run the cheap checks only, so that they do not turn a camera without video back online.
    public var heldMedia: ReasonCode?
    /// What the camera's last picture diagnosis found (empty: a normal picture), nil when none was made. With
    /// a picture share it holds over the sweeps in between, which check the snapshot only: a dark or covered
    /// camera stays degraded, and the figures count its picture as it was last seen.
    public var heldPicture: [ReasonCode]?

    public init(since: Date) { self.since = since }

    /// Changes between working and not working within the last `window` sweeps.
    public func flapCount(window: Int) -> Int {
        (changeBits & (window >= 64 ? ~0 : (UInt64(1) << UInt64(window)) - 1)).nonzeroBitCount
    }

    public var frozen: Bool { reason == .frozen }

    enum CodingKeys: String, CodingKey {
        case status, since, observed, reason, detail, flapping
        case consecutiveFailures = "consecutive_failures", failingSince = "failing_since", lastSuccess = "last_success"
        case snapshotRepeats = "snapshot_repeats", changeBits = "change_bits"
        case announcedOffline = "announced_offline", announcedFrozen = "announced_frozen", heldMedia = "held_media", heldPicture = "held_picture"
    }

    /// Reads a state written by any version: the announcement flags came later, and a state without them
    /// is taken to have announced what it shows (so an upgrade re-sends nothing).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(MonitorStatus.self, forKey: .status)
        since = try container.decode(Date.self, forKey: .since)
        observed = try container.decode(HealthStatus.self, forKey: .observed)
        reason = try container.decode(ReasonCode.self, forKey: .reason)
        detail = try container.decodeIfPresent(String.self, forKey: .detail) ?? ""
        consecutiveFailures = try container.decodeIfPresent(Int.self, forKey: .consecutiveFailures) ?? 0
        failingSince = try container.decodeIfPresent(Date.self, forKey: .failingSince)
        lastSuccess = try container.decodeIfPresent(Date.self, forKey: .lastSuccess)
        snapshotRepeats = try container.decodeIfPresent(Int.self, forKey: .snapshotRepeats) ?? 0
        changeBits = try container.decodeIfPresent(UInt64.self, forKey: .changeBits) ?? 0
        flapping = try container.decodeIfPresent(Bool.self, forKey: .flapping) ?? false
        announcedOffline = try container.decodeIfPresent(Bool.self, forKey: .announcedOffline) ?? (status == .offline)
        announcedFrozen = try container.decodeIfPresent(Bool.self, forKey: .announcedFrozen) ?? (reason == .frozen)
        heldMedia = try container.decodeIfPresent(ReasonCode.self, forKey: .heldMedia)
        heldPicture = try container.decodeIfPresent([ReasonCode].self, forKey: .heldPicture)
    }
}

/// What happened to a camera in one sweep that people may need to know: a change of debounced status, or
/// a flag raised. `alert` is set for the changes that page someone.
///
/// A value type; safe to share between threads.
public struct Transition: Sendable, Equatable {
    public enum Alert: String, Sendable, Codable, CaseIterable {
        case offline, recovered, flapping, frozen
    }

    public var cameraID: String
    public var at: Date
    public var from: MonitorStatus
    public var to: MonitorStatus
    public var reason: ReasonCode
    public var detail: String
    /// When the camera's current trouble began (its first failed sweep, or the frozen picture's first sweep).
    public var since: Date
    public var alert: Alert?
}

extension CameraState {
    /// The observation a sweep gives when nothing about the camera changed; the journal lists only the
    /// cameras whose observation differs from this.
    var continuation: Observation { Observation(status: observed == .degraded && reason == .frozen ? .online : observed,
                                                reason: reason == .frozen ? .ok : reason) }

    /// `observation` with the camera's held media and picture verdicts laid over it, for the checks `rules`
    /// hold, where it brings no verdict of its own for them and says better: a held failure stands until the
    /// camera's next turn.
    func withHeldVerdicts(_ observation: Observation, rules: StateRules) -> Observation {
        var verdict = observation
        if observation.media == nil, rules.holds(.media), let held = heldMedia {
            let heldStatus: HealthStatus = CameraHealth.meansNoVideo(held) ? .offline : .degraded
            if heldStatus > verdict.status {
                verdict.status = heldStatus
                verdict.reason = held
                verdict.detail = "media: \(held.rawValue) at its last media check, which holds until its next turn"
            }
        }
        // A picture is judged only when one was taken: an offline camera's last finding stays unspoken.
        if observation.picture == nil, rules.holds(.picture), let held = heldPicture?.first, verdict.status == .online {
            verdict.status = .degraded
            verdict.reason = held
            verdict.detail = "picture: \(held.rawValue) at its last picture check, which holds until its next turn"
        }
        return verdict
    }

    /// Whether taking `one` or `other` leaves the same state: the journal may then list the cheaper one.
    func appliesAlike(_ one: Observation, _ other: Observation, at: Date, rules: StateRules, cameraID: String) -> Bool {
        var left = self, right = self
        return left.apply(one, at: at, rules: rules, cameraID: cameraID) == right.apply(other, at: at, rules: rules, cameraID: cameraID)
            && left == right
    }

    /// Takes one sweep's observation at `at`, under `rules`, and returns what changed.
    mutating func apply(_ observation: Observation, at: Date, rules: StateRules, cameraID: String) -> [Transition] {
        var transitions: [Transition] = []
        let wasWorking = observed != .offline
        let previousStatus = status

        // A sweep that reached no camera took no picture, and one in which the whole fleet stood still proves
        // nothing: neither breaks nor extends a run of one picture.
        if observation.status != .offline && !observation.pictureHeld {
            snapshotRepeats = observation.sameSnapshot ? snapshotRepeats + 1 : 0
        }
        var verdict = observation
        // A picture unchanged over `frozenAfter` sweeps: the socket answers but the camera does not work.
        let isFrozen = observation.status != .offline && snapshotRepeats >= rules.frozenAfter - 1
        if isFrozen {
            verdict.status = .degraded
            verdict.reason = .frozen
            verdict.detail = "snapshot unchanged over \(snapshotRepeats + 1) sweeps"
        }
        // A shared check's last failure holds until the camera's next turn, over a better verdict of the cheap checks.
        if !rules.holds(.media) { heldMedia = nil } else if let media = observation.media { heldMedia = media == .ok ? nil : media }
        if !rules.holds(.picture) { heldPicture = nil } else if let picture = observation.picture { heldPicture = picture }
        verdict = withHeldVerdicts(verdict, rules: rules)
        if verdict.status != observed || verdict.reason != reason { detail = verdict.detail }
        observed = verdict.status
        reason = verdict.reason

        let isWorking = verdict.status != .offline
        changeBits = (changeBits << 1) | (isWorking != wasWorking && previousStatus != .unknown ? 1 : 0)
        let wasFlapping = flapping
        flapping = flapCount(window: rules.flappingWindow) >= rules.flappingTransitions

        if isWorking {
            consecutiveFailures = 0
            failingSince = nil
            lastSuccess = at
            let newStatus: MonitorStatus = verdict.status == .online ? .online : .degraded
            if newStatus != status {
                status = newStatus
                since = at
            }
        } else {
            consecutiveFailures += 1
            if failingSince == nil { failingSince = at }
            if status != .offline && consecutiveFailures >= rules.offlineAfter {
                status = .offline
                since = failingSince ?? at
            }
        }

        // While a camera flaps, one flapping alert stands in for its stream of offline/recovered alerts;
        // when it stops, whatever differs from the last announcement is announced.
        var alert: Transition.Alert?
        var alertSince = at
        if flapping && !wasFlapping {
            alert = .flapping
        } else if !flapping {
            if status == .offline && !announcedOffline {
                alert = .offline
                alertSince = since
                announcedOffline = true
            } else if isWorking && status != .unknown && (announcedOffline || (announcedFrozen && !isFrozen)) {
                alert = .recovered
                announcedOffline = false
                announcedFrozen = isFrozen
            } else if isFrozen && !announcedFrozen {
                alert = .frozen
                announcedFrozen = true
            }
        }
        if alert != nil || status != previousStatus {
            transitions.append(Transition(cameraID: cameraID, at: at, from: previousStatus, to: status, reason: reason, detail: detail,
                                          since: alert == nil && status == .offline ? since : alertSince, alert: alert))
        }
        return transitions
    }
}

extension MonitorStatus {
    /// 未知 / 在线 / 异常 / 离线 in Chinese.
    public var localizedName: String { Vocabulary.name("status", rawValue) }
}
