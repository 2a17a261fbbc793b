import Foundation
import Monitoring
import Probing
import Registry

/// The sweeps kept in the state directory (`STATE/sweeps/*.json`), newest last: the online rate over
/// time, and since when each offline camera has been offline.
public enum SweepHistory {
    /// How many past sweeps are read (each is a whole document; monitoring keeps a journal for longer spans).
    public static let depth = 30

    private struct Document: Decodable {
        struct Camera: Decodable { var id: String; var status: HealthStatus }
        struct Counts: Decodable { var cameras: Int; var online: Int; var degraded: Int }
        var cameras: [Camera]
        var counts: Counts
        var finishedAt: Date
        enum CodingKeys: String, CodingKey { case cameras, counts, finishedAt = "finished_at" }
    }

    /// What the kept sweeps say together.
    public struct Summary: Sendable {
        /// One point per sweep, oldest first.
        public var points: [SweepPoint]
        /// For each camera offline in the newest sweep, the finish time of the first sweep of its unbroken offline run.
        public var offlineSince: [String: Date]
        /// Camera-seconds working and observed between the first and the newest sweep: each sweep's status is
        /// taken to hold until the next one. Zero observed with fewer than two sweeps.
        public var workingSeconds: Double
        public var observedSeconds: Double

        public init(points: [SweepPoint], offlineSince: [String: Date], workingSeconds: Double, observedSeconds: Double) {
            self.points = points
            self.offlineSince = offlineSince
            self.workingSeconds = workingSeconds
            self.observedSeconds = observedSeconds
        }

        /// Availability over the period (online time / observed time), or nil without two sweeps.
        public var availability: Double? { observedSeconds > 0 ? workingSeconds / observedSeconds : nil }
        public var periodStart: Date? { points.first?.finishedAt }
    }

    /// The last `depth` sweeps kept in the state directory.
    public static func load(stateDirectory: String) -> Summary {
        let directory = stateDirectory + "/sweeps"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().suffix(depth)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        // A file that cannot be read is skipped: the history is context, not a record of truth.
        let documents = names.compactMap { name -> Document? in
            guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return nil }
            return try? decoder.decode(Document.self, from: data)
        }
        let points = documents.map {
            SweepPoint(finishedAt: $0.finishedAt, cameras: $0.counts.cameras, working: $0.counts.online + $0.counts.degraded)
        }
        var working = 0.0
        var observed = 0.0
        for (earlier, later) in zip(documents, documents.dropFirst()) {
            let interval = later.finishedAt.timeIntervalSince(earlier.finishedAt)
            guard interval > 0 else { continue }
            observed += interval * Double(earlier.cameras.count)
            working += interval * Double(earlier.cameras.count { $0.status != .offline })
        }
        var since: [String: Date] = [:]
        guard let newest = documents.last else {
            return Summary(points: points, offlineSince: since, workingSeconds: working, observedSeconds: observed)
        }
        var stillOffline = Set(newest.cameras.filter { $0.status == .offline }.map(\.id))
        for id in stillOffline { since[id] = newest.finishedAt }
        for document in documents.dropLast().reversed() where !stillOffline.isEmpty {
            let statuses = Dictionary(document.cameras.map { ($0.id, $0.status) }, uniquingKeysWith: { first, _ in first })
            for id in stillOffline {
                if statuses[id] == .offline { since[id] = document.finishedAt } else { stillOffline.remove(id) }
            }
        }
        return Summary(points: points, offlineSince: since, workingSeconds: working, observedSeconds: observed)
    }

    /// The same summary from a monitor's journal, over its whole kept history rather than 30 documents:
    /// one point per sweep from the counts it recorded, availability from those counts (each sweep's holding
    /// until the next), and offline-since from the debounced states (the first failed sweep).
    public static func load(monitor store: MonitorStore) throws(MonitorStateError) -> Summary {
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
        return Summary(points: points, offlineSince: since, workingSeconds: working, observedSeconds: observed)
    }
}
