import CurlTransport
import Foundation
import Glibc
import Probing
import Registry
import Testing
import TestSupport

/// The probers against servers nobody here wrote, started on loopback by the test: nginx (snapshot, HLS)
/// and GStreamer's RTSP server (open and with basic auth). Installed by scripts/setup.sh --test.
@Suite(.serialized) struct RealPeerTests {
    static let peers = Repository.root + "/Tests/Peers"

    /// nginx on a free loopback port for the duration of `body`.
    func withNginx(_ body: (UInt16) async throws -> Void) async throws {
        // A free port can be taken again before nginx binds it (parallel suites open thousands of loopback
        // connections): a few fresh ports, each in a fresh directory, before giving up.
        var attempts: [(directory: TemporaryDirectory, port: UInt16, started: ProcessOutcome)] = []
        // Every attempt is stopped whatever happens below, a start that timed out included.
        defer { for attempt in attempts { _ = try? ProcessRunner.run("/bin/bash", [Self.peers + "/nginx.sh", "stop", attempt.directory.path]) } }
        while attempts.count < 3 && attempts.last?.started.status != 0 {
            let directory = TemporaryDirectory("xueliang-nginx")
            let port = try freePort()
            attempts.append((directory, port, try ProcessRunner.run("/bin/bash", [Self.peers + "/nginx.sh", "start", directory.path, String(port)])))
        }
        let last = try #require(attempts.last)
        try #require(last.started.status == 0, "nginx did not start: \(last.started.standardError)")
        let port = last.port
        try await body(port)
    }

    /// GStreamer's RTSP server; ready once it prints its port.
    func withRTSPServer(_ body: (UInt16) async throws -> Void) async throws {
        let server = try ChildProcess("/usr/bin/python3", [Self.peers + "/rtsp-server.py", "--port", "0", "--username", "viewer",
                                                           "--password", "Gst-Secret-7", "--exit-with-parent"])
        defer { server.terminate() }
        // The first line it prints is the bound port: reading it blocks until the server listens.
        let port = try #require(server.readLine().flatMap { UInt16($0.trimmingCharacters(in: .whitespaces)) }, "rtsp-server.py printed no port")
        try await body(port)
    }

    func target(_ configure: (inout CameraRecord) -> Void, credential: CredentialProfile? = nil) -> ProbeTarget {
        var camera = CameraRecord(id: "45012801001320000001", name: "peer", village: try! VillageCode.parse("450128101201").get(),
                                  source: .public, status: .active)
        configure(&camera)
        var settings = ProbeSettings()
        settings.timeoutMilliseconds = 5_000
        return ProbeTarget(camera: camera, credential: credential, settings: settings)
    }

    func probe(_ kind: CheckKind, _ target: ProbeTarget, transport: CurlTransport) async throws -> CheckResult {
        let prober = ProberTable.prober(for: kind)
        let endpoint = try #require(prober.endpoint(of: target.camera))
        return try await prober.probe(target, endpoint: endpoint, transport: transport)
    }

    @Test func nginxServesARealJPEGAndHLSPlaylists() async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        try await withNginx { port in
            let snapshot = try await probe(.snapshot, target { $0.endpoints.snapshot = "http://127.0.0.1:\(port)/snapshot.jpg" }, transport: transport)
            #expect(snapshot.passed, "\(snapshot.detail)")
            #expect(snapshot.findings.width == 320 && snapshot.findings.height == 240)
            #expect(snapshot.findings.contentHash?.count == 16)
            #expect(abs(snapshot.findings.clockOffsetSeconds ?? 99) < 5, "nginx's Date header gives our own clock")

            let media = try await probe(.hls, target { $0.endpoints.hls = "http://127.0.0.1:\(port)/live/index.m3u8" }, transport: transport)
            #expect(media.passed, "\(media.detail)")
            #expect((media.findings.playlistEntries ?? 0) >= 1)
            let master = try await probe(.hls, target { $0.endpoints.hls = "http://127.0.0.1:\(port)/live/master.m3u8" }, transport: transport)
            #expect(master.passed, "\(master.detail)")

            let missing = try await probe(.snapshot, target { $0.endpoints.snapshot = "http://127.0.0.1:\(port)/none.jpg" }, transport: transport)
            #expect(missing.reason == .httpStatus)
            let html = try await probe(.snapshot, target { $0.endpoints.snapshot = "http://127.0.0.1:\(port)/index.html" }, transport: transport)
            #expect(html.reason == .notJPEG)
            let tls = try await probe(.snapshot, target { $0.endpoints.snapshot = "https://127.0.0.1:\(port)/snapshot.jpg" }, transport: transport)
            #expect(tls.reason == .tlsError, "HTTPS to a plain-HTTP server: \(tls.detail)")
            let tcp = try await probe(.tcp, target { $0.endpoints.tcp = "127.0.0.1:\(port)" }, transport: transport)
            #expect(tcp.passed)
        }
    }

    @Test func gstreamerRTSPServerWithAndWithoutAuthentication() async throws {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        try await withRTSPServer { port in
            let open = try await probe(.rtsp, target { $0.endpoints.rtsp = "rtsp://127.0.0.1:\(port)/stream" }, transport: transport)
            #expect(open.passed, "\(open.detail)")
            #expect(open.findings.codec == "JPEG")
            #expect(open.findings.tracks == ["video JPEG/90000"])

            let secure = "rtsp://127.0.0.1:\(port)/secure"
            let anonymous = try await probe(.rtsp, target { $0.endpoints.rtsp = secure }, transport: transport)
            #expect(anonymous.reason == .authRequired)
            let right = CredentialProfile(name: "gst", username: "viewer", password: Secret("Gst-Secret-7"))
            let authorised = try await probe(.rtsp, target({ $0.endpoints.rtsp = secure }, credential: right), transport: transport)
            #expect(authorised.passed, "\(authorised.detail)")
            let wrong = CredentialProfile(name: "gst", username: "viewer", password: Secret("not-it"))
            let refused = try await probe(.rtsp, target({ $0.endpoints.rtsp = secure }, credential: wrong), transport: transport)
            #expect(refused.reason == .authFailed)
            #expect(!"\(refused)\(authorised)".contains("Gst-Secret-7"))

            let missing = try await probe(.rtsp, target { $0.endpoints.rtsp = "rtsp://127.0.0.1:\(port)/nothing" }, transport: transport)
            #expect(missing.reason == .rtspStatus)
        }
    }
}
