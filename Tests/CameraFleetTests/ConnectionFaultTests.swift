import CameraFleet
import Glibc
import Testing

/// Faults that act on the connection rather than the content, alike on both ports.
@Suite("Connection faults on HTTP and RTSP")
struct ConnectionFaultTests {
    enum Port: String, CaseIterable, Sendable {
        case http
        case rtsp

        func connect(_ fleet: RunningFleet, _ host: String, receiveTimeoutMilliseconds: Int = 5000) throws -> TestSocket {
            switch self {
            case .http: try fleet.http(host, receiveTimeoutMilliseconds: receiveTimeoutMilliseconds)
            case .rtsp: try fleet.rtsp(host, receiveTimeoutMilliseconds: receiveTimeoutMilliseconds)
            }
        }

        func request(_ host: String) -> String {
            switch self {
            case .http: Requests.http("GET", "/snapshot.jpg", host: host)
            case .rtsp: Requests.rtsp("OPTIONS", "rtsp://\(host)/stream", cSeq: 1)
            }
        }
    }

    @Test(arguments: Port.allCases)
    func blackholeNeverAnswers(port: Port) throws {
        try withCamera(.blackhole, at: "127.0.5.1") { fleet throws in
            let socket = try port.connect(fleet, "127.0.5.1", receiveTimeoutMilliseconds: 300)
            try socket.send(port.request("127.0.5.1"))
            // The timeout is the assertion: nothing, not even a close, arrives.
            #expect(socket.readSome() == .timedOut)
            // The neighbour still answers, so the loop is not stuck.
            let neighbour = try port.connect(fleet, "127.0.5.2")
            try neighbour.send(port.request("127.0.5.2"))
            #expect(try neighbour.readResponse().statusCode == 200)
            #expect(socket.readSome() == .timedOut)
            #expect(fleet.fleet.statistics().openConnectionsByAddress[0x7F00_0501] == 1)
        }
    }

    @Test(arguments: Port.allCases)
    func resetDropsTheConnection(port: Port) throws {
        try withCamera(.reset, at: "127.0.5.3") { fleet throws in
            let socket = try port.connect(fleet, "127.0.5.3")
            // The RST may already be there when this write happens; then the write itself fails.
            try? socket.send(port.request("127.0.5.3"))
            let outcome = socket.readSome()
            #expect(outcome == .reset || outcome == .endOfStream)
        }
    }

    @Test(arguments: Port.allCases)
    func garbageAnswersNoiseThenCloses(port: Port) throws {
        try withCamera(.garbage, at: "127.0.5.4") { fleet throws in
            let socket = try port.connect(fleet, "127.0.5.4")
            try socket.send(port.request("127.0.5.4"))
            let (bytes, ending) = socket.readToEnd()
            #expect(ending == .endOfStream)
            #expect((150...300).contains(bytes.count))
            let start = String(decoding: bytes.prefix(5), as: UTF8.self)
            #expect(start != "HTTP/" && start != "RTSP/")
        }
    }

    @Test func malformedRequestGets400AndClose() throws {
        try withFleet { fleet throws in
            let socket = try fleet.http("127.0.5.5")
            try socket.send("NONSENSE\r\n\r\n")
            #expect(try socket.readResponse().statusCode == 400)
            #expect(socket.readToEnd().ending == .endOfStream)
        }
    }
}
