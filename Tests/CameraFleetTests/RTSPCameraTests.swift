import CameraFleet
import Foundation  // components(separatedBy:) in assertions
import Testing

@Suite("RTSP: OPTIONS and DESCRIBE")
struct RTSPCameraTests {
    @Test func healthyOptionsThenDescribeOnOneConnection() throws {
        try withFleet { fleet throws in
            let url = "rtsp://127.0.3.1:\(fleet.rtspPort)/stream"
            let socket = try fleet.rtsp("127.0.3.1")
            try socket.send(Requests.rtsp("OPTIONS", url, cSeq: 7))
            let options = try socket.readResponse()
            #expect(options.statusLine == "RTSP/1.0 200 OK")
            #expect(options.header("CSeq") == "7")
            #expect(options.header("Public") == "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN")
            let date = try #require(options.header("Date").flatMap(secondsSinceEpoch(httpDate:)))
            #expect(abs(date - nowSeconds()) <= 5)

            try socket.send(Requests.rtsp("DESCRIBE", url, cSeq: 8, headers: ["Accept: application/sdp"]))
            let describe = try socket.readResponse()
            #expect(describe.statusCode == 200)
            #expect(describe.header("CSeq") == "8")
            #expect(describe.header("Content-Type") == "application/sdp")
            #expect(describe.header("Content-Base") == url + "/")
            #expect(describe.header("Content-Length") == String(describe.body.count))
            let sdp = describe.bodyText.components(separatedBy: "\r\n")
            #expect(sdp.first == "v=0")
            for line in ["m=video 0 RTP/AVP 96", "a=rtpmap:96 H264/90000", "a=control:trackID=0",
                         "m=audio 0 RTP/AVP 97", "a=rtpmap:97 PCMA/8000"] {
                #expect(sdp.contains(line), "\(line)")
            }
            #expect(sdp.contains { $0.hasPrefix("o=") && $0.hasSuffix("IN IP4 127.0.3.1") })

            // Still open for more.
            try socket.send(Requests.rtsp("TEARDOWN", url, cSeq: 9))
            #expect(try socket.readResponse().header("CSeq") == "9")
        }
    }

    @Test func sdpWithoutVideo() throws {
        try withCamera(.sdpWithoutVideo, at: "127.0.3.2") { fleet throws in
            let describe = try describe(fleet, host: "127.0.3.2")
            #expect(describe.statusCode == 200)
            #expect(!describe.bodyText.contains("m=video"))
            #expect(describe.bodyText.contains("m=audio 0 RTP/AVP 97"))
        }
    }

    @Test func notFoundOnDescribeOnly() throws {
        try withCamera(.rtspNotFound, at: "127.0.3.3") { fleet throws in
            let socket = try fleet.rtsp("127.0.3.3")
            try socket.send(Requests.rtsp("OPTIONS", "rtsp://127.0.3.3/stream", cSeq: 1))
            #expect(try socket.readResponse().statusCode == 200)
            try socket.send(Requests.rtsp("DESCRIBE", "rtsp://127.0.3.3/stream", cSeq: 2))
            let describe = try socket.readResponse()
            #expect(describe.statusLine == "RTSP/1.0 404 Not Found")
            #expect(describe.header("CSeq") == "2")
        }
    }

    @Test func badCSeqAddsAThousand() throws {
        try withCamera(.badCSeq, at: "127.0.3.4") { fleet throws in
            let socket = try fleet.rtsp("127.0.3.4")
            try socket.send(Requests.rtsp("OPTIONS", "rtsp://127.0.3.4/stream", cSeq: 1))
            #expect(try socket.readResponse().header("CSeq") == "1001")
            try socket.send(Requests.rtsp("DESCRIBE", "rtsp://127.0.3.4/stream", cSeq: 2))
            #expect(try socket.readResponse().header("CSeq") == "1002")
        }
    }

    @Test func serverError() throws {
        try withCamera(.serverError, at: "127.0.3.5") { fleet throws in
            let socket = try fleet.rtsp("127.0.3.5")
            try socket.send(Requests.rtsp("OPTIONS", "rtsp://127.0.3.5/stream", cSeq: 3))
            let response = try socket.readResponse()
            #expect(response.statusLine == "RTSP/1.0 503 Service Unavailable")
            #expect(response.header("CSeq") == "3")
        }
    }

    @Test func clockSkew() throws {
        try withCamera(.clockSkew(seconds: -7200), at: "127.0.3.6") { fleet throws in
            let response = try describe(fleet, host: "127.0.3.6")
            let date = try #require(response.header("Date").flatMap(secondsSinceEpoch(httpDate:)))
            #expect(abs(date + 7200 - nowSeconds()) <= 5)
        }
    }

    @Test func endlessDescribe() throws {
        try withCamera(.endlessBody, at: "127.0.3.7") { fleet throws in
            let socket = try fleet.rtsp("127.0.3.7")
            try socket.send(Requests.rtsp("DESCRIBE", "rtsp://127.0.3.7/stream", cSeq: 1))
            let head = try socket.readResponse(expectBody: false)
            #expect(head.statusCode == 200)
            let announced = try #require(head.header("Content-Length").flatMap(Int.init))
            #expect(announced >= 1 << 48, "more than any client drains before its timeout")
            let body = try socket.readExactly(2 * 1024 * 1024)
            #expect(String(decoding: body.prefix(5), as: UTF8.self) == "v=0\r\n")
        }
    }

    @Test func slow() throws {
        try withCamera(.slow(milliseconds: 200), at: "127.0.3.8") { fleet throws in
            let socket = try fleet.rtsp("127.0.3.8")
            let started = ContinuousClock.now
            // Pipelined: each request waits its own delay.
            try socket.send(Requests.rtsp("OPTIONS", "rtsp://127.0.3.8/stream", cSeq: 1)
                + Requests.rtsp("DESCRIBE", "rtsp://127.0.3.8/stream", cSeq: 2))
            #expect(try socket.readResponse().header("CSeq") == "1")
            #expect(try socket.readResponse().header("CSeq") == "2")
            #expect(ContinuousClock.now - started >= .milliseconds(400))
        }
    }

    @Test(arguments: [CameraBehaviour.authBasic, .authDigest])
    func authentication(behaviour: CameraBehaviour) throws {
        try withCamera(behaviour, at: "127.0.3.9") { fleet throws in
            let url = "rtsp://127.0.3.9:\(fleet.rtspPort)/stream"
            let socket = try fleet.rtsp("127.0.3.9")
            try socket.send(Requests.rtsp("OPTIONS", url, cSeq: 1))
            #expect(try socket.readResponse().statusCode == 200)
            try socket.send(Requests.rtsp("DESCRIBE", url, cSeq: 2))
            let challenge = try socket.readResponse()
            #expect(challenge.statusCode == 401)
            #expect(challenge.header("CSeq") == "2")
            let header = try #require(challenge.header("WWW-Authenticate"))

            func credentials(password: String) -> String {
                if behaviour == .authBasic {
                    let token = password == "fleet" ? "YWRtaW46ZmxlZXQ=" : "YWRtaW46Z3Vlc3M="
                    return "Authorization: Basic \(token)"
                }
                let nonce = HTTPDigest.parameters(header)?["nonce"] ?? ""
                let response = HTTPDigest.response(
                    username: "admin", realm: "fleet", password: password, method: "DESCRIBE", uri: url,
                    nonce: nonce, qop: "auth", nonceCount: "00000001", clientNonce: "feed")
                return #"Authorization: Digest username="admin", realm="fleet", nonce="\#(nonce)", uri="\#(url)", "#
                    + #"response="\#(response)", qop=auth, nc=00000001, cnonce="feed""#
            }
            try socket.send(Requests.rtsp("DESCRIBE", url, cSeq: 3, headers: [credentials(password: "guess")]))
            #expect(try socket.readResponse().statusCode == 401)
            try socket.send(Requests.rtsp("DESCRIBE", url, cSeq: 4, headers: [credentials(password: "fleet")]))
            let accepted = try socket.readResponse()
            #expect(accepted.statusCode == 200)
            #expect(accepted.bodyText.contains("m=video 0 RTP/AVP 96"))
        }
    }

    @Test func requestWithoutCSeqIsRefused() throws {
        try withFleet { fleet throws in
            let socket = try fleet.rtsp("127.0.3.10")
            try socket.send("OPTIONS rtsp://127.0.3.10/stream RTSP/1.0\r\n\r\n")
            #expect(try socket.readResponse().statusCode == 400)
        }
    }

    private func describe(_ fleet: RunningFleet, host: String) throws -> TestResponse {
        let socket = try fleet.rtsp(host)
        try socket.send(Requests.rtsp("DESCRIBE", "rtsp://\(host):\(fleet.rtspPort)/stream", cSeq: 1))
        return try socket.readResponse()
    }
}
