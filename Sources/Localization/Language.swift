import Foundation

/// The language of human output: tables, statuses, reasons, summaries, help, errors, HTML, CSV headers.
/// JSON keys, schema ids and reason codes never change with it: they are the machine interface.
public enum Language: String, Sendable, CaseIterable {
    case english = "en"
    case chinese = "zh"

    /// `--lang` values: `en`, `zh`, and the spellings people type (`zh_CN`, `zh-CN`, `cn`, `中文`).
    public init?(option text: String) {
        let lowered = text.lowercased()
        if lowered == "en" || lowered.hasPrefix("en_") || lowered.hasPrefix("en-") || lowered == "english" {
            self = .english
        } else if lowered == "zh" || lowered.hasPrefix("zh_") || lowered.hasPrefix("zh-") || lowered == "cn"
                    || lowered == "chinese" || text == "中文" {
            self = .chinese
        } else {
            return nil
        }
    }

    /// The language the POSIX locale asks for: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set
    /// decides; Chinese when it names `zh`, else English (`C`, `POSIX`, `en_US.UTF-8`, unset).
    public static func fromLocale(_ environment: [String: String]) -> Language {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            return value.lowercased().hasPrefix("zh") ? .chinese : .english
        }
        return .english
    }
}

/// How human output is written for the person reading it: in which language, and in which time zone.
/// Task-local, so that every command (and every test) renders in its own without a process-wide setting;
/// child tasks inherit it.
public struct OutputLocale: Sendable {
    public var language: Language
    /// Local days and times in human output (`TZ`, e.g. `Asia/Shanghai`). JSON keeps ISO 8601 in UTC.
    public var timeZone: TimeZone

    public init(language: Language = .english, timeZone: TimeZone = .current) {
        self.language = language
        self.timeZone = timeZone
    }

    /// The locale of the task that asks. Commands set it from `--lang`, the POSIX locale and `TZ`.
    @TaskLocal public static var current = OutputLocale()

    /// Where a test collects the messages that had no Chinese text (nil: nobody is collecting).
    @TaskLocal public static var untranslated: UntranslatedMessages?

    /// The time zone `TZ` names (`Asia/Shanghai`, `UTC`, `:Asia/Shanghai`), or nil when unset or unknown.
    public static func timeZone(environment: [String: String]) -> TimeZone? {
        guard var name = environment["TZ"], !name.isEmpty else { return nil }
        if name.hasPrefix(":") { name.removeFirst() }
        if name.hasPrefix("/usr/share/zoneinfo/") { name.removeFirst("/usr/share/zoneinfo/".count) }
        return TimeZone(identifier: name)
    }

    /// `2026-12-02 14:05` in the local time zone.
    public func minute(_ date: Date) -> String { format(date, seconds: false) }

    /// `2026-12-02 14:05:09` in the local time zone.
    public func second(_ date: Date) -> String { format(date, seconds: true) }

    /// `2026-12-02` in the local time zone.
    public func day(_ date: Date) -> String { String(format(date, seconds: false).prefix(10)) }

    /// The zone's name and offset at `date`, said once per output: `Asia/Shanghai, UTC+08:00`.
    public func zoneNote(at date: Date) -> String {
        let zone = offsetNote(at: date)
        return zone == "UTC" ? zone : "\(timeZone.identifier), \(zone)"
    }

    /// The offset alone, for a column header: `UTC+08:00`, or `UTC`.
    public func offsetNote(at date: Date) -> String {
        let offset = timeZone.secondsFromGMT(for: date)
        guard offset != 0 else { return "UTC" }
        let minutes = abs(offset) / 60
        return String(format: "UTC%@%02d:%02d", offset < 0 ? "-" : "+", minutes / 60, minutes % 60)
    }

    private func format(_ date: Date, seconds: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let base = String(format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                          parts.hour ?? 0, parts.minute ?? 0)
        return seconds ? base + String(format: ":%02d", parts.second ?? 0) : base
    }
}

/// The English keys that were rendered in Chinese without a catalogue entry, for the test that walks the
/// officer's workflow in Chinese and fails on any. One owner: an actor-free class whose only state is
/// guarded by its own mutex, since rendering is synchronous.
public final class UntranslatedMessages: @unchecked Sendable {
    private let lock = NSLock()
    private var found: Set<String> = []

    public init() {}

    func note(_ key: String) {
        lock.lock()
        found.insert(key)
        lock.unlock()
    }

    /// The keys met so far, sorted.
    public var keys: [String] {
        lock.lock()
        defer { lock.unlock() }
        return found.sorted()
    }
}
