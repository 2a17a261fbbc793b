import Glibc

/// Process-wide settings a long-running fleet executable wants; the library itself relies on none of
/// them (it sends with MSG_NOSIGNAL and sheds connections when out of descriptors).
public enum FleetProcess {
    /// Ignores SIGPIPE, so that writing to a socket the client closed is an error, not death.
    public static func ignoreBrokenPipe() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Raises the soft limit on open descriptors to the hard limit: every simulated connection is one.
    /// Returns the soft limit in force afterwards.
    @discardableResult
    public static func raiseOpenFileLimit() -> UInt64 {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return UInt64(limit.rlim_cur)
    }

    /// Blocks SIGINT and SIGTERM in the calling thread and every thread it starts afterwards, so that
    /// `waitForTerminationSignal()` receives them synchronously instead of a handler running at an
    /// arbitrary point. Call it before `CameraFleet.start()`.
    public static func blockTerminationSignals() {
        var signals = terminationSignals()
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }

    /// Waits until SIGINT or SIGTERM arrives and returns its number.
    public static func waitForTerminationSignal() -> Int32 {
        var signals = terminationSignals()
        var received: Int32 = 0
        while sigwait(&signals, &received) != 0 {}
        return received
    }

    private static func terminationSignals() -> sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        return signals
    }
}
