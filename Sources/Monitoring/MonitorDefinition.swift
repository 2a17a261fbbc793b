import Foundation
import Localization
import PictureQuality
import Probing
import Registry

/// A named, reviewed sweep recipe (`Monitors/NAME.json`, format `xueliang.monitor/1`): what to check, how
/// often, and when a camera counts as offline. Defaults are applied at load; unknown keys and bad values
/// are refused with the file and the key.
///
/// A value type; safe to share between threads.
public struct MonitorDefinition: Sendable, Equatable {
    public struct Scope: Sendable, Equatable {
        /// Place codes: 12-digit villages, 9-digit townships, 6-digit counties. Empty: everywhere.
        public var places: [String] = []
        public var sources: [CameraSource] = []
        /// Cameras carrying any of these tags. Empty: any.
        public var tags: [String] = []

        public func contains(_ camera: CameraRecord) -> Bool {
            (places.isEmpty || places.contains { camera.village.digits.hasPrefix($0) })
                && (sources.isEmpty || camera.source.map(sources.contains) == true)
                && (tags.isEmpty || camera.tags.contains(where: tags.contains))
        }
    }

    public struct Thresholds: Sendable, Equatable {
        /// Consecutive failed sweeps before a camera is flagged offline (one miss pages no one).
        public var offlineAfter = 2
        public var clockSkewSeconds = 60.0
        /// A probe slower than this is noted as slow.
        public var slowSeconds = 2.0
        /// Sweeps with the same snapshot (its bytes, or its picture cell by cell) before a feed counts as frozen.
        public var frozenAfter = 3
        /// The frozen-picture rule (`PictureDiagnosis.repeats`): a signature cell moved by more than this many
        /// luma levels changed, and a picture with at least `pictureFrozenUnchangedShare` of its cells
        /// unchanged repeats the one before.
        public var pictureFrozenDeltaLevels = PictureThresholds().frozenDeltaLevels
        public var pictureFrozenUnchangedShare = PictureThresholds().frozenUnchangedShare

        /// The picture thresholds the monitor's frozen-picture rule judges by.
        public var pictureThresholds: PictureThresholds {
            var thresholds = PictureThresholds()
            thresholds.frozenDeltaLevels = pictureFrozenDeltaLevels
            thresholds.frozenUnchangedShare = pictureFrozenUnchangedShare
            return thresholds
        }
        /// At least `flappingTransitions` state changes within the last `flappingWindow` sweeps is flapping.
        public var flappingTransitions = 4
        public var flappingWindow = 10
    }

    public enum Alert: Sendable, Equatable {
        /// Run a program once per alert with the details in environment variables; killed past the timeout.
        case command(path: String, timeoutSeconds: Double)
        /// POST a JSON document.
        case webhook(url: String, timeoutSeconds: Double, retries: Int)
    }

    public var name: String
    public var description: String
    public var scope = Scope()
    public var settings = SweepSettings()
    public var everySeconds: Double
    /// `media_share`: the period in which each camera gets its one media check (`CheckTurn`); nil plays every
    /// camera in every sweep that runs the media check.
    public var mediaShareSeconds: Double?
    /// `picture_share`: the period in which each camera's picture is diagnosed once (`CheckTurn`); its other
    /// sweeps check its snapshot only. Nil diagnoses every picture in every sweep.
    public var pictureShareSeconds: Double?
    public var thresholds = Thresholds()
    public var alerts: [Alert] = []

    /// Whether `name` can name the monitor's state directory (`STATE/monitors/NAME`) without leaving it.
    public static func isUsableName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }
    }

    /// Seconds in a duration written as in monitor files: `"500ms"`, `"30s"`, `"15m"`, `"2h"`, `"1d"`.
    public static func seconds(_ text: String) -> Double? { MonitorReader.seconds(text) }

    /// Reads and checks a monitor file.
    public static func load(path: String) throws(MonitorError) -> MonitorDefinition {
        guard let data = FileManager.default.contents(atPath: path) else { throw MonitorError(file: path, key: nil, problem: "cannot be read") }
        return try parse(data, file: path)
    }

    /// Checks a monitor file's bytes; `file` names it in errors and gives the default name.
    static func parse(_ data: Data, file path: String) throws(MonitorError) -> MonitorDefinition {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw MonitorError(file: path, key: nil, problem: "is not JSON (\(String(String(describing: error).prefix(120))))")
        }
        var reader = MonitorReader(file: path)
        return try reader.definition(root, defaultName: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
    }
}

/// A monitor file that cannot be used: which file, which key, what is wrong.
public struct MonitorError: Error, Equatable, CustomStringConvertible, Sendable {
    public var file: String
    /// Dotted key path, e.g. `thresholds.offline_after`.
    public var key: String?
    public var problem: Message

    public var description: String { "\(file): " + (key.map { "\($0): " } ?? "") + problem.description }
}

/// Reads the JSON tree by hand, so every message names its key and unknown keys are caught.
struct MonitorReader {
    let file: String

    func fail(_ key: String?, _ problem: Message) -> MonitorError { MonitorError(file: file, key: key, problem: problem) }

    func object(_ value: Any, _ key: String?, allowed: [String]) throws(MonitorError) -> [String: Any] {
        guard let object = value as? [String: Any] else { throw fail(key, "must be an object") }
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            let path = key.map { "\($0).\(unknown)" } ?? unknown
            throw fail(path, "unknown key; allowed here: \(allowed.joined(separator: ", "))")
        }
        return object
    }

    func string(_ value: Any?, _ key: String) throws(MonitorError) -> String? {
        guard let value else { return nil }
        guard let text = value as? String, !text.isEmpty else { throw fail(key, "must be a non-empty string") }
        return text
    }

    func strings(_ value: Any?, _ key: String) throws(MonitorError) -> [String] {
        guard let value else { return [] }
        guard let list = value as? [Any], list.allSatisfy({ $0 is String }) else { throw fail(key, "must be a list of strings") }
        return list as! [String]
    }

    func integer(_ value: Any?, _ key: String, _ range: ClosedRange<Int>) throws(MonitorError) -> Int? {
        guard let value else { return nil }
        // JSON true/false arrive as NSNumber too (objCType "c"); a boolean is not a count.
        // The range is checked on the double first: `intValue` of 1e300 is not a number in any range.
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c",
              number.doubleValue == number.doubleValue.rounded(),
              number.doubleValue >= Double(range.lowerBound) && number.doubleValue <= Double(range.upperBound),
              range.contains(number.intValue) else {
            throw fail(key, "must be a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return number.intValue
    }

    /// A number in `range` (a share, a level), never a boolean.
    func number(_ value: Any?, _ key: String, _ range: ClosedRange<Double>) throws(MonitorError) -> Double? {
        guard let value else { return nil }
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c", number.doubleValue.isFinite,
              range.contains(number.doubleValue) else {
            throw fail(key, "must be a number in \(String(format: "%g", range.lowerBound))...\(String(format: "%g", range.upperBound))")
        }
        return number.doubleValue
    }

    /// `"15m"`, `"30s"`, `"2h"`, `"1d"`, `"500ms"`.
    func duration(_ value: Any?, _ key: String, _ range: ClosedRange<Double>) throws(MonitorError) -> Double? {
        guard let value else { return nil }
        guard let text = value as? String, let seconds = Self.seconds(text), range.contains(seconds) else {
            throw fail(key, "must be a duration like \"500ms\", \"30s\", \"15m\", \"2h\" or \"1d\" between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound))")
        }
        return seconds
    }

    static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let number = Double(text.dropLast(suffix.count)), number.isFinite, number >= 0 else { return nil }
            return number * factor
        }
        return nil
    }

    static func format(_ seconds: Double) -> String {
        seconds >= 86400 ? "\(Int(seconds / 86400))d" : seconds >= 3600 ? "\(Int(seconds / 3600))h"
            : seconds >= 60 ? "\(Int(seconds / 60))m" : seconds >= 1 ? "\(Int(seconds))s" : "\(Int(seconds * 1000))ms"
    }

    mutating func definition(_ root: Any, defaultName: String) throws(MonitorError) -> MonitorDefinition {
        let top = try object(root, nil, allowed: ["schema", "name", "description", "scope", "checks", "concurrency", "per_host",
                                                 "connect_timeout", "timeout", "retries", "media_bandwidth", "media_share", "picture_share", "every", "thresholds",
                                                 "alerts"])
        guard top["schema"] as? String == "xueliang.monitor/1" else { throw fail("schema", "must be \"xueliang.monitor/1\"") }
        guard let every = try duration(top["every"], "every", 10...(7 * 86400)) else { throw fail("every", "is required, e.g. \"15m\"") }
        let name = try string(top["name"], "name") ?? defaultName
        guard MonitorDefinition.isUsableName(name), name.trimmingCharacters(in: .whitespaces) == name else {
            throw fail("name", "'\(name)' cannot name a state directory: no '/', no leading '.', no control characters, no space at either end")
        }
        var monitor = MonitorDefinition(name: name,
                                        description: try string(top["description"], "description") ?? "", everySeconds: every)
        if let scopeValue = top["scope"] {
            let scope = try object(scopeValue, "scope", allowed: ["places", "sources", "tags"])
            monitor.scope.places = try strings(scope["places"], "scope.places")
            for place in monitor.scope.places where ![6, 9, 12].contains(place.count) || !place.allSatisfy(\.isNumber) {
                throw fail("scope.places", "'\(place)' is not a 6-digit county, 9-digit township or 12-digit village code")
            }
            monitor.scope.sources = try strings(scope["sources"], "scope.sources").map { (name: String) throws(MonitorError) -> CameraSource in
                guard let source = CameraSource(rawValue: name) else { throw fail("scope.sources", "'\(name)' is not public or citizen") }
                return source
            }
            monitor.scope.tags = try strings(scope["tags"], "scope.tags")
            if monitor.scope.tags.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                throw fail("scope.tags", "an empty tag matches no camera; leave the list empty (or out) for cameras with any tags")
            }
        }
        if top["checks"] != nil {
            let checks = try strings(top["checks"], "checks").map { (name: String) throws(MonitorError) -> CheckKind in
                guard let kind = CheckKind(rawValue: name) else { throw fail("checks", "'\(name)' is not one of \(CheckKind.allCases.map(\.rawValue).joined(separator: ", "))") }
                return kind
            }
            // An empty list would sweep no camera at all, every interval, and look healthy doing it.
            guard !checks.isEmpty else {
                throw fail("checks", "must name at least one of \(CheckKind.allCases.map(\.rawValue).joined(separator: ", ")); leave it out for every check a camera has but media and picture")
            }
            if let repeated = checks.first(where: { kind in checks.count { $0 == kind } > 1 }) {
                throw fail("checks", "'\(repeated.rawValue)' is listed twice")
            }
            monitor.settings.checks = checks
        }
        if let value = try integer(top["concurrency"], "concurrency", 1...100_000) { monitor.settings.concurrency = value }
        if let value = try integer(top["per_host"], "per_host", 1...1_000) { monitor.settings.perHost = value }
        if let value = try duration(top["connect_timeout"], "connect_timeout", 0.05...600) { monitor.settings.connectTimeoutSeconds = value }
        if let value = try duration(top["timeout"], "timeout", 0.05...3600) { monitor.settings.timeoutSeconds = value }
        if let value = try integer(top["retries"], "retries", 0...10) { monitor.settings.retries = value }
        if let value = top["media_bandwidth"] {
            guard let text = value as? String, let bits = MediaBandwidth.parse(text) else {
                throw fail("media_bandwidth", "must be a rate in bits/s like \"500M\" or \"1G\" (at least 1K)")
            }
            monitor.settings.mediaBandwidthBitsPerSecond = bits
        }
        for (key, kind) in [("media_share", CheckKind.media), ("picture_share", .picture)] where top[key] != nil {
            guard monitor.settings.checks?.contains(kind) == true else {
                throw fail(key, "shares out the \(kind.rawValue) check, which runs only when named: add \"\(kind.rawValue)\" to checks")
            }
            // At least one sweep's interval (a shorter period would check every camera every sweep anyway), at
            // most a month (a camera whose video stopped, or whose picture went dark, would go unseen for longer).
            let period = try duration(top[key], key, every...(31 * 86400))
            if kind == .media { monitor.mediaShareSeconds = period } else { monitor.pictureShareSeconds = period }
        }
        // Only when given: the default connect timeout above a short total one is simply capped by it.
        if top["connect_timeout"] != nil && monitor.settings.connectTimeoutSeconds > monitor.settings.timeoutSeconds {
            throw fail("connect_timeout", "cannot exceed timeout (\(MonitorReader.format(monitor.settings.timeoutSeconds))), the whole transfer's limit")
        }
        if let thresholdsValue = top["thresholds"] {
            let thresholds = try object(thresholdsValue, "thresholds",
                                        allowed: ["offline_after", "clock_skew", "slow", "frozen_after", "picture_frozen_delta",
                                                  "picture_frozen_share", "flapping_transitions", "flapping_window"])
            if let value = try integer(thresholds["offline_after"], "thresholds.offline_after", 1...100) { monitor.thresholds.offlineAfter = value }
            if let value = try duration(thresholds["clock_skew"], "thresholds.clock_skew", 1...86400) {
                monitor.thresholds.clockSkewSeconds = value
                monitor.settings.clockSkewThresholdSeconds = value
            }
            if let value = try duration(thresholds["slow"], "thresholds.slow", 0.001...3600) { monitor.thresholds.slowSeconds = value }
            if let value = try integer(thresholds["frozen_after"], "thresholds.frozen_after", 2...1000) { monitor.thresholds.frozenAfter = value }
            // Beyond 16 levels a cell could darken by a sixth and still be "the same picture"; below half the
            // picture unchanged, a moving scene would be a repeat.
            if let value = try number(thresholds["picture_frozen_delta"], "thresholds.picture_frozen_delta", 0...16) {
                monitor.thresholds.pictureFrozenDeltaLevels = value
            }
            if let value = try number(thresholds["picture_frozen_share"], "thresholds.picture_frozen_share", 0.5...1) {
                monitor.thresholds.pictureFrozenUnchangedShare = value
            }
            if let value = try integer(thresholds["flapping_transitions"], "thresholds.flapping_transitions", 2...1000) {
                monitor.thresholds.flappingTransitions = value
            }
            if let value = try integer(thresholds["flapping_window"], "thresholds.flapping_window", 2...64) { monitor.thresholds.flappingWindow = value }
            if monitor.thresholds.flappingTransitions > monitor.thresholds.flappingWindow {
                throw fail("thresholds.flapping_transitions", "cannot exceed thresholds.flapping_window (\(monitor.thresholds.flappingWindow))")
            }
        }
        if let alertsValue = top["alerts"] {
            guard let list = alertsValue as? [Any] else { throw fail("alerts", "must be a list") }
            for (index, entry) in list.enumerated() {
                let key = "alerts[\(index)]"
                let alert = try object(entry, key, allowed: ["command", "webhook", "timeout", "retries"])
                if let command = try string(alert["command"], "\(key).command") {
                    guard alert["webhook"] == nil, command.hasPrefix("/"), !command.hasSuffix("/") else {
                        throw fail("\(key).command", "must be an absolute path to a program, and an alert is a command or a webhook, not both")
                    }
                    guard alert["retries"] == nil else { throw fail("\(key).retries", "applies to webhooks only") }
                    monitor.alerts.append(.command(path: command, timeoutSeconds: try duration(alert["timeout"], "\(key).timeout", 0.1...3600) ?? 30))
                } else if let url = try string(alert["webhook"], "\(key).webhook") {
                    guard let parsed = EndpointURL(url), ["http", "https"].contains(parsed.scheme), !parsed.hasUserInfo else {
                        throw fail("\(key).webhook", "must be an http(s) URL without credentials")
                    }
                    monitor.alerts.append(.webhook(url: url, timeoutSeconds: try duration(alert["timeout"], "\(key).timeout", 0.1...300) ?? 5,
                                                   retries: try integer(alert["retries"], "\(key).retries", 0...10) ?? 2))
                } else {
                    throw fail(key, "needs \"command\" or \"webhook\"")
                }
            }
        }
        return monitor
    }
}
