import Testing
@testable import Probing
import Registry

/// What every prober does the same way: transfer failures, cancellation, its endpoint, its table entry.
@Suite struct ProberCommonTests {
    static let failures: [(TransferFailure, ReasonCode)] = [
        (.timeout, .timeout), (.connectTimeout, .connectTimeout), (.connectionRefused, .connectionRefused),
        (.connectionReset, .connectionReset), (.dnsFailure, .dnsFailure), (.tlsError, .tlsError),
        (.protocolError, .protocolError), (.responseTooLarge, .responseTooLarge), (.other, .transferError),
    ]

    @Test(arguments: CheckKind.allCases, failures)
    func transferFailureGivesItsReason(kind: CheckKind, failure: (TransferFailure, ReasonCode)) async throws {
        var phases = TransferPhases()
        phases.connectMicroseconds = 1_200
        let transport = FakeTransport(url: Fixtures.requestURL(kind),
                                      TransferResult(failure: failure.0, failureDetail: "library words", bodyBytes: 7, phases: phases))
        let result = try await Fixtures.prober(kind).probe(Fixtures.target(), endpoint: Fixtures.endpoint(kind), transport: transport)
        #expect(result.kind == kind)
        #expect(!result.passed)
        #expect(result.reason == failure.1)
        #expect(result.detail == "\(Fixtures.step(kind)): library words")
        #expect(result.phases == phases)
        #expect(result.bytes == 7)
        #expect(result.statusCode == nil)
    }

    @Test(arguments: CheckKind.allCases)
    func failureWithoutDetailNamesTheReason(kind: CheckKind) async throws {
        let transport = FakeTransport(url: Fixtures.requestURL(kind), TransferResult(failure: .connectionRefused))
        let result = try await Fixtures.prober(kind).probe(Fixtures.target(), endpoint: Fixtures.endpoint(kind), transport: transport)
        #expect(result.detail == "\(Fixtures.step(kind)): connection-refused")
    }

    @Test(arguments: CheckKind.allCases)
    func cancellationIsRethrown(kind: CheckKind) async {
        let transport = FakeTransport([Fixtures.requestURL(kind): .cancellation])
        await #expect(throws: CancellationError.self) {
            _ = try await Fixtures.prober(kind).probe(Fixtures.target(), endpoint: Fixtures.endpoint(kind), transport: transport)
        }
    }

    /// A transport that cannot start the transfer gives a failed check, not an error that stops the sweep.
    @Test(arguments: CheckKind.allCases)
    func transportThatCannotStartGivesTransferError(kind: CheckKind) async throws {
        let transport = FakeTransport([Fixtures.requestURL(kind): .startFailure])
        let result = try await Fixtures.prober(kind).probe(Fixtures.target(), endpoint: Fixtures.endpoint(kind), transport: transport)
        #expect(!result.passed)
        #expect(result.reason == .transferError)
        #expect(result.detail == "\(Fixtures.step(kind)): could not start the transfer: no free handles")
    }

    @Test(arguments: CheckKind.allCases)
    func requestCarriesTargetSettingsAndCredentials(kind: CheckKind) async throws {
        var settings = ProbeSettings()
        settings.connectTimeoutMilliseconds = 1_500
        settings.timeoutMilliseconds = 4_000
        settings.maximumBodyBytes = 65_536
        let transport = FakeTransport(url: Fixtures.requestURL(kind), TransferResult(failure: .timeout))
        _ = try await Fixtures.prober(kind).probe(Fixtures.target(credential: Fixtures.credential, settings: settings, verifyTLS: false),
                                                  endpoint: Fixtures.endpoint(kind), transport: transport)
        let request = try #require(transport.requests.first)
        #expect(transport.requests.count == 1)
        #expect(request.url == Fixtures.requestURL(kind))
        #expect(request.connectTimeoutMilliseconds == 1_500)
        #expect(request.timeoutMilliseconds == 4_000)
        #expect(request.maximumBodyBytes == 65_536)
        #expect(request.username == "admin")
        #expect(request.password == Secret("s3cret-pass"))
        #expect(!request.verifyTLS)
    }

    @Test(arguments: CheckKind.allCases)
    func requestWithoutCredentialSendsNone(kind: CheckKind) async throws {
        let transport = FakeTransport(url: Fixtures.requestURL(kind), TransferResult(failure: .timeout))
        _ = try await Fixtures.prober(kind).probe(Fixtures.target(), endpoint: Fixtures.endpoint(kind), transport: transport)
        let request = try #require(transport.requests.first)
        #expect(request.username == nil)
        #expect(request.password == nil)
        #expect(request.verifyTLS)
    }

    @Test(arguments: CheckKind.allCases)
    func picksItsOwnEndpoint(kind: CheckKind) {
        let prober = ProberTable.prober(for: kind)
        #expect(prober.kind == kind)
        #expect(prober.endpoint(of: Fixtures.camera()) == Fixtures.endpoint(kind))
        var bare = Fixtures.camera()
        bare.endpoints = CameraEndpoints()
        #expect(prober.endpoint(of: bare) == nil)
    }

    @Test func tableCoversEveryKind() {
        #expect(Set(ProberTable.all.keys) == Set(CheckKind.allCases))
        for (kind, prober) in ProberTable.all {
            #expect(prober.kind == kind)
        }
    }

    /// The detail never shows the password, whatever the outcome.
    @Test(arguments: CheckKind.allCases, [200, 401, 503])
    func detailsNeverHoldThePassword(kind: CheckKind, status: Int) async throws {
        let transport = FakeTransport(url: Fixtures.requestURL(kind), Fixtures.reply(status: status, text: "<html>denied</html>"))
        let result = try await Fixtures.prober(kind).probe(Fixtures.target(credential: Fixtures.credential), endpoint: Fixtures.endpoint(kind),
                                                           transport: transport)
        #expect(!result.detail.contains("s3cret-pass"))
    }
}
