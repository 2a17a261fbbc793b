import Localization
import Registry

/// How a sweep runs: which checks, how many at once, how patient, how persistent.
///
/// A value type; safe to share between threads.
public struct SweepSettings: Sendable, Equatable, Codable {
    /// The checks to run where a camera has the endpoint; nil runs every check it has.
    public var checks: [CheckKind]?
    /// Cameras probed at once (each has at most one transfer in flight).
    public var concurrency = 500
    /// Cameras probed at once on one host (the channels of an NVR share its address).
    public var perHost = 4
    public var connectTimeoutSeconds = 3.0
    public var timeoutSeconds = 10.0
    /// Further attempts of a check that failed at the network level (timeout, refused, reset).
    public var retries = 0
    /// Seconds one camera's checks and retries may take together; each transfer also stops at
    /// `timeoutSeconds`. Not written into sweep documents (their format predates it).
    public var budgetSeconds = 20.0
    public var clockSkewThresholdSeconds = 60.0
    public var maximumBodyBytes = 4 << 20
    /// Which HTTP redirects the checks follow. Not written into sweep documents (their format predates it).
    public var redirects = RedirectPolicy.sameHost
    /// Bytes that all transfers in flight may hold at once (bodies and headers), as `--memory-budget` gave
    /// them; nil: `memoryBudget`'s default. Not written into sweep documents.
    public var memoryBudgetBytes: Int?
    /// The media check's window and thresholds. Not written into sweep documents.
    public var media = MediaCheckSettings()
    /// Bits per second that the streams of media checks open at once may take together (`--media-bandwidth`);
    /// nil: no bound but `concurrency`. Not written into sweep documents.
    public var mediaBandwidthBitsPerSecond: Int?

    public init() {}

    /// What the budget is when none is given: 1 MiB a transfer in flight, at least 512 MiB. Half of the budget
    /// is split into one share per transfer (`CurlTransport`), so every transfer may always hold 512 KB, more
    /// than most 1080p snapshots, however high the concurrency: a camera is never failed for a sweep's own
    /// choice of concurrency. A cap, not an allocation: a sweep holds only what its bodies need.
    public static func defaultMemoryBudget(concurrency: Int) -> Int {
        max(512 << 20, concurrency << 20)
    }

    /// The bytes all transfers in flight may hold at once: `memoryBudgetBytes`, or the default for `concurrency`.
    public var memoryBudget: Int { memoryBudgetBytes ?? Self.defaultMemoryBudget(concurrency: concurrency) }

    /// Whether the sweep runs checks of `kind` where a camera has the endpoint: the ones listed, or
    /// every kind that runs by default when none are.
    public func runs(_ kind: CheckKind) -> Bool { checks?.contains(kind) ?? kind.runsByDefault }

    enum CodingKeys: String, CodingKey {
        case checks, concurrency, retries
        case perHost = "per_host", connectTimeoutSeconds = "connect_timeout_s", timeoutSeconds = "timeout_s"
        case clockSkewThresholdSeconds = "clock_skew_threshold_s", maximumBodyBytes = "maximum_body_bytes"
    }

    var probeSettings: ProbeSettings {
        var settings = ProbeSettings()
        settings.connectTimeoutMilliseconds = Int(connectTimeoutSeconds * 1000)
        settings.timeoutMilliseconds = Int(timeoutSeconds * 1000)
        settings.maximumBodyBytes = maximumBodyBytes
        settings.clockSkewThresholdSeconds = clockSkewThresholdSeconds
        settings.redirects = redirects
        settings.media = media
        return settings
    }
}

/// What to sweep: the cameras (already scoped to active ones) and the credentials their profiles name.
/// Consent is applied here, so that no path to the transport can skip it: a citizen camera without consent
/// in force is withheld, one whose consent is for playback only keeps only its device's `host:port`
/// (`ProbeAllowance`).
public struct SweepPlan: Sendable {
    public var cameras: [CameraRecord]
    /// The cameras not probed at all, and why (no consent in force).
    public var withheld: [WithheldCamera]
    public var credentials: CredentialStore
    public var settings: SweepSettings
    /// For a monitor with a media share: which cameras this sweep plays (the others get their other checks
    /// only). Nil: every camera gets the media check when the settings run it.
    public var mediaTurn: CheckTurn?
    /// For a monitor with a picture share: which cameras this sweep diagnoses. The others get the snapshot
    /// check in its place (`runs(_:on:)`). Nil: every camera's picture is diagnosed when the settings run it.
    public var pictureTurn: CheckTurn?

    /// `today` is the Beijing date consent is judged on.
    public init(cameras: [CameraRecord], credentials: CredentialStore, settings: SweepSettings, today: CalendarDate) {
        var allowed: [CameraRecord] = []
        var withheld: [WithheldCamera] = []
        allowed.reserveCapacity(cameras.count)
        for camera in cameras {
            switch camera.probeAllowance(on: today) {
            case .everything: allowed.append(camera)
            case .reachabilityOnly: allowed.append(camera.reachabilityOnly)
            case .nothing(let reason): withheld.append(WithheldCamera(camera: camera, reason: .noConsent, detail: reason.rendered(in: .english)))
            }
        }
        self.cameras = allowed
        self.withheld = withheld
        self.credentials = credentials
        self.settings = settings
    }
}

extension SweepPlan {
    /// Whether the sweep runs checks of `kind` on `camera` (where it has the endpoint): the settings decide,
    /// and for the media and picture checks the camera's turn too. Off its picture turn a camera gets the
    /// snapshot check instead: its feed is still judged, and its bytes still compared for a frozen picture.
    public func runs(_ kind: CheckKind, on camera: CameraRecord) -> Bool {
        switch kind {
        case .media: settings.runs(.media) && (mediaTurn?.isDue(camera.id) ?? true)
        case .picture: settings.runs(.picture) && (pictureTurn?.isDue(camera.id) ?? true)
        case .snapshot: settings.runs(.snapshot) || (settings.runs(.picture) && pictureTurn.map { !$0.isDue(camera.id) } ?? false)
        default: settings.runs(kind)
        }
    }
}

/// A camera in scope that a sweep did not touch, and why.
///
/// A value type; safe to share between threads.
public struct WithheldCamera: Sendable, Equatable {
    public var camera: CameraRecord
    public var reason: ReasonCode
    public var detail: String
}

/// One camera's result in a sweep.
///
/// A value type; safe to share between threads.
public struct CameraOutcome: Sendable, Equatable {
    public var camera: CameraRecord
    public var status: HealthStatus
    public var reason: ReasonCode
    public var detail: String
    public var checks: [CheckResult]

    /// What the picture check found of the camera's picture: nil when it took none (not run, or no picture
    /// fetched and decoded), empty for a normal picture, else its findings.
    public var pictureFindings: [ReasonCode]? {
        guard let reading = checks.first(where: { $0.kind == .picture })?.findings.picture else { return nil }
        return reading.findings.compactMap { ReasonCode(rawValue: $0) }
    }
}

/// Counts while a sweep runs, for a progress line.
public struct SweepProgress: Sendable, Equatable {
    public var done = 0
    public var total = 0
    public var online = 0
    public var degraded = 0
    public var offline = 0
}

/// Everything a sweep found. `complete` is false when it was cancelled: `outcomes` then holds the
/// cameras that finished.
public struct SweepOutcome: Sendable {
    public var outcomes: [CameraOutcome]
    public var total: Int
    public var complete: Bool
    /// The cameras in scope the plan withheld (no consent): not probed, not counted.
    public var withheld: [WithheldCamera]

    public init(outcomes: [CameraOutcome], total: Int, complete: Bool, withheld: [WithheldCamera] = []) {
        self.outcomes = outcomes
        self.total = total
        self.complete = complete
        self.withheld = withheld
    }
}
