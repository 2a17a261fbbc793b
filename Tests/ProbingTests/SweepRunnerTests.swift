import Registry
import Synchronization
import Testing
import TestSupport
@testable import Probing

/// A transport whose answers a test scripts per URL, and which logs when each transfer starts and ends,
/// how many run at once per host, and the timeouts each was given.
final class ScriptedTransport: Transport {
    enum Script: Sendable {
        /// Answers after `milliseconds` (a network's latency, so that transfers overlap).
        case reply(TransferResult, milliseconds: Int = 2)
        /// Answers nothing until the transfer's own timeout, then fails with `timeout` (a blackhole): the
        /// test clock moves on by that timeout, and the answer comes at once.
        case silent
        /// Waits until the test opens the gate of this name, then answers.
        case gated(String, TransferResult)
        /// Fails with `connectionRefused` this many times, then answers.
        case refusedThen(times: Int, TransferResult)
    }

    struct Event: Sendable, Equatable {
        var url: String
        var started: Bool
    }

    private struct State {
        var events: [Event] = []
        var requests: [TransferRequest] = []
        var inFlight: [String: Int] = [:]
        var peak: [String: Int] = [:]
        var refusals: [String: Int] = [:]
        var openGates: Set<String> = []
        var waitingAtGates: [String: [CheckedContinuation<Void, Never>]] = [:]
        var clockMilliseconds: Int64 = 0
    }

    private let scripts: [String: Script]
    private let state = Mutex(State())

    init(_ scripts: [String: Script]) { self.scripts = scripts }

    var events: [Event] { state.withLock { $0.events } }
    /// A clock that moves only when a silent camera "waits": budgets become exact and independent of load.
    var clock: MonotonicClock { MonotonicClock { [self] in state.withLock { $0.clockMilliseconds } } }

    func finished(_ url: String) -> Bool { events.contains(Event(url: url, started: false)) }

    func open(_ gate: String) {
        let waiting = state.withLock { state in
            state.openGates.insert(gate)
            return state.waitingAtGates.removeValue(forKey: gate) ?? []
        }
        for continuation in waiting { continuation.resume() }
    }
    var requests: [TransferRequest] { state.withLock { $0.requests } }
    func peak(_ host: String) -> Int { state.withLock { $0.peak[host] ?? 0 } }

    func perform(_ request: TransferRequest) async throws -> TransferResult {
        let host = EndpointURL(request.url)?.host ?? request.url
        let refusalsSoFar = state.withLock { state in
            state.events.append(Event(url: request.url, started: true))
            state.requests.append(request)
            state.inFlight[host, default: 0] += 1
            state.peak[host] = max(state.peak[host] ?? 0, state.inFlight[host]!)
            defer { state.refusals[request.url, default: 0] += 1 }
            return state.refusals[request.url] ?? 0
        }
        defer {
            state.withLock { state in
                state.inFlight[host, default: 1] -= 1
                state.events.append(Event(url: request.url, started: false))
            }
        }
        switch scripts[request.url] {
        case .reply(let result, let milliseconds):
            try await Task.sleep(for: .milliseconds(milliseconds))
            return result
        case .silent:
            state.withLock { $0.clockMilliseconds += Int64(request.timeoutMilliseconds) }
            return TransferResult(failure: .timeout, failureDetail: "timed out after \(request.timeoutMilliseconds) ms")
        case .gated(let gate, let result):
            await withCheckedContinuation { continuation in
                let isOpen = state.withLock { state in
                    if state.openGates.contains(gate) { return true }
                    state.waitingAtGates[gate, default: []].append(continuation)
                    return false
                }
                if isOpen { continuation.resume() }
            }
            return result
        case .refusedThen(let times, let result):
            if refusalsSoFar < times { return TransferResult(failure: .connectionRefused, failureDetail: "refused") }
            return result
        case nil:
            Issue.record("no script for \(request.url)")
            return TransferResult(failure: .other, failureDetail: "unscripted")
        }
    }
}

/// The runner's rules, with a scripted transport: the windows, retries, skipping, the recorder cascade,
/// and the per-camera budget.
@Suite struct SweepRunnerTests {
    static let jpeg = TransferResult(statusCode: 200, headers: [("Content-Type", "image/jpeg")], body: JPEGBuilder.picture())
    static let sdp = TransferResult(statusCode: 200, headers: [("Content-Type", "application/sdp")],
                                    body: Array("v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n".utf8))
    static let open = TransferResult(statusCode: 0)

    static func camera(_ serial: Int, snapshot: String? = nil, rtsp: String? = nil, tcp: String? = nil, onvif: String? = nil,
                       parent: String? = nil) -> CameraRecord {
        var camera = CameraRecord(id: "450128010013200\(String(serial + 10000).suffix(5))", name: "cam \(serial)",
                                  village: try! VillageCode.parse("450128101201").get(), source: .public, status: .active)
        camera.endpoints = CameraEndpoints(rtsp: rtsp, snapshot: snapshot, hls: nil, onvif: onvif, tcp: tcp)
        camera.parent = parent
        return camera
    }

    func run(_ cameras: [CameraRecord], _ transport: ScriptedTransport, configure: (inout SweepSettings) -> Void = { _ in }) async -> [String: CameraOutcome] {
        var settings = SweepSettings()
        settings.timeoutSeconds = 5
        configure(&settings)
        let outcome = await SweepRunner(transport: transport, probers: ProberTable.all, clock: transport.clock)
            .run(SweepPlan(cameras: cameras, credentials: CredentialStore(profiles: [:]), settings: settings, today: InventoryFixtures.today))
        #expect(outcome.complete)
        #expect(outcome.outcomes.count == cameras.count)
        return Dictionary(uniqueKeysWithValues: outcome.outcomes.map { ($0.camera.id, $0) })
    }

    @Test func atMostPerHostCamerasOnOneAddressAndConcurrencyOverall() async {
        var scripts: [String: ScriptedTransport.Script] = [:]
        var cameras: [CameraRecord] = []
        for index in 0..<24 {
            let host = index < 16 ? "10.0.0.1" : "10.0.1.\(index)"
            let url = "http://\(host)/\(index).jpg"
            scripts[url] = .reply(Self.jpeg, milliseconds: 5)
            cameras.append(Self.camera(index, snapshot: url))
        }
        let transport = ScriptedTransport(scripts)
        let outcomes = await run(cameras, transport) { $0.perHost = 3; $0.concurrency = 6 }
        #expect(outcomes.values.allSatisfy { $0.status == .online })
        #expect(transport.peak("10.0.0.1") <= 3)
        var inFlight = 0
        var peak = 0
        for event in transport.events {
            inFlight += event.started ? 1 : -1
            peak = max(peak, inFlight)
        }
        #expect(peak <= 6)
    }

    @Test func networkFailuresAreRetriedOthersAreNot() async {
        let flaky = "http://10.0.0.2/flaky.jpg"
        let refusing = "http://10.0.0.3/refusing.jpg"
        let broken = "http://10.0.0.4/broken.jpg"
        let transport = ScriptedTransport([
            flaky: .refusedThen(times: 2, Self.jpeg), refusing: .refusedThen(times: 5, Self.jpeg),
            broken: .reply(TransferResult(statusCode: 500, headers: [])),
        ])
        let cameras = [Self.camera(1, snapshot: flaky), Self.camera(2, snapshot: refusing), Self.camera(3, snapshot: broken)]
        let outcomes = await run(cameras, transport) { $0.retries = 2 }
        #expect(outcomes[cameras[0].id]?.status == .online)
        #expect(outcomes[cameras[0].id]?.checks.first?.attempts == 3)
        #expect(outcomes[cameras[1].id]?.reason == .connectionRefused)
        #expect(outcomes[cameras[1].id]?.checks.first?.attempts == 3)
        #expect(outcomes[cameras[2].id]?.reason == .httpStatus)
        #expect(outcomes[cameras[2].id]?.checks.first?.attempts == 1)
        #expect(transport.requests.filter { $0.url == broken }.count == 1)
    }

    @Test func afterAFailedPrimaryCheckTheOthersAreSkipped() async {
        let rtsp = "rtsp://10.0.0.5/stream"
        let snapshot = "http://10.0.0.5/snap.jpg"
        let transport = ScriptedTransport([rtsp: .reply(TransferResult(failure: .connectionRefused, failureDetail: "refused")),
                                           snapshot: .reply(Self.jpeg)])
        let camera = Self.camera(1, snapshot: snapshot, rtsp: rtsp)
        let outcomes = await run([camera], transport)
        #expect(outcomes[camera.id]?.status == .offline)
        #expect(outcomes[camera.id]?.checks.map(\.kind) == [.rtsp])
        #expect(!transport.requests.contains { $0.url == snapshot })
    }

    @Test func aDownRecorderMarksItsChannelsAndTheirsWithoutProbingThem() async {
        let nvr = Self.camera(1, tcp: "10.0.1.1:8000")
        let upNVR = Self.camera(2, tcp: "10.0.1.2:8000")
        let channel = Self.camera(3, snapshot: "http://10.0.1.1/ch1.jpg", parent: nvr.id)
        let subRecorder = Self.camera(4, tcp: "10.0.1.1:9000", parent: nvr.id)
        let subChannel = Self.camera(5, snapshot: "http://10.0.1.1/ch2.jpg", parent: subRecorder.id)
        let upChannel = Self.camera(6, snapshot: "http://10.0.1.2/ch1.jpg", parent: upNVR.id)
        let transport = ScriptedTransport([
            "http://10.0.1.1:8000/": .reply(TransferResult(failure: .connectionRefused, failureDetail: "refused")),
            "http://10.0.1.2:8000/": .reply(Self.open), "http://10.0.1.2/ch1.jpg": .reply(Self.jpeg),
        ])
        let outcomes = await run([channel, subChannel, upChannel, nvr, upNVR, subRecorder], transport)
        #expect(outcomes[nvr.id]?.reason == .connectionRefused)
        for down in [channel, subRecorder, subChannel] {
            #expect(outcomes[down.id]?.reason == .parentOffline)
            #expect(outcomes[down.id]?.checks.isEmpty == true)
        }
        #expect(outcomes[subChannel.id]?.detail == "recorder \(subRecorder.id) is offline; channel not probed")
        #expect(outcomes[upChannel.id]?.status == .online)
        #expect(Set(transport.requests.map(\.url)) == ["http://10.0.1.1:8000/", "http://10.0.1.2:8000/", "http://10.0.1.2/ch1.jpg"])
    }

    /// One silent recorder holds up only its own channels: the rest of the sweep (another recorder's
    /// channels included) runs and finishes while it has not answered.
    @Test func aSilentRecorderDelaysOnlyItsOwnChannels() async throws {
        let silent = Self.camera(1, tcp: "10.0.2.1:8000")
        let waitingChannel = Self.camera(2, snapshot: "http://10.0.2.1/ch1.jpg", parent: silent.id)
        let other = Self.camera(3, tcp: "10.0.2.2:8000")
        let otherChannel = Self.camera(4, snapshot: "http://10.0.2.2/ch1.jpg", parent: other.id)
        let independent = Self.camera(5, snapshot: "http://10.0.2.3/cam.jpg")
        let transport = ScriptedTransport([
            "http://10.0.2.1:8000/": .gated("recorder", TransferResult(failure: .timeout, failureDetail: "timed out")),
            "http://10.0.2.2:8000/": .reply(Self.open), "http://10.0.2.2/ch1.jpg": .reply(Self.jpeg), "http://10.0.2.3/cam.jpg": .reply(Self.jpeg),
        ])
        let sweep = Task { await run([waitingChannel, otherChannel, independent, silent, other], transport) }
        // Held behind every recorder, the other channel would never finish while this one is silent.
        try await waitUntil { transport.finished("http://10.0.2.2/ch1.jpg") && transport.finished("http://10.0.2.3/cam.jpg") }
        #expect(!transport.finished("http://10.0.2.1:8000/"))
        transport.open("recorder")
        let outcomes = await sweep.value
        #expect(outcomes[waitingChannel.id]?.reason == .parentOffline)
        #expect(outcomes[otherChannel.id]?.status == .online)
    }

    @Test func recordersThatAreEachOthersParentsAreStillSwept() async {
        var first = Self.camera(1, tcp: "10.0.3.1:8000")
        let second = Self.camera(2, tcp: "10.0.3.2:8000", parent: first.id)
        first.parent = second.id
        let transport = ScriptedTransport(["http://10.0.3.1:8000/": .reply(Self.open), "http://10.0.3.2:8000/": .reply(Self.open)])
        let outcomes = await run([first, second], transport)
        #expect(outcomes.values.allSatisfy { $0.status == .online })
    }

    /// All of a camera's checks and retries share one budget: each transfer gets at most what is left,
    /// and a check that finds nothing left is not run.
    @Test func oneBudgetForAllOfACamerasChecksAndRetries() async throws {
        let rtsp = "rtsp://10.0.4.1/stream"
        let snapshot = "http://10.0.4.1/snap.jpg"
        let onvif = "http://10.0.4.1/onvif/device_service"
        let transport = ScriptedTransport([rtsp: .reply(Self.sdp), snapshot: .silent, onvif: .silent])
        let camera = Self.camera(1, snapshot: snapshot, rtsp: rtsp, onvif: onvif)
        let outcomes = await run([camera], transport) {
            $0.timeoutSeconds = 0.4
            $0.budgetSeconds = 0.6
            $0.retries = 3
        }
        let outcome = try #require(outcomes[camera.id])
        #expect(outcome.status == .degraded)
        let timeouts = transport.requests.filter { $0.url == snapshot }.map(\.timeoutMilliseconds)
        // 400 ms, then the 200 left; with nothing left there is no third attempt, though retries allow it.
        #expect(timeouts == [400, 200])
        #expect(outcome.checks.first { $0.kind == .snapshot }?.attempts == 2)
        #expect(transport.requests.allSatisfy { $0.timeoutMilliseconds <= 600 && $0.connectTimeoutMilliseconds <= 600 })
        let notRun = try #require(outcome.checks.first { $0.kind == .onvif })
        #expect(notRun.reason == .timeout)
        #expect(notRun.detail == "not run: the camera's budget of 0.6 s was used up (--budget)")
        #expect(!transport.requests.contains { $0.url == onvif })
    }

    @Test func theVerdictFromTheChecks() {
        func check(_ kind: CheckKind, _ passed: Bool, _ reason: ReasonCode = .ok, clock: Double? = nil) -> CheckResult {
            var findings = CheckFindings()
            findings.clockOffsetSeconds = clock
            return CheckResult(kind: kind, passed: passed, reason: passed ? .ok : reason, detail: "d", findings: findings)
        }
        #expect(CameraHealth.evaluate([check(.snapshot, true), check(.rtsp, false, .timeout)], clockSkewThresholdSeconds: 60).status == .offline)
        #expect(CameraHealth.evaluate([check(.rtsp, true), check(.snapshot, false, .notJPEG)], clockSkewThresholdSeconds: 60)
            == .init(status: .degraded, reason: .notJPEG, detail: "snapshot: d"))
        #expect(CameraHealth.evaluate([check(.tcp, true), check(.onvif, true, clock: -90)], clockSkewThresholdSeconds: 60)
            == .init(status: .degraded, reason: .clockSkew, detail: "onvif: camera clock is 90 s behind"))
        #expect(CameraHealth.evaluate([check(.hls, true, clock: 30)], clockSkewThresholdSeconds: 60).status == .online)
        #expect(CameraHealth.evaluate([], clockSkewThresholdSeconds: 60).reason == .transferError)
    }

    @Test func mediaThatDoesNotFlowIsOfflinePoorMediaDegraded() {
        func check(_ kind: CheckKind, _ reason: ReasonCode) -> CheckResult {
            CheckResult(kind: kind, passed: reason == .ok, reason: reason, detail: "d")
        }
        #expect(CameraHealth.evaluate([check(.rtsp, .ok), check(.media, .noMedia)], clockSkewThresholdSeconds: 60)
            == .init(status: .offline, reason: .noMedia, detail: "media: d"))
        #expect(CameraHealth.evaluate([check(.rtsp, .ok), check(.snapshot, .notJPEG), check(.media, .streamStalled)],
                                      clockSkewThresholdSeconds: 60).reason == .streamStalled)
        #expect(CameraHealth.evaluate([check(.rtsp, .ok), check(.media, .lowFPS)], clockSkewThresholdSeconds: 60)
            == .init(status: .degraded, reason: .lowFPS, detail: "media: d"))
        #expect(CameraHealth.evaluate([check(.media, .noKeyframe)], clockSkewThresholdSeconds: 60).status == .degraded)
        #expect(CameraHealth.evaluate([check(.media, .authFailed)], clockSkewThresholdSeconds: 60).status == .offline)
        #expect(CameraHealth.evaluate([check(.media, .ok)], clockSkewThresholdSeconds: 60).status == .online)
    }

    @Test func mediaRunsOnlyWhenAskedAndOneStreamPerHostPort() async throws {
        var settings = SweepSettings()
        #expect(!settings.runs(.media) && settings.runs(.rtsp))
        settings.checks = [.media]
        #expect(settings.runs(.media) && !settings.runs(.rtsp))
        var camera = Fixtures.camera()
        #expect(SweepRunner.streamHost(camera) == "stream 10.45.1.20:554")
        camera.endpoints.rtsp = "rtsp://[fd00::5]/live"
        #expect(SweepRunner.streamHost(camera) == "stream fd00::5:554")
        camera.endpoints.rtsp = nil
        #expect(SweepRunner.streamHost(camera) == nil)
    }
}
