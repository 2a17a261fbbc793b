import Foundation
import Glibc
import Probing
import Registry
import Testing
import TestSupport
@testable import Monitoring

@Suite struct WatchScheduleTests {
    let start = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func theFirstSweepStartsAtOnce() {
        #expect(WatchSchedule(everySeconds: 900).nextStart(lastStartedAt: nil, now: start, jitterFraction: 0.7) == start)
    }

    @Test func aRestartKeepsTheRhythmOfTheRecordedState() {
        let schedule = WatchSchedule(everySeconds: 900, jitterSeconds: 0)
        #expect(schedule.nextStart(lastStartedAt: start, now: start.addingTimeInterval(60), jitterFraction: 0) == start.addingTimeInterval(900))
    }

    @Test func jitterIsATenthOfTheIntervalAtMostAMinute() {
        #expect(WatchSchedule(everySeconds: 300).jitterSeconds == 30)
        #expect(WatchSchedule(everySeconds: 3600).jitterSeconds == 60)
        #expect(WatchSchedule(everySeconds: 900).nextStart(lastStartedAt: start, now: start, jitterFraction: 0.5) == start.addingTimeInterval(930))
    }

    @Test func aLastStartInTheFutureWaitsOneIntervalNotUntilThen() {
        let schedule = WatchSchedule(everySeconds: 900, jitterSeconds: 0)
        let farFuture = Date(timeIntervalSince1970: 253_402_300_799)
        #expect(schedule.nextStart(lastStartedAt: farFuture, now: start, jitterFraction: 0) == start.addingTimeInterval(900))
    }

    @Test func aSweepLongerThanTheIntervalIsFollowedAtOnceNeverOverlapped() {
        let late = start.addingTimeInterval(2000)
        #expect(WatchSchedule(everySeconds: 900).nextStart(lastStartedAt: start, now: late, jitterFraction: 1) == late)
    }
}

@Suite struct AlertTests {
    func transition(_ alert: Transition.Alert) -> Transition {
        Transition(cameraID: "45012801011320500001", at: Date(timeIntervalSince1970: 1_795_000_900), from: .online, to: .offline,
                   reason: .timeout, detail: "rtsp OPTIONS: timed out", since: Date(timeIntervalSince1970: 1_795_000_000), alert: alert)
    }

    func citizenCamera() throws -> (CameraRecord, Village) {
        let directory = TemporaryDirectory()
        let path = try InventoryFixtures.makeInventory(in: directory, files: [
            InventoryFixtures.villageCode: InventoryFixtures.villageFile(cameras: InventoryFixtures.citizenCamera()),
        ])
        let inventory = try InventoryStore(directory: path).load()
        return (inventory.cameras[0], inventory.villages.values.first!)
    }

    @Test func aCommandGetsTheDetailsInEnvironmentVariablesWithThePhoneMasked() throws {
        let (camera, village) = try citizenCamera()
        let event = AlertEvent(transition(.offline), monitor: "m", camera: camera, village: village)
        let environment = event.environment
        #expect(environment["XUELIANG_ALERT"] == "offline")
        #expect(environment["XUELIANG_CAMERA_ID"] == "45012801011320500001")
        #expect(environment["XUELIANG_SOURCE"] == "citizen")
        #expect(environment["XUELIANG_VILLAGE_NAME"] == "青山村")
        #expect(environment["XUELIANG_SINCE"] == "2026-11-18T11:06:40Z")
        #expect(environment["XUELIANG_AT"] == "2026-11-18T11:21:40Z")
        let phone = try #require(camera.citizen.phone)
        #expect(environment["XUELIANG_OWNER_PHONE"] == PhoneNumber.masked(phone))
        #expect(!environment.values.contains(phone))
        #expect(environment.keys.sorted() == ["XUELIANG_ALERT", "XUELIANG_AT", "XUELIANG_CAMERA_ID", "XUELIANG_CAMERA_NAME", "XUELIANG_DETAIL",
                                              "XUELIANG_MAINTAINER", "XUELIANG_MONITOR", "XUELIANG_OWNER", "XUELIANG_OWNER_PHONE", "XUELIANG_REASON",
                                              "XUELIANG_SINCE", "XUELIANG_SOURCE", "XUELIANG_STATION", "XUELIANG_STATUS", "XUELIANG_TOWNSHIP",
                                              "XUELIANG_VILLAGE", "XUELIANG_VILLAGE_NAME"])
    }

    @Test func theWebhookDocumentHoldsEveryAlertOfTheSweep() throws {
        let (camera, village) = try citizenCamera()
        let events = [AlertEvent(transition(.offline), monitor: "m", camera: camera, village: village),
                      AlertEvent(transition(.frozen), monitor: "m", camera: nil, village: nil)]
        let bytes = AlertEvent.document(events, monitor: "m", sentAt: Date(timeIntervalSince1970: 1_795_001_000))
        let document = try JSONSerialization.jsonObject(with: Data(bytes)) as! [String: Any]
        #expect(document["schema"] as? String == "xueliang.alert/1")
        #expect(document["sent_at"] as? String == "2026-11-18T11:23:20Z")
        let alerts = document["alerts"] as! [[String: String]]
        #expect(alerts.map { $0["alert"] } == ["offline", "frozen"])
        #expect(alerts[1]["camera_name"] == "", "a camera no longer registered keeps its id only")
        #expect(alerts[1]["camera_id"] == "45012801011320500001")
    }

    @Test func theWebhookDocumentCarriesAwkwardTextExactly() throws {
        var event = AlertEvent(transition(.offline), monitor: "m/\"q\"", camera: nil, village: nil)
        event.detail = "quote \" back\\slash /slash\ttab\nnewline\r\u{0}\u{1}\u{1F} 中文 📷 \u{2028}"
        event.cameraName = "村口球机"
        let bytes = AlertEvent.document([event, event], monitor: "m/\"q\"", sentAt: Date(timeIntervalSince1970: 1_795_001_000))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(document["monitor"] as? String == "m/\"q\"")
        let alerts = try #require(document["alerts"] as? [[String: String]])
        #expect(alerts.count == 2)
        #expect(alerts[0] == Dictionary(uniqueKeysWithValues: event.fields.map { ($0.name, $0.value) }), "every field, byte for byte")
        let reference = try JSONSerialization.data(withJSONObject: ["alerts": alerts, "monitor": "m/\"q\"", "schema": "xueliang.alert/1",
                                                                    "sent_at": "2026-11-18T11:23:20Z"], options: [.sortedKeys])
        #expect(try JSONSerialization.jsonObject(with: reference) as? NSDictionary == document as NSDictionary)
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix(#"{"alerts":[{"alert":"offline","at":"#), "keys sorted, no whitespace")
    }

    @Test func aCommandThatHangsIsKilledAtItsTimeout() async throws {
        let directory = TemporaryDirectory()
        try "#!/bin/sh\nexec sleep 30\n".write(toFile: directory.file("hang.sh"), atomically: true, encoding: .utf8)
        chmod(directory.file("hang.sh"), 0o755)
        try "#!/bin/sh\nexit 3\n".write(toFile: directory.file("fail.sh"), atomically: true, encoding: .utf8)
        chmod(directory.file("fail.sh"), 0o755)
        // The kill is the waiter thread's, at the timeout, so the outcome says so even when other suites hold the
        // test process's pool threads for longer than the 30 s sleep (elapsed time here would measure the pool).
        let hung = await ChildCommand.run(directory.file("hang.sh"), environment: [:], timeoutSeconds: 0.3)
        #expect(hung.problem == "was killed after its 0.3 s timeout", "the 30 s sleep was not waited for")
        #expect(await ChildCommand.run(directory.file("fail.sh"), environment: [:], timeoutSeconds: 5).problem == "exited with 3")
        #expect(await ChildCommand.run("/bin/true", environment: [:], timeoutSeconds: 5).problem == nil)
    }

    @Test func webhookURLsAreLoggedWithSchemeHostAndPortOnly() {
        #expect(AlertDelivery.loggable("https://oapi.dingtalk.com/robot/send?access_token=abc123") == "https://oapi.dingtalk.com")
        #expect(AlertDelivery.loggable("https://open.feishu.cn/open-apis/bot/v2/hook/5f3c-secret") == "https://open.feishu.cn")
        #expect(AlertDelivery.loggable("http://127.0.0.1:9093/services/T0/B0/secret") == "http://127.0.0.1:9093")
        #expect(AlertDelivery.loggable("http://user:pass@127.0.0.1:9093/x") == "http://127.0.0.1:9093")
    }

    @Test func anAlertCommandInheritsNoDescriptorOfOursAndLeadsItsOwnProcessGroup() async throws {
        let directory = TemporaryDirectory()
        // A socket of ours, as libcurl's are: not close-on-exec.
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        try #require(socket >= 0)
        let report = directory.file("descriptors")
        try "#!/bin/sh\nls /proc/$$/fd > \(report)\nps -o pgid= -p $$ | tr -d ' ' > \(report).group\necho $$ > \(report).pid\n"
            .write(toFile: directory.file("list.sh"), atomically: true, encoding: .utf8)
        chmod(directory.file("list.sh"), 0o755)
        #expect(await ChildCommand.run(directory.file("list.sh"), environment: [:], timeoutSeconds: 10).problem == nil)
        let descriptors = try String(contentsOfFile: report, encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
        #expect(!descriptors.contains(Int(socket)), "the socket was closed in the child: \(descriptors)")
        #expect(descriptors.allSatisfy { $0 <= 2 || $0 >= 10 }, "only stdin, stdout, stderr and the shell's own (10+): \(descriptors)")
        let group = try String(contentsOfFile: report + ".group", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try String(contentsOfFile: report + ".pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(group == pid, "the command leads a process group, so a timeout kills its children too")
    }
}

@Suite struct AlertOutboxTests {
    @Test func batchesComeBackWholeInSweepOrderUntilRemoved() throws {
        let directory = TemporaryDirectory()
        let outbox = AlertOutbox(store: MonitorStore(stateDirectory: directory.path, monitor: "m"))
        let at = Date(timeIntervalSince1970: 1_795_000_900)
        func event(_ id: String, _ kind: Transition.Alert) -> AlertEvent {
            AlertEvent(Transition(cameraID: id, at: at, from: .online, to: .offline, reason: .timeout, detail: "rtsp: timed\tout \"x\"",
                                  since: at.addingTimeInterval(-900), alert: kind), monitor: "m", camera: nil, village: nil)
        }
        let tenth = try outbox.publish(outbox.stage([event("A", .offline), event("B", .frozen)], sweepNumber: 10))
        let ninth = try outbox.publish(outbox.stage([event("C", .recovered)], sweepNumber: 9))
        try "{ not json".write(toFile: outbox.directory + "/0000000008.json", atomically: true, encoding: .utf8)
        let pending = outbox.pending()
        #expect(pending == [ninth, tenth], "sweep order, and an unreadable file is skipped rather than stopping the monitor")
        #expect(outbox.unreadable() == [outbox.directory + "/0000000008.json"], "and named, to be logged")
        #expect(pending.last?.events.map(\.cameraID) == ["A", "B"])
        #expect(pending.last?.events.first == event("A", .offline), "every field survives the file")
        outbox.remove(ninth)
        #expect(outbox.pending() == [tenth])
    }

    /// A transport no test here reaches: these deliveries have no webhook.
    struct NoTransport: Transport {
        func perform(_ request: TransferRequest) async throws -> TransferResult { TransferResult(failure: .other) }
    }

    @Test func oneProcessAtATimeDeliversAnOutbox() async throws {
        let directory = TemporaryDirectory()
        let outbox = AlertOutbox(store: MonitorStore(stateDirectory: directory.path, monitor: "m"))
        let at = Date(timeIntervalSince1970: 1_795_000_900)
        let event = AlertEvent(Transition(cameraID: "A", at: at, from: .online, to: .offline, reason: .timeout, detail: "", since: at, alert: .offline),
                               monitor: "m", camera: nil, village: nil)
        _ = try outbox.publish(outbox.stage([event], sweepNumber: 1))
        let delivery = AlertDelivery(actions: [], transport: NoTransport()) { _ in }
        let held = try #require(outbox.claim())
        #expect(await delivery.deliverPending(outbox) == false, "another holder: nothing is sent twice")
        #expect(outbox.pending().count == 1, "and nothing is lost")
        withExtendedLifetime(held) {}
        _ = consume held
        #expect(await delivery.deliverPending(outbox) == true)
        #expect(outbox.pending().isEmpty)
    }
}

