import TestSupport
import CameraFleet
import Testing

@Suite("Statistics, start, stop and descriptors")
struct LifecycleTests {
    @Test func peakConcurrencyPerAddress() throws {
        try withFleet { fleet throws in
            var held: [TestSocket] = []
            for cSeq in 1...4 {
                let socket = try fleet.rtsp("127.0.9.1")
                try socket.send(Requests.rtsp("OPTIONS", "rtsp://127.0.9.1/stream", cSeq: cSeq))
                // An answer proves the fleet accepted this connection; RTSP keeps it open.
                #expect(try socket.readResponse().statusCode == 200)
                held.append(socket)
            }
            let other = try fleet.rtsp("127.0.9.2")
            try other.send(Requests.rtsp("OPTIONS", "rtsp://127.0.9.2/stream", cSeq: 1))
            _ = try other.readResponse()
            // One request per connection, one after another: the fleet closes each before accepting the next.
            for _ in 0..<3 {
                #expect(try fleet.get("127.0.9.3", "/snapshot.jpg").statusCode == 200)
            }

            let statistics = fleet.fleet.statistics()
            #expect(statistics.peakConcurrentConnections[0x7F00_0901] == 4)
            #expect(statistics.peakConcurrentConnections[0x7F00_0902] == 1)
            #expect(statistics.peakConcurrentConnections[0x7F00_0903] == 1)
            #expect(statistics.openConnectionsByAddress[0x7F00_0901] == 4)
            #expect(statistics.openConnectionsByAddress[0x7F00_0903] == nil)
            #expect(statistics.openConnections == 5)
            #expect(statistics.peakOpenConnections >= 5)
            #expect(statistics.connectionsAccepted == 8)
            #expect(statistics.requestsServed == 8)
            #expect(statistics.connectionsRejected == 0)
        }
    }

    @Test func stopClosesEveryDescriptorTheFleetOpened() throws {
        let fleet = try CameraFleet(configuration: FleetConfiguration(behaviours: [
            0x7F00_0A01: .blackhole, 0x7F00_0A02: .endlessBody, 0x7F00_0A03: .slow(milliseconds: 60_000),
        ]))
        let ports = try fleet.start()
        let running = RunningFleet(fleet: fleet, httpPort: ports.httpPort, rtspPort: ports.rtspPort)

        // Leave connections of every kind open: silent, streaming, waiting on a timer, idle keep-alive.
        let blackhole = try running.http("127.0.10.1")
        try blackhole.send(Requests.http("GET", "/snapshot.jpg", host: "127.0.10.1"))
        let slow = try running.http("127.0.10.3")
        try slow.send(Requests.http("GET", "/snapshot.jpg", host: "127.0.10.3"))
        let endless = try running.http("127.0.10.2")
        try endless.send(Requests.http("GET", "/snapshot.jpg", host: "127.0.10.2"))
        _ = try endless.readExactly(100_000)
        let keepAlive = try running.rtsp("127.0.10.4")
        try keepAlive.send(Requests.rtsp("OPTIONS", "rtsp://127.0.10.4/stream", cSeq: 1))
        _ = try keepAlive.readResponse()
        // Answered after the blackhole and slow connections on the same listener, so those were accepted.
        #expect(try running.get("127.0.10.5", "/snapshot.jpg").statusCode == 200)
        #expect(fleet.statistics().openConnections == 4)

        let during = DescriptorInspection.openDescriptors()
        let fleetSocketTargets = DescriptorInspection.socketTargets(localPorts: [ports.httpPort, ports.rtspPort])
        let sockets = during.filter { fleetSocketTargets.contains($0.value) }
        #expect(sockets.count == 2 + 4, "two listeners and four held connections")
        let listeners = Set(sockets.keys)
        let epolls = during.filter {
            $0.value == "anon_inode:[eventpoll]" && !DescriptorInspection.epollRegistrations($0.key).isDisjoint(with: listeners)
        }
        #expect(epolls.count == 1)
        let registered = epolls.keys.first.map(DescriptorInspection.epollRegistrations) ?? []
        let wakePipeTargets = Set(registered.compactMap { during[$0] }.filter { $0.hasPrefix("pipe:") })
        let pipes = during.filter { wakePipeTargets.contains($0.value) }
        #expect(pipes.count == 2, "both ends of the wake pipe")
        let fleetDescriptors = sockets.merging(epolls) { $1 }.merging(pipes) { $1 }
        // The epoll instance watches nothing but the fleet's sockets and the wake pipe's read end, so the
        // descriptors found above are all the fleet has besides the epoll instance and the pipe's write end.
        #expect(registered.subtracting(sockets.keys).count == 1)
        #expect(registered.isSubset(of: Set(sockets.keys).union(pipes.keys)))

        fleet.stop()
        let after = DescriptorInspection.openDescriptors()
        for (descriptor, target) in fleetDescriptors {
            #expect(after[descriptor] != target, "descriptor \(descriptor) (\(target)) is still open")
        }
        #expect(fleet.statistics().openConnections == 0)
        #expect(fleet.statistics().openConnectionsByAddress.isEmpty)
        // The clients see their connections end.
        #expect(blackhole.readToEnd().ending == .endOfStream)
        #expect(keepAlive.readToEnd().ending == .endOfStream)
        #expect(slow.readToEnd().ending == .endOfStream)
    }

    @Test func startTwiceThrowsAndAStoppedFleetRestarts() throws {
        let fleet = try CameraFleet(configuration: FleetConfiguration())
        let first = try fleet.start()
        #expect(throws: FleetError.alreadyRunning) { try fleet.start() }
        fleet.stop()
        fleet.stop()  // harmless
        let second = try fleet.start()
        defer { fleet.stop() }
        let running = RunningFleet(fleet: fleet, httpPort: second.httpPort, rtspPort: second.rtspPort)
        #expect(try running.get("127.0.11.1", "/snapshot.jpg").statusCode == 200)
        #expect(first.httpPort != 0 && second.rtspPort != 0)
    }

    @Test func portInUseIsReported() throws {
        try withFleet { fleet throws in
            let clash = try CameraFleet(configuration: FleetConfiguration(httpPort: fleet.httpPort))
            #expect(throws: FleetError.self) { try clash.start() }
            // The failed start left the fleet startable.
            #expect(throws: FleetError.self) { try clash.start() }
        }
    }
}
