/// The transport a camera's probers get from the runner: every transfer's timeouts are cut to what is left
/// of the camera's budget, and once nothing is left a transfer fails at once with `timeout`. The runner owns
/// the time; probers never compute it.
struct DeadlineTransport: Transport {
    let base: any Transport
    let budgetSeconds: Double
    let clock: MonotonicClock
    /// Milliseconds on `clock`.
    let deadline: Int64

    init(base: any Transport, budgetSeconds: Double, clock: MonotonicClock) {
        self.base = base
        self.budgetSeconds = budgetSeconds
        self.clock = clock
        deadline = clock.milliseconds() + Int64(budgetSeconds * 1000)
    }

    var preferredExecutor: (any TaskExecutor)? { base.preferredExecutor }

    /// Milliseconds left of the budget, 0 when it is spent.
    var millisecondsLeft: Int { Int(max(0, deadline - clock.milliseconds())) }

    var hasTimeLeft: Bool { millisecondsLeft > 0 }

    /// Why a check was cut short or not run.
    var spentSentence: String {
        "the camera's budget of \(budgetSeconds.formatted(decimals: 1)) s was used up (--budget)"
    }

    func perform(_ request: TransferRequest) async throws -> TransferResult {
        let left = millisecondsLeft
        guard left > 0 else { return TransferResult(failure: .timeout, failureDetail: spentSentence) }
        var bounded = request
        bounded.timeoutMilliseconds = min(request.timeoutMilliseconds, left)
        bounded.connectTimeoutMilliseconds = min(request.connectTimeoutMilliseconds, left)
        return try await base.perform(bounded)
    }
}

extension Double {
    /// `20`, `2.5`: at most `decimals` digits after the point, none when whole.
    fileprivate func formatted(decimals: Int) -> String {
        if self == rounded() { return String(Int(self)) }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return String((self * scale).rounded() / scale)
    }
}

/// The runner's sense of time for budgets: the system's monotonic clock, or a test's.
public struct MonotonicClock: Sendable {
    /// Milliseconds from an arbitrary start; never goes back.
    public let milliseconds: @Sendable () -> Int64

    public init(milliseconds: @escaping @Sendable () -> Int64) { self.milliseconds = milliseconds }

    public static let system: MonotonicClock = {
        let origin = ContinuousClock.now
        return MonotonicClock {
            let elapsed = origin.duration(to: .now).components
            return elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
        }
    }()
}
