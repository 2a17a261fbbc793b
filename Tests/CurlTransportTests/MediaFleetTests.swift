import CameraFleet
import CurlTransport
import Probing
import Registry
import Testing
import TestSupport

/// The media check through libcurl against the simulator's streams and its media faults, one camera at a
/// time and in a sweep.
@Suite struct MediaFleetTests {
    static let behaviours: [String: CameraBehaviour] = [
        "127.6.0.1": .healthy, "127.6.0.2": .mediaNone, "127.6.0.3": .mediaStall, "127.6.0.4": .mediaNoKeyframe,
        "127.6.0.5": .mediaLowFPS, "127.6.0.6": .authDigest, "127.6.0.7": .sdpWithoutVideo, "127.6.0.8": .mediaOtherChannel,
    ]

    func media(_ host: String, harness: Harness, credential: CredentialProfile? = nil) async throws -> CheckResult {
        var camera = CameraRecord(id: "45012801001320000001", name: "sim", village: try! VillageCode.parse("450128101201").get(),
                                  source: .public, status: .active)
        camera.endpoints.rtsp = harness.stream(host)
        var settings = ProbeSettings()
        settings.media.windowMilliseconds = 2_000
        settings.media.stallMilliseconds = 1_000
        return try await MediaProber().probe(ProbeTarget(camera: camera, credential: credential, settings: settings),
                                             endpoint: harness.stream(host), transport: harness.transport)
    }

    @Test func eachMediaBehaviourGivesItsVerdict() async throws {
        let harness = try Harness(Self.behaviours)
        defer { harness.stop() }
        let healthy = try await media("127.6.0.1", harness: harness)
        #expect(healthy.passed, "\(healthy.detail)")
        #expect(healthy.findings.width == 640 && healthy.findings.height == 360)
        let reading = try #require(healthy.findings.media)
        #expect(reading.keyframe && reading.parameterSets && reading.framesPerSecond == 25)
        #expect(reading.frames >= 10 && reading.windowMilliseconds < 1_500, "ends once certain: \(reading.windowMilliseconds) ms")

        let silent = try await media("127.6.0.2", harness: harness)
        #expect(silent.reason == .noMedia, "\(silent.detail)")
        #expect(silent.detail == "PLAY: no RTP within 1 s")
        let stalled = try await media("127.6.0.3", harness: harness)
        #expect(stalled.reason == .streamStalled, "\(stalled.detail)")
        #expect(stalled.findings.media?.frames == 5)
        let noKeyframe = try await media("127.6.0.4", harness: harness)
        #expect(noKeyframe.reason == .noKeyframe, "\(noKeyframe.detail)")
        #expect(noKeyframe.findings.media?.parameterSets == true)
        let slow = try await media("127.6.0.5", harness: harness)
        #expect(slow.reason == .lowFPS, "\(slow.detail)")
        #expect(slow.findings.media?.framesPerSecond == 5)

        let anonymous = try await media("127.6.0.6", harness: harness)
        #expect(anonymous.reason == .authRequired)
        let right = CredentialProfile(name: "right", username: "admin", password: Secret("fleet-pass"))
        let digest = try await media("127.6.0.6", harness: harness, credential: right)
        #expect(digest.passed, "\(digest.detail)")
        #expect(try await media("127.6.0.7", harness: harness).reason == .noVideoTrack)
        // RTP on the channel SETUP's reply named (10), not the one asked for (0).
        let otherChannel = try await media("127.6.0.8", harness: harness)
        #expect(otherChannel.passed, "\(otherChannel.detail)")
        #expect(otherChannel.findings.media?.packetsIgnored == 0)
    }

    @Test func aMediaSweepFlagsCamerasWhoseVideoDoesNotFlow() async throws {
        let harness = try Harness(Self.behaviours)
        defer { harness.stop() }
        // Eight channels of one recorder address share a host:port: their streams go one at a time.
        var cameras = (1...5).map { SweepIntegrationTests.camera($0, host: "127.6.0.\($0)", harness: harness, snapshot: false) }
        cameras += (10..<18).map { SweepIntegrationTests.camera($0, host: "127.6.0.9", harness: harness, snapshot: false) }
        let outcomes = await SweepIntegrationTests().sweep(cameras, harness: harness) {
            $0.checks = [.rtsp, .media]
            $0.media.windowMilliseconds = 2_000
            $0.media.stallMilliseconds = 1_000
        }
        func verdict(_ index: Int) -> (HealthStatus?, ReasonCode?) { (outcomes[cameras[index].id]?.status, outcomes[cameras[index].id]?.reason) }
        #expect(verdict(0) == (.online, .ok))
        #expect(verdict(1) == (.offline, .noMedia))
        #expect(verdict(2) == (.offline, .streamStalled))
        #expect(verdict(3) == (.degraded, .noKeyframe))
        #expect(verdict(4) == (.degraded, .lowFPS))
        for index in 5..<cameras.count {
            #expect(verdict(index) == (.online, .ok), "channel \(index): \(outcomes[cameras[index].id]?.detail ?? "")")
        }
        #expect(outcomes.values.allSatisfy { $0.checks.map(\.kind) == [.rtsp, .media] })
    }

    /// Ctrl-C in the middle of a media sweep: the sweep returns at once, and every camera still hears its
    /// TEARDOWN (cameras limit their sessions), whether the session was resting between receive rounds
    /// (`pace` 1 s: on its own connection) or in the middle of one (`pace` 0: cut off, then on a new
    /// connection), and also when the transport is shut down right after (as a command does on its way out).
    @Test(arguments: [0, 1_000])
    func aCancelledMediaSweepStillTearsDownEverySession(pace: Int) async throws {
        // No keyframe ever: the window never ends early, so the sessions are mid-window when the cancel comes.
        let hosts = (1...4).map { "127.6.1.\($0)" }
        let harness = try Harness(Dictionary(uniqueKeysWithValues: hosts.map { ($0, CameraBehaviour.mediaNoKeyframe) }))
        defer { harness.fleet.stop() }
        let cameras = hosts.enumerated().map { SweepIntegrationTests.camera($0.offset, host: $0.element, harness: harness, snapshot: false) }
        var settings = SweepSettings()
        settings.checks = [.media]
        // A window far longer than any wait below: the streams are still playing when the test cancels, however
        // long the pool keeps this test waiting.
        settings.timeoutSeconds = 900
        settings.budgetSeconds = 1_200
        settings.media.windowMilliseconds = 600_000
        settings.media.stallMilliseconds = 300_000
        settings.media.receivePaceMilliseconds = pace
        let runner = SweepRunner(transport: harness.transport, probers: ProberTable.all)
        let plan = SweepPlan(cameras: cameras, credentials: CredentialStore(), settings: settings, today: InventoryFixtures.today)
        let sweep = Task { await runner.run(plan) }
        // Every stream is playing (PLAY answered, RTP flowing), none torn down.
        try await waitUntil { harness.fleet.statistics().mediaStreamsStarted == 4 }
        #expect(harness.fleet.statistics().teardownsReceived == 0)
        let cancelledAt = ContinuousClock.now
        sweep.cancel()
        let outcome = await sweep.value
        // Prompt: long before the 10 minutes the streams had left. Loose, because fuzzers and encoders in other
        // suites hold both of the test process's pool threads for seconds at a time on a 2-core machine.
        #expect(ContinuousClock.now - cancelledAt < .seconds(20), "the sweep does not wait for its window")
        #expect(!outcome.complete && outcome.outcomes.isEmpty)
        // The command's way out: shutting the transport down waits for the TEARDOWNs, a second at most.
        let shutdownAt = ContinuousClock.now
        harness.transport.shutdown()
        #expect(ContinuousClock.now - shutdownAt < .seconds(20), "bounded by the TEARDOWNs' second, not the window")
        #expect(harness.fleet.statistics().teardownsReceived == 4, "\(harness.fleet.statistics())")
        #expect(DescriptorInspection.openConnections(toPorts: [harness.rtspPort, harness.httpPort]) == 0)
    }
}
