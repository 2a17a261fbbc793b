import Foundation
import POSIXLayer
import Probing
import StateStore

/// The state file (`state.tsv`, format `xueliang.monitor-state/5`): a cache of the journal's replay,
/// rewritten after every sweep and read by every `offline` and `check`. Tab-separated text rather than
/// JSON: at 200,000 cameras Foundation's JSON coders took about 4 s each way, this about a tenth of that.
///
/// The first line is `xueliang.monitor-state/5` and `key=value` fields, the last of them `checksum=`
/// (`ChecksummedFile`: damage is caught and the state rebuilt from the journal instead of being read wrong). Then one
/// line per camera: id, status, since, observed, reason, consecutive failures, failing since, last success,
/// snapshot repeats, change bits, flags (`F` flapping, `O` offline announced, `Z` frozen announced),
/// snapshot hash (`ContentHash.fingerprint`; /3 held FNV-1a hashes, which no new snapshot would equal, so a /3
/// file is not read: the journal's replay keeps no hashes, and a run of repeats then holds for a sweep instead of
/// thawing every frozen feed), held media failure (its reason), held picture verdict (`ok`, or its findings joined
/// by commas; /4 had no such column and is not read: the journal's replay rebuilds it), detail. Times are whole seconds since 1970 (UTC, before the
/// year 10000); an absent value is empty; in the detail, `\`, tab and newline are written `\\`, `\t`, `\n`. Every number is read with
/// bounds (no counter beyond the sweeps recorded), so a hostile file cannot make later arithmetic trap.
struct StateFile {
    static let schema = "xueliang.monitor-state/5"

    var monitor: String
    var generation: String
    var journalBytes: Int
    var state: MonitorState

    func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(state.cameras.count * 120 + 256)
        func append(_ text: String) { bytes.append(contentsOf: text.utf8) }
        func append(time: Date?) { if let time { append(String(Int64(time.timeIntervalSince1970))) } }
        append("\(Self.schema)\tmonitor=\(Self.escaped(monitor))\tgeneration=\(generation)\tjournal_bytes=\(journalBytes)\tsweeps=\(state.sweeps)")
        append("\tlast_started_at=")
        append(time: state.lastStartedAt)
        append("\tlast_finished_at=")
        append(time: state.lastFinishedAt)
        bytes.append(10)
        for (id, camera) in state.cameras.sorted(by: { $0.key < $1.key }) {
            append(id); bytes.append(9)
            append(camera.status.rawValue); bytes.append(9)
            append(time: camera.since); bytes.append(9)
            append(camera.observed.rawValue); bytes.append(9)
            append(camera.reason.rawValue); bytes.append(9)
            append(String(camera.consecutiveFailures)); bytes.append(9)
            append(time: camera.failingSince); bytes.append(9)
            append(time: camera.lastSuccess); bytes.append(9)
            append(String(camera.snapshotRepeats)); bytes.append(9)
            append(String(camera.changeBits, radix: 16)); bytes.append(9)
            // Flags: F flapping, O offline announced, Z frozen announced.
            if camera.flapping { bytes.append(70) }
            if camera.announcedOffline { bytes.append(79) }
            if camera.announcedFrozen { bytes.append(90) }
            bytes.append(9)
            append(state.snapshotHashes[id] ?? ""); bytes.append(9)
            if let held = camera.heldMedia { append(held.rawValue) }
            bytes.append(9)
            if let held = camera.heldPicture { append(held.isEmpty ? "ok" : held.map(\.rawValue).joined(separator: ",")) }
            bytes.append(9)
            append(Self.escaped(camera.detail))
            bytes.append(10)
        }
        return ChecksummedFile.sealed(bytes)
    }

    /// Nil when missing, damaged or of another format: the journal is the truth, this is only a shortcut.
    /// `keeping` selects the cameras kept (every line is still checked); a selection keeps no snapshot hashes.
    static func read(path: String, keeping keep: ((CameraState) -> Bool)? = nil) -> StateFile? {
        guard let bytes = try? Files.read(path, limit: 1 << 30) else { return nil }
        return decode(bytes, keeping: keep)
    }

    static func decode(_ bytes: consuming [UInt8], keeping keep: ((CameraState) -> Bool)? = nil) -> StateFile? {
        var verified = bytes
        guard ChecksummedFile.removeVerifiedChecksum(&verified) else { return nil }
        var lines = verified.split(separator: 10, omittingEmptySubsequences: false)
        // The file always ends with a newline; anything else was cut short.
        guard lines.count >= 2, lines.removeLast().isEmpty else { return nil }
        let header = lines[0].split(separator: 9).map { String(decoding: $0, as: UTF8.self) }
        guard header.first == schema else { return nil }
        var fields: [String: String] = [:]
        for field in header.dropFirst() {
            guard let equals = field.firstIndex(of: "=") else { return nil }
            fields[String(field[..<equals])] = String(field[field.index(after: equals)...])
        }
        guard let monitor = fields["monitor"].map(unescaped), let generation = fields["generation"],
              let journalBytes = fields["journal_bytes"].flatMap({ number(ArraySlice($0.utf8), in: 0...Int(Int64.max)) }),
              let sweeps = fields["sweeps"].flatMap({ number(ArraySlice($0.utf8), in: 0...MonitorState.maximumSweeps) }),
              let lastStartedAt = optionalTime(fields["last_started_at"]), let lastFinishedAt = optionalTime(fields["last_finished_at"]) else {
            return nil
        }
        var state = MonitorState()
        state.sweeps = sweeps
        state.lastStartedAt = lastStartedAt
        state.lastFinishedAt = lastFinishedAt
        if keep == nil { state.cameras.reserveCapacity(lines.count - 1) }
        for line in lines.dropFirst() {
            let cells = line.split(separator: 9, omittingEmptySubsequences: false)
            guard cells.count == 15 else { return nil }
            // Numbers straight from the bytes, and strings only where a string is kept: this runs 200,000 times.
            // No counter can exceed the sweeps recorded.
            guard let status = MonitorStatus(rawValue: String(decoding: cells[1], as: UTF8.self)), let since = time(cells[2]),
                  let observed = HealthStatus(rawValue: String(decoding: cells[3], as: UTF8.self)),
                  let reason = ReasonCode(rawValue: String(decoding: cells[4], as: UTF8.self)),
                  let failures = number(cells[5], in: 0...sweeps), let failingSince = optionalTime(cells[6]),
                  let lastSuccess = optionalTime(cells[7]), let repeats = number(cells[8], in: 0...sweeps),
                  let changeBits = UInt64(String(decoding: cells[9], as: UTF8.self), radix: 16) else { return nil }
            var camera = CameraState(since: since)
            camera.status = status
            camera.observed = observed
            camera.reason = reason
            camera.consecutiveFailures = failures
            camera.failingSince = failingSince
            camera.lastSuccess = lastSuccess
            camera.snapshotRepeats = repeats
            camera.changeBits = changeBits
            camera.flapping = cells[10].contains(70)
            camera.announcedOffline = cells[10].contains(79)
            camera.announcedFrozen = cells[10].contains(90)
            if !cells[12].isEmpty {
                guard let held = ReasonCode(rawValue: String(decoding: cells[12], as: UTF8.self)) else { return nil }
                camera.heldMedia = held
            }
            if !cells[13].isEmpty {
                guard let held = heldPicture(cells[13]) else { return nil }
                camera.heldPicture = held
            }
            if let keep, !keep(camera) { continue }
            if !cells[14].isEmpty { camera.detail = unescaped(String(decoding: cells[14], as: UTF8.self)) }
            let id = String(decoding: cells[0], as: UTF8.self)
            state.cameras[id] = camera
            if keep == nil && !cells[11].isEmpty { state.snapshotHashes[id] = String(decoding: cells[11], as: UTF8.self) }
        }
        return StateFile(monitor: monitor, generation: generation, journalBytes: journalBytes, state: state)
    }

    /// `ok` (a normal picture) or picture findings joined by commas; nil for anything else.
    private static func heldPicture(_ bytes: ArraySlice<UInt8>) -> [ReasonCode]? {
        let text = String(decoding: bytes, as: UTF8.self)
        if text == "ok" { return [] }
        var findings: [ReasonCode] = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let finding = ReasonCode(rawValue: String(name)), finding.isPictureFinding else { return nil }
            findings.append(finding)
        }
        return findings
    }

    /// Whole seconds since 1970 before the year 10000: any other number is damage, and a date beyond it
    /// would trap where it is turned back into an integer.
    static let latestTime = 253_402_300_799

    private static func time(_ bytes: ArraySlice<UInt8>) -> Date? {
        number(bytes, in: 0...latestTime).map { Date(timeIntervalSince1970: Double($0)) }
    }

    /// An empty cell is "no time" (`.some(nil)`); a malformed one is nil.
    private static func optionalTime(_ bytes: ArraySlice<UInt8>) -> Date?? {
        bytes.isEmpty ? .some(nil) : time(bytes).map { .some($0) }
    }

    private static func optionalTime(_ text: String?) -> Date?? {
        guard let text else { return .some(nil) }
        return optionalTime(ArraySlice(text.utf8))
    }

    static func number(_ bytes: ArraySlice<UInt8>, in range: ClosedRange<Int>) -> Int? { ChecksummedFile.number(bytes, in: range) }

    static func escaped(_ text: String) -> String { TSVField.escaped(text) }

    static func unescaped(_ text: String) -> String { TSVField.unescaped(text) }
}
