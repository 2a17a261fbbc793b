// The only file in the package that imports CCurl: every libcurl handle is created, configured,
// driven and freed here, on one thread. No CURL pointer or CURLcode leaves this file.
import CCurl
import CLinux
import Foundation
import Glibc
import Probing

/// Performs transfers with libcurl's multi interface, driven event-style by one owned thread:
/// `curl_multi_socket_action` over epoll (the design of curl's `ephiperfifo.c`), libcurl's timeout kept
/// as epoll_wait's own timeout rather than in a timerfd (see `TransferLoop.deadline`), and an eventfd
/// that wakes the loop for new work, cancellations and the jobs of tasks that run on it.
///
/// Safe to share between threads and tasks. Cancelling the task awaiting `perform` removes its transfer
/// from the multi handle at once; a media session that has one (SETUP answered) is then sent a TEARDOWN
/// that nobody awaits, for at most `TransferLoop.cancelledTeardownMilliseconds`, so that the camera frees
/// its session slot; `shutdown` waits for those TEARDOWNs (as long as that at most).
public final class CurlTransport: Transport, TaskExecutor, Sendable {
    private let inbox: TransferInbox
    private let finished: DispatchSemaphore
    private let peakHeld: PeakCounter

    /// The memory budget when none is given: sized for a small server.
    public static let defaultMemoryBudgetBytes = 512 << 20

    /// Starts the loop thread. libcurl is initialised once per process.
    ///
    /// - Parameters:
    ///   - memoryBudgetBytes: bytes that all transfers in flight may hold at once (bodies and headers,
    ///     counted as allocated). Half is a pool any transfer may grow into while it lasts; the other half
    ///     is split into equal shares, one per transfer in flight, that each may always use. A transfer
    ///     that needs more when the pool is spent ends with `responseTooLarge`.
    ///   - transfersInFlight: how many transfers the caller runs at once (a sweep's concurrency), which
    ///     sizes the shares.
    public init(memoryBudgetBytes: Int = CurlTransport.defaultMemoryBudgetBytes, transfersInFlight: Int = 500) throws {
        _ = CurlLibrary.initialised
        inbox = try TransferInbox()
        finished = DispatchSemaphore(value: 0)
        peakHeld = PeakCounter()
        let loop = try TransferLoop(inbox: inbox, memoryBudget: MemoryLedger(budget: memoryBudgetBytes, transfers: transfersInFlight, peak: peakHeld))
        loop.executor = asUnownedTaskExecutor()
        let finished = self.finished
        // The loop and everything it owns live on this thread only.
        nonisolated(unsafe) let owned = loop
        let inbox = self.inbox
        let thread = Thread {
            inbox.loopThread.store(UInt(pthread_self()), ordering: .releasing)
            owned.run()
            finished.signal()
        }
        thread.name = "xueliang-curl"
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit { shutdown() }

    public func perform(_ request: TransferRequest) async throws -> TransferResult {
        let id = inbox.makeID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if !inbox.post(.start(id: id, request: request, continuation: continuation)) {
                    continuation.resume(throwing: TransportError.shutDown)
                }
            }
        } onCancel: {
            inbox.post(.cancel(id: id))
        }
    }

    /// Tasks may run on the loop thread: resuming them there after their transfer costs no wake-up.
    public var preferredExecutor: (any TaskExecutor)? { self }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        if !inbox.post(.run(unowned)) {
            // After shutdown a task preferring this executor still runs, on the shared pool.
            let executor = asUnownedTaskExecutor()
            DispatchQueue.global().async { unowned.runSynchronously(on: executor) }
        }
    }

    private let stopped = Synchronization.Atomic<Bool>(false)

    /// The most bytes that transfers in flight held at once since the transport started (what the
    /// memory budget bounds).
    public var peakHeldBytes: Int { peakHeld.value.load(ordering: .relaxed) }

    /// Stops the loop: transfers in flight end with `CancellationError` (media sessions first get their
    /// TEARDOWN, for at most a second); every handle and descriptor is released before this returns. Idempotent.
    public func shutdown() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        inbox.post(.shutdown)
        // On the loop thread itself (a task running on this executor dropped the last reference) waiting
        // would deadlock: the loop tears down as soon as the current job returns.
        let loop = inbox.loopThread.load(ordering: .acquiring)
        if loop != 0 && pthread_equal(pthread_self(), pthread_t(loop)) != 0 { return }
        finished.wait()
    }

}

import Synchronization

/// curl_global_init, once per process (it is not thread-safe to call concurrently).
enum CurlLibrary {
    static let initialised: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}

/// Why the loop cut a transfer short from one of its callbacks.
enum TransferAbort {
    case bodyCap
    case headerCap
    case memoryBudget
}

/// The highest value the ledger reached, readable from any thread.
final class PeakCounter: Sendable {
    let value = Atomic<Int>(0)
}

/// The bytes all transfers in flight hold, against the transport's budget. Loop thread only.
///
/// Half the budget is a shared pool, half is split into one share per transfer. A transfer grows while the
/// pool has room, or within its own share when it has not. Every growth that the pool allowed left the total
/// at most half the budget, and after that each transfer adds at most its share: the total never passes the
/// budget, and no transfer is ever cut short for another's sake while it stays within its share.
final class MemoryLedger {
    let budget: Int
    let pool: Int
    /// What each transfer may always hold.
    let share: Int
    private let peak: PeakCounter
    private var peakSeen = 0
    var held = 0 {
        didSet {
            if held > peakSeen {
                peakSeen = held
                peak.value.store(held, ordering: .relaxed)
            }
        }
    }

    init(budget: Int, transfers: Int, peak: PeakCounter) {
        self.budget = max(budget, 64 << 10)
        pool = self.budget / 2
        share = (self.budget - pool) / max(transfers, 1)
        self.peak = peak
    }

    /// Whether a transfer holding `counted` bytes may add `growth` more.
    func allows(_ growth: Int, holding counted: Int) -> Bool {
        held + growth <= pool || counted + growth <= share
    }
}

/// Header bytes one transfer may receive, over all its replies (redirect and authentication rounds):
/// libcurl 7.88 limits one header line, not their number, so an endless header block is stopped here.
let maximumHeaderBytes = 256 << 10

/// One transfer in flight: its request, what has come back so far, and who is waiting.
/// Touched only by the loop thread; libcurl's callbacks reach it through CURLOPT_PRIVATE/WRITEDATA.
final class ActiveTransfer {
    let id: UInt64
    let request: TransferRequest
    let continuation: CheckedContinuation<TransferResult, any Error>
    let handle: UnsafeMutableRawPointer
    unowned(unsafe) let ledger: MemoryLedger
    var body: [UInt8] = []
    var bodyBytes = 0
    var headerBytes = 0
    /// Set when a callback aborted the transfer (it then returned less than it was given); see `markAborted`.
    private(set) var abort: TransferAbort?
    /// Bytes this transfer has counted in the ledger (the capacity of its buffers, as allocated).
    var counted = 0
    var headerBlock: [UInt8] = []
    var rtspStep = 0
    /// Microseconds the earlier RTSP steps took, added to this step's phases.
    var elapsedBeforeStep: Int64 = 0
    var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer: UnsafeMutablePointer<CChar>
    /// For an `rtspMedia` request: the session's steps and the window's reading.
    var media: MediaSession?
    /// Whether the task awaiting this transfer has had its answer: a cancelled media session's TEARDOWN
    /// goes on after it.
    var answered = false

    init(id: UInt64, request: TransferRequest, continuation: CheckedContinuation<TransferResult, any Error>,
         handle: UnsafeMutableRawPointer, errorBuffer: UnsafeMutablePointer<CChar>, ledger: MemoryLedger) {
        self.id = id
        self.request = request
        self.continuation = continuation
        self.handle = handle
        self.errorBuffer = errorBuffer
        self.ledger = ledger
    }

    /// Stops taking bytes: every callback from now on returns 0.
    func markAborted(_ reason: TransferAbort) {
        if abort == nil { abort = reason }
    }

    /// Brings the ledger in line with what the buffers hold now.
    func recount() {
        let now = body.capacity + headerBlock.capacity
        ledger.held += now - counted
        counted = now
    }

    /// Makes room for `length` more bytes in the body (or the header block) if the budget allows it,
    /// growing to `expectedTotal` (the declared Content-Length) when given, else by half again or to what is
    /// needed, and counts the growth; false when it does not.
    func reserve(_ length: Int, headers: Bool, expectedTotal: Int? = nil) -> Bool {
        let count = headers ? headerBlock.count : body.count
        let capacity = headers ? headerBlock.capacity : body.capacity
        let needed = count + length
        guard needed > capacity else { return true }
        var target = max(needed, expectedTotal ?? capacity + capacity / 2)
        if !ledger.allows(target - capacity, holding: counted) {
            guard ledger.allows(needed - capacity, holding: counted) else {
                markAborted(.memoryBudget)
                return false
            }
            target = needed
        }
        if headers { headerBlock.reserveCapacity(target) } else { body.reserveCapacity(target) }
        recount()
        return true
    }
}

/// The loop thread's whole world: the multi handle, epoll, the timer, the transfers, the handle pool.
/// Created before the thread starts and then used by that thread alone.
final class TransferLoop {
    private let inbox: TransferInbox
    /// The transport, as the executor jobs run on (unowned: the transport outlives its loop).
    var executor: UnownedTaskExecutor!
    private let multi: UnsafeMutableRawPointer
    private let epoll: Int32
    /// When libcurl wants `socket_action(CURL_SOCKET_TIMEOUT)` (monotonic nanoseconds), or nil.
    /// Kept here and handed to epoll_wait as its timeout: a timerfd would cost a timerfd_settime per
    /// transfer, measured at ~50 µs each on this virtual machine (14% of a sweep's time).
    private var deadline: Int64?
    private var transfers: [UInt64: ActiveTransfer] = [:]
    /// Reset easy handles ready for reuse, each with its own error buffer.
    private var pool: [(handle: UnsafeMutableRawPointer, errorBuffer: UnsafeMutablePointer<CChar>)] = []
    /// Cancellations that arrived before their start (a task cancelled before `perform` posted).
    private var cancelledEarly: Set<UInt64> = []
    /// Media sessions between two receive rounds, in the order their next round is due.
    private var pausedSessions: [(due: Int64, transfer: ActiveTransfer)] = []
    private var running = true
    /// After a shutdown command: the loop ends once the cancelled sessions' TEARDOWNs are done, or at this
    /// time (monotonic nanoseconds) at the latest.
    private var stoppingBy: Int64?
    /// How long a cancelled media session's TEARDOWN may take: cameras limit their sessions, and one that
    /// never hears TEARDOWN keeps the slot until its own timeout (often a minute), but a Ctrl-C must not wait.
    static let cancelledTeardownMilliseconds = 1_000
    let ledger: MemoryLedger

    init(inbox: TransferInbox, memoryBudget: MemoryLedger) throws(TransportError) {
        self.inbox = inbox
        ledger = memoryBudget
        guard let multi = curl_multi_init() else { throw .library(call: "curl_multi_init", message: "no memory") }
        self.multi = multi
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw .system(call: "epoll_create1", errno: errno) }
        watch(inbox.wakeDescriptor, events: UInt32(EPOLLIN.rawValue), operation: EPOLL_CTL_ADD)
        let me = Unmanaged.passUnretained(self).toOpaque()
        xl_multi_setopt_socket_callback(multi, socketCallback)
        xl_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, me)
        xl_multi_setopt_timer_callback(multi, timerCallback)
        xl_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, me)
        // Only media sessions leave connections in the cache (everything else forbids reuse), and a
        // session between receive rounds has no handle in the multi: the default limit (4 per handle
        // added) would close paused sessions' connections.
        xl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 1 << 20)
    }

    /// Runs until a shutdown command, then releases everything.
    func run() {
        let capacity = 512
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while running {
            let count = epoll_wait(epoll, events, Int32(capacity), millisecondsUntilDeadline())
            if count < 0 {
                if errno == EINTR { continue }
                fatalError("epoll_wait failed: \(String(cString: strerror(errno)))")
            }
            var stillRunning: Int32 = 0
            for index in 0..<Int(count) {
                let descriptor = events[index].data.fd
                let flags = events[index].events
                if descriptor == inbox.wakeDescriptor {
                    handle(inbox.drain())
                } else {
                    var action: Int32 = 0
                    if flags & UInt32(EPOLLIN.rawValue) != 0 { action |= CURL_CSELECT_IN }
                    if flags & UInt32(EPOLLOUT.rawValue) != 0 { action |= CURL_CSELECT_OUT }
                    if flags & (UInt32(EPOLLERR.rawValue) | UInt32(EPOLLHUP.rawValue)) != 0 { action |= CURL_CSELECT_ERR }
                    curl_multi_socket_action(multi, descriptor, action, &stillRunning)
                }
            }
            if let due = deadline, due <= Self.monotonicNanoseconds() {
                // libcurl may ask for the same timeout again from inside this call, so clear it first.
                deadline = nil
                curl_multi_socket_action(multi, curl_socket_t(-1) /* CURL_SOCKET_TIMEOUT */, 0, &stillRunning)
            }
            resumeDueSessions()
            collectFinished()
            // Tasks resumed by finished transfers run now, on this thread; what they start is started too.
            var rounds = 0
            while running && rounds < 64, case let commands = inbox.drainQueued(), !commands.isEmpty {
                handle(commands)
                collectFinished()
                rounds += 1
            }
            if let stoppingBy, transfers.isEmpty || Self.monotonicNanoseconds() >= stoppingBy { running = false }
        }
        tearDown()
    }

    // MARK: commands

    private func handle(_ commands: [LoopCommand]) {
        for command in commands {
            switch command {
            case .start(let id, let request, let continuation):
                if cancelledEarly.remove(id) != nil {
                    continuation.resume(throwing: CancellationError())
                } else if stoppingBy != nil {
                    continuation.resume(throwing: TransportError.shutDown)
                } else {
                    start(id: id, request: request, continuation: continuation)
                }
            case .cancel(let id):
                if let transfer = transfers[id] {
                    cancel(transfer)
                } else {
                    cancelledEarly.insert(id)
                }
            case .run(let job):
                job.runSynchronously(on: executor)
            case .shutdown:
                // Every transfer ends now, but a media session's TEARDOWN, which the loop still sends.
                stoppingBy = Self.monotonicNanoseconds() + Int64(Self.cancelledTeardownMilliseconds + 200) * 1_000_000
                for transfer in Array(transfers.values) where !transfer.answered { cancel(transfer) }
            }
        }
    }

    /// Answers a cancelled transfer's task at once. A media session that has a session on the camera (SETUP
    /// answered) then sends its TEARDOWN, which nobody awaits, bounded by `cancelledTeardownMilliseconds`:
    /// on the session's connection when it is idle between receive rounds, else (a request cut off mid-way
    /// closes it) on a new one, as RFC 2326 allows. Everything else is cut off, and its handle is not
    /// trusted with another camera.
    private func cancel(_ transfer: ActiveTransfer) {
        guard !transfer.answered else { return }
        guard let session = transfer.media, session.established else {
            finish(transfer, with: .failure(CancellationError()), reusable: false)
            return
        }
        transfer.continuation.resume(throwing: CancellationError())
        transfer.answered = true
        // A TEARDOWN already on its way (the window had ended) finishes as it is.
        guard session.step != .teardown else { return }
        session.cancelled = true
        if session.paused {
            session.paused = false
            pausedSessions.removeAll { $0.transfer === transfer }
        } else {
            curl_multi_remove_handle(multi, transfer.handle)
        }
        do {
            try configureMediaStep(transfer, .teardown)
        } catch {
            finish(transfer, with: .failure(CancellationError()), reusable: false)
            return
        }
        curl_multi_add_handle(multi, transfer.handle)
    }

    private func start(id: UInt64, request: TransferRequest, continuation: CheckedContinuation<TransferResult, any Error>) {
        let handle: UnsafeMutableRawPointer
        let errorBuffer: UnsafeMutablePointer<CChar>
        if let pooled = pool.popLast() {
            (handle, errorBuffer) = pooled
        } else {
            guard let fresh = curl_easy_init() else {
                continuation.resume(returning: TransferResult(failure: .other, failureDetail: "curl_easy_init failed"))
                return
            }
            handle = fresh
            errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        }
        let transfer = ActiveTransfer(id: id, request: request, continuation: continuation, handle: handle, errorBuffer: errorBuffer,
                                      ledger: ledger)
        transfer.errorBuffer[0] = 0
        transfers[id] = transfer
        do {
            try configure(transfer)
        } catch {
            finish(transfer, with: .success(TransferResult(failure: .other, failureDetail: error.description)), reusable: false)
            return
        }
        let code = curl_multi_add_handle(multi, handle)
        if code != CURLM_OK {
            finish(transfer, with: .success(TransferResult(failure: .other, failureDetail: String(cString: curl_multi_strerror(code)))),
                   reusable: false)
        }
    }

    /// Every option of a transfer. The handle was reset, so nothing of an earlier camera remains. An
    /// option libcurl refuses (the protocol allow-list, a proxy override) fails the transfer rather than
    /// letting it run without the protection.
    private func configure(_ transfer: ActiveTransfer) throws(TransportError) {
        let handle = transfer.handle
        let request = transfer.request
        let me = Unmanaged.passUnretained(transfer).toOpaque()
        var options = OptionSetter(handle: handle)
        options.set(CURLOPT_URL, request.url)
        options.set(CURLOPT_PRIVATE, me)
        options.set(CURLOPT_ERRORBUFFER, transfer.errorBuffer)
        options.set(CURLOPT_NOSIGNAL, 1)
        options.set(CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeoutMilliseconds)
        options.set(CURLOPT_TIMEOUT_MS, request.timeoutMilliseconds)
        options.set(CURLOPT_PROTOCOLS_STR, "http,https,rtsp")
        // Every camera is a different host: a cached connection or DNS entry is never reused, and 7.88
        // walks its whole DNS cache as each transfer starts (quadratic at city scale), so keep none.
        options.set(CURLOPT_FRESH_CONNECT, 1)
        options.set(CURLOPT_DNS_CACHE_TIMEOUT, 0)
        options.set(CURLOPT_QUICK_EXIT, 1)
        // Only media sessions leave connections in the cache, idle for at most a pause between rounds; one
        // left by a session that ended without TEARDOWN (SETUP refused) is closed this long after.
        options.set(CURLOPT_MAXAGE_CONN, 10)
        options.set(CURLOPT_USERAGENT, "xueliang/0.1")
        // Never through a proxy from the environment (http_proxy, ALL_PROXY): it would receive the cameras'
        // credentials, and its answers would be blamed on the cameras.
        options.set(CURLOPT_PROXY, "")
        options.set(CURLOPT_NOPROXY, "*")
        options.set(CURLOPT_SSL_VERIFYPEER, request.verifyTLS ? 1 : 0)
        options.set(CURLOPT_SSL_VERIFYHOST, request.verifyTLS ? 2 : 0)
        options.setWriteCallback(writeCallback)
        options.set(CURLOPT_WRITEDATA, me)
        options.setHeaderCallback(headerCallback)
        options.set(CURLOPT_HEADERDATA, me)
        // libcurl's MAXFILESIZE only helps when a Content-Length is sent; the write callback enforces the cap.
        options.setLarge(CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maximumBodyBytes))
        // The receive buffer stays with the pooled handle: 16 KB by default, times 2,000 in flight is 32 MB.
        // Replies are small (a few KB of headers, SDP, playlist; a snapshot arrives in several reads).
        options.set(CURLOPT_BUFFERSIZE, 8 << 10)
        if let username = request.username {
            options.set(CURLOPT_USERNAME, username)
            options.set(CURLOPT_PASSWORD, request.password?.revealed ?? "")
            options.set(CURLOPT_HTTPAUTH, 1 /* CURLAUTH_BASIC */ | 2 /* CURLAUTH_DIGEST */)
        }
        switch request.operation {
        case .connect:
            options.set(CURLOPT_CONNECT_ONLY, 1)
            options.set(CURLOPT_FORBID_REUSE, 1)
        case .http(let method, let body, let contentType):
            options.set(CURLOPT_FORBID_REUSE, 1)
            // Never CURLOPT_FOLLOWLOCATION: probers decide on redirects (RedirectFollowing), and 7.88
            // following one to a refused scheme corrupts the handle.
            if let body {
                options.set(CURLOPT_POSTFIELDSIZE, body.count)
                body.withUnsafeBytes { options.set(CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
            }
            if method != "GET" && method != "POST" { options.set(CURLOPT_CUSTOMREQUEST, method) }
            if let contentType {
                transfer.headerList = curl_slist_append(nil, "Content-Type: \(contentType)")
                // No "Expect: 100-continue" for larger bodies: servers that ignore it cost a second's wait.
                transfer.headerList = curl_slist_append(transfer.headerList, "Expect:")
                options.set(CURLOPT_HTTPHEADER, transfer.headerList)
            }
        case .rtsp(let methods):
            options.set(CURLOPT_RTSP_STREAM_URI, request.url)
            options.set(CURLOPT_RTSP_CLIENT_CSEQ, 1)
            try options.check()
            try configureRTSPStep(transfer, method: methods.first ?? .options)
        case .rtspMedia(let exchange):
            options.set(CURLOPT_RTSP_CLIENT_CSEQ, 1)
            // A pooled handle keeps the last session's id otherwise.
            options.set(CURLOPT_RTSP_SESSION_ID, nil as UnsafeRawPointer?)
            options.set(CURLOPT_RTSP_TRANSPORT, MediaExchange.interleavedTransport)
            options.setInterleaveCallback(interleaveCallback)
            options.set(CURLOPT_INTERLEAVEDATA, me)
            // One read takes what arrived while the session was paused between rounds (see MediaSession).
            options.set(CURLOPT_BUFFERSIZE, MediaSession.receiveBufferBytes)
            transfer.media = MediaSession(exchange: exchange, timeoutMilliseconds: request.timeoutMilliseconds,
                                          now: Self.monotonicNanoseconds())
            try options.check()
            try configureMediaStep(transfer, .setup)
        }
        try options.check()
    }

    /// One request of an RTSP exchange (OPTIONS, then DESCRIBE on the same handle).
    private func configureRTSPStep(_ transfer: ActiveTransfer, method: TransferRequest.RTSPMethod) throws(TransportError) {
        var options = OptionSetter(handle: transfer.handle)
        let request: Int = switch method {
        case .options: CURL_RTSPREQ_OPTIONS
        case .describe: CURL_RTSPREQ_DESCRIBE
        }
        options.set(CURLOPT_RTSP_REQUEST, request)
        // Each step on its own connection, closed after it: an exchange that ends early (a 401 or 503 to
        // OPTIONS) must not leave an open connection in libcurl's cache for another camera to take.
        options.set(CURLOPT_FORBID_REUSE, 1)
        if transfer.rtspStep > 0 {
            // The whole exchange shares the request's timeout, and its phases count from its start.
            let left = transfer.request.timeoutMilliseconds - Int(transfer.elapsedBeforeStep / 1000)
            options.set(CURLOPT_TIMEOUT_MS, max(1, left))
        }
        try options.check()
    }

    // MARK: completion

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            var privatePointer: UnsafeMutableRawPointer?
            xl_easy_getinfo_pointer(handle, CURLINFO_PRIVATE, &privatePointer)
            guard let privatePointer else { continue }
            let transfer = Unmanaged<ActiveTransfer>.fromOpaque(privatePointer).takeUnretainedValue()
            if transfer.media != nil {
                advanceMedia(transfer, code: code)
                continue
            }
            if case .rtsp(let methods) = transfer.request.operation, code == CURLE_OK,
               statusCode(handle) == 200, transfer.rtspStep + 1 < methods.count {
                // Next RTSP request on the same handle and connection.
                curl_multi_remove_handle(multi, handle)
                transfer.elapsedBeforeStep += microseconds(handle, CURLINFO_TOTAL_TIME_T)
                transfer.rtspStep += 1
                transfer.body.removeAll(keepingCapacity: true)
                transfer.bodyBytes = 0
                transfer.headerBlock.removeAll(keepingCapacity: true)
                do {
                    try configureRTSPStep(transfer, method: methods[transfer.rtspStep])
                } catch {
                    finish(transfer, with: .success(TransferResult(failure: .other, failureDetail: error.description)), reusable: false)
                    continue
                }
                curl_multi_add_handle(multi, handle)
                continue
            }
            finish(transfer, with: .success(result(of: transfer, code: code)), reusable: Self.leavesHandleReusable(code))
        }
    }

    /// Whether a handle whose transfer ended with `code` may serve another camera. Only the common
    /// endings qualify: after anything unusual the handle is freed, so that one camera's odd failure
    /// (7.88's refused-redirect state was one) can never reach another camera's transfer.
    private static func leavesHandleReusable(_ code: CURLcode) -> Bool {
        switch code {
        case CURLE_OK, CURLE_OPERATION_TIMEDOUT, CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST: true
        default: false
        }
    }

    private func statusCode(_ handle: UnsafeMutableRawPointer) -> Int {
        var code = 0
        xl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    private func microseconds(_ handle: UnsafeMutableRawPointer, _ info: CURLINFO) -> Int64 {
        var value: curl_off_t = 0
        xl_easy_getinfo_offset(handle, info, &value)
        return Int64(value)
    }

    /// libcurl's timings of the handle's last transfer.
    private func phases(of handle: UnsafeMutableRawPointer) -> TransferPhases {
        var phases = TransferPhases()
        phases.dnsMicroseconds = microseconds(handle, CURLINFO_NAMELOOKUP_TIME_T)
        phases.connectMicroseconds = microseconds(handle, CURLINFO_CONNECT_TIME_T)
        phases.tlsMicroseconds = microseconds(handle, CURLINFO_APPCONNECT_TIME_T)
        phases.firstByteMicroseconds = microseconds(handle, CURLINFO_STARTTRANSFER_TIME_T)
        phases.totalMicroseconds = microseconds(handle, CURLINFO_TOTAL_TIME_T)
        return phases
    }

    private func result(of transfer: ActiveTransfer, code: CURLcode) -> TransferResult {
        let handle = transfer.handle
        var phases = phases(of: handle)
        // Later RTSP steps: count from the start of the exchange, as the phases of one transfer do.
        if transfer.elapsedBeforeStep > 0 { phases.addElapsedBefore(transfer.elapsedBeforeStep) }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var result = TransferResult(statusCode: statusCode(handle), headerBlock: transfer.headerBlock, body: transfer.body,
                                    bodyBytes: transfer.bodyBytes, phases: phases,
                                    completedAt: Double(now.tv_sec) + Double(now.tv_nsec) / 1e9)
        if code == CURLE_OK && (300...399).contains(result.statusCode) {
            var location: UnsafeMutablePointer<CChar>?
            xl_easy_getinfo_string(handle, CURLINFO_REDIRECT_URL, &location)
            result.redirectURL = location.map { String(cString: $0) }
        }
        if code != CURLE_OK {
            var osError = 0
            xl_easy_getinfo_long(handle, CURLINFO_OS_ERRNO, &osError)
            result.failure = failure(code, osError: Int32(osError), connected: phases.connectMicroseconds > 0, aborted: transfer.abort != nil)
            var detail = String(cString: transfer.errorBuffer)
            if detail.isEmpty { detail = String(cString: curl_easy_strerror(code)) }
            // libcurl often says only "Couldn't connect to server"; the system's reason is the useful part.
            let systemReason = osError != 0 ? String(cString: strerror(Int32(osError))) : ""
            if !systemReason.isEmpty && !detail.contains(systemReason) { detail += " (\(systemReason))" }
            result.failureDetail = detail
            if result.failure == .responseTooLarge {
                result.failureDetail = switch transfer.abort {
                case .headerCap: "headers larger than \(maximumHeaderBytes >> 10) KB"
                case .memoryBudget:
                    "needed more than its \(ledger.share >> 10) KB share of the sweep's memory budget (\(ledger.budget >> 20) MB) when the rest was in use"
                case .bodyCap, nil: "response larger than \(transfer.request.maximumBodyBytes) bytes"
                }
            }
        }
        return result
    }

    /// libcurl's error, in the transport's vocabulary.
    private func failure(_ code: CURLcode, osError: Int32, connected: Bool, aborted: Bool) -> TransferFailure {
        switch code {
        case CURLE_OPERATION_TIMEDOUT: return connected ? .timeout : .connectTimeout
        case CURLE_COULDNT_CONNECT:
            switch osError {
            case ETIMEDOUT: return .connectTimeout
            case ECONNRESET: return .connectionReset
            case ECONNREFUSED: return .connectionRefused
            // Unreachable host or network is not "nothing listens there"; the detail names it.
            default: return .other
            }
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .dnsFailure
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR: return osError == ECONNRESET || osError == EPIPE ? .connectionReset : .other
        case CURLE_GOT_NOTHING: return .connectionReset
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            return .tlsError
        case CURLE_WEIRD_SERVER_REPLY, CURLE_RTSP_CSEQ_ERROR, CURLE_RTSP_SESSION_ERROR, CURLE_UNSUPPORTED_PROTOCOL,
             CURLE_BAD_CONTENT_ENCODING:
            return .protocolError
        case CURLE_FILESIZE_EXCEEDED: return .responseTooLarge
        case CURLE_WRITE_ERROR: return aborted ? .responseTooLarge : .other
        default: return .other
        }
    }

    /// Ends a transfer: detaches its handle and resets it for the pool (or frees it when it is not
    /// `reusable`), then resumes its task, exactly once.
    private func finish(_ transfer: ActiveTransfer, with outcome: Result<TransferResult, any Error>, reusable: Bool) {
        transfers[transfer.id] = nil
        if transfer.media?.paused == true { pausedSessions.removeAll { $0.transfer === transfer } }
        ledger.held -= transfer.counted
        transfer.counted = 0
        curl_multi_remove_handle(multi, transfer.handle)
        if let list = transfer.headerList { curl_slist_free_all(list) }
        if reusable {
            curl_easy_reset(transfer.handle)
            pool.append((transfer.handle, transfer.errorBuffer))
        } else {
            curl_easy_cleanup(transfer.handle)
            transfer.errorBuffer.deallocate()
        }
        if !transfer.answered {
            transfer.answered = true
            transfer.continuation.resume(with: outcome)
        }
    }

    private func tearDown() {
        for transfer in Array(transfers.values) { finish(transfer, with: .failure(CancellationError()), reusable: false) }
        // From here the inbox refuses new work; what was queued still gets an answer, and queued jobs
        // run (a transfer they start fails at once).
        for command in inbox.close() {
            switch command {
            case .start(_, _, let continuation): continuation.resume(throwing: TransportError.shutDown)
            case .run(let job): job.runSynchronously(on: executor)
            case .cancel, .shutdown: break
            }
        }
        for pooled in pool {
            curl_easy_cleanup(pooled.handle)
            pooled.errorBuffer.deallocate()
        }
        pool.removeAll()
        curl_multi_cleanup(multi)
        close(epoll)
    }

    // MARK: called back by libcurl, on this thread

    fileprivate func watch(_ descriptor: Int32, events: UInt32, operation: EPOLL_CTL_OPERATION_TYPE) {
        var event = epoll_event()
        event.events = events
        event.data.fd = descriptor
        _ = epoll_ctl(epoll, operation, descriptor, &event)
    }

    fileprivate func socketChanged(_ socket: curl_socket_t, what: Int32, registered: UnsafeMutableRawPointer?) {
        if what == CURL_POLL_REMOVE {
            // The socket may already be closed; a failing DEL is harmless.
            _ = epoll_ctl(epoll, EPOLL_CTL_DEL, socket, nil)
            curl_multi_assign(multi, socket, nil)
            return
        }
        var events: UInt32 = 0
        if what & CURL_POLL_IN != 0 { events |= UInt32(EPOLLIN.rawValue) }
        if what & CURL_POLL_OUT != 0 { events |= UInt32(EPOLLOUT.rawValue) }
        // The per-socket pointer libcurl keeps for us holds the events registered (+1, so it is never nil):
        // a first sight is an ADD, an unchanged interest costs no system call.
        let wanted = UnsafeMutableRawPointer(bitPattern: UInt(events) + 1)
        if let registered {
            guard registered != wanted else { return }
            watch(socket, events: events, operation: EPOLL_CTL_MOD)
        } else {
            watch(socket, events: events, operation: EPOLL_CTL_ADD)
        }
        curl_multi_assign(multi, socket, wanted)
    }

    fileprivate func timerChanged(_ milliseconds: Int) {
        deadline = milliseconds < 0 ? nil : Self.monotonicNanoseconds() + Int64(milliseconds) * 1_000_000
    }

    /// epoll_wait's timeout: -1 without a deadline, else the milliseconds left, rounded up (0 when due).
    private func millisecondsUntilDeadline() -> Int32 {
        let earliest = [deadline, pausedSessions.first?.due, stoppingBy].compactMap { $0 }.min()
        guard let earliest else { return -1 }
        let left = earliest - Self.monotonicNanoseconds()
        return left <= 0 ? 0 : Int32(clamping: (left + 999_999) / 1_000_000)
    }

    static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}

typealias EPOLL_CTL_OPERATION_TYPE = Int32

private let socketCallback: curl_socket_callback = { _, socket, what, loopPointer, socketPointer in
    let loop = Unmanaged<TransferLoop>.fromOpaque(loopPointer!).takeUnretainedValue()
    loop.socketChanged(socket, what: what, registered: socketPointer)
    return 0
}

private let timerCallback: curl_multi_timer_callback = { _, milliseconds, loopPointer in
    let loop = Unmanaged<TransferLoop>.fromOpaque(loopPointer!).takeUnretainedValue()
    loop.timerChanged(milliseconds)
    return 0
}

// Returning less than given aborts a transfer (CURLE_WRITE_ERROR): how the caps are enforced.
private let writeCallback: curl_write_callback = { data, size, count, transferPointer in
    let transfer = Unmanaged<ActiveTransfer>.fromOpaque(transferPointer!).takeUnretainedValue()
    let length = size * count
    transfer.bodyBytes += length
    guard transfer.abort == nil else { return 0 }
    if length > transfer.request.maximumBodyBytes - transfer.body.count {
        transfer.markAborted(.bodyCap)
        return 0
    }
    // The first bytes of a body whose length is declared: room for all of it at once, so that a 300 KB
    // snapshot is neither copied as it grows nor counted at half again its size.
    var declared: curl_off_t = -1
    if transfer.body.capacity == 0 {
        xl_easy_getinfo_offset(transfer.handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &declared)
    }
    let expected = declared > 0 && declared <= transfer.request.maximumBodyBytes ? Int(declared) : nil
    guard transfer.reserve(length, headers: false, expectedTotal: expected) else { return 0 }
    if let data, length > 0 {
        data.withMemoryRebound(to: UInt8.self, capacity: length) { transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length)) }
    }
    return length
}

private let httpPrefix = Array("HTTP/".utf8)
private let rtspPrefix = Array("RTSP/".utf8)

private let headerCallback: curl_write_callback = { data, size, count, transferPointer in
    let transfer = Unmanaged<ActiveTransfer>.fromOpaque(transferPointer!).takeUnretainedValue()
    let length = size * count
    guard let data, length > 0 else { return length }
    transfer.headerBytes += length
    guard transfer.abort == nil else { return 0 }
    if transfer.headerBytes > maximumHeaderBytes {
        transfer.markAborted(.headerCap)
        return 0
    }
    guard transfer.reserve(length, headers: true) else { return 0 }
    data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        let line = UnsafeBufferPointer(start: bytes, count: length)
        // A status line starts a new reply (after a redirect or an authentication round): keep only its headers.
        if line.starts(with: httpPrefix) || line.starts(with: rtspPrefix) {
            transfer.headerBlock.removeAll(keepingCapacity: true)
        } else {
            transfer.headerBlock.append(contentsOf: line)
        }
    }
    return length
}

/// Sets one easy handle's options and keeps the first that libcurl refused, so that a transfer never
/// runs without an option it depends on (the protocol allow-list, the proxy override, the caps).
struct OptionSetter {
    let handle: UnsafeMutableRawPointer
    private var refused: (option: CURLoption, code: CURLcode)?

    init(handle: UnsafeMutableRawPointer) { self.handle = handle }

    mutating func set(_ option: CURLoption, _ value: Int) { record(option, xl_easy_setopt_long(handle, option, value)) }
    /// For the `_LARGE` options, which take a curl_off_t.
    mutating func setLarge(_ option: CURLoption, _ value: curl_off_t) { record(option, xl_easy_setopt_offset(handle, option, value)) }
    mutating func set(_ option: CURLoption, _ value: String) { record(option, xl_easy_setopt_pointer(handle, option, value)) }
    mutating func set(_ option: CURLoption, _ value: UnsafeRawPointer?) { record(option, xl_easy_setopt_pointer(handle, option, value)) }
    mutating func setWriteCallback(_ callback: curl_write_callback) { record(CURLOPT_WRITEFUNCTION, xl_easy_setopt_write_callback(handle, callback)) }
    mutating func setHeaderCallback(_ callback: curl_write_callback) { record(CURLOPT_HEADERFUNCTION, xl_easy_setopt_header_callback(handle, callback)) }
    mutating func setInterleaveCallback(_ callback: curl_write_callback) {
        record(CURLOPT_INTERLEAVEFUNCTION, xl_easy_setopt_interleave_callback(handle, callback))
    }

    private mutating func record(_ option: CURLoption, _ code: CURLcode) {
        if code != CURLE_OK && refused == nil { refused = (option, code) }
    }

    /// Throws for the first refused option, naming it by number (never its value: it may be a password).
    func check() throws(TransportError) {
        guard let refused else { return }
        throw .library(call: "curl_easy_setopt(option \(refused.option.rawValue))", message: String(cString: curl_easy_strerror(refused.code)))
    }
}

// MARK: - RTSP media sessions

/// One media session's progress: SETUP, PLAY, receive rounds, TEARDOWN on one connection, and the
/// analyzer the interleaved RTP goes to. Loop thread only.
///
/// libcurl 7.88's RECEIVE ends after one read that held an RTP frame, so a window is a series of
/// RECEIVE transfers. Started back to back, a 25 fps stream takes 60-70 a second (each a remove, a
/// reconfigure and an add, with epoll changes); paced, the session rests `pace` between rounds while
/// the kernel buffers the stream, and one read of `receiveBufferBytes` takes what arrived meanwhile.
/// Frame times come from RTP timestamps, so pacing changes no figure but the arrival times' precision.
final class MediaSession {
    /// Read buffer while receiving: about 130 ms of a 2 Mbit/s stream. A round that fills most of it
    /// starts the next at once.
    static let receiveBufferBytes = 32 << 10
    /// TEARDOWN's share of the request's timeout: receiving stops this long before the timeout.
    static let teardownReserveMilliseconds = 1_000

    let exchange: MediaExchange
    var analyzer: RTPStreamAnalyzer
    var outcome = MediaExchangeOutcome()
    var step = MediaStep.setup
    /// Monotonic nanoseconds: when the session started, when it must be over, when PLAY's reply came.
    let startedAt: Int64
    let deadline: Int64
    var playedAt: Int64 = 0
    /// Interleaved frames (any channel) and RTP bytes in the current round.
    var framesThisRound = 0
    var bytesThisRound = 0
    var paused = false
    /// Whether the current receive's timeout is the stall limit (not what was left of the request's).
    var receiveTimeoutIsStall = true
    /// SETUP's timings (DNS, connect, first byte), which the result reports.
    var setupPhases = TransferPhases()
    /// SETUP's or PLAY's reply when it decided the outcome (a refusal), else PLAY's.
    var decidingStatus = 0
    var decidingHeaders: [UInt8] = []
    var failure: (TransferFailure, String)?
    /// SETUP was answered 200: the camera holds a session for us, which TEARDOWN must free.
    var established = false
    /// The task was cancelled: only the TEARDOWN is left, bounded by `TransferLoop.cancelledTeardownMilliseconds`.
    var cancelled = false

    init(exchange: MediaExchange, timeoutMilliseconds: Int, now: Int64) {
        self.exchange = exchange
        analyzer = RTPStreamAnalyzer(format: exchange.format, payloadType: exchange.payloadType, clockRate: exchange.clockRate)
        startedAt = now
        deadline = now + Int64(timeoutMilliseconds) * 1_000_000
    }

    /// Milliseconds left before receiving must stop for TEARDOWN.
    func receivingMillisecondsLeft(now: Int64) -> Int {
        let reserve = min(Self.teardownReserveMilliseconds, Int((deadline - startedAt) / 5_000_000))
        return Int((deadline - now) / 1_000_000) - reserve
    }

    func millisecondsSincePlay(now: Int64) -> Int { Int((now - playedAt) / 1_000_000) }

    /// Milliseconds since the last RTP packet of the track, or since PLAY before the first.
    func millisecondsSinceLastPacket(now: Int64) -> Int {
        millisecondsSincePlay(now: now) - (analyzer.reading.lastPacketMilliseconds ?? 0)
    }
}

extension TransferLoop {
    /// The options of one step; the handle keeps the rest (connection, CSeq, session id) from the last.
    fileprivate func configureMediaStep(_ transfer: ActiveTransfer, _ step: MediaStep) throws(TransportError) {
        guard let session = transfer.media else { return }
        session.step = step
        var options = OptionSetter(handle: transfer.handle)
        let now = Self.monotonicNanoseconds()
        switch step {
        case .setup:
            options.set(CURLOPT_RTSP_REQUEST, CURL_RTSPREQ_SETUP)
            options.set(CURLOPT_RTSP_STREAM_URI, session.exchange.trackURL)
            // A new connection for the session, kept in the cache between steps, closed after TEARDOWN.
            options.set(CURLOPT_FRESH_CONNECT, 1)
            options.set(CURLOPT_FORBID_REUSE, 0)
            options.set(CURLOPT_TIMEOUT_MS, max(1, session.receivingMillisecondsLeft(now: now)))
        case .play:
            options.set(CURLOPT_RTSP_REQUEST, CURL_RTSPREQ_PLAY)
            options.set(CURLOPT_RTSP_STREAM_URI, session.exchange.sessionURL)
            options.set(CURLOPT_FRESH_CONNECT, 0)
            options.set(CURLOPT_TIMEOUT_MS, max(1, session.receivingMillisecondsLeft(now: now)))
        case .receive:
            options.set(CURLOPT_RTSP_REQUEST, CURL_RTSPREQ_RECEIVE)
            // A receive that times out is the stall detector (and closes the connection), unless what is
            // left of the timeout cut it shorter.
            let left = session.receivingMillisecondsLeft(now: now)
            let stall = session.exchange.stallMilliseconds - session.millisecondsSinceLastPacket(now: now)
            session.receiveTimeoutIsStall = stall <= left
            options.set(CURLOPT_TIMEOUT_MS, max(1, min(stall, left)))
        case .teardown:
            options.set(CURLOPT_RTSP_REQUEST, CURL_RTSPREQ_TEARDOWN)
            options.set(CURLOPT_RTSP_STREAM_URI, session.exchange.sessionURL)
            options.set(CURLOPT_FORBID_REUSE, 1)
            // Cameras limit their sessions: TEARDOWN goes out even when the budget is all but spent, and after
            // a cancellation, for a second.
            options.set(CURLOPT_TIMEOUT_MS, session.cancelled ? Self.cancelledTeardownMilliseconds
                                                             : max(300, Int((session.deadline - now) / 1_000_000)))
        }
        session.framesThisRound = 0
        session.bytesThisRound = 0
        transfer.headerBlock.removeAll(keepingCapacity: true)
        transfer.body.removeAll(keepingCapacity: true)
        transfer.bodyBytes = 0
        try options.check()
    }

    /// Moves a media session on after one of its transfers ended with `code`.
    fileprivate func advanceMedia(_ transfer: ActiveTransfer, code: CURLcode) {
        guard let session = transfer.media else { return }
        let handle = transfer.handle
        let now = Self.monotonicNanoseconds()
        let status = statusCode(handle)
        var next: MediaStep?
        switch session.step {
        case .setup:
            session.setupPhases = phases(of: handle)
            session.outcome.step = .setup
            if code == CURLE_OK && status == 200 {
                let transportHeader = TransferResult(headerBlock: transfer.headerBlock).header("Transport")
                session.outcome.channel = RTSPControl.interleavedChannel(transport: transportHeader) ?? 0
                session.established = true
                next = .play
            } else {
                session.decide(status: status, headers: transfer.headerBlock, failure: code == CURLE_OK ? nil : failure(of: transfer, code: code))
            }
        case .play:
            session.outcome.step = .play
            session.decide(status: status, headers: transfer.headerBlock, failure: code == CURLE_OK ? nil : failure(of: transfer, code: code))
            if code == CURLE_OK && status == 200 {
                session.playedAt = now
                session.outcome.step = .receive
                next = .receive
            } else {
                next = .teardown
            }
        case .receive:
            session.outcome.receiveRounds += 1
            let sincePlay = session.millisecondsSincePlay(now: now)
            if code == CURLE_OPERATION_TIMEDOUT {
                session.outcome.windowEnd = session.receiveTimeoutIsStall ? .stalled : .window
            } else if code != CURLE_OK || session.framesThisRound == 0 {
                // 7.88 reports a connection the camera closed as one receive that succeeds with nothing.
                session.outcome.windowEnd = .connectionLost
                if code != CURLE_OK { session.outcome.receiveDetail = failure(of: transfer, code: code).1 }
            } else if session.millisecondsSinceLastPacket(now: now) >= session.exchange.stallMilliseconds {
                // Frames of other channels (RTCP reports) still came, but no RTP.
                session.outcome.windowEnd = .stalled
            } else if session.analyzer.isCertain(frames: session.exchange.framesWanted) {
                session.outcome.windowEnd = .certain
            } else if sincePlay >= session.exchange.windowMilliseconds || session.receivingMillisecondsLeft(now: now) <= 0 {
                session.outcome.windowEnd = .window
            } else {
                next = .receive
            }
            if next == nil {
                session.analyzer.close(windowMilliseconds: sincePlay)
                next = .teardown
            }
        case .teardown:
            session.outcome.teardownStatus = code == CURLE_OK && status > 0 ? status : nil
        }
        curl_multi_remove_handle(multi, handle)
        guard let next else {
            finishMedia(transfer)
            return
        }
        do {
            try configureMediaStep(transfer, next)
        } catch {
            session.failure = session.failure ?? (.other, error.description)
            finishMedia(transfer)
            return
        }
        if next == .receive && session.exchange.receivePaceMilliseconds > 0 && session.outcome.receiveRounds > 0
            && session.bytesThisRound < MediaSession.receiveBufferBytes * 3 / 4 {
            // What came fit in the buffer: rest, and let the kernel gather the next round (never past the
            // window's end, which the next round then reads to).
            session.paused = true
            let windowEnd = session.playedAt + Int64(session.exchange.windowMilliseconds) * 1_000_000
            let due = min(now + Int64(session.exchange.receivePaceMilliseconds) * 1_000_000, max(now, windowEnd))
            // Kept in due order: a rest cut short by its window may come before earlier rests.
            let position = pausedSessions.lastIndex { $0.due <= due }.map { $0 + 1 } ?? 0
            pausedSessions.insert((due, transfer), at: position)
            return
        }
        curl_multi_add_handle(multi, handle)
    }

    /// Starts the next round of every paused session whose rest is over.
    fileprivate func resumeDueSessions() {
        guard let first = pausedSessions.first, first.due <= Self.monotonicNanoseconds() else { return }
        let now = Self.monotonicNanoseconds()
        let due = pausedSessions.prefix { $0.due <= now }
        pausedSessions.removeFirst(due.count)
        for (_, transfer) in due {
            transfer.media?.paused = false
            curl_multi_add_handle(multi, transfer.handle)
        }
    }

    private func finishMedia(_ transfer: ActiveTransfer) {
        guard let session = transfer.media else { return }
        var phases = session.setupPhases
        phases.totalMicroseconds = (Self.monotonicNanoseconds() - session.startedAt) / 1_000
        var result = TransferResult(statusCode: session.decidingStatus, headerBlock: session.decidingHeaders, phases: phases)
        if let (failure, detail) = session.failure {
            result.failure = failure
            result.failureDetail = detail
        }
        session.outcome.reading = session.analyzer.reading
        result.media = session.outcome
        // Never pooled: a media handle had its own receive buffer size (CURLOPT_BUFFERSIZE) and interleave
        // callback, and libcurl 7.88 has corrupted the heap reusing a handle with a changed buffer size after
        // a reset (docs/reliability.md). Media sessions are few (the bandwidth budget): a fresh handle each
        // costs nothing that matters.
        finish(transfer, with: .success(result), reusable: false)
    }

    /// The transport's failure and detail for a step that ended with `code`.
    private func failure(of transfer: ActiveTransfer, code: CURLcode) -> (TransferFailure, String) {
        let failed = result(of: transfer, code: code)
        return (failed.failure ?? .other, failed.failureDetail)
    }
}

extension MediaSession {
    /// Keeps the reply that decides the outcome: SETUP's when it was refused or failed, else PLAY's.
    func decide(status: Int, headers: [UInt8], failure: (TransferFailure, String)?) {
        decidingStatus = status
        decidingHeaders = headers
        self.failure = failure
    }
}

// Once per interleaved frame: `$`, the channel, a 16-bit length, then the packet. Returning less than
// given fails the transfer, so every frame is taken, and only the track's RTP channel is read.
private let interleaveCallback: curl_write_callback = { data, size, count, transferPointer in
    let transfer = Unmanaged<ActiveTransfer>.fromOpaque(transferPointer!).takeUnretainedValue()
    let length = size * count
    guard let session = transfer.media, let data, length >= 4 else { return length }
    session.framesThisRound += 1
    let frame = UnsafeRawBufferPointer(start: data, count: length)
    guard Int(frame[1]) == session.outcome.channel else { return length }
    session.bytesThisRound += length - 4
    let arrival = session.millisecondsSincePlay(now: TransferLoop.monotonicNanoseconds())
    session.analyzer.consume(UnsafeRawBufferPointer(rebasing: frame[4...]), arrivalMilliseconds: arrival)
    return length
}
