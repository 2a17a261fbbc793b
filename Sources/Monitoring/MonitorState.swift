import Foundation
import PictureQuality
import Probing
import Registry

/// One complete sweep as the journal keeps it: when, under which rules, and only the cameras whose
/// observation differs from what their state predicts (see `CameraState.continuation`), plus the cameras
/// that left the monitor's scope. Replaying entries in order rebuilds every camera's state exactly.
///
/// A value type; safe to share between threads.
public struct SweepEntry: Sendable, Equatable, Codable {
    public struct Counts: Sendable, Equatable, Codable {
        public var cameras = 0
        /// Working in this sweep (online or degraded, frozen counted as degraded).
        public var working = 0
        public var degraded = 0
        /// Flagged offline (debounced) after this sweep.
        public var offline = 0
        public init() {}
    }

    public var startedAt: Date
    public var finishedAt: Date
    /// The monitor's interval when the sweep ran: availability does not stretch a verdict across more than
    /// twice this (a watch that was stopped observed nothing).
    public var intervalSeconds: Double?
    public var rules: StateRules
    public var counts = Counts()
    public var changed: [String: Observation] = [:]
    public var dropped: [String] = []

    enum CodingKeys: String, CodingKey {
        case startedAt = "started_at", finishedAt = "finished_at", intervalSeconds = "interval_s", rules, counts, changed, dropped
    }

    /// How long this sweep's verdicts are taken to hold when the next sweep finished at `next`: the gap,
    /// but at most twice the monitor's interval (beyond that the monitor was not watching).
    public func observedSeconds(until next: Date) -> Double {
        let gap = next.timeIntervalSince(finishedAt)
        return intervalSeconds.map { min(gap, 2 * $0) } ?? gap
    }
}

/// Everything a monitor knows now: one state per camera in its scope. Built by applying sweep entries,
/// so the journal alone can always rebuild it.
///
/// A value type; safe to share between threads.
public struct MonitorState: Sendable, Equatable {
    public var cameras: [String: CameraState] = [:]
    /// The last snapshot hash per camera, to see a frozen picture. Kept in the state file only: the
    /// journal records "same as before" instead, so a state rebuilt from the journal starts comparing anew.
    public var snapshotHashes: [String: String] = [:]
    /// The last picture's luma signature per camera, to see a frozen picture whose on-screen clock still
    /// changes its bytes. Kept in its own file (`pictures.bin`), like the hashes not in the journal.
    public var pictureSignatures: [String: PictureSignature] = [:]
    public var sweeps = 0
    /// More sweeps than any monitor records (at one a second, 30,000 years): a count read beyond it is damage,
    /// and below it no counter that grows by one a sweep can overflow.
    public static let maximumSweeps = 1 << 40
    public var lastStartedAt: Date?
    public var lastFinishedAt: Date?

    public init() {}

    /// Records a complete sweep: its observations (id → what was seen, and the snapshot hash if any) and the
    /// signatures of the pictures taken become a journal entry, which is applied. Returns the entry to append
    /// and what changed.
    ///
    /// A picture repeats the camera's last one when its bytes are the same, or when its signature is the same
    /// cell by cell (`PictureDiagnosis.repeats` under `pictureThresholds`, which leaves out a small region
    /// such as the on-screen clock) while the fleet moved: at least half of the cameras whose pictures could
    /// be compared changed (the median camera). When most of the fleet stood still (a quiet night), an
    /// unchanged picture is no evidence either way (`Observation.pictureHeld`).
    public mutating func record(_ observations: [String: (observation: Observation, snapshotHash: String?)], startedAt: Date,
                                finishedAt: Date, rules: StateRules, intervalSeconds: Double? = nil,
                                pictures: [String: PictureSignature] = [:],
                                pictureThresholds: PictureThresholds = PictureThresholds()) -> (entry: SweepEntry, transitions: [Transition]) {
        var entry = SweepEntry(startedAt: Self.wholeSecond(startedAt), finishedAt: Self.wholeSecond(finishedAt),
                               intervalSeconds: intervalSeconds, rules: rules)
        var pictureRepeats: [String: Bool] = [:]
        for (id, signature) in pictures {
            guard let previous = pictureSignatures[id], previous.cellsWide == signature.cellsWide,
                  previous.cellsHigh == signature.cellsHigh else { continue }
            pictureRepeats[id] = PictureDiagnosis.repeats(signature, previous: previous, thresholds: pictureThresholds)
        }
        let fleetMoved = !pictureRepeats.isEmpty && pictureRepeats.values.count(where: { !$0 }) * 2 >= pictureRepeats.count
        for (id, seen) in observations {
            var observation = seen.observation
            // A repeating camera with no known hash has had its state rebuilt from the journal (which keeps no
            // hashes): the picture is taken to be the same for this one sweep rather than thawing every frozen
            // feed. Without its signature (`pictures.bin` lost), the run is held for a sweep instead.
            let repeating = (cameras[id]?.snapshotRepeats ?? 0) > 0
            let known = snapshotHashes[id]
            let sameBytes = seen.snapshotHash != nil && (seen.snapshotHash == known || (known == nil && repeating))
            let samePicture = pictureRepeats[id] == true
            let lostSignature = pictures[id] != nil && pictureSignatures[id] == nil && repeating
            observation.sameSnapshot = sameBytes || (samePicture && fleetMoved)
            observation.pictureHeld = !observation.sameSnapshot && ((samePicture && !fleetMoved) || lostSignature)
            // An unshared check's verdict holds nothing, and a shared one's that repeats what the camera's state
            // holds changes nothing: neither is written to the journal. "Changes nothing" is tried, not assumed:
            // the line must replay to the same state.
            let before = cameras[id] ?? CameraState(since: entry.finishedAt)
            if observation.media != nil, !rules.holds(.media) { observation.media = nil }
            if observation.picture != nil, !rules.holds(.picture) { observation.picture = nil }
            if let media = observation.media, media == (before.heldMedia ?? .ok) {
                var without = observation
                without.media = nil
                if before.appliesAlike(observation, without, at: entry.finishedAt, rules: rules, cameraID: id) { observation = without }
            }
            if let picture = observation.picture, picture == before.heldPicture {
                var without = observation
                without.picture = nil
                if before.appliesAlike(observation, without, at: entry.finishedAt, rules: rules, cameraID: id) { observation = without }
            }
            if let state = cameras[id] {
                let expected = state.continuation
                if observation.status == expected.status && observation.reason == expected.reason && !observation.sameSnapshot
                    && !observation.pictureHeld && observation.media == nil && observation.picture == nil {
                    continue
                }
                // A camera whose held verdict stands over its cheap checks' better one is not listed again every
                // sweep when its continuation replays to the same state.
                if observation.media == nil && observation.picture == nil && (state.heldMedia != nil || state.heldPicture?.isEmpty == false)
                    && state.appliesAlike(observation, expected, at: entry.finishedAt, rules: rules, cameraID: id) {
                    continue
                }
            }
            entry.changed[id] = observation
        }
        entry.dropped = cameras.keys.filter { observations[$0] == nil }.sorted()
        let transitions = apply(entry)
        // A sweep without a picture keeps the last one's hash and signature, to compare the next picture with.
        for (id, seen) in observations where seen.snapshotHash != nil || seen.observation.status != .offline {
            snapshotHashes[id] = seen.snapshotHash
        }
        // Under a picture share, a camera off its turn took no signature either: its last one waits for its next turn.
        for (id, seen) in observations where pictures[id] != nil || (seen.observation.status != .offline && !rules.holds(.picture)) {
            pictureSignatures[id] = pictures[id]
        }
        for id in entry.dropped {
            snapshotHashes[id] = nil
            pictureSignatures[id] = nil
        }
        // Recorders are not cameras in any figure (their channels are).
        for (id, state) in cameras where !DeviceCode.isRecorder(id: id) {
            entry.counts.cameras += 1
            if state.observed != .offline { entry.counts.working += 1 }
            if state.observed == .degraded { entry.counts.degraded += 1 }
            if state.status == .offline { entry.counts.offline += 1 }
        }
        return (entry, transitions)
    }

    /// Applies one journal entry: cameras listed take their observation, the others continue as they were,
    /// dropped ones are forgotten. Returns the transitions, ordered by camera id.
    @discardableResult
    public mutating func apply(_ entry: SweepEntry) -> [Transition] {
        for id in entry.dropped { cameras[id] = nil }
        var transitions: [Transition] = []
        // In place, through the values' indices: a lookup per camera, or iterating the keys while writing,
        // would cost a copy or a hash of every one of a city's 200,000 ids per sweep.
        var index = cameras.startIndex
        while index != cameras.endIndex {
            let id = cameras.keys[index]
            if entry.changed[id] == nil {
                let observation = cameras.values[index].continuation
                transitions += cameras.values[index].apply(observation, at: entry.finishedAt, rules: entry.rules, cameraID: id)
            }
            index = cameras.index(after: index)
        }
        for (id, observation) in entry.changed.sorted(by: { $0.key < $1.key }) {
            var state = cameras[id] ?? CameraState(since: entry.finishedAt)
            transitions += state.apply(observation, at: entry.finishedAt, rules: entry.rules, cameraID: id)
            cameras[id] = state
        }
        sweeps += 1
        lastStartedAt = entry.startedAt
        lastFinishedAt = entry.finishedAt
        return transitions.sorted { $0.cameraID < $1.cameraID }
    }

    /// Counts over the cameras' debounced states; recorders are not counted (their channels are).
    public var counts: MonitorCounts {
        var counts = MonitorCounts()
        for (id, state) in cameras where !DeviceCode.isRecorder(id: id) {
            counts.cameras += 1
            switch state.status {
            case .online: counts.online += 1
            case .degraded: counts.degraded += 1
            case .offline: counts.offline += 1
            case .unknown: counts.unknown += 1
            }
            if state.status != .offline && state.consecutiveFailures > 0 { counts.failing += 1 }
            if state.flapping { counts.flapping += 1 }
            if state.frozen { counts.frozen += 1 }
        }
        return counts
    }

    /// Journal times are whole seconds, so a state read back from JSON equals the one in memory.
    static func wholeSecond(_ date: Date) -> Date { Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)) }
}

/// How many cameras of a monitor are in each debounced state.
public struct MonitorCounts: Sendable, Equatable {
    public var cameras = 0
    public var online = 0
    public var degraded = 0
    /// Flagged offline: failed `offline_after` sweeps in a row.
    public var offline = 0
    /// Never seen working and not yet failed enough sweeps to be flagged.
    public var unknown = 0
    /// Failed the last sweep(s) but not (yet) flagged offline.
    public var failing = 0
    public var flapping = 0
    public var frozen = 0

    public init() {}

    public var working: Int { online + degraded }
    /// Working cameras over all cameras, or nil when there are none.
    public var workingRate: Double? { cameras > 0 ? Double(working) / Double(cameras) : nil }
}
