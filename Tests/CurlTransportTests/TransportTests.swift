import CameraFleet
import CurlTransport
import Foundation
import Glibc
import Probing
import Registry
import Testing
import TestSupport

/// A fleet on ephemeral ports and a transport, for one test.
struct Harness {
    let fleet: CameraFleet
    let httpPort: UInt16
    let rtspPort: UInt16
    let transport: CurlTransport

    init(_ behaviours: [String: CameraBehaviour] = [:], memoryBudgetBytes: Int = CurlTransport.defaultMemoryBudgetBytes,
         transfersInFlight: Int = 500, defaultBehaviour: CameraBehaviour = .healthy) throws {
        var table: [UInt32: CameraBehaviour] = [:]
        for (host, behaviour) in behaviours { table[FleetAddress.parse(host)!] = behaviour }
        fleet = try CameraFleet(configuration: FleetConfiguration(defaultBehaviour: defaultBehaviour, behaviours: table, username: "admin",
                                                                  password: "fleet-pass"))
        (httpPort, rtspPort) = try fleet.start()
        transport = try CurlTransport(memoryBudgetBytes: memoryBudgetBytes, transfersInFlight: transfersInFlight)
    }

    func snapshot(_ host: String) -> String { "http://\(host):\(httpPort)/snapshot.jpg" }
    func stream(_ host: String) -> String { "rtsp://\(host):\(rtspPort)/stream" }

    func stop() {
        transport.shutdown()
        fleet.stop()
    }
}

@Suite struct TransportTests {
    @Test func healthySnapshotArrivesWithPhasesAndHeaders() async throws {
        let harness = try Harness()
        defer { harness.stop() }
        let result = try await harness.transport.perform(TransferRequest(url: harness.snapshot("127.3.0.1"), operation: .http(method: "GET", body: nil, contentType: nil)))
        #expect(result.failure == nil)
        #expect(result.statusCode == 200)
        #expect(result.body.starts(with: [0xFF, 0xD8]))
        #expect(result.header("content-type") == "image/jpeg")
        #expect(result.header("Date") != nil)
        #expect(result.phases.connectMicroseconds > 0)
        #expect(result.phases.totalMicroseconds >= result.phases.firstByteMicroseconds)
    }

    @Test func connectOnlyAndRefused() async throws {
        let harness = try Harness()
        defer { harness.stop() }
        let open = try await harness.transport.perform(TransferRequest(url: "http://127.3.0.2:\(harness.rtspPort)/", operation: .connect))
        #expect(open.failure == nil)
        let closedPort = try freePort()
        let refused = try await harness.transport.perform(TransferRequest(url: "http://127.3.0.2:\(closedPort)/", operation: .connect))
        #expect(refused.failure == .connectionRefused)
        #expect(refused.failureDetail.contains("refused"))
    }

    @Test(arguments: [
        (CameraBehaviour.reset, TransferFailure.connectionReset),
        (.blackhole, .timeout),
        (.garbage, .protocolError),
        (.endlessBody, .responseTooLarge),
    ])
    func httpFaultsMapToTheirFailure(behaviour: CameraBehaviour, expected: TransferFailure) async throws {
        let harness = try Harness(["127.3.1.1": behaviour])
        defer { harness.stop() }
        let request = TransferRequest(url: harness.snapshot("127.3.1.1"), operation: .http(method: "GET", body: nil, contentType: nil),
                                      connectTimeoutMilliseconds: 3_000, timeoutMilliseconds: 3_000, maximumBodyBytes: 64 * 1024)
        let result = try await harness.transport.perform(request)
        #expect(result.failure == expected, "\(result.failureDetail)")
        if expected == .responseTooLarge { #expect(result.body.count <= 64 * 1024) }
    }

    @Test func rtspOptionsThenDescribeEachOnAClosedConnection() async throws {
        let harness = try Harness()
        defer { harness.stop() }
        let result = try await harness.transport.perform(TransferRequest(url: harness.stream("127.3.2.1"), operation: .rtsp([.options, .describe])))
        #expect(result.failure == nil, "\(result.failureDetail)")
        #expect(result.statusCode == 200)
        #expect(String(decoding: result.body, as: UTF8.self).contains("m=video"))
        #expect(result.header("Content-Type") == "application/sdp")
        #expect(harness.fleet.statistics().connectionsAccepted == 2, "one connection per step, never left for another camera")
        #expect(DescriptorInspection.openConnections(toPorts: [harness.rtspPort]) == 0)
    }

    @Test func rtspCSeqMismatchIsAProtocolError() async throws {
        let harness = try Harness(["127.3.2.2": .badCSeq])
        defer { harness.stop() }
        let result = try await harness.transport.perform(TransferRequest(url: harness.stream("127.3.2.2"), operation: .rtsp([.options, .describe])))
        #expect(result.failure == .protocolError)
    }

    @Test(arguments: [CameraBehaviour.authBasic, .authDigest])
    func authenticationOverHTTPAndRTSP(behaviour: CameraBehaviour) async throws {
        let harness = try Harness(["127.3.3.1": behaviour])
        defer { harness.stop() }
        let anonymous = try await harness.transport.perform(TransferRequest(url: harness.stream("127.3.3.1"), operation: .rtsp([.options, .describe])))
        #expect(anonymous.failure == nil)
        #expect(anonymous.statusCode == 401)
        let wrong = try await harness.transport.perform(TransferRequest(url: harness.snapshot("127.3.3.1"), operation: .http(method: "GET", body: nil, contentType: nil),
                                                                         username: "admin", password: Secret("nope")))
        #expect(wrong.statusCode == 401)
        for request in [
            TransferRequest(url: harness.stream("127.3.3.1"), operation: .rtsp([.options, .describe]), username: "admin", password: Secret("fleet-pass")),
            TransferRequest(url: harness.snapshot("127.3.3.1"), operation: .http(method: "GET", body: nil, contentType: nil), username: "admin", password: Secret("fleet-pass")),
        ] {
            let result = try await harness.transport.perform(request)
            #expect(result.statusCode == 200, "\(request.url): \(result.failureDetail)")
        }
    }

    @Test func postSendsItsBody() async throws {
        let harness = try Harness(["127.3.4.1": .clockSkew(seconds: 300)])
        defer { harness.stop() }
        let body = Array("<s:Envelope><s:Body><GetSystemDateAndTime/></s:Body></s:Envelope>".utf8)
        let result = try await harness.transport.perform(TransferRequest(url: "http://127.3.4.1:\(harness.httpPort)/onvif/device_service",
                                                                          operation: .http(method: "POST", body: body, contentType: "application/soap+xml")))
        #expect(result.statusCode == 200)
        #expect(String(decoding: result.body, as: UTF8.self).contains("UTCDateTime"))
    }

    @Test func connectTimeoutWhenTheListenQueueIsFull() async throws {
        // A listener that never accepts, with its queue filled: further SYNs are dropped, so connect hangs.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: 0, sin_addr: in_addr(s_addr: inet_addr("127.3.5.1")), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        listen(listener, 0)
        let port = UInt16(bigEndian: address.sin_port)
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        var fillers: [TransferResult] = []
        var result = TransferResult()
        // The first connections complete into the queue; later ones cannot.
        for _ in 0..<4 {
            result = try await transport.perform(TransferRequest(url: "http://127.3.5.1:\(port)/", operation: .connect, connectTimeoutMilliseconds: 300))
            fillers.append(result)
        }
        #expect(fillers.last?.failure == .connectTimeout, "\(fillers.map(\.failure))")
    }

    @Test func cancellingStopsTransfersAtOnceAndLeaksNoDescriptor() async throws {
        let harness = try Harness(["127.3.6.1": .blackhole, "127.3.6.2": .blackhole, "127.3.6.3": .blackhole])
        defer { harness.stop() }
        let port = harness.httpPort
        let task = Task {
            try await withThrowingTaskGroup(of: TransferResult.self) { group in
                for index in 0..<60 {
                    group.addTask {
                        try await harness.transport.perform(TransferRequest(url: harness.snapshot("127.3.6.\(1 + index % 3)"),
                                                                            operation: .http(method: "GET", body: nil, contentType: nil),
                                                                            timeoutMilliseconds: 30_000))
                    }
                }
                return try await group.reduce(into: 0) { count, _ in count += 1 }
            }
        }
        // Wait until every transfer is connected (the fleet sees them), then cancel.
        // Starting 60 tasks needs the pool, which a suite beside this one may hold for a while (a child process).
        try await waitUntil(seconds: 120) { harness.fleet.statistics().openConnections >= 60 }
        #expect(DescriptorInspection.openConnections(toPorts: [port]) == 60)
        let cancelledAt = ContinuousClock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - cancelledAt < .seconds(20), "the transfers had 30 s left (a loaded CI machine once took 5.5 s)")
        #expect(DescriptorInspection.openConnections(toPorts: [port]) == 0, "every socket of the cancelled transfers is closed")
    }

    @Test func thousandsInFlightAllComplete() async throws {
        let harness = try Harness()
        defer { harness.stop() }
        let count = 3_000
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<count {
                group.addTask {
                    let host = "127.4.\(index / 250).\(1 + index % 250)"
                    return try await harness.transport.perform(TransferRequest(url: harness.snapshot(host), operation: .http(method: "GET", body: nil, contentType: nil))).statusCode
                }
            }
            return try await group.reduce(into: [Int: Int]()) { $0[$1, default: 0] += 1 }
        }
        #expect(statuses == [200: count])
    }
}

