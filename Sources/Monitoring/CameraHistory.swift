import Foundation
import StateStore

/// One camera's record in a monitor over a period, replayed from the journal: its transitions, and its
/// availability (working time / observed time, each sweep's verdict holding until the next sweep).
///
/// A value type; safe to share between threads.
public struct CameraHistory: Sendable {
    public var monitor: String
    public var cameraID: String
    public var periodStart: Date
    /// The last sweep of the monitor (the period ends there: nothing is known after it).
    public var periodEnd: Date?
    public var transitions: [Transition] = []
    public var observedSeconds = 0.0
    public var workingSeconds = 0.0
    /// Sweeps in the period that had the camera in scope.
    public var sweeps = 0
    /// Its state now; nil when the monitor does not (or no longer) watch it.
    public var current: CameraState?

    /// Availability over the period, or nil when the camera was not observed across two sweeps in it.
    public var availability: Double? { observedSeconds > 0 ? workingSeconds / observedSeconds : nil }

    /// Replays `store`'s journal for `cameraID` alone, from `since`: its state follows the same rules as
    /// the monitor's (an unlisted sweep continues it), without the cost of every other camera.
    public static func load(store: MonitorStore, cameraID: String, since: Date) throws(MonitorStateError) -> CameraHistory {
        var history = CameraHistory(monitor: store.monitor, cameraID: cameraID, periodStart: since)
        var camera: CameraState?
        // The previous sweep, and the camera's verdict after it.
        var previous: (entry: SweepEntry, working: Bool?)?
        try store.records { record in
            switch record {
            case .header:
                return
            case .base(let base):
                camera = base.cameras[cameraID]
                previous = nil
            case .sweep(let entry):
                if let previous, let working = previous.working {
                    let end = previous.entry.finishedAt.addingTimeInterval(previous.entry.observedSeconds(until: entry.finishedAt))
                    let length = end.timeIntervalSince(max(previous.entry.finishedAt, since))
                    if length > 0 {
                        history.observedSeconds += length
                        if working { history.workingSeconds += length }
                    }
                }
                var transitions: [Transition] = []
                if entry.dropped.contains(cameraID) {
                    camera = nil
                } else if let observation = entry.changed[cameraID] {
                    var state = camera ?? CameraState(since: entry.finishedAt)
                    transitions = state.apply(observation, at: entry.finishedAt, rules: entry.rules, cameraID: cameraID)
                    camera = state
                } else if var state = camera {
                    transitions = state.apply(state.continuation, at: entry.finishedAt, rules: entry.rules, cameraID: cameraID)
                    camera = state
                }
                previous = (entry, camera.map { $0.observed != .offline })
                if entry.finishedAt >= since {
                    if camera != nil { history.sweeps += 1 }
                    history.transitions += transitions
                }
                history.periodEnd = entry.finishedAt
            }
        }
        history.current = camera
        return history
    }
}
