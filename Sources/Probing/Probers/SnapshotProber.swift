import Registry

/// Fetches the camera's snapshot URL and checks that the reply is one whole JPEG picture.
public struct SnapshotProber: Prober {
    public var kind: CheckKind { .snapshot }
    /// Seconds since 1970 on our clock, read when the reply arrives (for the `Date` header's offset).
    public let now: @Sendable () -> Double

    /// - Parameter now: our clock; tests pass a fixed one.
    public init(now: @escaping @Sendable () -> Double = UnixTime.now) {
        self.now = now
    }

    public func endpoint(of camera: CameraRecord) -> String? { camera.endpoints.snapshot }

    public func probe(_ target: ProbeTarget, endpoint: String, transport: any Transport) async throws -> CheckResult {
        try await fetch(target, endpoint: endpoint, transport: transport).result
    }

    /// The check, and the picture's bytes when it passed (for the picture check, which diagnoses them).
    func fetch(_ target: ProbeTarget, endpoint: String, transport: any Transport) async throws -> (result: CheckResult, body: [UInt8]?) {
        let result = try await ProbeSteps.perform(target.request(endpoint, .http(method: "GET", body: nil, contentType: nil)), on: transport)
        guard result.failure == nil else { return (CheckResult.failed(.snapshot, result, step: "GET"), nil) }
        var findings = CheckFindings()
        findings.clockOffsetSeconds = HTTPDate.clockOffsetSeconds(dateHeader: result.header("Date"), now: result.completedAt ?? now())
        guard (200...299).contains(result.statusCode) else {
            return (ProbeSteps.rejectedStatus(.snapshot, result, step: "GET", protocolName: "HTTP", credential: target.credential, findings: findings), nil)
        }
        switch JPEGInspector.inspect(result.body) {
        case .notJPEG:
            return (CheckResult(.snapshot, result, passed: false, reason: .notJPEG, detail: "GET: \(Self.notJPEGReason(result))", findings: findings), nil)
        case .truncated(let problem):
            return (CheckResult(.snapshot, result, passed: false, reason: .truncatedJPEG, detail: "GET: \(problem)", findings: findings), nil)
        case .picture(let width, let height):
            findings.width = width
            findings.height = height
            findings.contentHash = ContentHash.fingerprintHex(result.body)
            var checked = CheckResult(.snapshot, result, passed: true, reason: .ok,
                                      detail: "GET: JPEG \(width)x\(height), \(result.body.count) bytes", findings: findings)
            checked.bytes = result.body.count
            return (checked, result.body)
        }
    }

    /// Why a body that does not begin with SOI is not a picture, in the words most useful to whoever
    /// fixes the camera: the content type when it names something else (a login page is `text/html`),
    /// else the first bytes.
    static func notJPEGReason(_ result: TransferResult) -> String {
        if result.body.isEmpty { return "body is empty, not a JPEG" }
        if let contentType = result.header("Content-Type") {
            let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingBlanks().lowercased() } ?? ""
            if !mediaType.isEmpty, !["image/jpeg", "image/jpg", "image/pjpeg"].contains(mediaType) {
                return "body is \(mediaType), not a JPEG"
            }
        }
        let firstBytes = result.body.prefix(4).map { JPEGInspector.hexByte($0) }.joined(separator: " ")
        return "body is not a JPEG (it begins \(firstBytes), not FF D8)"
    }
}

extension Substring {
    fileprivate func trimmingBlanks() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
