import Glibc

/// Process-wide settings a large sweep needs, made once at start.
public enum ProcessLimits {
    /// Raises the soft open-file limit to the hard one (a 1,024 default caps a sweep at ~1,000 cameras in
    /// flight) and ignores SIGPIPE (libcurl runs with NOSIGNAL, so a peer closing mid-write would kill us).
    /// Returns the soft limit now in force.
    @discardableResult
    public static func prepare() -> Int {
        signal(SIGPIPE, SIG_IGN)
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(clamping: limit.rlim_cur)
    }
}
