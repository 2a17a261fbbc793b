import Glibc

/// The fleet's single-threaded server: two listening sockets, one epoll instance, every connection.
///
/// Created on the caller's thread (so that binding errors are thrown synchronously and the ports are
/// known), then handed whole to the loop thread, which alone touches it from then on: no locks inside.
/// Only `SharedFleetState` crosses threads.
final class EventLoop {
    let configuration: FleetConfiguration
    let shared: SharedFleetState
    let httpPort: UInt16
    let rtspPort: UInt16

    let epoll: Int32
    let httpListener: Int32
    let rtspListener: Int32
    /// The read end of the pipe `CameraFleet.stop()` writes to; the fleet, not the loop, closes it.
    let wakeDescriptor: Int32
    /// When accept failed for lack of descriptors, the listeners are unwatched until this monotonic
    /// millisecond, instead of the level-triggered listeners spinning the loop; clients wait in the queue.
    var acceptingPausedUntil: Int64?

    /// Open connections, indexed by descriptor (the kernel hands out the lowest free numbers).
    var connections: [Connection?] = []
    var timers = TimerQueue()
    /// Connections that used their turn's budget with work left; served again before the next wait.
    var backlog: [(descriptor: Int32, serial: UInt64)] = []
    var nextSerial: UInt64 = 0
    var stopping = false
    var isShutDown = false

    let assets: Assets
    var http: HTTPResponder
    var rtsp: RTSPResponder
    var clock = WallClock()
    /// Every response is built here, then sent straight from it.
    var output = OutputBuffer(capacity: 16 * 1024)
    /// Scratch space for one frame's interleaved RTP packets.
    var mediaOutput = OutputBuffer(capacity: 4 * 1024)
    let readBuffer: UnsafeMutableRawBufferPointer

    static let readBufferSize = 64 * 1024
    /// Per turn budgets, so that one busy connection cannot starve the others.
    static let readsPerTurn = 16
    static let endlessWritesPerTurn = 16
    static let acceptsPerTurn = 128
    /// A client that sends this much without completing a request is dropped.
    static let maximumInbound = 256 * 1024
    static let eventsPerWait = 512
    /// How long accepting pauses when the process is out of descriptors.
    static let acceptPauseMilliseconds: Int64 = 100

    init(configuration: FleetConfiguration, shared: SharedFleetState, wakeDescriptor: Int32) throws(FleetError) {
        var opened: [Int32] = []
        func closeOpened() { for descriptor in opened { close(descriptor) } }

        let epoll = LinuxCalls.shared.epollCreate1(Epoll.closeOnExec)
        guard epoll >= 0 else { throw .systemCall("epoll_create1", errno: errno) }
        opened.append(epoll)
        let http: (descriptor: Int32, port: UInt16)
        let rtsp: (descriptor: Int32, port: UInt16)
        do throws(FleetError) {
            http = try Sockets.listen(port: configuration.httpPort, backlog: configuration.listenBacklog)
            opened.append(http.descriptor)
            rtsp = try Sockets.listen(port: configuration.rtspPort, backlog: configuration.listenBacklog)
            opened.append(rtsp.descriptor)
        } catch {
            closeOpened()
            throw error
        }
        // Listeners and the wake pipe are level-triggered: whatever is left pending is reported again.
        for descriptor in [http.descriptor, rtsp.descriptor, wakeDescriptor] {
            guard epollControl(epoll, Epoll.add, descriptor, events: Epoll.readable, data: UInt64(descriptor)) == 0 else {
                let code = errno
                closeOpened()
                throw .systemCall("epoll_ctl", errno: code)
            }
        }

        self.configuration = configuration
        self.shared = shared
        self.epoll = epoll
        self.httpListener = http.descriptor
        self.rtspListener = rtsp.descriptor
        self.httpPort = http.port
        self.rtspPort = rtsp.port
        self.wakeDescriptor = wakeDescriptor
        let assets = Assets(snapshot: configuration.snapshot, pictures: configuration.pictures)
        let authenticator = Authenticator(username: configuration.username, password: configuration.password, realm: configuration.realm)
        self.assets = assets
        self.http = HTTPResponder(assets: assets, authenticator: authenticator)
        self.http.ports = (http.port, rtsp.port)
        self.rtsp = RTSPResponder(assets: assets, authenticator: authenticator)
        readBuffer = .allocate(byteCount: Self.readBufferSize, alignment: 16)
    }

    deinit {
        shutDown()
        readBuffer.deallocate()
    }

    /// Serves until `stop()` writes to the wake pipe, then closes every descriptor it opened.
    func run() {
        let events = EpollEventBuffer(capacity: Self.eventsPerWait)
        while !stopping {
            let count = LinuxCalls.shared.epollWait(epoll, events.pointer, Int32(events.capacity), nextTimeout())
            if count < 0 {
                if errno == EINTR { continue }
                break  // EBADF or EINVAL: the loop's own state is broken; stop serving rather than spin
            }
            for index in 0..<Int(count) {
                dispatch(data: events.data(at: index), events: events.events(at: index))
            }
            fireDueTimers()
            serviceBacklog()
        }
        shutDown()
    }

    private func dispatch(data: UInt64, events: UInt32) {
        let descriptor = Int32(truncatingIfNeeded: data)
        if descriptor == httpListener {
            acceptConnections(from: httpListener, service: .http)
        } else if descriptor == rtspListener {
            acceptConnections(from: rtspListener, service: .rtsp)
        } else if descriptor == wakeDescriptor {
            stopping = true
        } else if let connection = connection(descriptor, serial: data >> 32) {
            let readable = events & (Epoll.readable | Epoll.peerHalfClosed | Epoll.hangUp | Epoll.error) != 0
            // After a hang-up or half-close the final read must go on until it returns 0.
            let ending = events & (Epoll.peerHalfClosed | Epoll.hangUp | Epoll.error) != 0
            drive(connection, canRead: readable, readUntilDrained: ending)
        }
    }

    /// The connection on `descriptor` whose serial's low 32 bits are `serial`, or nil if it has gone.
    func connection(_ descriptor: Int32, serial: UInt64) -> Connection? {
        let index = Int(descriptor)
        guard index >= 0, index < connections.count, let connection = connections[index],
              connection.serial & 0xFFFF_FFFF == serial & 0xFFFF_FFFF
        else { return nil }
        return connection
    }

    // MARK: Accepting

    private func acceptConnections(from listener: Int32, service: ServiceProtocol) {
        let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        for _ in 0..<Self.acceptsPerTurn {
            let descriptor = LinuxCalls.shared.accept4(listener, nil, nil, flags)
            if descriptor < 0 {
                switch errno {
                case EINTR, ECONNABORTED, EPROTO: continue
                case EMFILE, ENFILE: pauseAccepting()
                default: break  // EAGAIN: the queue is empty
                }
                return
            }
            // The destination address says which camera the client meant.
            guard let local = Sockets.localEndpoint(descriptor), FleetAddress.isLoopback(local.address) else {
                close(descriptor)
                shared.recordConnectionRejected()
                continue
            }
            let behaviour = configuration.behaviour(for: local.address)
            shared.recordConnectionOpened(address: local.address)
            if behaviour == .reset {
                Sockets.resetAndClose(descriptor)
                shared.recordConnectionClosed(address: local.address)
                continue
            }
            nextSerial += 1
            let connection = Connection(
                descriptor: descriptor, serial: nextSerial, service: service,
                camera: CameraContext(address: local.address, behaviour: behaviour))
            let index = Int(descriptor)
            if index >= connections.count {
                connections.append(contentsOf: repeatElement(nil, count: index + 1 - connections.count))
            }
            connections[index] = connection
            // The request has usually arrived with the handshake: answering it now saves registering a
            // one-request connection with epoll at all. Registration, if still needed, reports anything
            // that arrives meanwhile, so one short read is enough here.
            drive(connection, canRead: true, readUntilDrained: false)
        }
    }

    private func pauseAccepting() {
        guard acceptingPausedUntil == nil else { return }
        acceptingPausedUntil = Sockets.monotonicMilliseconds() + Self.acceptPauseMilliseconds
        watchListeners(events: 0)
    }

    private func resumeAcceptingIfDue(now: Int64) {
        guard let until = acceptingPausedUntil, until <= now else { return }
        acceptingPausedUntil = nil
        watchListeners(events: Epoll.readable)
    }

    private func watchListeners(events: UInt32) {
        for listener in [httpListener, rtspListener] {
            epollControl(epoll, Epoll.modify, listener, events: events, data: UInt64(listener))
        }
    }

    // MARK: Timers and the backlog

    private func nextTimeout() -> Int32 {
        if !backlog.isEmpty { return 0 }
        let deadlines = [timers.earliestDeadline, acceptingPausedUntil].compactMap { $0 }
        guard let deadline = deadlines.min() else { return -1 }
        return Int32(clamping: max(0, deadline - Sockets.monotonicMilliseconds()))
    }

    private func fireDueTimers() {
        guard !timers.isEmpty || acceptingPausedUntil != nil else { return }
        let now = Sockets.monotonicMilliseconds()
        resumeAcceptingIfDue(now: now)
        while let entry = timers.popDue(now: now) {
            guard let connection = connection(entry.descriptor, serial: entry.serial) else { continue }
            if connection.drips {
                drip(connection)
                continue
            }
            if connection.media?.timerArmed == true {
                sendMediaFrame(connection)
                continue
            }
            connection.awaitingTimer = false
            connection.delayElapsed = true
            drive(connection, canRead: false, readUntilDrained: false)
        }
    }

    private func serviceBacklog() {
        guard !backlog.isEmpty else { return }
        let entries = backlog
        backlog.removeAll(keepingCapacity: true)
        for entry in entries {
            guard let connection = connection(entry.descriptor, serial: entry.serial) else { continue }
            drive(connection, canRead: true, readUntilDrained: true)
        }
    }

    // MARK: Shutting down

    /// Closes every connection, both listeners and the epoll instance. Idempotent.
    func shutDown() {
        guard !isShutDown else { return }
        isShutDown = true
        for case let connection? in connections where !connection.isClosed {
            closeConnection(connection)
        }
        connections.removeAll()
        timers.removeAll()
        backlog.removeAll()
        close(httpListener)
        close(rtspListener)
        close(epoll)
    }
}
