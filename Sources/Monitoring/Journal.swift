import Foundation
import StateStore

/// The journal's first line: what it is and which generation (a compaction starts a new one, so a state
/// file written for the old journal is never applied to the new).
struct JournalHeader: Codable, Equatable {
    var schema = "xueliang.journal/1"
    var monitor: String
    var generation: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey { case schema, monitor, generation, createdAt = "created_at" }
}

/// Every camera's state at the start of a compacted journal: the net effect of the sweeps dropped.
struct JournalBase: Codable, Equatable {
    var cameras: [String: CameraState]
    var sweeps: Int
    var lastStartedAt: Date?
    var lastFinishedAt: Date?

    enum CodingKeys: String, CodingKey {
        case cameras, sweeps, lastStartedAt = "last_started_at", lastFinishedAt = "last_finished_at"
    }
}

/// One line of the journal, with its bytes (compaction copies kept lines unchanged).
struct JournalRecord {
    enum Kind {
        case header(JournalHeader)
        case base(JournalBase)
        case sweep(SweepEntry)
    }

    var kind: Kind
    var bytes: [UInt8]

    /// `{"type": "...", "<type>": {...}}`: one object per line, the type first to read.
    private struct Line: Codable {
        var type: String
        var header: JournalHeader?
        var base: JournalBase?
        var sweep: SweepEntry?
    }

    /// The line for `kind`, newline included.
    static func encode(_ kind: Kind) -> [UInt8] {
        let line: Line = switch kind {
        case .header(let header): Line(type: "header", header: header)
        case .base(let base): Line(type: "base", base: base)
        case .sweep(let entry): Line(type: "sweep", sweep: entry)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Encoding plain Codable values into JSON cannot fail.
        return Array(try! encoder.encode(line)) + [10]
    }

    static func decode(_ bytes: [UInt8]) -> Kind? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let line = try? decoder.decode(Line.self, from: Data(bytes)) else { return nil }
        switch line.type {
        case "header": return line.header.flatMap { $0.isPlausible ? .header($0) : nil }
        case "base": return line.base.flatMap { $0.isPlausible ? .base($0) : nil }
        case "sweep": return line.sweep.flatMap { $0.isPlausible ? .sweep($0) : nil }
        default: return nil
        }
    }
}

/// What a journal line must hold to be replayed without trapping or writing a state file that cannot be
/// read back: numbers within what a monitor can record, dates a state file can keep, ids and a
/// generation without the state file's separators. A line that fails is damage (or a torn last write).
enum JournalBounds {
    static func isPlausible(_ date: Date) -> Bool {
        let seconds = date.timeIntervalSince1970
        return seconds >= 0 && seconds <= Double(StateFile.latestTime)
    }

    static func isPlausible(_ date: Date?) -> Bool { date.map(isPlausible) ?? true }

    /// A camera id or a generation: nothing the state file uses as a separator, and not empty.
    static func isPlausible(name: String) -> Bool {
        !name.isEmpty && !name.utf8.contains { $0 < 0x20 || $0 == 0x7f }
    }

    static func isPlausible(_ camera: CameraState, sweeps: Int) -> Bool {
        (0...sweeps).contains(camera.consecutiveFailures) && (0...sweeps).contains(camera.snapshotRepeats)
            && isPlausible(camera.since) && isPlausible(camera.failingSince) && isPlausible(camera.lastSuccess)
    }
}

extension JournalHeader {
    var isPlausible: Bool { JournalBounds.isPlausible(name: generation) && JournalBounds.isPlausible(createdAt) }
}

extension JournalBase {
    var isPlausible: Bool {
        (0...MonitorState.maximumSweeps).contains(sweeps) && JournalBounds.isPlausible(lastStartedAt) && JournalBounds.isPlausible(lastFinishedAt)
            && cameras.allSatisfy { JournalBounds.isPlausible(name: $0.key) && JournalBounds.isPlausible($0.value, sweeps: sweeps) }
    }
}

extension SweepEntry {
    /// The rules within the monitor file's own ranges (docs/monitors.md), the dates and interval sane.
    var isPlausible: Bool {
        (1...100).contains(rules.offlineAfter) && (2...1000).contains(rules.frozenAfter) && (2...1000).contains(rules.flappingTransitions)
            && (2...64).contains(rules.flappingWindow) && JournalBounds.isPlausible(startedAt) && JournalBounds.isPlausible(finishedAt)
            && intervalSeconds.map { $0.isFinite && $0 >= 0 } ?? true
            && changed.keys.allSatisfy(JournalBounds.isPlausible(name:)) && dropped.allSatisfy(JournalBounds.isPlausible(name:))
    }
}

/// Reads a journal's records in order (`JournalFile.Reader`: buffered, a torn last line ends it, damage
/// before the end is reported with its line number), and checks its header.
struct JournalReader {
    private var lines: JournalFile.Reader<JournalRecord.Kind>

    init(path: String) throws(MonitorStateError) {
        lines = try JournalFile.Reader(path: path, decode: JournalRecord.decode)
    }

    var path: String { lines.path }
    var fileSize: Int { lines.fileSize }
    var offset: Int { lines.offset }
    var validBytes: Int { lines.validBytes }

    /// The header, or nil when the journal is empty or its first line was torn.
    mutating func header() throws(MonitorStateError) -> JournalHeader? {
        guard let record = try next() else { return nil }
        guard case .header(let header) = record.kind else { throw .corrupt(path: path, line: 1, problem: "the first line is not a journal header") }
        guard header.schema == "xueliang.journal/1" else { throw .corrupt(path: path, line: 1, problem: "schema \(header.schema) is not xueliang.journal/1") }
        return header
    }

    mutating func seek(to position: Int) { lines.seek(to: position) }

    mutating func next() throws(MonitorStateError) -> JournalRecord? {
        try lines.next().map { JournalRecord(kind: $0.record, bytes: $0.bytes) }
    }
}
