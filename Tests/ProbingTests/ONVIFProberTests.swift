import Testing
@testable import Probing
import Registry

@Suite struct ONVIFProberTests {
    let prober = ONVIFProber(now: Fixtures.now)

    func probe(_ reply: TransferResult, credential: CredentialProfile? = nil, threshold: Double = 60) async throws -> (CheckResult, FakeTransport) {
        var settings = ProbeSettings()
        settings.clockSkewThresholdSeconds = threshold
        let transport = FakeTransport(url: Fixtures.onvifURL, reply)
        let result = try await prober.probe(Fixtures.target(credential: credential, settings: settings), endpoint: Fixtures.onvifURL, transport: transport)
        return (result, transport)
    }

    /// A reply whose UTC clock is `offset` whole seconds from the reference moment.
    static func clockReply(offset: Int) -> TransferResult {
        let seconds = Fixtures.referenceSeconds + offset
        let date = CalendarDateParts(secondsSinceEpoch: seconds)
        return Fixtures.reply(status: 200, text: onvifReply(prefix: "tt:", year: date.year, month: date.month, day: date.day,
                                                            hour: date.hour, minute: date.minute, second: date.second),
                              headers: [("Content-Type", "application/soap+xml; charset=utf-8")])
    }

    @Test func passesWithAClockInStep() async throws {
        let (result, transport) = try await probe(Self.clockReply(offset: 2))
        #expect(result.passed)
        #expect(result.reason == .ok)
        #expect(result.detail == "GetSystemDateAndTime: camera clock is 2 s ahead")
        #expect(result.findings.clockOffsetSeconds == 1.75)
        #expect(result.statusCode == 200)
        let request = try #require(transport.requests.first)
        #expect(request.url == Fixtures.onvifURL)
        #expect(request.operation == .http(method: "POST", body: ONVIFClock.requestBody, contentType: ONVIFClock.contentType))
    }

    @Test(arguments: [
        (300, 60.0, "GetSystemDateAndTime: camera clock is 300 s ahead (more than 60 s)"),
        (-300, 60.0, "GetSystemDateAndTime: camera clock is 300 s behind (more than 60 s)"),
        (30, 10.0, "GetSystemDateAndTime: camera clock is 30 s ahead (more than 10 s)"),
        (-86_400 * 3, 60.0, "GetSystemDateAndTime: camera clock is 259200 s behind (about 3 days) (more than 60 s)"),
    ])
    func failsWithClockSkew(offset: Int, threshold: Double, detail: String) async throws {
        let (result, _) = try await probe(Self.clockReply(offset: offset), threshold: threshold)
        #expect(!result.passed)
        #expect(result.reason == .clockSkew)
        #expect(result.detail == detail)
        #expect(result.findings.clockOffsetSeconds == Double(offset) - 0.25)
    }

    @Test func skewWithinTheThresholdPasses() async throws {
        let (result, _) = try await probe(Self.clockReply(offset: -59))
        #expect(result.passed)
        #expect(result.detail == "GetSystemDateAndTime: camera clock is 59 s behind")
        #expect(result.findings.clockOffsetSeconds == -59.25)
    }

    @Test func failsWithoutUTCDateTime() async throws {
        let (result, _) = try await probe(Fixtures.reply(status: 200, text: "<Envelope><Body><GetSystemDateAndTimeResponse/></Body></Envelope>"))
        #expect(!result.passed)
        #expect(result.reason == .protocolError)
        #expect(result.detail == "GetSystemDateAndTime: no UTCDateTime in reply")
        #expect(result.findings.clockOffsetSeconds == nil)
    }

    @Test(arguments: [
        (false, 401, ReasonCode.authRequired, "GetSystemDateAndTime: HTTP 401: the camera wants credentials and has no credential profile"),
        (true, 401, .authFailed, "GetSystemDateAndTime: HTTP 401: credentials of profile 'hik-admin' were refused"),
        (false, 503, .httpStatus, "GetSystemDateAndTime: HTTP 503"),
    ])
    func judgesTheStatus(withCredential: Bool, status: Int, reason: ReasonCode, detail: String) async throws {
        let (result, _) = try await probe(Fixtures.reply(status: status, text: "Service Unavailable"),
                                          credential: withCredential ? Fixtures.credential : nil)
        #expect(!result.passed)
        #expect(result.reason == reason)
        #expect(result.detail == detail)
    }

    @Test func namesTheSOAPFault() async throws {
        // What the simulator answers an action it does not implement with.
        let fault = "<SOAP-ENV:Envelope><SOAP-ENV:Body><SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Receiver</SOAP-ENV:Value>"
            + "</SOAP-ENV:Code><SOAP-ENV:Reason><SOAP-ENV:Text xml:lang=\"en\">Action not supported</SOAP-ENV:Text></SOAP-ENV:Reason>"
            + "</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>"
        let (result, _) = try await probe(Fixtures.reply(status: 400, text: fault))
        #expect(result.reason == .httpStatus)
        #expect(result.detail == "GetSystemDateAndTime: HTTP 400 (SOAP fault: Action not supported)")
    }
}

/// A UTC date and time split into fields, for building replies at a given offset.
struct CalendarDateParts {
    var year, month, day, hour, minute, second: Int

    init(secondsSinceEpoch seconds: Int) {
        let days = seconds.floorDivided(by: 86_400)
        let date = CalendarDate(daysSinceEpoch: days)
        let rest = seconds - days * 86_400
        (year, month, day) = (date.year, date.month, date.day)
        (hour, minute, second) = (rest / 3_600, rest % 3_600 / 60, rest % 60)
    }
}

extension Int {
    func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
