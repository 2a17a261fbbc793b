import CameraFleet
import Foundation
import Glibc
import Testing
import TestSupport
@testable import Registry
@testable import XueliangCLI

/// `xueliang sweep` end to end, against the simulator on loopback.
@Suite(.serialized) struct SweepCommandTests {
    static let password = "Cam-Pass-99!"

    /// A fleet plus an inventory whose cameras point at it: one healthy, one blackholed, one with a
    /// credential (digest auth), one with a skewed clock, an NVR that refuses and its channel.
    struct Setup {
        let directory = TemporaryDirectory()
        let fleet: CameraFleet
        let inventory: String
        let ports: (httpPort: UInt16, rtspPort: UInt16)

        /// `frozen` adds camera …06 on 127.8.0.6, which sends the same snapshot every time; `silent` adds
        /// camera …07 on 127.8.0.7, which answers DESCRIBE and PLAY and sends no video. `consent` adds citizen
        /// cameras on 127.8.2.x: …501 with consent expired, …502 with playback-only consent, and a pending
        /// public camera …08.
        init(blackholes: Int = 1, frozen: Bool = false, silent: Bool = false, consent: Bool = false) throws {
            var behaviours: [UInt32: CameraBehaviour] = [
                FleetAddress.parse("127.8.0.3")!: .authDigest, FleetAddress.parse("127.8.0.4")!: .clockSkew(seconds: 600),
                FleetAddress.parse("127.8.0.6")!: .frozen, FleetAddress.parse("127.8.0.7")!: .mediaNone,
            ]
            for index in 0..<blackholes { behaviours[FleetAddress.parse("127.8.1.\(1 + index)")!] = .blackhole }
            let fleet = try CameraFleet(configuration: FleetConfiguration(behaviours: behaviours, username: "admin", password: SweepCommandTests.password))
            let ports = try fleet.start()
            self.fleet = fleet
            self.ports = ports
            let directory = self.directory
            func camera(_ serial: Int, _ host: String, _ extra: String = "") -> String {
                InventoryFixtures.publicCamera(id: "450128010013200000\(String(format: "%02d", serial))", host: host, extra: extra)
                    .replacingOccurrences(of: "rtsp://\(host):8554/stream", with: "rtsp://\(host):\(ports.rtspPort)/stream")
                    + "\nsnapshot = http://\(host):\(ports.httpPort)/snapshot.jpg\n"
            }
            var cameras = [
                camera(1, "127.8.0.1"),
                camera(3, "127.8.0.3", "credential = hik-admin"),
                camera(4, "127.8.0.4", "onvif = http://127.8.0.4:\(ports.httpPort)/onvif/device_service"),
                InventoryFixtures.publicCamera(id: "45012801001181000009", host: "127.8.0.9")
                    .replacingOccurrences(of: "rtsp = rtsp://127.8.0.9:8554/stream", with: "tcp = 127.8.0.9:1"),
                camera(5, "127.8.0.9", "parent = 45012801001181000009"),
            ]
            if frozen { cameras.append(camera(6, "127.8.0.6")) }
            if consent {
                func citizen(_ serial: Int, _ host: String, scope: String, until: String) -> String {
                    InventoryFixtures.citizenCamera(id: "4501280101132050000\(serial)")
                        .replacingOccurrences(of: "consent_scope = live, playback", with: "consent_scope = \(scope)")
                        .replacingOccurrences(of: "2027-12-31", with: until)
                        .split(separator: "\n").filter { !$0.hasPrefix("rtsp =") && !$0.hasPrefix("snapshot =") }.joined(separator: "\n")
                        + "\nrtsp = rtsp://\(host):\(ports.rtspPort)/stream\nsnapshot = http://\(host):\(ports.httpPort)/snapshot.jpg\n"
                }
                cameras.append(citizen(1, "127.8.2.1", scope: "live", until: "2026-01-31"))
                cameras.append(citizen(2, "127.8.2.2", scope: "playback", until: "2027-12-31"))
                cameras.append(camera(8, "127.8.2.3").replacingOccurrences(of: "status = active", with: "status = pending"))
            }
            if silent { cameras.append(camera(7, "127.8.0.7")) }
            for index in 0..<blackholes { cameras.append(camera(10 + index, "127.8.1.\(1 + index)")) }
            let inventory = try InventoryFixtures.makeInventory(in: directory, files: [
                InventoryFixtures.villageCode: InventoryFixtures.villageFile(cameras: cameras.joined(separator: "\n")),
            ])
            try """
            {"schema": "xueliang.credentials/1", "profiles": {"hik-admin": {"username": "admin", "password": "\(SweepCommandTests.password)"}}}
            """.write(toFile: inventory + "/credentials.json", atomically: true, encoding: .utf8)
            chmod(inventory + "/credentials.json", 0o600)
            self.inventory = inventory
        }

        var state: String { directory.file("State") }

        /// Starts the binary with `arguments`, waits until `connected` blackholed cameras hold a connection
        /// (a sweep is in flight), sends `signal`, and returns what it printed, how it ended and how long
        /// it took after the signal.
        func interruptMidSweep(_ arguments: [String], connected: Int, signal: Int32) throws
            -> (output: String, status: Int32, signalled: Bool, took: Duration) {
            let child = try ChildProcess(ProcessRunner.product("xueliang"), arguments + ["--state", state],
                                         environment: ["XUELIANG_INVENTORY": inventory])
            child.closeInput()
            try waitUntilConnected(connected, seconds: 30, "the sweep never connected to the blackholed cameras")
            let signalledAt = ContinuousClock.now
            kill(child.pid, signal)
            let output = child.readAll()
            let (status, signalled) = child.wait()
            return (output, status, signalled, ContinuousClock.now - signalledAt)
        }

        /// Waits (polling the simulator, not sleeping) until `count` connections are open at once: a sweep is
        /// then in flight against the blackholed cameras.
        func waitUntilConnected(_ count: Int, seconds: Int, _ what: String) throws {
            let deadline = ContinuousClock.now + .seconds(seconds)
            while fleet.statistics().openConnections < count {
                try #require(ContinuousClock.now < deadline, "\(what)")
                sched_yield()
            }
        }
    }

    /// The document with what changes from run to run (times, ports, hashes) replaced by placeholders.
    static func normalised(_ json: String, ports: (UInt16, UInt16)) throws -> String {
        var text = json.replacingOccurrences(of: String(ports.0), with: "HTTP_PORT").replacingOccurrences(of: String(ports.1), with: "RTSP_PORT")
        for (pattern, replacement) in [(#""(started_at|finished_at|content_hash)" : "[^"]*""#, #""$1" : "…""#),
                                       (#""(duration_s|clock_offset_s|[a-z_]+_us|bytes)" : [0-9.e+-]+"#, #""$1" : 0"#),
                                       (#"after [0-9]+ (ms|milliseconds)"#, "after … $1"), (#"[0-9]+ bytes"#, "… bytes"),
                                       // ONVIF and Date headers have whole seconds: the offset is N or N-1.
                                       (#"clock is [0-9]+ s"#, "clock is … s")] {
            let expression = try NSRegularExpression(pattern: pattern)
            text = expression.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: replacement)
        }
        return text
    }

    @Test func jsonDocumentMatchesTheGoldenFile() async throws {
        let setup = try Setup()
        defer { setup.fleet.stop() }
        let result = await xueliang(["sweep", "--json", "--timeout", "3", "--connect-timeout", "2", "--state", setup.state], inventory: setup.inventory)
        #expect(result.status == 0, "\(result.error)")
        try expectGolden(try Self.normalised(result.output, ports: (setup.ports.httpPort, setup.ports.rtspPort)), "sweep.json")
        #expect(!result.output.contains(Self.password))

        // The sweep was kept in the state directory, as a compact record and a history block.
        let saved = try String(contentsOfFile: setup.state + "/sweeps/latest.tsv", encoding: .utf8)
        #expect(saved.hasPrefix("xueliang.sweep-record/2\n"))
        #expect(!saved.contains(Self.password))
        #expect(saved.components(separatedBy: "\toffline\t").count - 1 == 3)
        let history = try String(contentsOfFile: setup.state + "/sweeps/history.tsv", encoding: .utf8)
        #expect(history.hasPrefix("xueliang.sweep-history/1\nsweep\t") && history.hasSuffix("\nend\n"))
    }

    @Test func consentIsObeyedOnTheWireAndPendingCamerasWaitForAnAcceptanceTest() async throws {
        let setup = try Setup(consent: true)
        defer { setup.fleet.stop() }
        let result = await xueliang(["sweep", "--json", "--timeout", "3", "--connect-timeout", "2", "--state", setup.state],
                                    inventory: setup.inventory, environment: ["XUELIANG_TODAY": "2026-11-24"])
        #expect(result.status == 0, "\(result.error)")
        let connected = setup.fleet.statistics().peakConcurrentConnections
        #expect(connected[FleetAddress.parse("127.8.2.1")!] == nil, "the camera with expired consent was never connected to")
        #expect(connected[FleetAddress.parse("127.8.2.3")!] == nil, "the pending camera is not swept")
        struct Document: Decodable {
            struct Camera: Decodable {
                struct Check: Decodable { var kind: String }
                var id: String, status: String, checks: [Check]
            }
            struct Withheld: Decodable { var id: String, reason: String, detail: String }
            var cameras: [Camera]
            var withheld: [Withheld]?
        }
        let document = try JSONDecoder().decode(Document.self, from: Data(result.output.utf8))
        let playback = try #require(document.cameras.first { $0.id == "45012801011320500002" })
        #expect(playback.checks.map(\.kind) == ["tcp"], "playback-only consent: no picture, no stream")
        #expect(playback.status == "online")
        #expect(document.withheld?.map(\.id) == ["45012801011320500001"])
        #expect(document.withheld?.first?.reason == "no-consent" && document.withheld?.first?.detail == "consent expired on 2026-01-31")
        #expect(!document.cameras.contains { $0.id == "45012801011320500001" || $0.id == "45012801001320000008" })

        let coverage = await xueliang(["coverage", "--state", setup.state], inventory: setup.inventory, environment: ["XUELIANG_TODAY": "2026-11-24"])
        #expect(coverage.output.contains("pending: 1 records awaiting review"), "\(coverage.output)")
        #expect(coverage.output.contains("consent to renew (not probed, not counted): 1"))
        #expect(coverage.output.contains("138****5678") && !coverage.output.contains("13812345678"), "the owner's phone is masked")

        let acceptance = await xueliang(["sweep", "--json", "--include-pending", "--no-save", "--timeout", "3", "--connect-timeout", "2"],
                                        inventory: setup.inventory, environment: ["XUELIANG_TODAY": "2026-11-24"])
        let accepted = try JSONDecoder().decode(Document.self, from: Data(acceptance.output.utf8))
        #expect(accepted.cameras.first { $0.id == "45012801001320000008" }?.status == "online", "an acceptance test of the pending camera")
        let refused = await xueliang(["sweep", "--include-pending"], inventory: setup.inventory)
        #expect(refused.status == ExitCode.usage, "a kept sweep feeds the figures: --include-pending needs --no-save")
    }

    @Test func textSummaryListsTroubledCameras() async throws {
        let setup = try Setup()
        defer { setup.fleet.stop() }
        let result = await xueliang(["sweep", "--timeout", "3", "--connect-timeout", "2", "--no-save"], inventory: setup.inventory)
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("swept 6 cameras in "))
        #expect(lines[0].hasSuffix(": 2 online, 1 degraded, 3 offline"))
        #expect(lines[1] == "by reason: ok 2, clock-skew 1, connection-refused 1, parent-offline 1, timeout 1")
        #expect(lines.contains { $0.hasPrefix("offline   parent-offline      45012801001320000005") })
        #expect(!FileManager.default.fileExists(atPath: setup.state), "--no-save keeps nothing")
    }

    @Test func aMediaSweepFlagsTheCameraThatSendsNoVideo() async throws {
        let setup = try Setup(blackholes: 0, silent: true)
        defer { setup.fleet.stop() }
        let result = await xueliang(["sweep", "--checks", "rtsp,media", "--media-stall", "1", "--media-bandwidth", "100M", "--json",
                                     "--no-save", "--credentials", setup.inventory + "/credentials.json"], inventory: setup.inventory)
        struct Document: Decodable {
            struct Camera: Decodable {
                struct Check: Decodable {
                    struct Findings: Decodable {
                        struct Media: Decodable { var fps: Double?; var frames: Int; var keyframe: Bool; var bitrate_bps: Int? }
                        var media: Media?
                        var width: Int?
                    }
                    var kind: String
                    var reason: String
                    var findings: Findings
                }
                var id: String
                var status: String
                var reason: String
                var checks: [Check]
            }
            var cameras: [Camera]
        }
        let document = try JSONDecoder().decode(Document.self, from: Data(result.output.utf8))
        let byID = Dictionary(uniqueKeysWithValues: document.cameras.map { ($0.id, $0) })
        let silent = try #require(byID["45012801001320000007"])
        #expect(silent.status == "offline" && silent.reason == "no-media")
        let healthy = try #require(byID["45012801001320000001"]?.checks.first { $0.kind == "media" })
        #expect(healthy.reason == "ok")
        #expect(healthy.findings.width == 640 && healthy.findings.media?.fps == 25 && healthy.findings.media?.keyframe == true)
        #expect((healthy.findings.media?.bitrate_bps ?? 0) > 0)
        let digest = try #require(byID["45012801001320000003"]?.checks.first { $0.kind == "media" })
        #expect(digest.reason == "ok", "SETUP and PLAY with digest credentials")
        #expect(!result.output.contains(SweepCommandTests.password))
    }

    @Test func badOptionsAreUsageErrors() async throws {
        let setup = try Setup()
        defer { setup.fleet.stop() }
        let result = await xueliang(["sweep", "--checks", "rtsp,ftp"], inventory: setup.inventory)
        #expect(result.status == ExitCode.usage)
        #expect(result.error.hasPrefix("xueliang sweep: --checks: 'ftp' is not one of tcp, snapshot, rtsp, hls, onvif"))
        #expect(await xueliang(["sweep", "--concurrency", "0"], inventory: setup.inventory).status == ExitCode.usage)
        let bandwidth = await xueliang(["sweep", "--media-bandwidth", "lots"], inventory: setup.inventory)
        #expect(bandwidth.status == ExitCode.usage)
        #expect(bandwidth.error.hasPrefix("xueliang sweep: --media-bandwidth: 'lots' is not a rate of at least 1K bits/s (e.g. 500M, 1G)"))
    }

    @Test func aMonitorFileSetsScopeAndSettings() async throws {
        let setup = try Setup()
        defer { setup.fleet.stop() }
        let monitor = setup.directory.file("snapshots.json")
        try """
        {"schema": "xueliang.monitor/1", "every": "15m", "checks": ["snapshot"], "timeout": "1s", "connect_timeout": "500ms",
         "scope": {"places": ["450128101201"], "sources": ["public"]}}
        """.write(toFile: monitor, atomically: true, encoding: .utf8)
        let result = await xueliang(["sweep", "--monitor", monitor, "--json", "--no-save"], inventory: setup.inventory)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("\"scope\" : \"monitor snapshots\""))
        #expect(result.output.contains("\"checks\" : [\n      \"snapshot\"\n    ]"))
        #expect(!result.output.contains("\"kind\" : \"rtsp\""), "only the monitor's checks ran")
        let mixed = await xueliang(["sweep", "--monitor", monitor, "--timeout", "5"], inventory: setup.inventory)
        #expect(mixed.status == ExitCode.usage)
        try "{\"schema\": \"xueliang.monitor/1\"}".write(toFile: monitor, atomically: true, encoding: .utf8)
        let bad = await xueliang(["sweep", "--monitor", monitor], inventory: setup.inventory)
        #expect(bad.status == ExitCode.invalidData)
        #expect(bad.error == "xueliang sweep: \(monitor): every: is required, e.g. \"15m\"\n")
    }

    @Test func controlCStopsTheBinaryWithPartialResults() throws {
        let setup = try Setup(blackholes: 40)
        defer { setup.fleet.stop() }
        // Every blackholed camera is connected and waiting: then interrupt.
        let (output, status, signalled, took) = try setup.interruptMidSweep(["sweep", "--timeout", "60"], connected: 40, signal: SIGINT)
        #expect(!signalled && status == 130)
        #expect(took < .seconds(5), "the transfers had 60 s left")
        #expect(output.hasPrefix("INTERRUPTED: "), "\(output)")
        let saved = try String(contentsOfFile: setup.state + "/sweeps/latest.tsv", encoding: .utf8)
        #expect(saved.contains("\tcomplete=0\t"))
    }

    @Test func anEnvironmentProxyIsNeverUsed() throws {
        // A proxy would receive the cameras' credentials and its answers would be blamed on the cameras.
        let setup = try Setup()
        defer { setup.fleet.stop() }
        let result = try ProcessRunner.run(ProcessRunner.product("xueliang"), ["sweep", "--json", "--no-save", "--timeout", "3", "--connect-timeout", "2"],
                                           environment: ["XUELIANG_INVENTORY": setup.inventory, "http_proxy": "http://127.9.9.9:1",
                                                         "HTTPS_PROXY": "http://127.9.9.9:1", "ALL_PROXY": "http://127.9.9.9:1"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("\"online\" : 2"), "the healthy cameras were reached directly")
        #expect(!result.standardOutput.contains("127.9.9.9"))
    }

    @Test func unresolvableHostIsADNSFailureInAPrivateNetworkNamespace() throws {
        // `unshare --net` gives the sweep a network namespace with no route anywhere: the lookup fails
        // on this machine, and no query can leave it.
        let directory = TemporaryDirectory()
        let camera = InventoryFixtures.publicCamera().replacingOccurrences(of: "rtsp://127.0.0.1:8554/stream", with: "rtsp://camera-1.xueliang.invalid/stream")
        let inventory = try InventoryFixtures.makeInventory(in: directory, files: [InventoryFixtures.villageCode: InventoryFixtures.villageFile(cameras: camera)])
        let result = try ProcessRunner.run("/usr/bin/unshare", ["--net", ProcessRunner.product("xueliang"), "sweep", "--json", "--no-save", "--timeout", "5"],
                                           environment: ["XUELIANG_INVENTORY": inventory])
        try #require(result.status == 0, "unshare --net failed: \(result.standardError)")
        #expect(result.standardOutput.contains("\"reason\" : \"dns-failure\""), "\(result.standardOutput)")
    }
}

extension ChildProcess {
    /// Everything the child writes on standard output until it closes it.
    func readAll() -> String { readAll(from: outputDescriptor) }

    /// Everything the child writes on one of its pipes until it closes it.
    func readAll(from descriptor: Int32) -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
