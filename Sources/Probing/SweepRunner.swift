import Registry

/// Runs a sweep: every camera's checks through the probers, a sliding window of at most `concurrency`
/// cameras in flight and at most `perHost` per address, each channel after its own recorder (NVR), every
/// camera within its time budget.
///
/// Concurrency is bounded here, not in the transport's library, whose queueing time would count
/// against the transfers' timeouts. All scheduling state lives in the calling task.
public struct SweepRunner: Sendable {
    public let transport: any Transport
    public let probers: [CheckKind: any Prober]
    /// What the cameras' budgets are measured on.
    public let clock: MonotonicClock

    public init(transport: any Transport, probers: [CheckKind: any Prober], clock: MonotonicClock = .system) {
        self.transport = transport
        self.probers = probers
        self.clock = clock
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
                plan.runs(kind, on: camera) && probers[kind]?.endpoint(of: camera) != nil
            }
        }
        var counts = SweepProgress(total: cameras.count)
        var outcomes: [CameraOutcome] = []
        outcomes.reserveCapacity(cameras.count)
        await sweep(cameras, plan: plan) { outcome in
            outcomes.append(outcome)
            counts.done += 1
            switch outcome.status {
            case .online: counts.online += 1
            case .degraded: counts.degraded += 1
            case .offline: counts.offline += 1
            }
            progress(counts)
        }
        return SweepOutcome(outcomes: outcomes, total: cameras.count, complete: !Task.isCancelled, withheld: plan.withheld)
    }

    /// The sliding window over a task group. A channel whose recorder (`parent`) is in the sweep waits for
    /// that recorder alone: it is probed once the recorder is found up, or recorded `parent-offline`
    /// without a probe when it is down. Everything else starts in registry order, recorders first so that
    /// their channels are released early.
    private func sweep(_ cameras: [CameraRecord], plan: SweepPlan, record: (CameraOutcome) -> Void) async {
        let limit = max(1, plan.settings.concurrency)
        let perHost = max(1, plan.settings.perHost)
        let indexByID = Dictionary(cameras.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var channelsOf: [Int: [Int]] = [:]
        for (index, camera) in cameras.enumerated() {
            if let parent = camera.parent, let parentIndex = indexByID[parent], parentIndex != index {
                channelsOf[parentIndex, default: []].append(index)
            }
        }
        let gated = Set(channelsOf.values.joined())
        let order = cameras.indices.filter { channelsOf[$0] != nil && !gated.contains($0) }
            + cameras.indices.filter { channelsOf[$0] == nil && !gated.contains($0) }
        var next = 0
        // Channels whose recorder was found up, then cameras a full host released, go before new ones.
        var unlocked: [Int] = []
        var released: [Int] = []
        var waiting: [String: [Int]] = [:]
        var busy: [String: Int] = [:]
        // Channels neither released nor recorded yet.
        var stillGated = gated
        // A media sweep holds one stream at a time per RTSP host:port: an NVR's channels share its stream
        // limit, and libcurl 7.88 can swap two sessions' connections to one host:port.
        // Cameras whose media check opens a stream (this sweep: a media share plays some) wait for room in
        // the bandwidth budget, in order.
        let opensStream = cameras.map { plan.runs(.media, on: $0) && probers[.media]?.endpoint(of: $0) != nil }
        let hosts = cameras.indices.map { index in
            opensStream[index] ? Self.streamHost(cameras[index]) ?? Self.host(cameras[index]) : Self.host(cameras[index])
        }
        func hostLimit(_ host: String) -> Int { host.hasPrefix(Self.streamHostPrefix) ? 1 : perHost }
        var bandwidth = MediaBandwidth(budgetBitsPerSecond: plan.settings.mediaBandwidthBitsPerSecond)
        var waitingForBandwidth: [Int] = []

        func recordWithoutProbe(_ index: Int, recorder: String) {
            guard stillGated.remove(index) != nil else { return }
            record(CameraOutcome(camera: cameras[index], status: .offline, reason: .parentOffline,
                                 detail: "recorder \(recorder) is offline; channel not probed", checks: []))
            // The channels of a channel (a recorder behind a recorder) are down with it.
            for channel in channelsOf[index] ?? [] { recordWithoutProbe(channel, recorder: cameras[index].id) }
        }

        await withTaskGroup(of: (Int, CameraOutcome?).self) { group in
            var inFlight = 0
            func launch() {
                while inFlight < limit && !Task.isCancelled {
                    let index: Int
                    if let ready = released.popLast() {
                        index = ready
                        if opensStream[index] && !bandwidth.mayOpen {
                            waitingForBandwidth.append(index)
                            continue
                        }
                    } else {
                        if !waitingForBandwidth.isEmpty && bandwidth.mayOpen {
                            index = waitingForBandwidth.removeFirst()
                        } else if let channel = unlocked.popLast() {
                            index = channel
                        } else if next < order.count {
                            index = order[next]
                            next += 1
                        } else if !stillGated.isEmpty && inFlight == 0 {
                            // Recorders that are each other's parents: nothing would ever release them.
                            unlocked = stillGated.sorted(by: >)
                            stillGated.removeAll()
                            continue
                        } else {
                            return
                        }
                        if opensStream[index] && !bandwidth.mayOpen {
                            waitingForBandwidth.append(index)
                            continue
                        }
                        if busy[hosts[index], default: 0] >= hostLimit(hosts[index]) {
                            waiting[hosts[index], default: []].append(index)
                            continue
                        }
                    }
                    busy[hosts[index], default: 0] += 1
                    if opensStream[index] { bandwidth.open() }
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
                if opensStream[index] {
                    bandwidth.close(measuredBitsPerSecond: outcome?.checks.first { $0.kind == .media }?.findings.media?.bitsPerSecond)
                }
                if var queue = waiting[host], !queue.isEmpty {
                    released.append(queue.removeFirst())
                    waiting[host] = queue.isEmpty ? nil : queue
                }
                if let outcome {
                    record(outcome)
                    for channel in channelsOf[index] ?? [] {
                        if outcome.status == .offline {
                            recordWithoutProbe(channel, recorder: outcome.camera.id)
                        } else if stillGated.remove(channel) != nil {
                            unlocked.insert(channel, at: 0)
                        }
                    }
                }
                launch()
            }
        }
    }

    /// One camera: each of its checks in turn (one transfer at a time per camera), then the verdict. All
    /// its checks and retries share one budget (`budgetSeconds`), which this runner enforces on every
    /// transfer: probers never time themselves.
    func probe(_ camera: CameraRecord, plan: SweepPlan) async throws -> CameraOutcome {
        let target = ProbeTarget(camera: camera, credential: camera.credential.flatMap { plan.credentials.profiles[$0] },
                                 settings: plan.settings.probeSettings)
        let budget = DeadlineTransport(base: transport, budgetSeconds: plan.settings.budgetSeconds, clock: clock)
        var results: [CheckResult] = []
        let runnable = CheckKind.allCases.filter { kind in
            plan.runs(kind, on: camera) && probers[kind]?.endpoint(of: camera) != nil
        }
        // The primary check first: when it fails the camera is offline whatever the others say, so they
        // are skipped (a blackholed camera would otherwise cost one full timeout per check).
        let primary = CameraHealth.primaryOrder.first(where: runnable.contains)
        for kind in runnable.sorted(by: { ($0 == primary ? 0 : 1, $0) < ($1 == primary ? 0 : 1, $1) }) {
            guard let prober = probers[kind], let endpoint = prober.endpoint(of: camera) else { continue }
            if let first = results.first, !first.passed { break }
            guard budget.hasTimeLeft else {
                results.append(CheckResult(kind: kind, passed: false, reason: .timeout, detail: "not run: \(budget.spentSentence)"))
                continue
            }
            var attempt = 1
            var result = try await prober.probe(target, endpoint: endpoint, transport: budget)
            while !result.passed && attempt <= plan.settings.retries && Self.isRetryable(result.reason) && budget.hasTimeLeft {
                attempt += 1
                result = try await prober.probe(target, endpoint: endpoint, transport: budget)
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

    static let streamHostPrefix = "stream "

    /// `stream host:port` of a camera's RTSP URL, the key media sweeps serialise on; nil without one.
    static func streamHost(_ camera: CameraRecord) -> String? {
        guard let url = camera.endpoints.rtspSub ?? camera.endpoints.rtsp, let parsed = EndpointURL(url) else { return nil }
        return "\(streamHostPrefix)\(parsed.host):\(parsed.port ?? 554)"
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
