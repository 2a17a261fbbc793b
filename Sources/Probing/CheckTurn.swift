import Foundation

/// Which cameras a sweep gives a heavy check when a monitor spreads it over a period (`media_share`,
/// `picture_share`, docs/monitors.md): each camera has a turn once per period, at an offset into it fixed by a hash of its id
/// (FNV-1a 64 of the id, modulo the period in seconds), and a sweep plays the cameras whose turn fell after
/// the start of the sweep before it and up to its own start. Consecutive sweeps' windows meet end to end,
/// so every camera is played once per period whatever the sweeps' jitter, and a restart, a cancelled sweep
/// (which records nothing, so the next one's window begins where the last recorded one's did) or a
/// sweep taking longer than the interval skips no camera. Cheap checks are not affected.
///
/// A value type; safe to share between threads.
public struct CheckTurn: Sendable, Equatable {
    /// The period in which every camera gets its turn, whole seconds.
    public let periodSeconds: Int64
    /// The sweep plays the turns in (`after`, `upTo`], whole seconds since 1970.
    public let after: Int64
    public let upTo: Int64
    /// Cameras given the check in this sweep whatever their turn (a picture share diagnoses every sweep the
    /// cameras whose picture is repeating, so that a frozen picture is confirmed, or thaws, at the sweeps' pace).
    public var alsoDue: Set<String> = []

    /// The turn of the sweep starting at `sweepStart`, after the last recorded sweep of the monitor started at
    /// `previousSweepStart` (none: one interval, `everySeconds`, before).
    public init(periodSeconds: Double, previousSweepStart: Date?, sweepStart: Date, everySeconds: Double) {
        self.periodSeconds = max(1, Int64(periodSeconds.rounded()))
        upTo = Int64(sweepStart.timeIntervalSince1970.rounded(.down))
        let previous = previousSweepStart.map { Int64($0.timeIntervalSince1970.rounded(.down)) } ?? upTo - max(1, Int64(everySeconds.rounded()))
        after = min(previous, upTo)
    }

    /// Seconds into each period at which the camera `id` has its turn.
    public static func offset(of id: String, periodSeconds: Int64) -> Int64 {
        Int64(ContentHash.fnv1a64(Array(id.utf8)) % UInt64(periodSeconds))
    }

    /// Whether the camera `id` has its turn in this sweep.
    public func isDue(_ id: String) -> Bool {
        if upTo - after >= periodSeconds || (!alsoDue.isEmpty && alsoDue.contains(id)) { return true }
        let offset = Self.offset(of: id, periodSeconds: periodSeconds)
        // The latest instant at or before `upTo` that is the camera's turn.
        let since = ((upTo - offset) % periodSeconds + periodSeconds) % periodSeconds
        return upTo - since > after
    }
}
