import Registry

/// Fetches the camera's HLS playlist and checks that it lists at least one segment or variant.
public struct HLSProber: Prober {
    public var kind: CheckKind { .hls }

    public init() {}

    public func endpoint(of camera: CameraRecord) -> String? { camera.endpoints.hls }

    public func probe(_ target: ProbeTarget, endpoint: String, transport: any Transport) async throws -> CheckResult {
        let result = try await ProbeSteps.perform(target.request(endpoint, .http(method: "GET", body: nil, contentType: nil)), on: transport)
        guard result.failure == nil else { return CheckResult.failed(.hls, result, step: "GET") }
        guard (200...299).contains(result.statusCode) else {
            return ProbeSteps.rejectedStatus(.hls, result, step: "GET", protocolName: "HTTP", credential: target.credential)
        }
        switch PlaylistParser.parse(result.body) {
        case .failure(let problem):
            return CheckResult(.hls, result, passed: false, reason: .badPlaylist, detail: "GET: \(problem.message)")
        case .success(let playlist):
            var findings = CheckFindings()
            findings.playlistEntries = playlist.entries
            return CheckResult(.hls, result, passed: true, reason: .ok, detail: "GET: \(playlist.summary)", findings: findings)
        }
    }
}
