import Localization
import Foundation
import Monitoring
import Probing
import Registry

/// A flagged feed: offline (debounced), frozen or flapping, with who looks after it.
///
/// A value type; safe to share between threads.
public struct FlaggedFeed: Sendable, Equatable, Encodable {
    public enum Flag: String, Sendable, Encodable { case offline, frozen, flapping }

    public var monitor: String
    public var flag: Flag
    public var cameraID: String
    public var name: String
    public var village: String
    public var villageName: String
    public var station: String
    public var maintainer: String
    public var owner: String
    /// Masked: `138****5678`.
    public var ownerPhone: String
    public var since: Date
    public var seconds: Double
    public var reason: ReasonCode
    public var detail: String
    public var consecutiveFailures: Int
    public var lastSuccess: Date?

    enum CodingKeys: String, CodingKey {
        case monitor, flag, name, village, station, maintainer, owner, since, seconds, reason, detail
        case cameraID = "id", villageName = "village_name", ownerPhone = "owner_phone"
        case consecutiveFailures = "consecutive_failures", lastSuccess = "last_success"
    }
}

/// `xueliang offline`: the flagged feeds of one or more monitors, longest first.
public enum OfflineList {
    /// What the list shows: offline (debounced), frozen or flapping.
    @Sendable public static func isFlagged(_ camera: CameraState) -> Bool { camera.status == .offline || camera.frozen || camera.flapping }

    /// Flagged feeds flagged for at least `minimumSeconds` at `now`.
    public static func feeds(_ monitors: [(name: String, state: MonitorState)], inventory: Inventory, now: Date,
                             minimumSeconds: Double = 0) -> [FlaggedFeed] {
        // Only the flagged cameras' records are looked up: a dictionary of a city's whole registry cost more
        // than the rest of the command.
        var flaggedIDs = Set<String>()
        for (_, state) in monitors {
            for (id, camera) in state.cameras where isFlagged(camera) { flaggedIDs.insert(id) }
        }
        var cameras: [String: CameraRecord] = [:]
        for camera in inventory.cameras where flaggedIDs.contains(camera.id) && cameras[camera.id] == nil { cameras[camera.id] = camera }
        var feeds: [FlaggedFeed] = []
        for (monitor, state) in monitors {
            for (id, camera) in state.cameras {
                let flag: FlaggedFeed.Flag
                if camera.status == .offline { flag = .offline } else if camera.frozen { flag = .frozen } else if camera.flapping { flag = .flapping } else { continue }
                let seconds = max(0, now.timeIntervalSince(camera.since))
                guard seconds >= minimumSeconds else { continue }
                let record = cameras[id]
                let village = record.flatMap { inventory.villages[$0.village] }
                feeds.append(FlaggedFeed(monitor: monitor, flag: flag, cameraID: id, name: record?.name ?? "", village: record?.village.digits ?? "",
                                         villageName: village?.name ?? "", station: record?.station ?? village?.station ?? "",
                                         maintainer: record?.maintainer ?? "", owner: record?.citizen.owner ?? "",
                                         ownerPhone: record?.citizen.phone.map(PhoneNumber.masked) ?? "", since: camera.since, seconds: seconds,
                                         reason: camera.reason, detail: camera.detail, consecutiveFailures: camera.consecutiveFailures,
                                         lastSuccess: camera.lastSuccess))
            }
        }
        return feeds.sorted { ($0.since, $0.cameraID, $0.monitor) < ($1.since, $1.cameraID, $1.monitor) }
    }

    public static func text(_ feeds: [FlaggedFeed]) -> String {
        guard !feeds.isEmpty else { return localized("no flagged feeds") + "\n" }
        let locale = OutputLocale.current
        let latest = feeds.map(\.since).max() ?? Date()
        var table = TextTable(headers: [localized("ID"), localized("NAME"), localized("VILLAGE"), localized("STATION"), localized("MAINTAINER"),
                                        localized("OWNER"), localized("FLAG"), localized("SINCE") + " (\(locale.offsetNote(at: latest)))",
                                        localized("FOR"), localized("REASON"),
                                        localized("MONITOR")],
                              alignments: [.left, .left, .left, .left, .left, .left, .left, .left, .right, .left, .left])
        for feed in feeds {
            let owner = feed.owner.isEmpty ? "" : feed.owner + (feed.ownerPhone.isEmpty ? "" : " " + feed.ownerPhone)
            table.append([feed.cameraID, feed.name, feed.villageName.isEmpty ? feed.village : feed.villageName, feed.station, feed.maintainer,
                          owner, Vocabulary.name("flag", feed.flag.rawValue), locale.minute(feed.since), duration(feed.seconds),
                          feed.reason.localizedName, feed.monitor])
        }
        let counts = Dictionary(grouping: feeds, by: \.flag).mapValues(\.count)
        let summary = [FlaggedFeed.Flag.offline, .frozen, .flapping].compactMap { flag in
            counts[flag].map { count -> String in
                switch flag {
                case .offline: localized("\(count) offline")
                case .frozen: localized("\(count) frozen")
                case .flapping: localized("\(count) flapping")
                }
            }
        }
        return table.render() + summary.joined(separator: localized(", ")) + "\n"
    }

    /// The `xueliang.offline/1` document.
    public static func json(_ feeds: [FlaggedFeed], generatedAt: Date) -> String {
        struct Document: Encodable {
            var schema = "xueliang.offline/1"
            var generatedAt: Date
            var feeds: [FlaggedFeed]
            enum CodingKeys: String, CodingKey { case schema, feeds, generatedAt = "generated_at" }
        }
        return JSONDocument.encode(Document(generatedAt: generatedAt, feeds: feeds))
    }

    /// `3d 4h`, `5h 12m`, `14m`, `40s` (`3天4小时`, `5小时12分`, `14分`, `40秒` in Chinese).
    public static func duration(_ seconds: Double) -> String {
        let total = Int(seconds)
        let days = total / 86400, hours = total % 86400 / 3600, minutes = total % 3600 / 60
        if days > 0 { return localized("\(days)d \(hours)h") }
        if hours > 0 { return localized("\(hours)h \(minutes)m") }
        if minutes > 0 { return localized("\(minutes)m") }
        return localized("\(total)s")
    }
}

/// `xueliang history ID`: a camera's transitions and availability in each monitor that watches it.
public enum HistoryText {
    public static func render(_ histories: [CameraHistory], camera: CameraRecord?, days: Int) -> String {
        let locale = OutputLocale.current
        var text = "\(histories.first?.cameraID ?? "")" + (camera.map { "  \($0.name)" } ?? "") + "\n"
        for history in histories {
            text += "\n" + (days == 1 ? localized("monitor \(history.monitor), last 1 day") : localized("monitor \(history.monitor), last \(days) days"))
            text += history.availability.map {
                localized(": availability \(Percent.text($0)) over \(OfflineList.duration(history.observedSeconds)) observed, \(history.sweeps) sweeps") + "\n"
            } ?? localized(": not observed over two sweeps in the period") + "\n"
            if let current = history.current {
                text += localized("now \(current.status.localizedName) since \(locale.minute(current.since))")
                if current.reason != .ok { text += " (\(current.reason.localizedName)\(current.detail.isEmpty ? "" : ": " + current.detail))" }
                if current.consecutiveFailures > 0 { text += localized(", \(current.consecutiveFailures) failed sweeps in a row") }
                if let last = current.lastSuccess { text += localized(", last worked \(locale.minute(last))") }
                if current.flapping { text += localized(", flapping") }
                text += "\n"
            } else {
                text += localized("not watched by this monitor now") + "\n"
            }
            if history.transitions.isEmpty {
                text += localized("no transitions in the period") + "\n"
                continue
            }
            var table = TextTable(headers: [localized("AT") + " (\(locale.offsetNote(at: history.transitions.last?.at ?? Date())))", localized("FROM"), localized("TO"), localized("REASON"), localized("ALERT"),
                                            localized("DETAIL")])
            for transition in history.transitions {
                table.append([locale.minute(transition.at), transition.from.localizedName, transition.to.localizedName,
                              transition.reason.localizedName, transition.alert.map { Vocabulary.name("alert", $0.rawValue) } ?? "", transition.detail])
            }
            text += table.render()
        }
        return text
    }

    /// The `xueliang.history/1` document.
    public static func json(_ histories: [CameraHistory]) -> String {
        struct Entry: Encodable {
            var at: Date, from: String, to: String, reason: String, alert: String?, detail: String
        }
        struct Monitor: Encodable {
            var monitor: String
            var periodStart: Date
            var periodEnd: Date?
            var availability: Double?
            var observedSeconds: Double
            var sweeps: Int
            var status: String?
            var since: Date?
            var transitions: [Entry]
            enum CodingKeys: String, CodingKey {
                case monitor, availability, sweeps, status, since, transitions
                case periodStart = "period_start", periodEnd = "period_end", observedSeconds = "observed_seconds"
            }
        }
        struct Document: Encodable {
            var schema = "xueliang.history/1"
            var id: String
            var monitors: [Monitor]
        }
        let monitors = histories.map { history in
            Monitor(monitor: history.monitor, periodStart: history.periodStart, periodEnd: history.periodEnd, availability: history.availability,
                    observedSeconds: history.observedSeconds, sweeps: history.sweeps, status: history.current?.status.rawValue,
                    since: history.current?.since,
                    transitions: history.transitions.map {
                        Entry(at: $0.at, from: $0.from.rawValue, to: $0.to.rawValue, reason: $0.reason.rawValue, alert: $0.alert?.rawValue, detail: $0.detail)
                    })
        }
        return JSONDocument.encode(Document(id: histories.first?.cameraID ?? "", monitors: monitors))
    }
}

/// `xueliang check`: one line in the Nagios/Icinga plugin format, and the plugin's exit code.
public enum PluginCheck {
    public enum Status: Int32, Sendable {
        case ok = 0, warning = 1, critical = 2, unknown = 3
        var word: String { ["OK", "WARNING", "CRITICAL", "UNKNOWN"][Int(rawValue)] }
    }

    /// The counts a check judges: working = online + degraded.
    public struct Counts: Sendable, Equatable {
        public var total: Int
        public var online: Int
        public var degraded: Int
        public var offline: Int
        public var unknown = 0
        public init(total: Int, online: Int, degraded: Int, offline: Int, unknown: Int = 0) {
            self.total = total
            self.online = online
            self.degraded = degraded
            self.offline = offline
            self.unknown = unknown
        }
    }

    /// Judges `counts` against the thresholds (percent of cameras working) and writes the plugin output:
    /// the status line with performance data, then up to 20 lines naming offline cameras.
    public static func evaluate(_ counts: Counts, warningPercent: Double, criticalPercent: Double, offline: [String] = []) -> (Status, String) {
        guard counts.total > 0 else { return (.unknown, "XUELIANG UNKNOWN - no cameras to check\n") }
        let working = counts.online + counts.degraded
        let percent = Double(working) / Double(counts.total) * 100
        let status: Status = percent < criticalPercent ? .critical : percent < warningPercent ? .warning : .ok
        let rate = Percent.text(percent / 100)
        let limits = ";;;0;\(counts.total)"
        var text = "XUELIANG \(status.word) - \(working)/\(counts.total) online (\(rate))"
            + " | online=\(working)\(limits) degraded=\(counts.degraded)\(limits) offline=\(counts.offline)\(limits)"
            + (counts.unknown > 0 ? " unknown=\(counts.unknown)\(limits)" : "")
            // Threshold ranges in the plugin syntax: "95:" alerts below 95 (a bare "95" would mean above).
            + " rate=\(String(rate.dropLast()))%;\(number(warningPercent)):;\(number(criticalPercent)):;0;100\n"
        for line in offline.prefix(20) { text += line + "\n" }
        if offline.count > 20 { text += "… and \(offline.count - 20) more\n" }
        return (status, text)
    }

    public static func unknown(_ reason: String) -> (Status, String) { (.unknown, "XUELIANG UNKNOWN - \(reason)\n") }

    static func number(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }
}
