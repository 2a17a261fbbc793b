import Glibc

/// Many fake cameras in one process: one HTTP and one RTSP listening socket on 0.0.0.0 serve every
/// address of 127.0.0.0/8, and the destination address of each connection picks the camera (and so
/// its behaviour). Everything runs on one event-loop thread started by `start()` and ended by `stop()`.
///
/// ```swift
/// let fleet = try CameraFleet(configuration: FleetConfiguration(behaviours: [0x7F00_0102: .blackhole]))
/// let ports = try fleet.start()   // ports.httpPort, ports.rtspPort: chosen by the kernel
/// // http://127.0.1.1:\(ports.httpPort)/snapshot.jpg is healthy, 127.0.1.2 never answers
/// fleet.stop()
/// ```
public final class CameraFleet: Sendable {
    /// The configuration the fleet was created with.
    public let configuration: FleetConfiguration
    private let shared = SharedFleetState()

    /// Checks the configuration; opens nothing until `start()`.
    public init(configuration: FleetConfiguration) throws {
        if configuration.httpPort != 0 && configuration.httpPort == configuration.rtspPort {
            throw FleetError.invalidArgument("the HTTP and RTSP ports must differ (both are \(configuration.httpPort))")
        }
        if configuration.username.contains(":") {
            throw FleetError.invalidArgument("the user name may not contain ':' (Basic authentication could not express it)")
        }
        try configuration.checkPictures()
        self.configuration = configuration
    }

    deinit {
        stop()
    }

    /// Binds both listening sockets and starts the event loop on its own thread. Returns the ports
    /// actually bound (the kernel's choice where the configuration says 0). Throws `FleetError.alreadyRunning`
    /// if the fleet runs, or `FleetError.systemCall` if a port cannot be bound. A stopped fleet may start again.
    @discardableResult
    public func start() throws -> (httpPort: UInt16, rtspPort: UInt16) {
        try shared.beginStart()
        do {
            let wake = try Sockets.wakePipe()
            let loop: EventLoop
            do {
                loop = try EventLoop(configuration: configuration, shared: shared, wakeDescriptor: wake.read)
            } catch {
                close(wake.read)
                close(wake.write)
                throw error
            }
            let ports = (httpPort: loop.httpPort, rtspPort: loop.rtspPort)
            // The loop object passes to the new thread whole; this thread never touches it again.
            let handOver = Unmanaged.passRetained(loop)
            var thread = pthread_t()
            let result = pthread_create(&thread, nil, { argument in
                let loop = Unmanaged<EventLoop>.fromOpaque(argument!).takeRetainedValue()
                loop.run()
                return nil
            }, handOver.toOpaque())
            guard result == 0 else {
                handOver.release()  // the loop never ran: its deinit closes its sockets
                close(wake.read)
                close(wake.write)
                throw FleetError.systemCall("pthread_create", errno: result)
            }
            shared.finishStart(.init(thread: thread, wakeReadDescriptor: wake.read, wakeWriteDescriptor: wake.write))
            return ports
        } catch {
            shared.abandonStart()
            throw error
        }
    }

    /// Stops the loop and waits for its thread to end. When this returns, every descriptor the fleet
    /// opened (listeners, connections, epoll, the wake pipe) is closed. Does nothing if not running.
    public func stop() {
        guard let running = shared.takeRunningLoop() else { return }
        var byte: UInt8 = 1
        _ = write(running.wakeWriteDescriptor, &byte, 1)
        pthread_join(running.thread, nil)
        close(running.wakeReadDescriptor)
        close(running.wakeWriteDescriptor)
    }

    /// A snapshot of the counters: requests served, connections accepted, peak concurrent connections
    /// per address, connections open now. Taken under the fleet's one lock; cheap enough for tests and
    /// periodic reports, not meant to be called thousands of times a second.
    public func statistics() -> FleetStatistics {
        shared.statistics()
    }
}
