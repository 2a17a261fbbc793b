import Foundation
import Probing

/// The kept sweeps of a directory, as `history.tsv` holds them: each sweep's header and the cameras whose
/// status or reason it changed. Replaying the blocks in order gives every sweep's statuses.
struct SweepHistoryLog: Sendable {
    struct Verdict: Sendable, Equatable {
        var status: HealthStatus
        var reason: ReasonCode
    }

    struct Sweep: Sendable {
        var startedAt: Date
        var finishedAt: Date
        var complete: Bool
        var counts: SweepCounts
        /// Camera id → its new verdict, or nil when it left the sweep (retired, out of scope, unfinished).
        var changes: [(id: String, verdict: Verdict?)]
    }

    var sweeps: [Sweep]
    /// The file ended inside a block (a write cut short): that block is not part of the history.
    var tornTail = false

    /// The verdicts after the newest sweep.
    var currentStatuses: [String: Verdict] {
        var statuses: [String: Verdict] = [:]
        for sweep in sweeps { Self.apply(sweep, to: &statuses) }
        return statuses
    }

    static func apply(_ sweep: Sweep, to statuses: inout [String: Verdict]) {
        for change in sweep.changes { statuses[change.id] = change.verdict }
    }

    mutating func append(_ record: SweepRecord) {
        let statuses = currentStatuses
        sweeps.append(Sweep(startedAt: record.startedAt, finishedAt: record.finishedAt, complete: record.complete, counts: record.counts,
                            changes: SweepHistoryFormat.changes(of: record, after: statuses)))
    }

    /// Whether adding `record` should rewrite the file: it holds twice the kept count, or its oldest sweep
    /// is past the age limit. Between rewrites a save appends only its own block.
    func needsCompaction(adding record: SweepRecord, retention: SweepRetention) -> Bool {
        guard let oldest = sweeps.first else { return false }
        return sweeps.count + 1 > 2 * retention.count || record.finishedAt.timeIntervalSince(oldest.finishedAt) > retention.maximumAge
    }

    /// The sweeps `retention` keeps: the newest `count` that are no older than `maximumAge` before the newest.
    func keptRange(_ retention: SweepRetention) -> Range<Int> {
        guard let newest = sweeps.last else { return 0..<0 }
        var start = max(0, sweeps.count - retention.count)
        while start < sweeps.count - 1 && newest.finishedAt.timeIntervalSince(sweeps[start].finishedAt) > retention.maximumAge { start += 1 }
        return start..<sweeps.count
    }

    /// The kept sweeps alone, the first of them holding every camera's verdict at that sweep.
    func compacted(retention: SweepRetention) -> SweepHistoryLog {
        let kept = keptRange(retention)
        guard kept.lowerBound > 0 else { return SweepHistoryLog(sweeps: sweeps) }
        var statuses: [String: Verdict] = [:]
        for sweep in sweeps[...kept.lowerBound] { Self.apply(sweep, to: &statuses) }
        var first = sweeps[kept.lowerBound]
        first.changes = statuses.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return SweepHistoryLog(sweeps: [first] + sweeps[(kept.lowerBound + 1)...])
    }

    func trend(retention: SweepRetention) -> SweepTrend {
        let kept = keptRange(retention)
        guard !kept.isEmpty else { return SweepTrend(points: [], offlineSince: [:], workingSeconds: 0, observedSeconds: 0) }
        var statuses: [String: Verdict] = [:]
        var offlineSince: [String: Date] = [:]
        for index in sweeps.indices {
            let sweep = sweeps[index]
            for change in sweep.changes {
                let wasOffline = statuses[change.id]?.status == .offline
                statuses[change.id] = change.verdict
                if change.verdict?.status == .offline {
                    if !wasOffline { offlineSince[change.id] = sweep.finishedAt }
                } else {
                    offlineSince[change.id] = nil
                }
            }
        }
        // A run that began before the kept sweeps is dated from the first of them.
        let windowStart = sweeps[kept.lowerBound].finishedAt
        for (id, since) in offlineSince where since < windowStart { offlineSince[id] = windowStart }
        let window = sweeps[kept]
        var working = 0.0
        var observed = 0.0
        for (earlier, later) in zip(window, window.dropFirst()) {
            let interval = later.finishedAt.timeIntervalSince(earlier.finishedAt)
            guard interval > 0 else { continue }
            observed += interval * Double(earlier.counts.probed)
            working += interval * Double(earlier.counts.working)
        }
        let points = window.map { SweepPoint(finishedAt: $0.finishedAt, cameras: $0.counts.cameras, working: $0.counts.working) }
        return SweepTrend(points: points, offlineSince: offlineSince, workingSeconds: working, observedSeconds: observed)
    }
}

/// `xueliang.sweep-history/1`, specified in docs/state.md.
enum SweepHistoryFormat {
    static let formatLine = "xueliang.sweep-history/1"

    /// The cameras of `record` whose verdict differs from `statuses`, and those of `statuses` it lacks.
    static func changes(of record: SweepRecord, after statuses: [String: SweepHistoryLog.Verdict]) -> [(id: String, verdict: SweepHistoryLog.Verdict?)] {
        var changes: [(id: String, verdict: SweepHistoryLog.Verdict?)] = []
        var seen = Set<String>()
        seen.reserveCapacity(record.cameras.count)
        for camera in record.cameras {
            seen.insert(camera.id)
            let verdict = SweepHistoryLog.Verdict(status: camera.status, reason: camera.reason)
            if statuses[camera.id] != verdict { changes.append((camera.id, verdict)) }
        }
        for id in statuses.keys.sorted() where !seen.contains(id) { changes.append((id, nil)) }
        return changes
    }

    /// The block a save appends for `record`.
    static func block(for record: SweepRecord, after statuses: [String: SweepHistoryLog.Verdict]) -> [UInt8] {
        let counts = record.counts
        return block(SweepHistoryLog.Sweep(startedAt: record.startedAt, finishedAt: record.finishedAt, complete: record.complete,
                                           counts: counts, changes: changes(of: record, after: statuses)))
    }

    static func block(_ sweep: SweepHistoryLog.Sweep) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + 48 * sweep.changes.count)
        let counts = sweep.counts
        out += Array(("sweep\t\(Timestamp.text(sweep.startedAt))\t\(Timestamp.text(sweep.finishedAt))\t\(sweep.complete ? 1 : 0)"
            + "\t\(counts.cameras)\t\(counts.online)\t\(counts.degraded)\t\(counts.offline)\n").utf8)
        for change in sweep.changes {
            out += change.id.utf8
            out.append(9)
            if let verdict = change.verdict {
                out += verdict.status.rawValue.utf8
                out.append(9)
                out += verdict.reason.rawValue.utf8
            } else {
                out += [45, 9, 45]
            }
            out.append(10)
        }
        out += Array("end\n".utf8)
        return out
    }

    static func render(_ log: SweepHistoryLog) -> [UInt8] {
        var out = Array((formatLine + "\n").utf8)
        for sweep in log.sweeps { out += block(sweep) }
        return out
    }

    static func parse(_ bytes: [UInt8], path: String) throws(StateError) -> SweepHistoryLog {
        // A last line without its newline was cut short by a crash: it never happened.
        let whole = bytes.last == 10 || bytes.isEmpty
        var lines = TSVLines(whole ? bytes : Array(bytes[..<((bytes.lastIndex(of: 10) ?? -1) + 1)]))
        guard let first = lines.next(), first.text == formatLine else {
            throw .damaged(path: path, line: 1, reason: "not a \(formatLine) file")
        }
        var log = SweepHistoryLog(sweeps: [])
        var open: SweepHistoryLog.Sweep?
        var fields: [Substring] = []
        while let line = lines.next() {
            if line.text == "end" {
                guard let sweep = open else { throw .damaged(path: path, line: line.number, reason: "'end' outside a sweep") }
                log.sweeps.append(sweep)
                open = nil
                continue
            }
            line.split(into: &fields)
            if fields.first == "sweep" {
                guard open == nil else { throw .damaged(path: path, line: line.number, reason: "a sweep begins inside another") }
                guard fields.count == 8, let startedAt = Timestamp.date(String(fields[1])), let finishedAt = Timestamp.date(String(fields[2])),
                      fields[3] == "0" || fields[3] == "1", let cameras = Int(fields[4]), let online = Int(fields[5]),
                      let degraded = Int(fields[6]), let offline = Int(fields[7]), [cameras, online, degraded, offline].allSatisfy({ $0 >= 0 }) else {
                    throw .damaged(path: path, line: line.number, reason: "a sweep line needs two times, complete 0/1 and four counts")
                }
                open = SweepHistoryLog.Sweep(startedAt: startedAt, finishedAt: finishedAt, complete: fields[3] == "1",
                                             counts: SweepCounts(cameras: cameras, online: online, degraded: degraded, offline: offline), changes: [])
                continue
            }
            guard open != nil else { throw .damaged(path: path, line: line.number, reason: "a camera line outside a sweep") }
            guard fields.count == 3, !fields[0].isEmpty else {
                throw .damaged(path: path, line: line.number, reason: "expected id, status and reason")
            }
            if fields[1] == "-" && fields[2] == "-" {
                open!.changes.append((String(fields[0]), nil))
            } else if let status = Vocabulary.statuses[fields[1]], let reason = Vocabulary.reasons[fields[2]] {
                open!.changes.append((String(fields[0]), SweepHistoryLog.Verdict(status: status, reason: reason)))
            } else {
                throw .damaged(path: path, line: line.number, reason: "'\(fields[1])' '\(fields[2])' is not a status and a reason")
            }
        }
        // A block without its end was cut short by a crash: it never happened.
        log.tornTail = open != nil || !whole
        return log
    }
}
