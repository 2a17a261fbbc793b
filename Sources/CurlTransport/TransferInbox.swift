import CLinux
import Glibc
import Probing
import Synchronization

/// What other threads ask of the transfer loop.
enum LoopCommand: Sendable {
    case start(id: UInt64, request: TransferRequest, continuation: CheckedContinuation<TransferResult, any Error>)
    case cancel(id: UInt64)
    case shutdown
}

/// The one place other threads hand work to the loop thread: a queue under a single mutex, and an
/// eventfd that wakes the loop's epoll_wait. Everything else the loop owns is touched by it alone.
///
/// Safe to share between threads.
final class TransferInbox: Sendable {
    let wakeDescriptor: Int32
    private let commands = Mutex<[LoopCommand]>([])
    private let nextID = Atomic<UInt64>(1)

    init() throws(TransportError) {
        wakeDescriptor = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeDescriptor >= 0 else { throw .system(call: "eventfd", errno: errno) }
    }

    deinit { close(wakeDescriptor) }

    /// A fresh transfer id.
    func makeID() -> UInt64 { nextID.wrappingAdd(1, ordering: .relaxed).oldValue }

    func post(_ command: LoopCommand) {
        let wasEmpty = commands.withLock { queue in
            queue.append(command)
            return queue.count == 1
        }
        // One wake per batch: the loop drains the whole queue when it wakes.
        if wasEmpty {
            var one: UInt64 = 1
            _ = write(wakeDescriptor, &one, 8)
        }
    }

    /// Everything posted so far, in order; called by the loop thread when woken.
    func drain() -> [LoopCommand] {
        var counter: UInt64 = 0
        _ = read(wakeDescriptor, &counter, 8)
        return commands.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
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
