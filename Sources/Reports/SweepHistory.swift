import Foundation
import Monitoring
import Probing
import Registry
import StateStore

/// The trend of a monitor's sweeps, from its journal: over its whole kept history rather than the 30 sweeps
/// a sweep directory keeps.
public enum MonitorTrend {
    /// One point per sweep from the counts it recorded, availability from those counts (each sweep's holding
    /// until the next), and offline-since from the debounced states (the first failed sweep).
    public static func load(monitor store: MonitorStore) throws(MonitorStateError) -> SweepTrend {
        var points: [SweepPoint] = []
        var working = 0.0
        var observed = 0.0
        var previous: SweepEntry?
        try store.sweeps { entry in
            if let previous {
                let interval = previous.observedSeconds(until: entry.finishedAt)
                if interval > 0 {
                    observed += interval * Double(previous.counts.cameras)
                    working += interval * Double(previous.counts.working)
                }
            }
            points.append(SweepPoint(finishedAt: entry.finishedAt, cameras: entry.counts.cameras, working: entry.counts.working))
            previous = entry
        }
        let state = try store.load().state
        let since = state.cameras.filter { $0.value.status == .offline }.mapValues(\.since)
        return SweepTrend(points: points, offlineSince: since, workingSeconds: working, observedSeconds: observed)
    }
}
