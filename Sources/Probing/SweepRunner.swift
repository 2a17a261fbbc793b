import Registry

/// Runs a sweep: every camera's checks through the probers, a sliding window of at most `concurrency`
/// cameras in flight and at most `perHost` per address, recorders (NVRs) before their channels.
///
/// Concurrency is bounded here, not in the transport's library, whose queueing time would count
/// against the transfers' timeouts. All scheduling state lives in the calling task.
public struct SweepRunner: Sendable {
    public let transport: any Transport
    public let probers: [CheckKind: any Prober]

    public init(transport: any Transport, probers: [CheckKind: any Prober]) {
        self.transport = transport
        self.probers = probers
    }

    /// Runs `plan`; `progress` is called from the calling task after each camera. Cancelling the task
    /// stops every transfer at once and returns what finished, with `complete == false`.
    public func run(_ plan: SweepPlan, progress: (SweepProgress) -> Void = { _ in }) async -> SweepOutcome {
        // On the transport's own thread when it offers one: a finished transfer then resumes its probe
        // without a cross-thread wake-up (measured: about half the CPU per camera of the shared pool).
        await withTaskExecutorPreference(transport.preferredExecutor) {
            await runOnPreferredExecutor(plan, progress: progress)
        }
    }

    private func runOnPreferredExecutor(_ plan: SweepPlan, progress: (SweepProgress) -> Void) async -> SweepOutcome {
        // A camera none of the asked-for checks applies to is not swept at all: no verdict, and no
        // parent-offline cascade from a recorder that was never probed.
        let cameras = plan.cameras.filter { camera in
            CheckKind.allCases.contains { kind in
                (plan.settings.checks?.contains(kind) ?? true) && probers[kind]?.endpoint(of: camera) != nil
            }
        }
        let parentIDs = Set(cameras.compactMap(\.parent))
        let recorders = cameras.filter { parentIDs.contains($0.id) }
        let others = cameras.filter { !parentIDs.contains($0.id) }
        var counts = SweepProgress(total: cameras.count)
        var outcomes: [CameraOutcome] = []
        outcomes.reserveCapacity(plan.cameras.count)
        func record(_ outcome: CameraOutcome) {
            outcomes.append(outcome)
            counts.done += 1
            switch outcome.status {
            case .online: counts.online += 1
            case .degraded: counts.degraded += 1
            case .offline: counts.offline += 1
            }
            progress(counts)
        }
        // Recorders first: a channel whose NVR is down is offline without being probed itself.
        await sweep(recorders, plan: plan, record: { record($0) })
        let downRecorders = Set(outcomes.filter { $0.status == .offline }.map(\.camera.id))
        var toProbe: [CameraRecord] = []
        for camera in others {
            if let parent = camera.parent, downRecorders.contains(parent) {
                record(CameraOutcome(camera: camera, status: .offline, reason: .parentOffline,
                                     detail: "recorder \(parent) is offline; channel not probed", checks: []))
            } else {
                toProbe.append(camera)
            }
        }
        await sweep(toProbe, plan: plan, record: { record($0) })
        return SweepOutcome(outcomes: outcomes, total: cameras.count, complete: !Task.isCancelled)
    }

    /// The sliding window over a task group.
    private func sweep(_ cameras: [CameraRecord], plan: SweepPlan, record: (CameraOutcome) -> Void) async {
        let limit = max(1, plan.settings.concurrency)
        let perHost = max(1, plan.settings.perHost)
        var next = 0
        var released: [Int] = []
        var waiting: [String: [Int]] = [:]
        var busy: [String: Int] = [:]
        let hosts = cameras.map(Self.host)

        await withTaskGroup(of: (Int, CameraOutcome?).self) { group in
            var inFlight = 0
            func launch() {
                while inFlight < limit && !Task.isCancelled {
                    let index: Int
                    if let ready = released.popLast() {
                        index = ready
                    } else if next < cameras.count {
                        index = next
                        next += 1
                        if busy[hosts[index], default: 0] >= perHost {
                            waiting[hosts[index], default: []].append(index)
                            continue
                        }
                    } else {
                        return
                    }
                    busy[hosts[index], default: 0] += 1
                    inFlight += 1
                    let camera = cameras[index]
                    group.addTask { (index, try? await self.probe(camera, plan: plan)) }
                }
            }
            launch()
            while let (index, outcome) = await group.next() {
                inFlight -= 1
                let host = hosts[index]
                busy[host, default: 1] -= 1
                if var queue = waiting[host], !queue.isEmpty {
                    released.append(queue.removeFirst())
                    waiting[host] = queue.isEmpty ? nil : queue
                }
                if let outcome { record(outcome) }
                launch()
            }
        }
    }

    /// One camera: each of its checks in turn (one transfer at a time per camera), then the verdict.
    func probe(_ camera: CameraRecord, plan: SweepPlan) async throws -> CameraOutcome {
        let target = ProbeTarget(camera: camera, credential: camera.credential.flatMap { plan.credentials.profiles[$0] },
                                 settings: plan.settings.probeSettings)
        var results: [CheckResult] = []
        let runnable = CheckKind.allCases.filter { kind in
            (plan.settings.checks?.contains(kind) ?? true) && probers[kind]?.endpoint(of: camera) != nil
        }
        // The primary check first: when it fails the camera is offline whatever the others say, so they
        // are skipped (a blackholed camera would otherwise cost one full timeout per check).
        let primary = CameraHealth.primaryOrder.first(where: runnable.contains)
        for kind in runnable.sorted(by: { ($0 == primary ? 0 : 1, $0) < ($1 == primary ? 0 : 1, $1) }) {
            guard let prober = probers[kind], let endpoint = prober.endpoint(of: camera) else { continue }
            if let first = results.first, !first.passed { break }
            var attempt = 1
            var result = try await prober.probe(target, endpoint: endpoint, transport: transport)
            while !result.passed && attempt <= plan.settings.retries && Self.isRetryable(result.reason) {
                attempt += 1
                result = try await prober.probe(target, endpoint: endpoint, transport: transport)
            }
            result.attempts = attempt
            results.append(result)
        }
        let verdict = results.isEmpty
            ? CameraHealth.Verdict(status: .offline, reason: .transferError, detail: "no endpoint for the checks asked for")
            : CameraHealth.evaluate(results, clockSkewThresholdSeconds: plan.settings.clockSkewThresholdSeconds)
        return CameraOutcome(camera: camera, status: verdict.status, reason: verdict.reason, detail: verdict.detail, checks: results)
    }

    static func isRetryable(_ reason: ReasonCode) -> Bool {
        switch reason {
        case .timeout, .connectTimeout, .connectionRefused, .connectionReset, .transferError: true
        default: false
        }
    }

    /// The address a camera's transfers go to, for the per-host limit.
    static func host(_ camera: CameraRecord) -> String {
        let endpoints = camera.endpoints
        for url in [endpoints.rtsp, endpoints.snapshot, endpoints.hls, endpoints.onvif].compactMap({ $0 }) {
            if let parsed = EndpointURL(url) { return parsed.host }
        }
        if let tcp = endpoints.tcp, let hostPort = HostPort(tcp) { return hostPort.host }
        return camera.id
    }
}
