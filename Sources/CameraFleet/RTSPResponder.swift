/// Answers RTSP/1.0 requests (RFC 2326) the way a camera's stream server would, as far as a prober goes:
/// OPTIONS and DESCRIBE. Connections stay open between requests, as clients send OPTIONS then DESCRIBE
/// on one connection.
struct RTSPResponder {
    let assets: Assets
    let authenticator: Authenticator
    /// Scratch space for the SDP, whose length must be known before the head is written.
    private var body = OutputBuffer(capacity: 1024)

    init(assets: Assets, authenticator: Authenticator) {
        self.assets = assets
        self.authenticator = authenticator
    }

    /// Writes the complete response to `request` into `output`.
    mutating func respond(
        to request: Request, camera: CameraContext, clock: inout WallClock, into output: inout OutputBuffer
    ) -> ResponseEnding {
        let behaviour = camera.behaviour
        if behaviour == .garbage {
            output.append(contentsOf: assets.garbage)
            return .close
        }
        guard let cSeq = request.cSeq else {
            // RFC 2326 12.17: CSeq is mandatory; without it there is nothing to echo.
            output.append("RTSP/1.0 400 Bad Request\r\n")
            clock.appendDateHeader(offsetSeconds: behaviour.clockOffsetSeconds, to: &output)
            output.appendLineEnd()
            return .close
        }
        let reply = Reply(request: request, cSeq: cSeq, behaviour: behaviour)
        if behaviour == .endlessHeaders || behaviour == .slowloris {
            reply.writeHead("200 OK", clock: &clock, into: &output)
            return behaviour == .slowloris ? .drip : .streamForever(.headerLines)
        }

        if behaviour == .serverError {
            reply.writeHead("503 Service Unavailable", clock: &clock, into: &output)
            output.appendLineEnd()
            return .keepOpen
        }
        if request.equals(request.method, "OPTIONS") {
            // Cameras answer OPTIONS without credentials; clients learn of authentication from DESCRIBE.
            reply.writeHead("200 OK", clock: &clock, into: &output)
            output.append("Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n")
            return .keepOpen
        }
        if let challenge = missingCredentialsChallenge(request, behaviour: behaviour) {
            reply.writeHead("401 Unauthorized", clock: &clock, into: &output)
            output.append(contentsOf: challenge)
            output.appendLineEnd()
            return .keepOpen
        }
        if request.equals(request.method, "DESCRIBE") {
            return writeDescription(reply, camera: camera, clock: &clock, into: &output)
        }
        if request.equals(request.method, "SETUP") {
            // RTP interleaved on the RTSP connection, whatever the client asked for (cameras do the same).
            reply.writeHead("200 OK", clock: &clock, into: &output)
            output.append(camera.behaviour == .mediaOtherChannel ? "Transport: RTP/AVP/TCP;unicast;interleaved=10-11\r\n"
                              : "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n")
            reply.writeSession(camera: camera, into: &output)
            output.appendLineEnd()
            return .keepOpen
        }
        if request.equals(request.method, "PLAY") {
            reply.writeHead("200 OK", clock: &clock, into: &output)
            reply.writeSession(camera: camera, into: &output)
            output.append("Range: npt=0.000-\r\n\r\n")
            return .startMedia
        }
        let status: StaticString =
            if request.equals(request.method, "TEARDOWN") || request.equals(request.method, "GET_PARAMETER") {
                "200 OK"
            } else {
                "501 Not Implemented"
            }
        reply.writeHead(status, clock: &clock, into: &output)
        if request.equals(request.method, "TEARDOWN") { reply.writeSession(camera: camera, into: &output) }
        output.appendLineEnd()
        return request.equals(request.method, "TEARDOWN") ? .stopMedia : .keepOpen
    }

    private func missingCredentialsChallenge(_ request: Request, behaviour: CameraBehaviour) -> [UInt8]? {
        switch behaviour {
        case .authBasic: authenticator.acceptsBasic(request) ? nil : authenticator.basicChallenge
        case .authDigest: authenticator.acceptsDigest(request) ? nil : authenticator.digestChallenge
        default: nil
        }
    }

    private mutating func writeDescription(
        _ reply: Reply, camera: CameraContext, clock: inout WallClock, into output: inout OutputBuffer
    ) -> ResponseEnding {
        switch camera.behaviour {
        case .rtspNotFound:
            reply.writeHead("404 Not Found", clock: &clock, into: &output)
            output.appendLineEnd()
            return .keepOpen
        case .endlessBody, .hugeContentLength:
            // RTSP has no close-delimited bodies (a missing Content-Length means none), so an endless
            // description announces a length no client reaches: libcurl drains 2 GiB over loopback in
            // about a second, 10^15 bytes take days. `huge-length` announces 1 GiB, which a client can refuse
            // from the header alone.
            reply.writeHead("200 OK", clock: &clock, into: &output)
            reply.writeContentBase(into: &output)
            output.append("Content-Type: application/sdp\r\nContent-Length: ")
            output.append(camera.behaviour == .endlessBody ? "999999999999999" : "1073741824")
            output.append("\r\n\r\n")
            SDP.write(address: camera.address, video: true, announcedFrameRate: nil, into: &output)
            return .streamForever(.sdpLines)
        default:
            break
        }
        // The SDP's length depends on the address text, so write it first and measure it.
        body.reset()
        SDP.write(address: camera.address, video: camera.behaviour != .sdpWithoutVideo,
                  announcedFrameRate: camera.behaviour == .mediaLowFPS ? MediaStream.framesPerSecond : nil, into: &body)
        reply.writeHead("200 OK", clock: &clock, into: &output)
        reply.writeContentBase(into: &output)
        output.append("Content-Type: application/sdp\r\n")
        output.appendContentLength(body.count)
        output.appendLineEnd()
        output.append(contentsOf: body.bytes)
        return .keepOpen
    }

    /// The parts every reply to one request shares.
    private struct Reply {
        let request: Request
        let cSeq: Range<Int>
        let behaviour: CameraBehaviour

        /// Status line, CSeq (echoed, or shifted by 1000 for `bad-cseq`), Date and Server.
        func writeHead(_ status: StaticString, clock: inout WallClock, into output: inout OutputBuffer) {
            output.append("RTSP/1.0 ")
            output.append(status)
            output.append("\r\nCSeq: ")
            if behaviour == .badCSeq {
                output.append(decimal: (request.decimal(cSeq) ?? 0) + 1000)
            } else {
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: request.bytes[cSeq]))
            }
            output.appendLineEnd()
            clock.appendDateHeader(offsetSeconds: behaviour.clockOffsetSeconds, to: &output)
            output.append("Server: camera-fleet\r\n")
        }

        /// `Session:` the camera's one session id (its address in hex), which SETUP creates and the rest name.
        func writeSession(camera: CameraContext, into output: inout OutputBuffer) {
            output.append("Session: ")
            for shift in stride(from: 24, through: 0, by: -8) { output.append(hexByte: UInt8(camera.address >> UInt32(shift) & 0xFF)) }
            output.append(";timeout=60\r\n")
        }

        /// `Content-Base:` the request URL with a trailing slash, against which track controls resolve.
        func writeContentBase(into output: inout OutputBuffer) {
            output.append("Content-Base: ")
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: request.bytes[request.target]))
            if request.bytes[request.target.upperBound - 1] != UInt8(ascii: "/") { output.append(UInt8(ascii: "/")) }
            output.appendLineEnd()
        }
    }
}

/// Session descriptions (RFC 4566) of a camera's stream.
enum SDP {
    /// An H.264 video track (unless `video` is false), with `a=framerate` when one is given, and a G.711
    /// A-law audio track.
    static func write(address: UInt32, video: Bool, announcedFrameRate: Int?, into output: inout OutputBuffer) {
        output.append("v=0\r\no=- 1 1 IN IP4 ")
        output.append(address: address)
        output.append("\r\ns=camera-fleet\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\na=control:*\r\na=range:npt=0-\r\n")
        if video {
            output.append("""
                m=video 0 RTP/AVP 96\r
                a=rtpmap:96 H264/90000\r
                a=fmtp:96 packetization-mode=1;profile-level-id=42C01E\r
                a=control:trackID=0\r

                """)
            if let announcedFrameRate {
                output.append("a=framerate:")
                output.append(decimal: announcedFrameRate)
                output.appendLineEnd()
            }
        }
        output.append("m=audio 0 RTP/AVP 97\r\na=rtpmap:97 PCMA/8000\r\na=control:trackID=1\r\n")
    }
}
