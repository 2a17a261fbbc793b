import CLinux
import Glibc
import Probing
import Synchronization

/// What other threads ask of the transfer loop.
enum LoopCommand: Sendable {
    case start(id: UInt64, request: TransferRequest, continuation: CheckedContinuation<TransferResult, any Error>)
    case cancel(id: UInt64)
    /// A task's job to run on the loop thread (the transport is also a task executor).
    case run(UnownedJob)
    case shutdown
}

/// The one place other threads hand work to the loop thread: a queue under a single mutex, and an
/// eventfd that wakes the loop's epoll_wait. Everything else the loop owns is touched by it alone.
///
/// Safe to share between threads.
final class TransferInbox: Sendable {
    let wakeDescriptor: Int32
    /// The queue, and whether the loop has gone (then nothing more is accepted).
    private let commands = Mutex<(queue: [LoopCommand], closed: Bool)>(([], false))
    private let nextID = Atomic<UInt64>(1)
    /// The loop thread's id (0 until it starts), so that work arriving from that thread can be told apart.
    let loopThread = Atomic<UInt>(0)

    init() throws(TransportError) {
        wakeDescriptor = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeDescriptor >= 0 else { throw .system(call: "eventfd", errno: errno) }
    }

    deinit { Glibc.close(wakeDescriptor) }

    /// A fresh transfer id.
    func makeID() -> UInt64 { nextID.wrappingAdd(1, ordering: .relaxed).oldValue }

    /// Queues a command for the loop; false when the loop has gone.
    @discardableResult
    func post(_ command: LoopCommand) -> Bool {
        let (accepted, wasEmpty) = commands.withLock { state -> (Bool, Bool) in
            guard !state.closed else { return (false, false) }
            state.queue.append(command)
            return (true, state.queue.count == 1)
        }
        // One wake per batch: the loop drains the whole queue when it wakes.
        if wasEmpty {
            var one: UInt64 = 1
            _ = write(wakeDescriptor, &one, 8)
        }
        return accepted
    }

    /// Everything posted since, without touching the wake counter (the loop is awake anyway).
    func drainQueued() -> [LoopCommand] {
        commands.withLock { state in
            defer { state.queue.removeAll(keepingCapacity: true) }
            return state.queue
        }
    }

    /// Everything posted so far, in order; called by the loop thread when woken.
    func drain() -> [LoopCommand] {
        var counter: UInt64 = 0
        _ = read(wakeDescriptor, &counter, 8)
        return drainQueued()
    }

    /// Refuses everything from now on and returns what was still queued.
    func close() -> [LoopCommand] {
        commands.withLock { state in
            state.closed = true
            defer { state.queue.removeAll() }
            return state.queue
        }
    }
}

/// Why the transport itself could not run (not why a transfer failed: that is a `TransferResult`).
public enum TransportError: Error, CustomStringConvertible, Sendable {
    case system(call: String, errno: Int32)
    case library(call: String, message: String)
    case shutDown

    public var description: String {
        switch self {
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        case .library(let call, let message): "\(call) failed: \(message)"
        case .shutDown: "the transport has been shut down"
        }
    }
}
