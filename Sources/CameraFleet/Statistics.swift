import Glibc
import Synchronization

/// Counters of a fleet since it was created (they survive stop and restart).
public struct FleetStatistics: Sendable, Equatable {
    /// Responses the fleet produced (any status, faults included; a blackhole's silence is not one).
    public var requestsServed = 0
    /// Connections accepted on either port and addressed to 127.0.0.0/8.
    public var connectionsAccepted = 0
    /// Connections closed at once because their destination was outside 127.0.0.0/8.
    public var connectionsRejected = 0
    /// Connections open right now.
    public var openConnections = 0
    /// The most connections that were open at the same moment, all addresses together.
    public var peakOpenConnections = 0
    /// Connections open right now, by camera address (host byte order); addresses with none are absent.
    public var openConnectionsByAddress: [UInt32: Int] = [:]
    /// The most connections one camera address had open at the same moment.
    public var peakConcurrentConnections: [UInt32: Int] = [:]
    /// RTP streams started by a PLAY (a `media-none` camera's PLAY starts none).
    public var mediaStreamsStarted = 0
    /// RTSP TEARDOWN requests answered: a client that frees the sessions it opened sends one per stream.
    public var teardownsReceived = 0

    /// All counters at zero.
    public init() {}
}

/// The only state shared between the event-loop thread and callers of `CameraFleet`, behind the fleet's
/// one `Mutex`: the statistics (written by the loop, read by `statistics()`) and whether a loop thread is
/// running (written by `start()` and `stop()`). Everything else belongs to the loop thread alone.
final class SharedFleetState: Sendable {
    /// The handle of a running loop thread, and the pipe that tells it to stop.
    struct RunningLoop: Sendable {
        var thread: pthread_t
        var wakeReadDescriptor: Int32
        var wakeWriteDescriptor: Int32
    }

    private enum Phase: Sendable {
        case stopped
        case starting
        case running(RunningLoop)
    }

    private struct State: Sendable {
        var statistics = FleetStatistics()
        var phase = Phase.stopped
    }

    private let state = Mutex(State())

    // MARK: Statistics, written by the loop thread

    func recordConnectionOpened(address: UInt32) {
        state.withLock { state in
            state.statistics.connectionsAccepted += 1
            state.statistics.openConnections += 1
            state.statistics.peakOpenConnections = max(state.statistics.peakOpenConnections, state.statistics.openConnections)
            let open = (state.statistics.openConnectionsByAddress[address] ?? 0) + 1
            state.statistics.openConnectionsByAddress[address] = open
            if open > state.statistics.peakConcurrentConnections[address] ?? 0 {
                state.statistics.peakConcurrentConnections[address] = open
            }
        }
    }

    func recordConnectionClosed(address: UInt32) {
        state.withLock { state in
            state.statistics.openConnections -= 1
            let open = (state.statistics.openConnectionsByAddress[address] ?? 1) - 1
            // Absent rather than zero keeps the snapshot small for fleets of many thousand cameras.
            state.statistics.openConnectionsByAddress[address] = open > 0 ? open : nil
        }
    }

    func recordConnectionRejected() {
        state.withLock { $0.statistics.connectionsRejected += 1 }
    }

    func recordRequestServed() {
        state.withLock { $0.statistics.requestsServed += 1 }
    }

    func recordMediaStarted() {
        state.withLock { $0.statistics.mediaStreamsStarted += 1 }
    }

    func recordTeardown() {
        state.withLock { $0.statistics.teardownsReceived += 1 }
    }

    /// A copy of the counters as they are now.
    func statistics() -> FleetStatistics {
        state.withLock { $0.statistics }
    }

    // MARK: Lifecycle, written by start() and stop()

    /// Claims the right to start a loop; throws if one is running or starting. Pair with
    /// `finishStart` or `abandonStart`. Nothing slow happens under the lock.
    func beginStart() throws(FleetError) {
        let claimed = state.withLock { state -> Bool in
            guard case .stopped = state.phase else { return false }
            state.phase = .starting
            return true
        }
        if !claimed { throw .alreadyRunning }
    }

    func finishStart(_ running: RunningLoop) {
        state.withLock { $0.phase = .running(running) }
    }

    func abandonStart() {
        state.withLock { $0.phase = .stopped }
    }

    /// Takes the running loop's handle, leaving the state stopped; nil if none was running.
    /// The caller joins the thread without holding the lock, since the loop records statistics until it ends.
    func takeRunningLoop() -> RunningLoop? {
        state.withLock { state -> RunningLoop? in
            guard case .running(let running) = state.phase else { return nil }
            state.phase = .stopped
            return running
        }
    }
}
