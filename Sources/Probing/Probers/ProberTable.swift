import Registry

/// The prober of each check kind: the sweep runner looks a check's prober up here.
public enum ProberTable {
    /// One prober per `CheckKind`, each reading this machine's clock.
    public static let all: [CheckKind: any Prober] = Dictionary(
        uniqueKeysWithValues: CheckKind.allCases.map { ($0, prober(for: $0)) })

    /// The prober for `kind`. A switch rather than a lookup, so that a new `CheckKind` without a
    /// prober does not compile.
    public static func prober(for kind: CheckKind) -> any Prober {
        switch kind {
        case .tcp: TCPProber()
        case .snapshot: SnapshotProber()
        case .rtsp: RTSPProber()
        case .hls: HLSProber()
        case .onvif: ONVIFProber()
        case .media: MediaProber()
        case .picture: PictureProber()
        }
    }
}

// MARK: - Shared by the probers

/// Steps every prober takes the same way: performing the transfer and judging a reply's status.
enum ProbeSteps {
    /// Performs `request`, following the redirects its policy allows (GET and HEAD only, at most
    /// `RedirectFollowing.maximumHops`; the runner's budget bounds them all). Only cancellation escapes: a
    /// transport that could not even start the transfer gives a failed result like any other failure, so
    /// that one camera never stops a sweep.
    static func perform(_ request: TransferRequest, on transport: any Transport) async throws -> TransferResult {
        var current = request
        var hops = 0
        var elapsedMicroseconds: Int64 = 0
        while true {
            var result = try await performOnce(current, on: transport)
            if elapsedMicroseconds > 0 { result.phases.addElapsedBefore(elapsedMicroseconds) }
            guard result.failure == nil, (300...399).contains(result.statusCode), let target = result.redirectURL,
                  case .http(let method, _, _) = current.operation, method == "GET" || method == "HEAD" else { return result }
            switch RedirectFollowing.decide(from: current.url, to: target, policy: request.redirects, hopsSoFar: hops) {
            case .judgeAsReply:
                return result
            case .refuse(let why):
                var refused = TransferResult(failure: .redirectRefused, failureDetail: why, statusCode: result.statusCode, phases: result.phases,
                                             completedAt: result.completedAt)
                refused.bodyBytes = result.bodyBytes
                return refused
            case .follow:
                hops += 1
                elapsedMicroseconds = result.phases.totalMicroseconds
                current.url = target
            }
        }
    }

    private static func performOnce(_ request: TransferRequest, on transport: any Transport) async throws -> TransferResult {
        do {
            return try await transport.perform(request)
        } catch let cancellation as CancellationError {
            throw cancellation
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return TransferResult(failure: .other, failureDetail: "could not start the transfer: \(error)")
        }
    }

    /// The failed result for a reply whose status the check cannot use. 401 is an authentication
    /// problem: `auth-required` when no credentials were sent, `auth-failed` when they were refused.
    /// Any other status is `http-status` or `rtsp-status`.
    ///
    /// - Parameters:
    ///   - protocolName: `HTTP` or `RTSP`, as the detail names the status.
    ///   - note: added after the status in parentheses, e.g. a SOAP fault's reason.
    static func rejectedStatus(_ kind: CheckKind, _ result: TransferResult, step: String, protocolName: String,
                               credential: CredentialProfile?, note: String? = nil,
                               findings: CheckFindings = CheckFindings()) -> CheckResult {
        let status = "\(protocolName) \(result.statusCode)"
        let suffix = note.map { " (\($0))" } ?? ""
        let reason: ReasonCode
        let detail: String
        if result.statusCode == 401 {
            if let credential {
                reason = .authFailed
                detail = "\(step): \(status): credentials of profile '\(credential.name)' were refused\(suffix)"
            } else {
                reason = .authRequired
                detail = "\(step): \(status): the camera wants credentials and has no credential profile\(suffix)"
            }
        } else {
            reason = protocolName == "RTSP" ? .rtspStatus : .httpStatus
            detail = "\(step): \(status)\(suffix)"
        }
        return CheckResult(kind, result, passed: false, reason: reason, detail: detail, findings: findings)
    }
}

extension CheckResult {
    /// A verdict on a reply that came back: the phases, status and byte count are the reply's.
    init(_ kind: CheckKind, _ result: TransferResult, passed: Bool, reason: ReasonCode, detail: String,
         findings: CheckFindings = CheckFindings()) {
        self.init(kind: kind, passed: passed, reason: reason, detail: detail, phases: result.phases,
                  statusCode: result.statusCode == 0 ? nil : result.statusCode, bytes: result.bodyBytes, findings: findings)
    }
}
