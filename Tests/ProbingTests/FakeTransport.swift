import Synchronization
import Testing
@testable import Probing

/// A transport that answers from a table of canned replies, one per URL, and remembers every request.
final class FakeTransport: Transport {
    /// What the fake does for one URL.
    enum Reply: Sendable {
        case result(TransferResult)
        /// Throws `CancellationError`, as a transport does when its task is cancelled.
        case cancellation
        /// Throws some other error, as a transport does when it cannot start a transfer.
        case startFailure
    }

    struct StartFailure: Error, CustomStringConvertible {
        var description: String { "no free handles" }
    }

    private let replies: [String: Reply]
    private let received = Mutex<[TransferRequest]>([])

    init(_ replies: [String: Reply]) {
        self.replies = replies
    }

    /// A fake with one canned result for `url`.
    convenience init(url: String, _ result: TransferResult) {
        self.init([url: .result(result)])
    }

    /// The requests performed so far, in order.
    var requests: [TransferRequest] { received.withLock { $0 } }

    func perform(_ request: TransferRequest) async throws -> TransferResult {
        received.withLock { $0.append(request) }
        switch replies[request.url] {
        case .result(let result):
            return result
        case .cancellation:
            throw CancellationError()
        case .startFailure:
            throw StartFailure()
        case nil:
            Issue.record("FakeTransport has no reply for \(request.url)")
            return TransferResult(failure: .other, failureDetail: "no canned reply")
        }
    }
}
