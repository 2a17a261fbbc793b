import Foundation
import Glibc

/// What a finished child process left.
public struct ProcessOutcome: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
    /// True when the process was ended by a signal (`status` is then the signal number).
    public var wasSignalled: Bool
}

public struct ProcessRunnerError: Error, CustomStringConvertible {
    public var description: String
}

/// Runs the built executables (`xueliang`, `camera-fleet`) and scripts the way a user would.
///
/// Built on posix_spawn and waitpid rather than Foundation's Process: on Linux, Process learns of a
/// child's exit through a descriptor the child inherits, so a daemon the child starts (nginx) would
/// keep `waitUntilExit` waiting forever.
public enum ProcessRunner {
    /// The path of a built product, e.g. `xueliang`.
    public static func product(_ name: String) -> String { Repository.productsDirectory + "/" + name }

    /// Runs `executable` with `arguments`, waits, and returns what it printed.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           input: String? = nil) throws -> ProcessOutcome {
        let child = try ChildProcess(executable, arguments, environment: environment)
        if let input {
            var bytes = Array(input.utf8)
            _ = write(child.inputDescriptor, &bytes, bytes.count)
        }
        child.closeInput()
        let (output, error) = drain(child.outputDescriptor, child.errorDescriptor)
        let (status, signalled) = child.wait()
        return ProcessOutcome(status: status, standardOutput: output, standardError: error, wasSignalled: signalled)
    }

    /// `run` on a thread of its own, awaited: a child that takes seconds (a browser, LibreOffice) must not hold
    /// one of the test process's pool threads (one per core), which other suites' timers and sweeps need.
    public static func runOffThePool(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> ProcessOutcome {
        let result: Result<ProcessOutcome, ProcessRunnerError> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                do {
                    continuation.resume(returning: .success(try run(executable, arguments, environment: environment)))
                } catch {
                    continuation.resume(returning: .failure(ProcessRunnerError(description: "\(error)")))
                }
            }
        }
        return try result.get()
    }

    /// Reads both pipes to their ends at once, so a chatty child never blocks on a full pipe.
    private static func drain(_ outputDescriptor: Int32, _ errorDescriptor: Int32) -> (String, String) {
        var buffers: [Int32: [UInt8]] = [outputDescriptor: [], errorDescriptor: []]
        var open = [outputDescriptor, errorDescriptor]
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            var polled = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&polled, nfds_t(polled.count), -1) >= 0 || errno == EINTR else { break }
            for entry in polled where entry.revents != 0 {
                let count = read(entry.fd, &chunk, chunk.count)
                if count > 0 {
                    buffers[entry.fd]! += chunk[0..<count]
                } else if count == 0 || errno != EINTR {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        return (String(decoding: buffers[outputDescriptor]!, as: UTF8.self), String(decoding: buffers[errorDescriptor]!, as: UTF8.self))
    }

    /// Runs `xueliang` against an inventory.
    @discardableResult
    public static func xueliang(_ arguments: [String], inventory: String, environment: [String: String] = [:]) throws -> ProcessOutcome {
        var environment = environment
        environment["XUELIANG_INVENTORY"] = inventory
        if environment["XUELIANG_TODAY"] == nil { environment["XUELIANG_TODAY"] = "2026-11-24" }
        if environment["TZ"] == nil { environment["TZ"] = "UTC" }
        return try run(product("xueliang"), arguments, environment: environment)
    }
}

/// A child started with posix_spawn, its standard streams on pipes. For servers a test starts and stops.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    public let inputDescriptor: Int32
    public let outputDescriptor: Int32
    public let errorDescriptor: Int32
    private var exitStatus: (Int32, Bool)?

    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        var pipes: [[Int32]] = []
        for _ in 0..<3 {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { throw ProcessRunnerError(description: "pipe: \(String(cString: strerror(errno)))") }
            // Close-on-exec everywhere: the child gets only the dup2'd copies, no other child inherits these.
            ends.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
            pipes.append(ends)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipes[0][0], 0)
        posix_spawn_file_actions_adddup2(&actions, pipes[1][1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipes[2][1], 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // A test runs on a dispatch thread, which blocks signals; the child must not inherit that mask
        // (a server would then ignore SIGTERM), nor an ignored SIGPIPE.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        [pipes[0][0], pipes[1][1], pipes[2][1]].forEach { _ = close($0) }
        guard spawned == 0 else {
            [pipes[0][1], pipes[1][0], pipes[2][0]].forEach { _ = close($0) }
            throw ProcessRunnerError(description: "posix_spawn \(executable): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
        inputDescriptor = pipes[0][1]
        outputDescriptor = pipes[1][0]
        errorDescriptor = pipes[2][0]
    }

    public func closeInput() { close(inputDescriptor) }

    /// The next line the child writes on its standard output (blocking), without the newline.
    public func readLine() -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(outputDescriptor, &byte, 1) == 1 {
            if byte == 10 { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
        return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
    }

    /// Waits for the child to end: its exit status, or the signal that ended it and `true`.
    @discardableResult
    public func wait() -> (Int32, Bool) {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        let signalled = signal != 0 && signal != 0x7F
        exitStatus = (signalled ? signal : (status >> 8) & 0xFF, signalled)
        return exitStatus!
    }

    /// Sends SIGTERM, waits, and closes the pipes.
    public func terminate() {
        if exitStatus == nil { kill(pid, SIGTERM) }
        wait()
        [outputDescriptor, errorDescriptor].forEach { _ = close($0) }
    }
}
