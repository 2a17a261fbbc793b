import Testing
@testable import Probing
import Registry

@Suite struct TCPProberTests {
    @Test func passesWhenTheConnectionOpens() async throws {
        var phases = TransferPhases()
        phases.connectMicroseconds = 950
        phases.totalMicroseconds = 1_000
        let transport = FakeTransport(url: "http://10.45.1.20:554/", TransferResult(phases: phases))
        let result = try await TCPProber().probe(Fixtures.target(), endpoint: Fixtures.tcpEndpoint, transport: transport)
        #expect(result == CheckResult(kind: .tcp, passed: true, reason: .ok, detail: "connect: port open", phases: phases))
        #expect(transport.requests.map(\.operation) == [.connect])
    }

    @Test(arguments: [
        ("10.45.1.20:554", "http://10.45.1.20:554/"),
        ("cam-01.village.example:8000", "http://cam-01.village.example:8000/"),
        ("[fe80::1]:80", "http://[fe80::1]:80/"),
    ])
    func connectsToHostAndPort(endpoint: String, url: String) async throws {
        let transport = FakeTransport(url: url, TransferResult())
        let result = try await TCPProber().probe(Fixtures.target(), endpoint: endpoint, transport: transport)
        #expect(result.passed)
        #expect(transport.requests.map(\.url) == [url])
    }

    @Test(arguments: ["10.45.1.20", "rtsp://10.45.1.20:554/", "10.45.1.20:99999", ""])
    func refusesWhatIsNotHostAndPort(endpoint: String) async throws {
        let transport = FakeTransport([:])
        let result = try await TCPProber().probe(Fixtures.target(), endpoint: endpoint, transport: transport)
        #expect(result.reason == .transferError)
        #expect(result.detail == "connect: '\(endpoint)' is not host:port")
        #expect(transport.requests.isEmpty)
    }
}
