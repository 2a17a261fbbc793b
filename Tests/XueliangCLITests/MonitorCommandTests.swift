import CameraFleet
import Foundation
import Glibc
import Testing
import TestSupport
@testable import Monitoring
@testable import XueliangCLI

/// Monitors end to end against the simulator: `sweep --monitor`, `offline`, `history`, `check`, alerts, `watch`.
@Suite(.serialized) struct MonitorCommandTests {
    typealias Setup = SweepCommandTests.Setup
    static let blackholed = "45012801001320000010"

    /// Writes a monitor file named `name` over the setup's cameras; RTSP only unless `checks` says otherwise.
    func monitor(_ setup: Setup, name: String = "m", checks: String = #"["rtsp"]"#, timeout: String = "1s", every: String = "15m",
                 thresholds: String = "{}", alerts: String = "[]") throws -> String {
        let path = setup.directory.file("\(name)-\(timeout).json")
        try """
        {"schema": "xueliang.monitor/1", "name": "\(name)", "every": "\(every)", "checks": \(checks), "timeout": "\(timeout)",
         "connect_timeout": "500ms", "thresholds": \(thresholds), "alerts": \(alerts)}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func run(_ setup: Setup, _ arguments: [String], now: String? = nil) async -> CommandResult {
        var environment = ["XUELIANG_STATE": setup.state]
        if let now { environment["XUELIANG_NOW"] = now }
        return await xueliang(arguments, inventory: setup.inventory, environment: environment)
    }

    @Test func aCameraIsFlaggedOfflineOnlyAfterTheSecondFailedSweep() async throws {
        let setup = try Setup()
        defer { setup.fleet.stop() }
        let path = try monitor(setup)

        let first = await run(setup, ["sweep", "--monitor", path, "--no-save"])
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("m sweep 1: 4/5 working (80.0%), 0 offline (0 new), 1 failing"), "\(first.output)")
        #expect(await run(setup, ["offline"]).output == "no flagged feeds\n", "one failed sweep pages no one")

        let second = await run(setup, ["sweep", "--monitor", path, "--no-save"])
        #expect(second.output.contains("m sweep 2: 4/5 working (80.0%), 1 offline (1 new), 0 failing"), "\(second.output)")
        let offline = await run(setup, ["offline"])
        let lines = offline.output.split(separator: "\n")
        #expect(lines.count == 3, "\(offline.output)")
        #expect(lines.first?.hasPrefix("ID ") == true)
        #expect(lines[1].hasPrefix(Self.blackholed) && lines[1].contains("青山村") && lines[1].contains(" offline ") && lines[1].contains("timeout"))
        #expect(lines[2] == "1 offline")

        let json = await run(setup, ["offline", "--monitor", "m", "--json"])
        let document = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as! [String: Any]
        #expect(document["schema"] as? String == "xueliang.offline/1")
        let feed = try #require((document["feeds"] as? [[String: Any]])?.first)
        #expect(feed["id"] as? String == Self.blackholed)
        #expect(feed["consecutive_failures"] as? Int == 2)
        #expect(feed["flag"] as? String == "offline")
        #expect(feed["village_name"] as? String == "青山村")

        // --for: the feed went offline seconds ago; a day's threshold hides it, and a clock a day later shows it.
        #expect(await run(setup, ["offline", "--for", "24h"]).output == "no flagged feeds\n")
        let later = ISO8601DateFormatter().string(from: Date().addingTimeInterval(86400 + 60))
        #expect(await run(setup, ["offline", "--for", "24h"], now: later).output.contains(Self.blackholed))

        let history = await run(setup, ["history", Self.blackholed])
        #expect(history.status == 0, "\(history.error)")
        #expect(history.output.contains("monitor m, last 7 days: availability 0.0%"), "\(history.output)")
        #expect(history.output.contains("unknown  offline  timeout  offline"), "\(history.output)")
        let healthy = await run(setup, ["history", "45012801001320000001", "--json"])
        #expect(healthy.output.contains(#""availability" : 1"#), "\(healthy.output)")
    }

    @Test func aFrozenSnapshotIsDegradedAndFlagged() async throws {
        let setup = try Setup(blackholes: 0, frozen: true)
        defer { setup.fleet.stop() }
        let path = try monitor(setup, checks: #"["snapshot"]"#, thresholds: #"{"frozen_after": 3}"#)
        for sweep in 1...3 {
            let result = await run(setup, ["sweep", "--monitor", path, "--no-save"])
            #expect(result.output.contains("sweep \(sweep): ") && result.output.contains("\(sweep == 3 ? 1 : 0) frozen"), "\(result.output)")
        }
        let offline = await run(setup, ["offline", "--json"])
        let feeds = try #require((try JSONSerialization.jsonObject(with: Data(offline.output.utf8)) as? [String: Any])?["feeds"] as? [[String: Any]])
        #expect(feeds.map { $0["id"] as? String } == ["45012801001320000006"], "only the frozen camera; the others send a new picture each time")
        #expect(feeds.first?["flag"] as? String == "frozen")
        #expect(feeds.first?["reason"] as? String == "frozen")
    }

    @Test func theNagiosPluginSaysOKWarningCriticalOrUnknown() async throws {
        let setup = try Setup()
        defer { setup.fleet.stop() }
        let sweepOptions = ["--checks", "rtsp", "--timeout", "1", "--connect-timeout", "0.5"]
        let warning = await run(setup, ["check", "--warning", "90", "--critical", "70"] + sweepOptions)
        #expect(warning.status == 1)
        #expect(warning.output == """
            XUELIANG WARNING - 4/5 online (80.0%) | online=4;;;0;5 degraded=1;;;0;5 offline=1;;;0;5 rate=80.0%;90:;70:;0;100
            offline: \(Self.blackholed) 村口球机 (青山村): timeout

            """)
        #expect(await run(setup, ["check", "--warning", "99", "--critical", "90"] + sweepOptions).status == 2)
        #expect(await run(setup, ["check", "--warning", "80", "--critical", "50"] + sweepOptions).output.hasPrefix("XUELIANG OK - 4/5 online (80.0%)"))

        // From a monitor's debounced state: the blackholed camera is not yet flagged after one sweep.
        let path = try monitor(setup)
        _ = await run(setup, ["sweep", "--monitor", path, "--no-save"])
        let fromState = await run(setup, ["check", "--monitor", path, "--warning", "90", "--critical", "70"])
        #expect(fromState.status == 1)
        #expect(fromState.output.hasPrefix("XUELIANG WARNING - 4/5 online (80.0%) | online=4;;;0;5 degraded=1;;;0;5 offline=0;;;0;5 unknown=1;;;0;5"),
                "never seen working, not yet flagged: unknown, not online\n\(fromState.output)")
        let stale = await run(setup, ["check", "--monitor", path], now: ISO8601DateFormatter().string(from: Date().addingTimeInterval(3 * 3600)))
        #expect(stale.status == 3)
        #expect(stale.output.hasPrefix("XUELIANG UNKNOWN - monitor m's last sweep finished 3h 0m ago (limit 30m)"), "\(stale.output)")
        let usage = await run(setup, ["check", "--warning", "abc"])
        #expect(usage.status == 3, "a plugin's every failure is UNKNOWN")
        #expect(usage.output.hasPrefix("XUELIANG UNKNOWN - --warning: 'abc' is not a percentage"), "\(usage.output)")
        let missing = await run(setup, ["check", "--monitor", "nosuch"])
        #expect(missing.status == 3)
        #expect(missing.output == "XUELIANG UNKNOWN - monitor nosuch has not recorded a sweep yet\n")
    }

    @Test func alertsGoToAWebhookAndACommandWithTheDetails() async throws {
        let setup = try Setup()
        defer { setup.fleet.stop() }
        let receiver = try HTTPReceiver(status: 200)
        defer { receiver.stop() }
        let script = setup.directory.file("alert.sh")
        try "#!/bin/sh\nenv | grep '^XUELIANG_' | sort > \"\(setup.directory.path)/alert-$XUELIANG_ALERT-$XUELIANG_CAMERA_ID.env\"\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let alerts = #"[{"webhook": "http://127.0.0.1:\#(receiver.port)/hook"}, {"command": "\#(script)"}]"#
        let path = try monitor(setup, thresholds: #"{"offline_after": 1}"#, alerts: alerts)

        let result = await run(setup, ["sweep", "--monitor", path, "--no-save"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.hasSuffix(" m: 1 alert delivered\n") && !result.error.contains("not delivered"), "\(result.error)")
        let request = try #require(receiver.requests.first)
        #expect(receiver.requests.count == 1, "one POST per sweep")
        #expect(request.method == "POST" && request.path == "/hook")
        #expect(request.headers["content-type"] == "application/json")
        let document = try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as! [String: Any]
        #expect(document["schema"] as? String == "xueliang.alert/1")
        #expect(document["monitor"] as? String == "m")
        let alert = try #require((document["alerts"] as? [[String: String]])?.first)
        #expect(alert["alert"] == "offline")
        #expect(alert["camera_id"] == Self.blackholed)
        #expect(alert["village_name"] == "青山村")
        #expect(alert["reason"] == "timeout")
        #expect(!request.body.contains(SweepCommandTests.password))

        let environment = try String(contentsOfFile: setup.directory.file("alert-offline-\(Self.blackholed).env"), encoding: .utf8)
        #expect(environment.contains("XUELIANG_ALERT=offline\n"))
        #expect(environment.contains("XUELIANG_CAMERA_ID=\(Self.blackholed)\n"))
        #expect(environment.contains("XUELIANG_MONITOR=m\n"))
        #expect(environment.contains("XUELIANG_VILLAGE=450128101201\n"))
        #expect(environment.contains("XUELIANG_REASON=timeout\n"))
        #expect(!environment.contains(SweepCommandTests.password))

        // The camera is fixed (pointed at a healthy address): the next sweep sends "recovered".
        let villageFile = setup.inventory + "/villages/\(InventoryFixtures.villageCode).village"
        let text = try String(contentsOfFile: villageFile, encoding: .utf8)
        try text.replacingOccurrences(of: "127.8.1.1", with: "127.8.0.1").write(toFile: villageFile, atomically: true, encoding: .utf8)
        _ = await run(setup, ["sweep", "--monitor", path, "--no-save"])
        #expect(receiver.requests.count == 2)
        #expect(receiver.requests.last?.body.contains(#""alert":"recovered""#) == true, "\(receiver.requests.last?.body ?? "")")
        #expect(FileManager.default.fileExists(atPath: setup.directory.file("alert-recovered-\(Self.blackholed).env")))
    }

    @Test func aFailingWebhookNeitherBlocksNorBreaksTheSweep() async throws {
        let setup = try Setup()
        defer { setup.fleet.stop() }
        let silent = try HTTPReceiver(status: nil)
        let failing = try HTTPReceiver(status: 500)
        let elsewhere = try HTTPReceiver(status: 200)
        let redirecting = try HTTPReceiver(status: 307, location: "http://127.0.0.1:\(elsewhere.port)/collect?token=X")
        defer { silent.stop(); failing.stop(); elsewhere.stop(); redirecting.stop() }
        let alerts = #"""
            [{"webhook": "http://127.0.0.1:\#(silent.port)/hook?access_token=SECRET-TOKEN", "timeout": "300ms", "retries": 0},
             {"webhook": "http://127.0.0.1:\#(failing.port)/hook", "timeout": "2s", "retries": 1},
             {"webhook": "http://127.0.0.1:\#(redirecting.port)/hook", "timeout": "2s", "retries": 0},
             {"command": "/nonexistent/alert"}]
            """#
        let path = try monitor(setup, thresholds: #"{"offline_after": 1}"#, alerts: alerts)
        let started = ContinuousClock.now
        let result = await run(setup, ["sweep", "--monitor", path, "--no-save"])
        #expect(result.status == 0)
        #expect(ContinuousClock.now - started < .seconds(15))
        #expect(result.error.contains("alert webhook http://127.0.0.1:\(silent.port) failed:"), "\(result.error)")
        #expect(result.error.contains("alert webhook http://127.0.0.1:\(failing.port) answered 500 after 2 attempts; 1 alert not delivered"))
        #expect(result.error.contains("alert command /nonexistent/alert for offline of \(Self.blackholed) could not start"))
        #expect(!result.error.contains("SECRET-TOKEN"), "a token in the webhook's query is never logged")
        #expect(failing.requests.count == 2, "retried once")
        #expect(result.error.contains("alert webhook http://127.0.0.1:\(redirecting.port) answered 307, a redirect to http://127.0.0.1:\(elsewhere.port) "
            + "(webhooks never follow redirects)"), "\(result.error)")
        #expect(elsewhere.requests.isEmpty, "the alert was not re-posted where the redirect pointed")
        // The sweep was recorded all the same.
        let offline = await run(setup, ["offline", "--json"])
        #expect(offline.output.contains(#""id" : "\#(Self.blackholed)""#))
    }

    @Test func watchStopsOnSIGTERMMidSweepWithinTwoSecondsAndLeavesTheStateWhole() async throws {
        let setup = try Setup(blackholes: 20)
        defer { setup.fleet.stop() }
        let patient = try monitor(setup, name: "w", timeout: "60s", every: "10s")
        // No state yet, so the first sweep starts at once; every blackholed camera is then connected and waiting.
        let (output, status, signalled, took) = try setup.interruptMidSweep(["watch", "--monitor", patient, "--jitter", "0"], connected: 20,
                                                                             signal: SIGTERM)
        #expect(took < .seconds(2), "the transfers had 60 s left")
        #expect(!signalled && status == 0)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("w: watching every 10s") == true, "\(output)")
        #expect(lines.dropFirst().first?.contains("w: sweep cancelled after") == true, "\(output)")
        #expect(lines.last?.hasSuffix("w: stopped") == true)
        // The cancelled sweep recorded nothing, the lock is free, and the next sweep of the monitor is its first.
        let store = MonitorStore(stateDirectory: setup.state, monitor: "w")
        #expect(try store.load().state.sweeps == 0)
        let quick = try monitor(setup, name: "w", timeout: "500ms", every: "10s")
        let next = await run(setup, ["sweep", "--monitor", quick, "--no-save"])
        #expect(next.output.contains("w sweep 1: "), "\(next.output)\(next.error)")
        let loaded = try store.load()
        try FileManager.default.removeItem(atPath: store.statePath)
        #expect(try store.load().state.cameras == loaded.state.cameras, "the journal alone rebuilds the same state")
    }

    @Test func compactionKeepsTheFlagsAndShortensTheJournal() async throws {
        let setup = try Setup()
        defer { setup.fleet.stop() }
        let path = try monitor(setup)
        for _ in 1...3 { _ = await run(setup, ["sweep", "--monitor", path, "--no-save"]) }
        let journal = setup.state + "/monitors/m/journal.jsonl"
        #expect(try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").count == 4)
        let later = ISO8601DateFormatter().string(from: Date().addingTimeInterval(100 * 86400))
        let compact = await run(setup, ["history", "compact", "--keep", "90d"], now: later)
        #expect(compact.status == 0, "\(compact.error)")
        #expect(compact.output.hasPrefix("m: 3 sweeps before "))
        #expect(try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").count == 2, "header and base")
        #expect(await run(setup, ["offline"]).output.contains(Self.blackholed), "the flag survives compaction")
        #expect(await run(setup, ["history", "compact"]).status == ExitCode.usage)
    }

    @Test(arguments: [("journal-before-append", 1), ("journal-after-append", 2)])
    func aMonitorSweepKilledAtAnyStepLosesAtMostThatSweep(failpoint: String, recordedSweeps: Int) async throws {
        let setup = try Setup()
        defer { setup.fleet.stop() }
        let path = try monitor(setup)
        _ = await run(setup, ["sweep", "--monitor", path, "--no-save"])
        let killed = try ProcessRunner.run(ProcessRunner.product("xueliang"), ["sweep", "--monitor", path, "--no-save", "--state", setup.state],
                                           environment: ["XUELIANG_INVENTORY": setup.inventory, "XUELIANG_FAILPOINT": failpoint])
        #expect(killed.wasSignalled, "the failpoint killed the process")
        let store = MonitorStore(stateDirectory: setup.state, monitor: "m")
        let loaded = try store.load()
        #expect(loaded.state.sweeps == recordedSweeps, "the journal's fsynced line is the commit point")
        #expect(loaded.state.cameras[Self.blackholed]?.status == (recordedSweeps == 2 ? .offline : .unknown), "never seen working: unknown until flagged")
        try FileManager.default.removeItem(atPath: store.statePath)
        #expect(try store.load().state.cameras == loaded.state.cameras, "the journal alone rebuilds the same state")
        let next = await run(setup, ["sweep", "--monitor", path, "--no-save"])
        #expect(next.output.contains("m sweep \(recordedSweeps + 1): "), "\(next.output)\(next.error)")
    }

    /// Every step of a sweep's commit, in order, and whether the sweep is committed when a kill hits there.
    static let commitSteps: [(failpoint: String, committed: Bool)] = [
        ("outbox-before-write", false), ("outbox-after-write", false), ("journal-before-append", false), ("journal-after-append", true),
        ("outbox-after-publish", true), ("state-before-rewrite", true), ("state-after-rewrite", true),
        ("delivery-after-an-alert", true), ("delivery-before-remove", true),
    ]

    @Test(arguments: commitSteps)
    func aKillAtAnyStepOfTheCommitLosesNoAlertOfACommittedSweepAndSendsNoneOfAnUncommittedOne(failpoint: String, committed: Bool) async throws {
        let setup = try Setup(blackholes: 3)
        defer { setup.fleet.stop() }
        let blackholed = ["45012801001320000010", "45012801001320000011", "45012801001320000012"]
        let log = setup.directory.file("alerts.log")
        let script = setup.directory.file("alert.sh")
        try "#!/bin/sh\necho \"$XUELIANG_ALERT $XUELIANG_CAMERA_ID $XUELIANG_AT\" >> \(log)\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let path = try monitor(setup, alerts: #"[{"command": "\#(script)"}]"#)
        let first = await run(setup, ["sweep", "--monitor", path, "--no-save"])
        #expect(first.status == 0 && !FileManager.default.fileExists(atPath: log), "one failed sweep raises no alert\n\(first.error)")

        // The second sweep flags the three blackholed cameras offline: three alerts, and the process killed at `failpoint`.
        let killed = try ProcessRunner.run(ProcessRunner.product("xueliang"), ["sweep", "--monitor", path, "--no-save", "--state", setup.state],
                                           environment: ["XUELIANG_INVENTORY": setup.inventory, "XUELIANG_FAILPOINT": failpoint])
        #expect(killed.wasSignalled && killed.status == SIGKILL, "the failpoint killed the process: \(killed.standardError)")
        let store = MonitorStore(stateDirectory: setup.state, monitor: "m")
        let outbox = AlertOutbox(store: store)
        // The killed sweep's alerts carry its finishing second: from its staged batch, or from its journal line.
        let staged = try? String(contentsOfFile: outbox.directory + "/0000000002.pending", encoding: .utf8)
        let loaded = try store.load()
        #expect(loaded.state.sweeps == (committed ? 2 : 1), "the journal's fsynced line is the commit point")
        try? FileManager.default.removeItem(atPath: store.statePath)
        #expect(try store.load().state.cameras == loaded.state.cameras, "the state file and the journal agree: the journal alone rebuilds it")
        let killedAt = committed ? loaded.state.lastFinishedAt.map(AlertEvent.timestamp)
            : staged.flatMap { $0.firstMatch(of: /"at":"([^"]+)"/).map { String($0.1) } }
        if failpoint == "outbox-after-write" || failpoint == "journal-before-append" {
            #expect(killedAt != nil, "the batch was staged before the kill")
        }

        let next = await run(setup, ["sweep", "--monitor", path, "--no-save"])
        #expect(next.status == 0, "\(next.error)")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        let ofKilledSweep = lines.filter { killedAt != nil && $0.hasSuffix(" " + killedAt!) }
        if committed {
            #expect(Set(ofKilledSweep) == Set(blackholed.map { "offline \($0) \(killedAt!)" }), "every alert of the committed sweep: \(lines)")
            if !failpoint.hasPrefix("delivery-") {
                #expect(ofKilledSweep.count == 3, "none had been sent before the kill: each exactly once")
            }
            #expect(ofKilledSweep.count == lines.count, "the next sweep raises nothing new: \(lines)")
        } else {
            #expect(ofKilledSweep.isEmpty, "nothing of the uncommitted sweep is sent: \(lines)")
            #expect(Set(lines.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }) == Set(blackholed.map { "offline \($0)" })
                    && lines.count == 3, "the next sweep, which does commit, announces them once: \(lines)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: outbox.directory).filter { !$0.hasPrefix(".") }
        #expect(left.isEmpty, "nothing staged or undelivered is left: \(left)")
    }

    @Test(arguments: [(["sweep"], SIGINT, ExitCode.interrupted), (["sweep"], SIGTERM, ExitCode.interrupted),
                      (["watch", "--jitter", "0"], SIGTERM, ExitCode.success), (["watch", "--jitter", "0"], SIGINT, ExitCode.success)])
    func aSignalStopsALongDeliveryAtOnceAndTheNextRunDeliversTheRest(command: [String], signal: Int32, exitStatus: Int32) async throws {
        let setup = try Setup()
        defer { setup.fleet.stop() }
        let log = setup.directory.file("alerts.log")
        let script = setup.directory.file("alert.sh")
        // 0.3 s an alert, four at once: the 400 alerts below take half a minute.
        try "#!/bin/sh\nsleep 0.3\necho \"$XUELIANG_CAMERA_ID\" >> \(log)\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let path = try monitor(setup, alerts: #"[{"command": "\#(script)", "timeout": "1m"}]"#)
        #expect(await run(setup, ["sweep", "--monitor", path, "--no-save"]).status == 0)
        // A mass outage's batch left by sweep 1 (the journal holds it), to deliver before sweep 2's own alert.
        let outbox = AlertOutbox(store: MonitorStore(stateDirectory: setup.state, monitor: "m"))
        let at = Date()
        let ids = (1...400).map { String(format: "450128010013%08d", 90_000 + $0) }
        let events = ids.map { id in
            AlertEvent(Transition(cameraID: id, at: at, from: .online, to: .offline, reason: .timeout, detail: "", since: at, alert: .offline),
                       monitor: "m", camera: nil, village: nil)
        }
        _ = try outbox.publish(outbox.stage(events, sweepNumber: 1))

        // `sweep` delivers it after its own sweep; `watch` at its start (its next sweep is an interval away).
        let child = try ChildProcess(ProcessRunner.product("xueliang"), command + ["--monitor", path, "--no-save", "--state", setup.state],
                                     environment: ["XUELIANG_INVENTORY": setup.inventory])
        child.closeInput()
        func delivered() -> [String] { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init) }
        try await waitUntil(seconds: 60) { delivered().count >= 8 }
        let signalledAt = ContinuousClock.now
        kill(child.pid, signal)
        let (status, signalled) = child.wait()
        let took = ContinuousClock.now - signalledAt
        let error = child.readAll() + child.readAll(from: child.errorDescriptor)
        #expect(!signalled && status == exitStatus, "a clean stop: \(error)")
        #expect(took < .seconds(5), "not the half minute the rest of the delivery takes")
        let remaining = try #require(outbox.pending().first { $0.path.hasSuffix("/0000000001.json") })
        let before = Set(delivered())
        #expect(remaining.events.count < 400 && remaining.events.count >= 400 - before.count, "only what was not delivered stays")
        #expect(Set(ids).subtracting(remaining.events.map(\.cameraID)).isSubset(of: before), "and nothing is dropped")
        #expect(error.contains("m: delivery stopped, xueliang is shutting down; \(remaining.events.count) alerts wait in the outbox for the next run"),
                "\(error)")

        try "#!/bin/sh\necho \"$XUELIANG_CAMERA_ID\" >> \(log)\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let next = await run(setup, ["sweep", "--monitor", path, "--no-save"])
        #expect(next.status == 0, "\(next.error)")
        let missing = Set(ids + [Self.blackholed]).subtracting(delivered())
        #expect(missing.isEmpty, "the next run delivers the rest, and sweep 2's alert; missing \(missing.count)")
        #expect(outbox.pending().isEmpty)
    }

    @Test func aWatchStartingAfterAKillDeliversTheCommittedSweepsStagedAlertsAtOnce() async throws {
        let setup = try Setup(blackholes: 3)
        defer { setup.fleet.stop() }
        let log = setup.directory.file("alerts.log")
        let script = setup.directory.file("alert.sh")
        try "#!/bin/sh\necho \"$XUELIANG_ALERT $XUELIANG_CAMERA_ID\" >> \(log)\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let path = try monitor(setup, thresholds: #"{"offline_after": 1}"#, alerts: #"[{"command": "\#(script)"}]"#)
        let killed = try ProcessRunner.run(ProcessRunner.product("xueliang"), ["sweep", "--monitor", path, "--no-save", "--state", setup.state],
                                           environment: ["XUELIANG_INVENTORY": setup.inventory, "XUELIANG_FAILPOINT": "journal-after-append"])
        #expect(killed.wasSignalled)
        let outbox = AlertOutbox(store: MonitorStore(stateDirectory: setup.state, monitor: "m"))
        // Committed but not published; and a staged batch of a sweep that never committed, to be dropped.
        #expect(FileManager.default.fileExists(atPath: outbox.directory + "/0000000001.pending"))
        try FileManager.default.copyItem(atPath: outbox.directory + "/0000000001.pending", toPath: outbox.directory + "/0000000002.pending")

        // The watch's next sweep is an interval away: the alerts go out at its start, not then.
        let watch = try ChildProcess(ProcessRunner.product("xueliang"), ["watch", "--monitor", path, "--no-save", "--state", setup.state],
                                     environment: ["XUELIANG_INVENTORY": setup.inventory])
        watch.closeInput()
        func delivered() -> [String] { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init) }
        try await waitUntil(seconds: 120) { delivered().count >= 3 && outbox.pending().isEmpty }
        kill(watch.pid, SIGTERM)
        #expect(watch.wait() == (0, false))
        #expect(delivered().sorted() == (10...12).map { "offline 450128010013200000\($0)" }, "each once: \(delivered())")
        let left = try FileManager.default.contentsOfDirectory(atPath: outbox.directory).filter { !$0.hasPrefix(".") }
        #expect(left.isEmpty, "the uncommitted sweep's batch is discarded, not sent: \(left)")
    }

    @Test(.enabled(if: SmallFilesystem.available, "needs root to mount a tmpfs; skipped here"), arguments: [true, false])
    func aSweepIntoAFullStateDirectoryExits74NamingTheFileAndLeavesNoTemporary(withAlerts: Bool) async throws {
        let setup = try Setup()
        defer { setup.fleet.stop() }
        let disk = try #require(SmallFilesystem(kilobytes: 256))
        let state = disk.file("State")
        // Sweep 2 flags the blackholed camera (an alert to stage), or, with offline_after 3, changes nothing.
        let path = try monitor(setup, thresholds: withAlerts ? "{}" : #"{"offline_after": 3}"#)
        func sweep() async -> CommandResult {
            await xueliang(["sweep", "--monitor", path, "--no-save"], inventory: setup.inventory, environment: ["XUELIANG_STATE": state])
        }
        #expect(await sweep().status == 0)
        let store = MonitorStore(stateDirectory: state, monitor: "m")
        let journal = try Data(contentsOf: URL(fileURLWithPath: store.journalPath))
        try disk.fill()

        let full = await sweep()
        #expect(full.status == ExitCode.ioError, "\(full.error)")
        #expect(full.error.contains(": cannot write: No space left on device") || full.error.contains(": cannot append: No space left on device"),
                "\(full.error)")
        let leftovers = disk.allNames().filter { $0.contains(".xueliang-tmp-") || $0.hasSuffix(".pending") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        let after = try Data(contentsOf: URL(fileURLWithPath: store.journalPath))
        if withAlerts {
            #expect(full.error.contains(store.directory + "/outbox/0000000002.pending: cannot write"), "the staged alerts are first: \(full.error)")
            #expect(after == journal, "nothing committed")
            #expect(try store.load().state.sweeps == 1)
        } else if full.error.contains(store.statePath) {
            #expect(try store.load().state.sweeps == 2, "the journal took the sweep: wholly committed, the state caught up from it")
        } else {
            #expect(full.error.contains(store.journalPath), "\(full.error)")
            #expect(after == journal)
        }
        try FileManager.default.removeItem(atPath: disk.file("filler"))
        let next = await sweep()
        #expect(next.status == 0, "with space again the monitor goes on: \(next.error)")
    }

    @Test func aCompactionKilledAfterItsRenameLeavesTheStatesWhole() async throws {
        let setup = try Setup()
        defer { setup.fleet.stop() }
        let path = try monitor(setup)
        for _ in 1...3 { _ = await run(setup, ["sweep", "--monitor", path, "--no-save"]) }
        let store = MonitorStore(stateDirectory: setup.state, monitor: "m")
        let before = try store.load().state
        let later = ISO8601DateFormatter().string(from: Date().addingTimeInterval(100 * 86400))
        let killed = try ProcessRunner.run(ProcessRunner.product("xueliang"), ["history", "compact", "--keep", "90d", "--state", setup.state],
                                           environment: ["XUELIANG_INVENTORY": setup.inventory, "XUELIANG_NOW": later,
                                                         "XUELIANG_FAILPOINT": "compact-after-rename"])
        #expect(killed.wasSignalled)
        let journal = try String(contentsOfFile: store.journalPath, encoding: .utf8).split(separator: "\n")
        #expect(journal.count == 2 && journal[1].hasPrefix(#"{"base":"#), "the new journal is in place")
        let after = try store.load().state
        #expect(after.cameras == before.cameras, "the old state file names the old generation: the state is rebuilt from the base")
        #expect(after.sweeps == 3)
    }

    @Test func alertsCutShortByAKillAreDeliveredAtTheNextStart() async throws {
        let setup = try Setup()
        defer { setup.fleet.stop() }
        let script = setup.directory.file("alert.sh")
        let started = setup.directory.file("alert-started")
        // First a command that hangs (the process is killed while it runs) …
        try "#!/bin/sh\necho $$ > \(started)\nexec sleep 60\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let path = try monitor(setup, thresholds: #"{"offline_after": 1}"#, alerts: #"[{"command": "\#(script)", "timeout": "2m"}]"#)
        let child = try ChildProcess(ProcessRunner.product("xueliang"), ["sweep", "--monitor", path, "--no-save", "--state", setup.state],
                                     environment: ["XUELIANG_INVENTORY": setup.inventory])
        child.closeInput()
        try await waitUntil(seconds: 120) { FileManager.default.fileExists(atPath: started) }
        kill(child.pid, SIGKILL)
        _ = child.wait()
        // The hung command outlives its killed parent (it leads its own process group): end it here.
        if let group = Int32(try String(contentsOfFile: started, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) { kill(-group, SIGKILL) }
        let outbox = AlertOutbox(store: MonitorStore(stateDirectory: setup.state, monitor: "m"))
        #expect(outbox.pending().map { $0.events.map(\.cameraID) } == [[Self.blackholed]], "the undelivered alert is still in the outbox")
        // … then one that works: the next run delivers the alert left behind, and empties the outbox.
        try "#!/bin/sh\nenv | grep '^XUELIANG_' | sort > \"\(setup.directory.path)/alert-$XUELIANG_ALERT-$XUELIANG_CAMERA_ID.env\"\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let next = await run(setup, ["sweep", "--monitor", path, "--no-save"])
        #expect(next.status == 0, "\(next.error)")
        #expect(FileManager.default.fileExists(atPath: setup.directory.file("alert-offline-\(Self.blackholed).env")))
        #expect(outbox.pending().isEmpty)
    }
}

