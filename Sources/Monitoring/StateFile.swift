import Foundation
import Probing

/// The state file (`state.tsv`, format `xueliang.monitor-state/1`): a cache of the journal's replay,
/// rewritten after every sweep and read by every `offline` and `check`. Tab-separated text rather than
/// JSON: at 200,000 cameras Foundation's JSON coders took about 4 s each way, this about a tenth of that.
///
/// The first line is `xueliang.monitor-state/1` and `key=value` fields; then one line per camera:
/// id, status, since, observed, reason, consecutive failures, failing since, last success, snapshot repeats,
/// change bits, flags (`F` flapping, `O` offline announced, `Z` frozen announced), snapshot hash, detail. Times are whole seconds since 1970 (UTC); an absent
/// value is empty; in the detail, `\`, tab and newline are written `\\`, `\t`, `\n`.
struct StateFile {
    static let schema = "xueliang.monitor-state/1"

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
            append(Self.escaped(camera.detail))
            bytes.append(10)
        }
        return bytes
    }

    /// Nil when missing, damaged or of another format: the journal is the truth, this is only a shortcut.
    static func read(path: String) -> StateFile? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return decode([UInt8](data))
    }

    static func decode(_ bytes: [UInt8]) -> StateFile? {
        var lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
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
              let journalBytes = fields["journal_bytes"].flatMap({ Int($0) }), let sweeps = fields["sweeps"].flatMap({ Int($0) }) else { return nil }
        var state = MonitorState()
        state.sweeps = sweeps
        state.lastStartedAt = fields["last_started_at"].flatMap(time)
        state.lastFinishedAt = fields["last_finished_at"].flatMap(time)
        state.cameras.reserveCapacity(lines.count - 1)
        for line in lines.dropFirst() {
            let cells = line.split(separator: 9, omittingEmptySubsequences: false)
            guard cells.count == 13 else { return nil }
            // Numbers straight from the bytes, and strings only where a string is kept: this runs 200,000 times.
            guard let status = MonitorStatus(rawValue: String(decoding: cells[1], as: UTF8.self)), let since = number(cells[2]),
                  let observed = HealthStatus(rawValue: String(decoding: cells[3], as: UTF8.self)),
                  let reason = ReasonCode(rawValue: String(decoding: cells[4], as: UTF8.self)), let failures = number(cells[5]),
                  let repeats = number(cells[8]), let changeBits = UInt64(String(decoding: cells[9], as: UTF8.self), radix: 16) else { return nil }
            var camera = CameraState(since: Date(timeIntervalSince1970: Double(since)))
            camera.status = status
            camera.observed = observed
            camera.reason = reason
            camera.consecutiveFailures = failures
            camera.failingSince = number(cells[6]).map { Date(timeIntervalSince1970: Double($0)) }
            camera.lastSuccess = number(cells[7]).map { Date(timeIntervalSince1970: Double($0)) }
            camera.snapshotRepeats = repeats
            camera.changeBits = changeBits
            camera.flapping = cells[10].contains(70)
            camera.announcedOffline = cells[10].contains(79)
            camera.announcedFrozen = cells[10].contains(90)
            if !cells[12].isEmpty { camera.detail = unescaped(String(decoding: cells[12], as: UTF8.self)) }
            let id = String(decoding: cells[0], as: UTF8.self)
            state.cameras[id] = camera
            if !cells[11].isEmpty { state.snapshotHashes[id] = String(decoding: cells[11], as: UTF8.self) }
        }
        return StateFile(monitor: monitor, generation: generation, journalBytes: journalBytes, state: state)
    }

    private static func time(_ text: String) -> Date? { Int64(text).map { Date(timeIntervalSince1970: Double($0)) } }

    /// A non-negative decimal number, or nil for an empty or malformed cell.
    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 48 && byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    static func escaped(_ text: String) -> String {
        guard text.contains(where: { $0 == "\\" || $0 == "\t" || $0 == "\n" || $0 == "\r" }) else { return text }
        return text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
    }

    static func unescaped(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                result.append(character == "t" ? "\t" : character == "n" ? "\n" : character == "r" ? "\r" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
