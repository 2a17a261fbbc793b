import Foundation
import Localization
import Probing
import Registry
import Testing
import TestSupport
@testable import Monitoring

@Suite struct MonitorDefinitionTests {
    func load(_ json: String) throws(MonitorError) -> MonitorDefinition {
        let directory = TemporaryDirectory()
        try! json.write(toFile: directory.file("m.json"), atomically: true, encoding: .utf8)
        do {
            return try MonitorDefinition.load(path: directory.file("m.json"))
        } catch {
            throw MonitorError(file: "m.json", key: error.key, problem: error.problem)
        }
    }

    @Test func theShippedMonitorsLoad() throws {
        let directory = Repository.root + "/Monitors"
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names == ["citizen-snapshot-1h.json", "daily-full.json", "picture-public-15m.json", "rtsp-public-15m.json"])
        let pictures = try MonitorDefinition.load(path: directory + "/picture-public-15m.json")
        #expect(pictures.settings.checks == [.picture] && pictures.pictureShareSeconds == 7200 && pictures.everySeconds == 900)
        let rtsp = try MonitorDefinition.load(path: directory + "/rtsp-public-15m.json")
        #expect(rtsp.everySeconds == 900)
        #expect(rtsp.settings.checks == [.rtsp, .tcp])
        #expect(rtsp.scope.sources == [.public])
        #expect(rtsp.alerts == [.webhook(url: "http://127.0.0.1:9093/xueliang", timeoutSeconds: 5, retries: 2)])
        let daily = try MonitorDefinition.load(path: directory + "/daily-full.json")
        #expect(daily.settings.checks == nil, "every check a camera has")
        #expect(daily.thresholds.offlineAfter == 1)
    }

    @Test func mediaChecksTakeABandwidthBudget() throws {
        let monitor = try load(#"{"schema": "xueliang.monitor/1", "every": "1d", "checks": ["rtsp", "media"], "media_bandwidth": "500M"}"#)
        #expect(monitor.settings.checks == [.rtsp, .media])
        #expect(monitor.settings.mediaBandwidthBitsPerSecond == 500_000_000)
    }

    @Test func alertActionsTakeTimeouts() throws {
        let monitor = try load(#"{"schema": "xueliang.monitor/1", "every": "15m", "alerts": [{"command": "/bin/page"}, {"command": "/bin/page", "timeout": "2m"}]}"#)
        #expect(monitor.alerts == [.command(path: "/bin/page", timeoutSeconds: 30), .command(path: "/bin/page", timeoutSeconds: 120)])
    }

    @Test func defaultsAreAppliedAtLoad() throws {
        let monitor = try load(#"{"schema": "xueliang.monitor/1", "every": "15m"}"#)
        #expect(monitor.name == "m")
        #expect(monitor.thresholds == MonitorDefinition.Thresholds())
        #expect(monitor.thresholds.offlineAfter == 2)
        #expect(monitor.settings == SweepSettings())
        #expect(monitor.scope == MonitorDefinition.Scope())
    }

    @Test(arguments: [
        (#"{"every": "15m"}"#, #"m.json: schema: must be "xueliang.monitor/1""#),
        (#"{"schema": "xueliang.monitor/1"}"#, #"m.json: every: is required, e.g. "15m""#),
        (#"{"schema": "xueliang.monitor/1", "every": "15 minutes"}"#,
         #"m.json: every: must be a duration like "500ms", "30s", "15m", "2h" or "1d" between 10s and 7d"#),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "colour": "red"}"#,
         "m.json: colour: unknown key; allowed here: schema, name, description, scope, checks, concurrency, per_host, connect_timeout, timeout, retries, media_bandwidth, media_share, picture_share, every, thresholds, alerts"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "media_bandwidth": 500}"#,
         #"m.json: media_bandwidth: must be a rate in bits/s like "500M" or "1G" (at least 1K)"#),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "thresholds": {"offline_after": 0}}"#,
         "m.json: thresholds.offline_after: must be a whole number in 1...100"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "thresholds": {"offline_after": true}}"#,
         "m.json: thresholds.offline_after: must be a whole number in 1...100"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "thresholds": {"offline_afte": 2}}"#,
         "m.json: thresholds.offline_afte: unknown key; allowed here: offline_after, clock_skew, slow, frozen_after, picture_frozen_delta, picture_frozen_share, flapping_transitions, flapping_window"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "checks": ["rtsp", "ftp"]}"#,
         "m.json: checks: 'ftp' is not one of tcp, snapshot, rtsp, hls, onvif, media, picture"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "scope": {"places": ["4501"]}}"#,
         "m.json: scope.places: '4501' is not a 6-digit county, 9-digit township or 12-digit village code"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "scope": {"sources": ["private"]}}"#,
         "m.json: scope.sources: 'private' is not public or citizen"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "alerts": [{"webhook": "ftp://127.0.0.1/x"}]}"#,
         "m.json: alerts[0].webhook: must be an http(s) URL without credentials"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "alerts": [{"webhook": "http://u:p@127.0.0.1/x"}]}"#,
         "m.json: alerts[0].webhook: must be an http(s) URL without credentials"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "alerts": [{"command": "notify"}]}"#,
         "m.json: alerts[0].command: must be an absolute path to a program, and an alert is a command or a webhook, not both"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "alerts": [{"command": "/usr/local/bin/"}]}"#,
         "m.json: alerts[0].command: must be an absolute path to a program"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "checks": []}"#,
         "m.json: checks: must name at least one of tcp, snapshot, rtsp, hls, onvif, media, picture; leave it out for every check a camera has but media and picture"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "checks": ["rtsp", "rtsp"]}"#, "m.json: checks: 'rtsp' is listed twice"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "scope": {"tags": ["nvr", " "]}}"#, "m.json: scope.tags: an empty tag matches no camera"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "name": "m "}"#, "m.json: name: 'm ' cannot name a state directory"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "connect_timeout": "20s", "timeout": "10s"}"#,
         "m.json: connect_timeout: cannot exceed timeout (10s), the whole transfer's limit"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "concurrency": 1e300}"#, "m.json: concurrency: must be a whole number in 1...100000"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "alerts": [{}]}"#, #"m.json: alerts[0]: needs "command" or "webhook""#),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "alerts": [{"command": "/bin/page", "retries": 2}]}"#,
         "m.json: alerts[0].retries: applies to webhooks only"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "thresholds": {"flapping_window": 65}}"#,
         "m.json: thresholds.flapping_window: must be a whole number in 2...64"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "thresholds": {"flapping_transitions": 12}}"#,
         "m.json: thresholds.flapping_transitions: cannot exceed thresholds.flapping_window (10)"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "thresholds": {"picture_frozen_delta": 40}}"#,
         "m.json: thresholds.picture_frozen_delta: must be a number in 0...16"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "thresholds": {"picture_frozen_delta": "1"}}"#,
         "m.json: thresholds.picture_frozen_delta: must be a number in 0...16"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "thresholds": {"picture_frozen_share": 0.2}}"#,
         "m.json: thresholds.picture_frozen_share: must be a number in 0.5...1"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "thresholds": {"picture_frozen_share": true}}"#,
         "m.json: thresholds.picture_frozen_share: must be a number in 0.5...1"),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "media_share": "1d"}"#,
         #"m.json: media_share: shares out the media check, which runs only when named: add "media" to checks"#),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "checks": ["rtsp", "media"], "media_share": "10m"}"#,
         #"m.json: media_share: must be a duration like "500ms", "30s", "15m", "2h" or "1d" between 15m and 31d"#),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "checks": ["rtsp", "media"], "media_share": "60d"}"#,
         #"m.json: media_share: must be a duration like "500ms", "30s", "15m", "2h" or "1d" between 15m and 31d"#),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "checks": ["rtsp", "media"], "media_share": 86400}"#,
         #"m.json: media_share: must be a duration like"#),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "checks": ["snapshot"], "picture_share": "2h"}"#,
         #"m.json: picture_share: shares out the picture check, which runs only when named: add "picture" to checks"#),
        (#"{"schema": "xueliang.monitor/1", "every": "15m", "checks": ["picture"], "picture_share": "5m"}"#,
         #"m.json: picture_share: must be a duration like "500ms", "30s", "15m", "2h" or "1d" between 15m and 31d"#),
        ("not json", "m.json: is not JSON"),
    ])
    func badDefinitionsAreRefusedWithFileAndKey(json: String, expected: String) {
        do {
            _ = try load(json)
            Issue.record("accepted: \(json)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
            // The same refusal in Chinese: every part of it translated, the file and key kept as they are.
            let collector = UntranslatedMessages()
            let chinese = OutputLocale.$untranslated.withValue(collector) {
                OutputLocale.$current.withValue(OutputLocale(language: .chinese)) { error.description }
            }
            #expect(collector.keys.isEmpty, "\(collector.keys)")
            #expect(chinese.hasPrefix(String(expected.prefix { $0 != ":" })) && chinese.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(chinese)")
        }
    }

    @Test func aMediaSharePlaysEachCameraOncePerPeriod() throws {
        let monitor = try load(#"{"schema": "xueliang.monitor/1", "every": "15m", "checks": ["rtsp", "media"], "media_share": "1d", "media_bandwidth": "500M"}"#)
        #expect(monitor.mediaShareSeconds == 86400 && monitor.settings.checks == [.rtsp, .media])
        #expect(try load(#"{"schema": "xueliang.monitor/1", "every": "15m", "checks": ["rtsp", "media"]}"#).mediaShareSeconds == nil)
        let pictures = try load(#"{"schema": "xueliang.monitor/1", "every": "15m", "checks": ["tcp", "picture"], "picture_share": "2h"}"#)
        #expect(pictures.pictureShareSeconds == 7200 && pictures.mediaShareSeconds == nil)
        #expect(StateRules(pictures).heldChecks == [.picture])
    }

    @Test func theFrozenPictureRuleTakesItsThresholds() throws {
        let defaults = try load(#"{"schema": "xueliang.monitor/1", "every": "15m"}"#).thresholds.pictureThresholds
        #expect(defaults.frozenDeltaLevels == 0.5 && defaults.frozenUnchangedShare == 0.95)
        let monitor = try load(#"{"schema": "xueliang.monitor/1", "every": "15m", "thresholds": {"picture_frozen_delta": 1.5, "picture_frozen_share": 0.9}}"#)
        #expect(monitor.thresholds.pictureThresholds.frozenDeltaLevels == 1.5 && monitor.thresholds.pictureThresholds.frozenUnchangedShare == 0.9)
    }

    @Test func scopeSelectsByPlaceSourceAndTag() throws {
        let monitor = try load(#"{"schema": "xueliang.monitor/1", "every": "1h", "scope": {"places": ["450128101"], "sources": ["public"], "tags": ["nvr"]}}"#)
        var camera = CameraRecord(id: "45012801001320000001", name: "x", village: try VillageCode.parse("450128101201").get(), source: .public)
        #expect(!monitor.scope.contains(camera), "no tag")
        camera.tags = ["nvr"]
        #expect(monitor.scope.contains(camera))
        camera.village = try VillageCode.parse("450128102201").get()
        #expect(!monitor.scope.contains(camera), "another township")
    }
}
