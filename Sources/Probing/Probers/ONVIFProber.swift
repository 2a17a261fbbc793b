import Registry

/// Asks the camera's ONVIF device service for its clock and checks that it is close to ours: a camera
/// whose clock is off stamps wrong times on its recordings, which makes them useless as evidence.
public struct ONVIFProber: Prober {
    public var kind: CheckKind { .onvif }
    /// Seconds since 1970 on our clock, read when the reply arrives.
    public let now: @Sendable () -> Double

    /// - Parameter now: our clock; tests pass a fixed one.
    public init(now: @escaping @Sendable () -> Double = UnixTime.now) {
        self.now = now
    }

    public func endpoint(of camera: CameraRecord) -> String? { camera.endpoints.onvif }

    /// Names the call in every detail; the HTTP method says less.
    static let step = "GetSystemDateAndTime"

    public func probe(_ target: ProbeTarget, endpoint: String, transport: any Transport) async throws -> CheckResult {
        let operation = TransferRequest.Operation.http(method: "POST", body: ONVIFClock.requestBody, contentType: ONVIFClock.contentType)
        let result = try await ProbeSteps.perform(target.request(endpoint, operation), on: transport)
        guard result.failure == nil else { return CheckResult.failed(.onvif, result, step: Self.step) }
        let arrival = result.completedAt ?? now()
        guard (200...299).contains(result.statusCode) else {
            // Devices answer an action they refuse with a SOAP fault (HTTP 400 or 500); its reason says why.
            let fault = ONVIFClock.faultReason(in: result.body).map { "SOAP fault: \($0)" }
            return ProbeSteps.rejectedStatus(.onvif, result, step: Self.step, protocolName: "HTTP", credential: target.credential, note: fault)
        }
        let reading: ONVIFDateTime
        switch ONVIFClock.utcDateTime(in: result.body) {
        case .failure(let problem):
            return CheckResult(.onvif, result, passed: false, reason: .protocolError, detail: "\(Self.step): \(problem.message)")
        case .success(let value):
            reading = value
        }
        // utcDateTime(in:) only succeeds with a valid date and time.
        let offset = Double(reading.secondsSinceEpoch ?? 0) - arrival
        var findings = CheckFindings()
        findings.clockOffsetSeconds = offset
        let threshold = target.settings.clockSkewThresholdSeconds
        if offset.magnitude > threshold {
            return CheckResult(.onvif, result, passed: false, reason: .clockSkew,
                               detail: "\(Self.step): \(ONVIFClock.describeOffset(offset)) (more than \(Self.seconds(threshold)) s)",
                               findings: findings)
        }
        return CheckResult(.onvif, result, passed: true, reason: .ok, detail: "\(Self.step): \(ONVIFClock.describeOffset(offset))",
                           findings: findings)
    }

    /// `60` for 60.0, `1.5` for 1.5: thresholds are usually whole seconds.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && value.magnitude < 1e15 ? String(Int(value)) : String(value)
    }
}
