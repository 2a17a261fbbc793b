import CameraFleet
import Testing

/// The simulator's RTP after PLAY, read off the socket: interleaved frames, valid RTP, H.264 structure.
@Suite("RTSP: SETUP, PLAY and RTP")
struct RTPStreamingTests {
    struct Packet {
        var channel: UInt8
        var marker: Bool
        var payloadType: UInt8
        var sequence: UInt16
        var timestamp: UInt32
        var payload: [UInt8]
    }

    /// One interleaved frame: `$`, channel, 16-bit length, an RTP packet.
    static func readPacket(_ socket: TestSocket) throws -> Packet {
        let head = try socket.readExactly(4)
        #expect(head[0] == 0x24, "an interleaved frame starts with $")
        let body = try socket.readExactly(Int(head[2]) << 8 | Int(head[3]))
        #expect(body[0] == 0x80, "RTP version 2, no padding, extension or CSRCs")
        return Packet(channel: head[1], marker: body[1] & 0x80 != 0, payloadType: body[1] & 0x7F,
                      sequence: UInt16(body[2]) << 8 | UInt16(body[3]),
                      timestamp: body[4..<8].reduce(0) { $0 << 8 | UInt32($1) }, payload: Array(body[12...]))
    }

    /// SETUP and PLAY on one connection; returns the socket, RTP flowing when the camera sends it.
    static func play(_ fleet: RunningFleet, host: String) throws -> TestSocket {
        let url = "rtsp://\(host):\(fleet.rtspPort)/stream"
        let socket = try fleet.rtsp(host, receiveTimeoutMilliseconds: 2_000)
        try socket.send(Requests.rtsp("SETUP", url + "/trackID=0", cSeq: 1, headers: ["Transport: RTP/AVP/TCP;unicast;interleaved=0-1"]))
        let setup = try socket.readResponse()
        #expect(setup.statusCode == 200)
        #expect(setup.header("Transport") == "RTP/AVP/TCP;unicast;interleaved=0-1")
        let session = try #require(setup.header("Session"))
        try socket.send(Requests.rtsp("PLAY", url + "/", cSeq: 2, headers: ["Session: \(session.split(separator: ";")[0])"]))
        let play = try socket.readResponse()
        #expect(play.statusCode == 200)
        #expect(play.header("CSeq") == "2")
        #expect(play.header("Session") == session)
        return socket
    }

    @Test func healthyCameraStreamsH264WithAKeyframeFirst() throws {
        try withFleet { fleet throws in
            let socket = try Self.play(fleet, host: "127.0.9.1")
            let parameterSets = try Self.readPacket(socket)
            #expect(parameterSets.channel == 0 && parameterSets.payloadType == 96 && !parameterSets.marker)
            #expect(parameterSets.payload[0] == 24, "STAP-A")
            #expect(parameterSets.payload[3] & 0x1F == 7, "SPS first")
            let start = try Self.readPacket(socket)
            #expect(start.payload[0] & 0x1F == 28 && start.payload[1] == 0x85, "FU-A start of an IDR")
            let end = try Self.readPacket(socket)
            #expect(end.marker && end.payload[1] == 0x45, "FU-A end of the IDR, marker set")
            #expect(start.sequence == parameterSets.sequence &+ 1 && end.sequence == start.sequence &+ 1)
            #expect(parameterSets.timestamp == end.timestamp)
            var previous = end
            for _ in 0..<5 {
                let slice = try Self.readPacket(socket)
                #expect(slice.marker && slice.payload[0] & 0x1F == 1, "one non-IDR slice per frame")
                #expect(slice.timestamp &- previous.timestamp == 3_600, "25 fps on the 90 kHz clock")
                #expect(slice.sequence == previous.sequence &+ 1)
                previous = slice
            }
        }
    }

    @Test func noKeyframeCameraSendsParameterSetsButNoIDR() throws {
        try withCamera(.mediaNoKeyframe, at: "127.0.9.2") { fleet throws in
            let socket = try Self.play(fleet, host: "127.0.9.2")
            #expect(try Self.readPacket(socket).payload[0] == 24)
            for _ in 0..<5 {
                let packet = try Self.readPacket(socket)
                #expect(packet.payload[0] & 0x1F == 1)
            }
        }
    }

    @Test func lowFPSCameraAnnouncesMoreThanItSends() throws {
        try withCamera(.mediaLowFPS, at: "127.0.9.3") { fleet throws in
            let socket = try fleet.rtsp("127.0.9.3")
            try socket.send(Requests.rtsp("DESCRIBE", "rtsp://127.0.9.3/stream", cSeq: 1))
            #expect(try socket.readResponse().bodyText.contains("a=framerate:25\r\n"))
            let playing = try Self.play(fleet, host: "127.0.9.3")
            _ = try Self.readPacket(playing)
            _ = try Self.readPacket(playing)
            let first = try Self.readPacket(playing)
            let second = try Self.readPacket(playing)
            #expect(second.timestamp &- first.timestamp == 18_000, "5 fps")
        }
    }

    @Test func otherChannelCameraNamesChannelTenAndSendsOnIt() throws {
        try withCamera(.mediaOtherChannel, at: "127.0.9.6") { fleet throws in
            let socket = try fleet.rtsp("127.0.9.6", receiveTimeoutMilliseconds: 2_000)
            try socket.send(Requests.rtsp("SETUP", "rtsp://127.0.9.6/stream/trackID=0", cSeq: 1,
                                          headers: ["Transport: RTP/AVP/TCP;unicast;interleaved=0-1"]))
            let setup = try socket.readResponse()
            #expect(setup.header("Transport") == "RTP/AVP/TCP;unicast;interleaved=10-11")
            try socket.send(Requests.rtsp("PLAY", "rtsp://127.0.9.6/stream/", cSeq: 2))
            #expect(try socket.readResponse().statusCode == 200)
            #expect(try Self.readPacket(socket).channel == 10)
        }
    }

    @Test func silentCameraAnswersPlayAndSendsNothingTillTeardown() throws {
        try withCamera(.mediaNone, at: "127.0.9.4") { fleet throws in
            let socket = try Self.play(fleet, host: "127.0.9.4")
            try socket.send(Requests.rtsp("TEARDOWN", "rtsp://127.0.9.4/stream/", cSeq: 3))
            // The next bytes are TEARDOWN's reply: no RTP came before it.
            let teardown = try socket.readResponse()
            #expect(teardown.statusCode == 200 && teardown.header("CSeq") == "3")
        }
    }

    @Test func stallingCameraStopsAfterFiveFrames() throws {
        try withCamera(.mediaStall, at: "127.0.9.5") { fleet throws in
            let socket = try Self.play(fleet, host: "127.0.9.5")
            var frames = 0
            while frames < 5 {
                if try Self.readPacket(socket).marker { frames += 1 }
            }
            try socket.send(Requests.rtsp("TEARDOWN", "rtsp://127.0.9.5/stream/", cSeq: 3))
            #expect(try socket.readResponse().statusCode == 200, "nothing after the fifth frame but TEARDOWN's reply")
        }
    }
}
