import Foundation
import Glibc
import Registry

/// The sweep documents kept in the state directory: `STATE/sweeps/STAMP.json` for plain sweeps, and
/// `STATE/monitors/NAME/sweeps/STAMP.json` for a monitor's, each with a `latest.json` link to its newest.
/// They stay apart because a monitor's scope may be a part of the county (citizen cameras, one check):
/// the county's figures come from a plain sweep, or from a monitor named on purpose. Only the newest
/// `kept` stay in each directory (at city scale a document is ~100 MB); the journals hold the long history.
public enum SweepArchive {
    public static let kept = SweepHistory.depth

    /// Writes `document` atomically into `directory` (the state directory, or a monitor's), points its
    /// `latest.json` at it, and removes the oldest beyond `kept`.
    public static func save(_ document: SweepDocument, in directory: String, stateDirectory: String) throws {
        let sweeps = directory + "/sweeps"
        try FileManager.default.createDirectory(atPath: sweeps, withIntermediateDirectories: true)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let name = formatter.string(from: document.summary.startedAt) + ".json"
        try write(document, to: sweeps + "/" + name, pretty: false)
        try link(directory + "/latest.json", to: "sweeps/" + name)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: sweeps)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        for old in names.dropLast(kept) where old != name { unlink(sweeps + "/" + old) }
    }

    /// Replaces the symbolic link at `path` atomically.
    private static func link(_ path: String, to target: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        guard symlink(target, temporary) == 0, rename(temporary, path) == 0 else {
            throw InventoryError.io(path: path, operation: "point at the latest sweep", errno: errno)
        }
    }

    /// Streams `document` to `path` atomically (the whole text is never in memory at once).
    public static func write(_ document: SweepDocument, to path: String, pretty: Bool) throws {
        try AtomicWrite.stream(to: path) { write in document.write(pretty: pretty, to: write) }
    }
}
