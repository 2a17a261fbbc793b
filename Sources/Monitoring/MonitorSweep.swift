import Localization
import Foundation
import PictureQuality
import Probing
import Registry
import StateStore

/// One sweep of a monitor, recorded: the sweep runs, and only if it completed is it turned into
/// observations, applied to the state, appended to the journal (fsynced) and the state file rewritten.
/// A cancelled sweep records nothing, so the state never holds half a sweep.
public struct MonitorSweep: Sendable {
    public let monitor: MonitorDefinition
    public let store: MonitorStore
    public let runner: SweepRunner
    /// The time a sweep starts and finishes at (the machine's clock; a test's own to play a day in minutes).
    public let now: @Sendable () -> Date

    public init(monitor: MonitorDefinition, store: MonitorStore, runner: SweepRunner, now: @escaping @Sendable () -> Date = { Date() }) {
        self.monitor = monitor
        self.store = store
        self.runner = runner
        self.now = now
    }

    /// What a monitor sweep found and changed.
    public struct Result: Sendable {
        public var outcome: SweepOutcome
        public var startedAt: Date
        public var finishedAt: Date
        /// Nil when the sweep was cancelled (nothing was recorded).
        public var entry: SweepEntry?
        public var transitions: [Transition]
        /// The alerts to send, described from the registry.
        public var events: [AlertEvent]
        /// The same alerts as written to the monitor's outbox (nil when there are none).
        public var batch: AlertOutbox.Batch?
        /// The debounced counts after the sweep (before it, when cancelled).
        public var counts: MonitorCounts
        /// Sweeps recorded for this monitor so far.
        public var sweepNumber: Int
        /// Each camera's state in the monitor after the sweep, for its kept sweep (`SweepRecord.apply(_:)`), so
        /// that the kept sweep's verdicts and figures are the monitor's: a frozen picture (which no one check
        /// sees), a media or picture verdict held from the camera's last turn. Shared with the state, not copied.
        public var states: [String: CameraState] = [:]
        /// Whether the monitor holds picture verdicts between turns (a picture share): the kept sweep then
        /// records each working camera's picture as last diagnosed.
        public var holdsPictures = false
        /// For the cameras whose picture has a finding this sweep took no thumbnail of (held from its turn, or
        /// frozen): their last picture signature, in grey.
        public var heldThumbnails: [String: PictureThumbnail] = [:]
    }

    /// The cameras of `inventoryCameras` in the monitor's scope (active ones only).
    public func cameras(in inventoryCameras: [CameraRecord]) -> [CameraRecord] {
        inventoryCameras.filter { $0.status == .active && monitor.scope.contains($0) }
    }

    /// Runs and records one sweep. Holds the monitor's lock throughout: a second process gets
    /// `MonitorStateError.busy` at once rather than a second sweep of the same cameras.
    /// `today` is the date consent is judged on (`SweepPlan`).
    public func run(cameras: [CameraRecord], villages: [VillageCode: Village], credentials: CredentialStore, today: CalendarDate,
                    progress: (SweepProgress) -> Void = { _ in }) async throws(MonitorStateError) -> Result {
        let lock = try store.lock()
        defer { withExtendedLifetime(lock) {} }
        var loaded = try store.load()
        try AlertOutbox(store: store).settle(committedSweeps: loaded.state.sweeps)
        let startedAt = now()
        var plan = SweepPlan(cameras: cameras, credentials: credentials, settings: monitor.settings, today: today)
        // A media share plays the cameras whose turn came since the last recorded sweep started.
        plan.mediaTurn = monitor.mediaShareSeconds.map {
            CheckTurn(periodSeconds: $0, previousSweepStart: loaded.state.lastStartedAt, sweepStart: startedAt, everySeconds: monitor.everySeconds)
        }
        // A picture share the same way; a camera whose picture is repeating is diagnosed every sweep, so that a
        // frozen picture is confirmed, or thaws, at the sweeps' pace and not its turns'.
        plan.pictureTurn = monitor.pictureShareSeconds.map {
            var turn = CheckTurn(periodSeconds: $0, previousSweepStart: loaded.state.lastStartedAt, sweepStart: startedAt,
                                 everySeconds: monitor.everySeconds)
            turn.alsoDue = Set(loaded.state.cameras.lazy.filter { $0.value.snapshotRepeats > 0 }.map(\.key))
            return turn
        }
        let outcome = await runner.run(plan, progress: progress)
        let finishedAt = now()
        guard outcome.complete else {
            return Result(outcome: outcome, startedAt: startedAt, finishedAt: finishedAt, entry: nil, transitions: [], events: [], batch: nil,
                          counts: loaded.state.counts, sweepNumber: loaded.state.sweeps)
        }
        var state = loaded.state
        let rules = StateRules(monitor)
        let (entry, transitions) = state.record(Self.observations(outcome), startedAt: startedAt, finishedAt: finishedAt,
                                                rules: rules, intervalSeconds: monitor.everySeconds,
                                                pictures: Self.pictures(outcome), pictureThresholds: monitor.thresholds.pictureThresholds)
        let byID = Dictionary(outcome.outcomes.map { ($0.camera.id, $0.camera) }, uniquingKeysWith: { first, _ in first })
        let events = transitions.filter { $0.alert != nil }.map { transition in
            let camera = byID[transition.cameraID]
            return AlertEvent(transition, monitor: monitor.name, camera: camera, village: camera.flatMap { villages[$0.village] })
        }
        // The alerts are durable in the same commit as the journal line: none is announced and then lost.
        let batch = try store.commit(entry, state: state, alerts: events, after: &loaded)
        var result = Result(outcome: outcome, startedAt: startedAt, finishedAt: finishedAt, entry: entry, transitions: transitions,
                            events: events, batch: batch, counts: state.counts, sweepNumber: state.sweeps)
        result.states = state.cameras
        result.holdsPictures = rules.holds(.picture)
        for camera in outcome.outcomes {
            let id = camera.camera.id
            guard let kept = state.cameras[id], kept.observed != .offline,
                  kept.frozen || (result.holdsPictures && camera.pictureFindings == nil && kept.heldPicture?.isEmpty == false),
                  !camera.checks.contains(where: { $0.findings.picture?.thumbnail != nil }),
                  let signature = state.pictureSignatures[id] else { continue }
            result.heldThumbnails[id] = PictureThumbnail(signature)
        }
        return result
    }

    /// The recorded state, once what a crash left half committed in the outbox is settled (see
    /// `AlertOutbox.settle`). When another process holds the lock, that one settles it.
    public func recordedState() throws(MonitorStateError) -> MonitorState {
        let lock: MonitorLock
        do {
            lock = try store.lock()
        } catch .busy {
            return try store.load().state
        }
        defer { withExtendedLifetime(lock) {} }
        let loaded = try store.load()
        try AlertOutbox(store: store).settle(committedSweeps: loaded.state.sweeps)
        return loaded.state
    }

    /// `run` with its error as a value: typed throws does not carry through a task's closure.
    public func recorded(cameras: [CameraRecord], villages: [VillageCode: Village], credentials: CredentialStore, today: CalendarDate,
                         progress: (SweepProgress) -> Void = { _ in }) async -> Swift.Result<Result, MonitorStateError> {
        do {
            return .success(try await run(cameras: cameras, villages: villages, credentials: credentials, today: today, progress: progress))
        } catch {
            return .failure(error)
        }
    }

    /// Each camera's verdict, and its snapshot's hash when a snapshot was taken (by the snapshot check, or by
    /// the picture check, whose picture may have a finding and still be a picture).
    static func observations(_ outcome: SweepOutcome) -> [String: (observation: Observation, snapshotHash: String?)] {
        var result: [String: (observation: Observation, snapshotHash: String?)] = [:]
        result.reserveCapacity(outcome.outcomes.count)
        for camera in outcome.outcomes {
            let hash = camera.checks.first {
                ($0.kind == .snapshot && $0.passed) || ($0.kind == .picture && ($0.passed || $0.reason.isPictureFinding))
            }?.findings.contentHash
            var observation = Observation(status: camera.status, reason: camera.reason, detail: camera.detail)
            observation.media = camera.checks.first { $0.kind == .media }.map { $0.passed ? .ok : $0.reason }
            observation.picture = camera.pictureFindings
            result[camera.camera.id] = (observation, hash)
        }
        return result
    }

    /// The picture signatures the picture checks handed back (`PictureProber.recordsSignatures`).
    static func pictures(_ outcome: SweepOutcome) -> [String: PictureSignature] {
        var result: [String: PictureSignature] = [:]
        for camera in outcome.outcomes {
            if let signature = camera.checks.lazy.compactMap(\.pictureSignature).first { result[camera.camera.id] = signature }
        }
        return result
    }

    /// Cameras whose passing checks took longer than `slowSeconds` (end to end, per check).
    public static func slowCameras(_ outcome: SweepOutcome, slowSeconds: Double) -> Int {
        let limit = Int64(slowSeconds * 1_000_000)
        return outcome.outcomes.count { camera in camera.checks.contains { $0.passed && $0.phases.totalMicroseconds > limit } }
    }

    /// One line for a log: `rtsp-public-15m sweep 12: 372/380 working (97.9%), 5 offline (2 new), 1 recovered, …`.
    public func logLine(_ result: Result) -> String {
        let seconds = result.finishedAt.timeIntervalSince(result.startedAt)
        guard result.entry != nil else {
            return "\(AlertEvent.timestamp(result.finishedAt)) " + localized("\(monitor.name): sweep cancelled after \(String(format: "%.1f", seconds)) s; nothing recorded")
        }
        let slow = Self.slowCameras(result.outcome, slowSeconds: monitor.thresholds.slowSeconds)
        let slowText = slow == 0 ? "" : localized(", \(slow) slow (over \(String(format: "%g", monitor.thresholds.slowSeconds)) s)")
        let counts = result.counts
        let alerts = Dictionary(grouping: result.transitions.compactMap(\.alert), by: { $0 }).mapValues(\.count)
        let rate = counts.workingRate.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
        // The timestamp stays ISO 8601 UTC: this is the log line journald and scripts read.
        return "\(AlertEvent.timestamp(result.finishedAt)) " + localized("\(monitor.name) sweep \(result.sweepNumber): \(counts.working)/\(counts.cameras) working (\(rate)), "
            + "\(counts.offline) offline (\(alerts[.offline] ?? 0) new), \(counts.failing) failing, \(alerts[.recovered] ?? 0) recovered, "
            + "\(counts.flapping) flapping, \(counts.frozen) frozen\(slowText); \(String(format: "%.1f", seconds)) s")
    }
}

extension SweepRecord {
    /// Gives a monitor sweep's kept sweep the monitor's verdicts (`MonitorSweep.Result.states`): a frozen
    /// camera is degraded with reason `frozen`, and `frozen` is among its picture's findings when a picture
    /// was judged (图像质量正常率 counts it as not normal); under a share, a camera off its turn takes its held
    /// media or picture verdict, and its picture as last diagnosed. A picture with findings and no thumbnail of
    /// its own gets its signature in grey.
    public mutating func apply(_ result: MonitorSweep.Result) {
        guard !result.states.isEmpty else { return }
        for index in cameras.indices {
            guard let kept = result.states[cameras[index].id] else { continue }
            if kept.observed != cameras[index].status || kept.reason != cameras[index].reason {
                cameras[index].status = kept.observed
                cameras[index].reason = kept.reason
                cameras[index].detail = kept.detail
            }
            // An offline camera took no picture this sweep: none is judged.
            guard kept.observed != .offline else { continue }
            if result.holdsPictures && cameras[index].picture == nil { cameras[index].picture = kept.heldPicture }
            if kept.frozen, let findings = cameras[index].picture, !findings.contains(.frozen) { cameras[index].picture = findings + [.frozen] }
        }
        for (id, thumbnail) in result.heldThumbnails where thumbnails[id] == nil { thumbnails[id] = thumbnail }
    }
}
