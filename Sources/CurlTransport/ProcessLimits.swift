import CLinux
import Glibc

/// Process-wide settings a large sweep needs, made once at start.
public enum ProcessLimits {
    /// Keeps malloc to one arena for the whole process. With one arena per thread, the memory the registry's
    /// load frees stays in its threads' arenas while the sweep's loop thread allocates afresh in another:
    /// measured on a 200,000-camera sweep, peak 410 MiB with the default arenas, 391 MiB with one. It is for
    /// the commands that sweep: the registry's parallel load then waits on the one arena's lock (a command
    /// that only reads the registry took 1.2 s instead of 0.7 s at 200,000 cameras, for the same peak). Only
    /// arenas not yet made are affected, so call this first thing in the process.
    public static func useOneMallocArena() {
        _ = mallopt(M_ARENA_MAX, 1)
    }

    /// Fixes malloc's thresholds (blocks from 256 KB are mapped on their own, free memory past 1 MB at the
    /// heap's top is returned) instead of letting them grow with the largest block freed: reading a city's
    /// registry and state frees large buffers early, and the grown thresholds kept about 30 MB of them in a
    /// command's peak (coverage at 200,000 cameras: 356 MB, 325 MB with these).
    public static func returnFreedMemoryEarly() {
        _ = mallopt(M_MMAP_THRESHOLD, 256 << 10)
        _ = mallopt(M_TRIM_THRESHOLD, 1 << 20)
    }

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
