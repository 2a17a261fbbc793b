import CameraFleet
import CurlTransport
import Foundation
import Glibc
import Probing
import Registry
import Synchronization
import Testing
import TestSupport

/// Probers, runner and libcurl transport together against the simulator on loopback.
@Suite struct SweepIntegrationTests {
    static let password = "Sweep-Secret-42"

    /// A camera at `host` with the given endpoints (ports filled in from the harness).
    static func camera(_ serial: Int, host: String, harness: Harness, rtsp: Bool = true, snapshot: Bool = true,
                       hls: Bool = false, onvif: Bool = false, tcp: String? = nil, credential: String? = nil, parent: String? = nil) -> CameraRecord {
        var camera = CameraRecord(id: "450128010013200\(String(serial + 10000).suffix(5))", name: "cam \(serial)",
                                  village: try! VillageCode.parse("450128101201").get(), source: .public, status: .active)
        if rtsp { camera.endpoints.rtsp = "rtsp://\(host):\(harness.rtspPort)/stream" }
        if snapshot { camera.endpoints.snapshot = "http://\(host):\(harness.httpPort)/snapshot.jpg" }
        if hls { camera.endpoints.hls = "http://\(host):\(harness.httpPort)/live/index.m3u8" }
        if onvif { camera.endpoints.onvif = "http://\(host):\(harness.httpPort)/onvif/device_service" }
        camera.endpoints.tcp = tcp
        camera.credential = credential
        camera.parent = parent
        return camera
    }

    static let credentials = CredentialStore(profiles: [
        "right": CredentialProfile(name: "right", username: "admin", password: Secret("fleet-pass")),
        "wrong": CredentialProfile(name: "wrong", username: "admin", password: Secret(password)),
    ])

    func sweep(_ cameras: [CameraRecord], harness: Harness, configure: (inout SweepSettings) -> Void = { _ in }) async -> [String: CameraOutcome] {
        // Generous for healthy cameras on a loaded 2-core machine; the blackholed ones wait it out.
        var settings = SweepSettings()
        settings.connectTimeoutSeconds = 2
        settings.timeoutSeconds = 3
        settings.maximumBodyBytes = 256 * 1024
        configure(&settings)
        let runner = SweepRunner(transport: harness.transport, probers: ProberTable.all)
        let outcome = await runner.run(SweepPlan(cameras: cameras, credentials: Self.credentials, settings: settings, today: InventoryFixtures.today))
        #expect(outcome.complete)
        return Dictionary(uniqueKeysWithValues: outcome.outcomes.map { ($0.camera.id, $0) })
    }

    @Test func everyReasonCodeFromTheSimulator() async throws {
        let behaviours: [(String, CameraBehaviour)] = [
            ("127.5.0.1", .healthy), ("127.5.0.2", .blackhole), ("127.5.0.3", .reset), ("127.5.0.4", .garbage),
            ("127.5.0.5", .authDigest), ("127.5.0.6", .authBasic), ("127.5.0.7", .serverError), ("127.5.0.8", .rtspNotFound),
            ("127.5.0.9", .htmlInsteadOfJPEG), ("127.5.0.10", .truncatedJPEG), ("127.5.0.11", .endlessBody),
            ("127.5.0.12", .sdpWithoutVideo), ("127.5.0.13", .clockSkew(seconds: 300)), ("127.5.0.14", .badCSeq),
            ("127.5.0.15", .badPlaylist), ("127.5.0.16", .authDigest), ("127.5.0.17", .healthy),
        ]
        let harness = try Harness(Dictionary(uniqueKeysWithValues: behaviours))
        defer { harness.stop() }
        let closed = try freePort()
        var cameras: [CameraRecord] = []
        func add(_ host: String, expecting reason: ReasonCode, _ status: HealthStatus, _ make: (Int) -> CameraRecord) -> (String, ReasonCode, HealthStatus) {
            let camera = make(cameras.count + 1)
            cameras.append(camera)
            return (camera.id, reason, status)
        }
        let expectations = [
            add("127.5.0.1", expecting: .ok, .online) { Self.camera($0, host: "127.5.0.1", harness: harness, hls: true, onvif: true) },
            add("127.5.0.2", expecting: .timeout, .offline) { Self.camera($0, host: "127.5.0.2", harness: harness) },
            add("127.5.0.3", expecting: .connectionReset, .offline) { Self.camera($0, host: "127.5.0.3", harness: harness) },
            add("127.5.0.4", expecting: .protocolError, .offline) { Self.camera($0, host: "127.5.0.4", harness: harness, rtsp: false) },
            add("127.5.0.5", expecting: .authRequired, .offline) { Self.camera($0, host: "127.5.0.5", harness: harness) },
            add("127.5.0.6", expecting: .authFailed, .offline) { Self.camera($0, host: "127.5.0.6", harness: harness, credential: "wrong") },
            add("127.5.0.7", expecting: .httpStatus, .offline) { Self.camera($0, host: "127.5.0.7", harness: harness, rtsp: false) },
            add("127.5.0.8", expecting: .rtspStatus, .offline) { Self.camera($0, host: "127.5.0.8", harness: harness, snapshot: false) },
            add("127.5.0.9", expecting: .notJPEG, .offline) { Self.camera($0, host: "127.5.0.9", harness: harness, rtsp: false) },
            add("127.5.0.10", expecting: .truncatedJPEG, .degraded) { Self.camera($0, host: "127.5.0.10", harness: harness) },
            add("127.5.0.11", expecting: .responseTooLarge, .offline) { Self.camera($0, host: "127.5.0.11", harness: harness, rtsp: false) },
            add("127.5.0.12", expecting: .noVideoTrack, .offline) { Self.camera($0, host: "127.5.0.12", harness: harness) },
            add("127.5.0.13", expecting: .clockSkew, .degraded) { Self.camera($0, host: "127.5.0.13", harness: harness, onvif: true) },
            add("127.5.0.14", expecting: .protocolError, .offline) { Self.camera($0, host: "127.5.0.14", harness: harness, snapshot: false) },
            add("127.5.0.15", expecting: .badPlaylist, .degraded) { Self.camera($0, host: "127.5.0.15", harness: harness, hls: true) },
            add("127.5.0.16", expecting: .ok, .online) { Self.camera($0, host: "127.5.0.16", harness: harness, credential: "right") },
            add("127.5.0.17", expecting: .connectionRefused, .offline) { serial in
                var camera = Self.camera(serial, host: "127.5.0.17", harness: harness, snapshot: false)
                camera.endpoints.rtsp = "rtsp://127.5.0.17:\(closed)/stream"
                return camera
            },
        ]
        // An NVR whose address refuses connections, and its channel: parent-offline, the channel not probed.
        var recorder = Self.camera(90, host: "127.5.0.19", harness: harness, rtsp: false, snapshot: false, tcp: "127.5.0.19:\(closed)")
        recorder.id = "45012801001181000090"
        let channel = Self.camera(91, host: "127.5.0.19", harness: harness, parent: recorder.id)
        cameras += [recorder, channel]

        let outcomes = await sweep(cameras, harness: harness)
        for (id, reason, status) in expectations {
            let outcome = try #require(outcomes[id])
            #expect(outcome.reason == reason, "\(outcome.camera.endpoints): \(outcome.detail)")
            #expect(outcome.status == status, "\(id) \(reason)")
        }
        #expect(outcomes[recorder.id]?.reason == .connectionRefused)
        #expect(outcomes[channel.id]?.reason == .parentOffline)
        #expect(outcomes[channel.id]?.checks.isEmpty == true)
        let healthy = try #require(outcomes[expectations[0].0])
        #expect(healthy.checks.map(\.kind).sorted() == [.snapshot, .rtsp, .hls, .onvif].sorted())
        #expect(healthy.checks.first { $0.kind == .snapshot }?.findings.width != nil)
        #expect(healthy.checks.first { $0.kind == .rtsp }?.findings.codec == "H264")
        let everything = outcomes.values.map { "\($0)" }.joined()
        #expect(!everything.contains(Self.password), "no password in any result")
    }

    @Test func connectTimeoutReason() async throws {
        let harness = try Harness()
        defer { harness.stop() }
        let listener = try FullListener(host: "127.5.1.1")
        defer { listener.close() }
        var cameras: [CameraRecord] = []
        for serial in 1...4 {
            var camera = Self.camera(serial, host: "127.5.1.1", harness: harness, rtsp: false, snapshot: false)
            camera.endpoints.tcp = "127.5.1.1:\(listener.port)"
            cameras.append(camera)
        }
        let outcomes = await sweep(cameras, harness: harness) { $0.perHost = 1; $0.connectTimeoutSeconds = 0.3 }
        #expect(outcomes.values.contains { $0.reason == .connectTimeout }, "\(outcomes.values.map(\.reason))")
    }

    /// 10,000 cameras, each behaviour at a known count: the sweep's counts per reason must match exactly.
    @Test func tenThousandCamerasWithExactPerReasonCounts() async throws {
        let mix: [(CameraBehaviour, ReasonCode, Int)] = [
            (.healthy, .ok, 9_200), (.blackhole, .timeout, 200), (.reset, .connectionReset, 150),
            (.serverError, .rtspStatus, 150), (.sdpWithoutVideo, .noVideoTrack, 100), (.htmlInsteadOfJPEG, .notJPEG, 100),
            (.badCSeq, .protocolError, 100),
        ]
        var table: [String: CameraBehaviour] = [:]
        var hosts: [(String, CameraBehaviour)] = []
        for (behaviour, _, count) in mix {
            for _ in 0..<count {
                let index = hosts.count
                let host = "127.6.\(index / 250).\(1 + index % 250)"
                hosts.append((host, behaviour))
                if behaviour != .healthy { table[host] = behaviour }
            }
        }
        let harness = try Harness(table)
        defer { harness.stop() }
        let cameras = hosts.enumerated().map { index, entry in
            // html cameras only have a snapshot, so that not-jpeg is their primary failure.
            Self.camera(index, host: entry.0, harness: harness, rtsp: entry.1 != .htmlInsteadOfJPEG, snapshot: entry.1 == .htmlInsteadOfJPEG)
        }
        let outcomes = await sweep(cameras, harness: harness) { $0.concurrency = 1_000; $0.timeoutSeconds = 5 }
        var counts: [ReasonCode: Int] = [:]
        for outcome in outcomes.values { counts[outcome.reason, default: 0] += 1 }
        #expect(outcomes.count == 10_000)
        #expect(counts == Dictionary(uniqueKeysWithValues: mix.map { ($0.1, $0.2) }))
        // One camera per address, one transfer at a time: at most an RTSP step's connection closing as the next opens.
        #expect(harness.fleet.statistics().peakConcurrentConnections.values.max() ?? 0 <= 2)
    }

    @Test func perHostLimitHoldsForNVRChannels() async throws {
        let harness = try Harness(["127.5.2.1": .slow(milliseconds: 100)])
        defer { harness.stop() }
        let counting = CountingTransport(harness.transport)
        let cameras = (1...16).map { Self.camera($0, host: "127.5.2.1", harness: harness, snapshot: false) }
            + (17...24).map { Self.camera($0, host: "127.5.2.\($0)", harness: harness, snapshot: false) }
        var settings = SweepSettings()
        settings.perHost = 3
        settings.concurrency = 20
        let outcome = await SweepRunner(transport: counting, probers: ProberTable.all)
            .run(SweepPlan(cameras: cameras, credentials: CredentialStore(), settings: settings, today: InventoryFixtures.today))
        #expect(outcome.outcomes.allSatisfy { $0.status == .online })
        #expect(counting.peaks()["127.5.2.1"] == 3, "16 channels of one NVR, never more than 3 at once")
    }

    @Test func cancelledSweepReturnsPromptlyWithPartialResultsAndNoOpenSockets() async throws {
        // 100 healthy cameras finish first; then 300 blackholed ones fill the window until the cancel.
        var table: [String: CameraBehaviour] = [:]
        for index in 100..<400 { table["127.7.\(index / 250).\(1 + index % 250)"] = .blackhole }
        let harness = try Harness(table)
        defer { harness.stop() }
        let cameras = (0..<400).map { index in Self.camera(index, host: "127.7.\(index / 250).\(1 + index % 250)", harness: harness, snapshot: false) }
        var settings = SweepSettings()
        settings.timeoutSeconds = 60
        settings.concurrency = 200
        let runner = SweepRunner(transport: harness.transport, probers: ProberTable.all)
        let plan = SweepPlan(cameras: cameras, credentials: CredentialStore(), settings: settings, today: InventoryFixtures.today)
        let done = Mutex(0)
        let sweep = Task { await runner.run(plan) { progress in done.withLock { $0 = progress.done } } }
        // The healthy cameras have finished and the window is full of blackholed ones: now cancel.
        try await waitUntil { done.withLock { $0 } >= 100 && harness.fleet.statistics().openConnections >= 200 }
        let cancelledAt = ContinuousClock.now
        sweep.cancel()
        let outcome = await sweep.value
        // Prompt means long before the transfers' 60 s timeout. The bound is loose because fuzzers and encoders in
        // other suites hold both of the test process's pool threads for seconds at a time on a 2-core machine.
        #expect(ContinuousClock.now - cancelledAt < .seconds(20))
        #expect(!outcome.complete)
        #expect(outcome.outcomes.count == 100, "the healthy cameras finished before the cancel and are reported")
        #expect(outcome.outcomes.allSatisfy { $0.status == .online })
        #expect(DescriptorInspection.openConnections(toPorts: [harness.rtspPort, harness.httpPort]) == 0)
    }
}

/// A listener that never accepts and whose queue is full, so that further connections time out.
struct FullListener {
    let descriptor: Int32
    let port: UInt16

    init(host: String) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: 0, sin_addr: in_addr(s_addr: inet_addr(host)), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        listen(listener, 0)
        descriptor = listener
        port = UInt16(bigEndian: address.sin_port)
    }

    func close() { Glibc.close(descriptor) }
}

/// Wraps a transport and records, per host, the most transfers it had in flight at once.
final class CountingTransport: Transport {
    private let inner: any Transport
    private let state = Mutex<(current: [String: Int], peak: [String: Int])>(([:], [:]))

    init(_ inner: any Transport) { self.inner = inner }

    func perform(_ request: TransferRequest) async throws -> TransferResult {
        let host = EndpointURL(request.url)?.host ?? request.url
        state.withLock { state in
            state.current[host, default: 0] += 1
            state.peak[host] = max(state.peak[host] ?? 0, state.current[host]!)
        }
        defer { state.withLock { $0.current[host, default: 1] -= 1 } }
        return try await inner.perform(request)
    }

    func peaks() -> [String: Int] { state.withLock { $0.peak } }
}
