import Foundation
import Glibc
import Registry

/// The sweep documents kept in the state directory: `STATE/sweeps/STAMP.json`, with `STATE/latest.json`
/// a link to the newest. Only the newest `kept` stay (at city scale a document is ~100 MB); the monitors'
/// journals hold the long history.
public enum SweepArchive {
    public static let kept = SweepHistory.depth

    /// Writes `document` atomically, points `latest.json` at it, and removes the oldest beyond `kept`.
    public static func save(_ document: SweepDocument, stateDirectory: String) throws {
        let directory = stateDirectory + "/sweeps"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let name = formatter.string(from: document.summary.startedAt) + ".json"
        try write(document, to: directory + "/" + name, pretty: false)
        let link = stateDirectory + "/latest.json"
        let temporary = link + ".tmp-\(getpid())"
        unlink(temporary)
        guard symlink("sweeps/" + name, temporary) == 0, rename(temporary, link) == 0 else {
            throw InventoryError.io(path: link, operation: "point at the latest sweep", errno: errno)
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        for old in names.dropLast(kept) where old != name { unlink(directory + "/" + old) }
    }

    /// Streams `document` to `path` atomically (the whole text is never in memory at once).
    public static func write(_ document: SweepDocument, to path: String, pretty: Bool) throws {
        try AtomicWrite.stream(to: path) { write in document.write(pretty: pretty, to: write) }
    }
}
