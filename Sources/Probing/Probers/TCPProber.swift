import Registry

/// Checks that the camera's `host:port` accepts a TCP connection; nothing is sent.
public struct TCPProber: Prober {
    public var kind: CheckKind { .tcp }

    public init() {}

    public func endpoint(of camera: CameraRecord) -> String? { camera.endpoints.tcp }

    public func probe(_ target: ProbeTarget, endpoint: String, transport: any Transport) async throws -> CheckResult {
        guard let url = Self.url(endpoint) else {
            // The validator refuses such records; a prober still must not hand the transport garbage.
            return CheckResult(kind: .tcp, passed: false, reason: .transferError, detail: "connect: '\(endpoint)' is not host:port")
        }
        let result = try await ProbeSteps.perform(target.request(url, .connect), on: transport)
        guard result.failure == nil else { return CheckResult.failed(.tcp, result, step: "connect") }
        return CheckResult(.tcp, result, passed: true, reason: .ok, detail: "connect: port open")
    }

    /// `http://host:port/` for a `host:port` endpoint (IPv6 hosts bracketed): the transport connects
    /// to a URL's host and port, and the scheme only has to be one it knows.
    static func url(_ endpoint: String) -> String? {
        guard let hostPort = HostPort(endpoint) else { return nil }
        let host = hostPort.host.contains(":") ? "[\(hostPort.host)]" : hostPort.host
        return "http://\(host):\(hostPort.port)/"
    }
}
