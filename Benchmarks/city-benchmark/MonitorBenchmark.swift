import Foundation
import Monitoring
import Probing

/// City-scale cost of a monitor's bookkeeping: recording a sweep of `cameras` cameras (journal line and state
/// file), loading the state, rebuilding it from the journal, and replaying it for one camera's history.
/// `churn` of the cameras change verdict in each sweep.
struct MonitorBenchmark {
    var cameras = 200_000
    var sweeps = 8
    var churn = 0.02
    /// Cameras going offline together in the last sweep (a mass outage: one alert each).
    var outage = 10_000

    func run(in directory: String) throws {
        let store = MonitorStore(stateDirectory: directory, monitor: "city")
        let ids = (0..<cameras).map { String(format: "450128%08d%06d", $0 / 110, $0) }
        var generator = SystemRandomNumberGenerator()
        var loaded = try store.load()
        var recordSeconds: [Double] = []
        var commitSeconds: [Double] = []
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        for sweep in 0..<sweeps {
            var observations: [String: (observation: Observation, snapshotHash: String?)] = [:]
            observations.reserveCapacity(cameras)
            for id in ids {
                let failing = sweep > 0 && Double.random(in: 0..<1, using: &generator) < churn
                observations[id] = (failing ? Observation(status: .offline, reason: .timeout, detail: "timed out")
                                            : Observation(status: .online, reason: .ok), String(UInt64.random(in: 0...UInt64.max, using: &generator), radix: 16))
            }
            var state = loaded.state
            var entry: SweepEntry!
            let at = start.addingTimeInterval(Double(sweep) * 900)
            recordSeconds.append(seconds {
                entry = state.record(observations, startedAt: at, finishedAt: at.addingTimeInterval(30), rules: StateRules()).entry
            })
            commitSeconds.append(try seconds { try store.commit(entry, state: state, after: &loaded) })
        }
        let journalBytes = (try FileManager.default.attributesOfItem(atPath: store.journalPath)[.size] as? Int) ?? 0
        let stateBytes = (try FileManager.default.attributesOfItem(atPath: store.statePath)[.size] as? Int) ?? 0
        let reading = try seconds { _ = try Data(contentsOf: URL(fileURLWithPath: store.statePath)) }
        let loading = try seconds { _ = try store.load() }
        try FileManager.default.removeItem(atPath: store.statePath)
        let rebuilding = try seconds { _ = try store.load() }
        let history = try seconds { _ = try CameraHistory.load(store: store, cameraID: ids[cameras / 2], since: start) }
        // A mass outage: `outage` cameras offline at once, each an alert. The batch is staged inside the
        // commit, so the commit's time is the time until those alerts are safe.
        var afterOutage = try store.load()
        var observations: [String: (observation: Observation, snapshotHash: String?)] = [:]
        for (index, id) in ids.enumerated() {
            observations[id] = index < outage ? (Observation(status: .offline, reason: .timeout, detail: "timed out"), nil)
                : (Observation(status: .online, reason: .ok), nil)
        }
        var state = afterOutage.state
        let at = start.addingTimeInterval(Double(sweeps) * 900)
        let (entry, transitions) = state.record(observations, startedAt: at, finishedAt: at.addingTimeInterval(30), rules: StateRules(offlineAfter: 1))
        let events = transitions.filter { $0.alert != nil }.map { AlertEvent($0, monitor: "city", camera: nil, village: nil) }
        let serialising = seconds { _ = AlertEvent.document(events, monitor: "city", sentAt: at) }
        let outageCommit = try seconds { try store.commit(entry, state: state, alerts: events, after: &afterOutage) }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        print("""
            monitor bookkeeping at city scale: \(cameras) cameras, \(sweeps) sweeps, \(Int(churn * 100))% changing per sweep
            journal \(journalBytes / 1024) KiB (first line holds every camera), state file \(stateBytes / 1_048_576) MiB
            | step                                   | seconds | × reading the state file |
            |----------------------------------------|---------|--------------------------|
            | reference: read the state file's bytes | \(format(reading))   | 1.0 |
            | record a sweep (median: delta + apply) | \(format(median(recordSeconds)))   | \(String(format: "%.1f", median(recordSeconds) / reading)) |
            | commit (journal line + state file)     | \(format(median(commitSeconds)))   | \(String(format: "%.1f", median(commitSeconds) / reading)) |
            | load (state file)                      | \(format(loading))   | \(String(format: "%.1f", loading / reading)) |
            | rebuild from the journal               | \(format(rebuilding))   | \(String(format: "%.1f", rebuilding / reading)) |
            | one camera's history (full replay)     | \(format(history))   | \(String(format: "%.1f", history / reading)) |
            | mass outage: \(events.count) alerts' document       | \(format(serialising))   | \(String(format: "%.1f", serialising / reading)) |
            | mass outage: commit, alerts staged     | \(format(outageCommit))   | \(String(format: "%.1f", outageCommit / reading)) |
            """)
    }
}
