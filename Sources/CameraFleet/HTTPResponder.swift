/// Answers HTTP requests the way a camera's web server would: JPEG snapshots, HLS playlists and
/// segments, and the ONVIF clock, bent by the camera's behaviour.
struct HTTPResponder {
    let assets: Assets
    let authenticator: Authenticator
    /// The fleet's ports, for the Location of redirecting cameras (set once the listeners are bound).
    var ports: (http: UInt16, rtsp: UInt16) = (0, 0)
    /// Stamped into every live snapshot, so that consecutive snapshots differ as a live image would.
    private var frameCounter: UInt64 = 0
    /// Scratch space for bodies whose length is only known once they are written (ONVIF, playlists).
    private var body = OutputBuffer(capacity: 2048)

    init(assets: Assets, authenticator: Authenticator) {
        self.assets = assets
        self.authenticator = authenticator
    }

    /// Writes the complete response (head and body) to `request` into `output`.
    mutating func respond(
        to request: Request, camera: CameraContext, clock: inout WallClock, into output: inout OutputBuffer
    ) -> ResponseEnding {
        let behaviour = camera.behaviour
        let skew = behaviour.clockOffsetSeconds
        switch behaviour {
        case .garbage:
            output.append(contentsOf: assets.garbage)
            return .close
        case .endlessBody:
            // No Content-Length: the body ends when the connection does, which here is never.
            writeHead("200 OK", contentType: "image/jpeg", contentLength: nil, connection: .close, skew: skew, clock: &clock, into: &output)
            output.append(contentsOf: assets.endlessJPEGHead)
            return .streamForever(.jpegEntropy)
        case .serverError:
            return writeText("503 Service Unavailable", "Service Unavailable\n", request, skew: skew, clock: &clock, into: &output)
        case .endlessHeaders, .slowloris:
            output.append("HTTP/1.1 200 OK\r\n")
            return behaviour == .slowloris ? .drip : .streamForever(.headerLines)
        case .hugeContentLength:
            writeHead("200 OK", contentType: "image/jpeg", contentLength: 1 << 30, connection: .close, skew: skew, clock: &clock, into: &output)
            output.append(contentsOf: assets.endlessJPEGHead)
            return .streamForever(.jpegEntropy)
        default:
            break
        }

        let path = request.path
        let isHead = request.equals(request.method, "HEAD")
        let isGet = isHead || request.equals(request.method, "GET")
        let isPost = request.equals(request.method, "POST")

        // ONVIF lets anyone read the clock (GetSystemDateAndTime is a pre-authentication call), so that
        // clients can fix their clocks before they sign WS-Security tokens.
        if isPost, request.contains(path, "onvif"), request.contains(request.body, "GetSystemDateAndTime") {
            return writeSystemDateAndTime(request, skew: skew, clock: &clock, into: &output)
        }
        if let challenge = missingCredentialsChallenge(request, behaviour: behaviour) {
            return writeText("401 Unauthorized", "Unauthorized\n", request, extraHeaders: challenge, skew: skew, clock: &clock, into: &output)
        }
        if isPost, request.contains(path, "onvif") {
            return writeSOAPFault(request, skew: skew, clock: &clock, into: &output)
        }
        guard isGet else {
            return writeText("405 Method Not Allowed", "Method Not Allowed\n", request, extraHeaders: Self.allowHeader, skew: skew, clock: &clock, into: &output)
        }
        if let location = redirectLocation(request, camera: camera) {
            return writeText("302 Found", "Found\n", request, extraHeaders: location, skew: skew, clock: &clock, into: &output)
        }

        if request.hasSuffixIgnoringCase(path, ".jpg") || request.hasSuffixIgnoringCase(path, ".jpeg") {
            return writeSnapshot(request, behaviour: behaviour, withBody: !isHead, clock: &clock, into: &output)
        }
        if request.hasSuffixIgnoringCase(path, ".m3u8") {
            return writePlaylist(request, behaviour: behaviour, master: request.hasSuffixIgnoringCase(path, "master.m3u8"), withBody: !isHead, clock: &clock, into: &output)
        }
        if request.hasSuffixIgnoringCase(path, ".ts") {
            return writeBody(assets.transportStreamSegment[...], contentType: "video/mp2t", request, withBody: !isHead, skew: skew, clock: &clock, into: &output)
        }
        return writeText("404 Not Found", "Not Found\n", request, skew: skew, clock: &clock, into: &output)
    }

    private static let allowHeader = Array("Allow: GET, HEAD, POST\r\n".utf8)

    /// The `Location:` header line of a redirecting camera's answer, or nil when it answers normally.
    private func redirectLocation(_ request: Request, camera: CameraContext) -> [UInt8]? {
        var line = OutputBuffer(capacity: 256)
        line.append("Location: ")
        switch camera.behaviour {
        case .redirectToRefusedScheme:
            line.append("rtsp://")
            line.append(address: camera.address)
            line.append(UInt8(ascii: ":"))
            line.append(decimal: Int(ports.rtsp))
            line.append("/stream")
        case .redirectToAnotherHost:
            line.append("http://")
            line.append(address: camera.address &+ 1)
            line.append(UInt8(ascii: ":"))
            line.append(decimal: Int(ports.http))
            line.append(string: request.string(request.path))
        case .redirectOnSameHost:
            guard !request.hasPrefixIgnoringCase(request.path, "/moved/") else { return nil }
            line.append("/moved")
            line.append(string: request.string(request.path))
        default:
            return nil
        }
        line.appendLineEnd()
        return line.bytes
    }

    /// The challenge header to send, or nil when the camera needs no credentials or got valid ones.
    private func missingCredentialsChallenge(_ request: Request, behaviour: CameraBehaviour) -> [UInt8]? {
        switch behaviour {
        case .authBasic: authenticator.acceptsBasic(request) ? nil : authenticator.basicChallenge
        case .authDigest: authenticator.acceptsDigest(request) ? nil : authenticator.digestChallenge
        default: nil
        }
    }

    // MARK: Routes

    private mutating func writeSnapshot(
        _ request: Request, behaviour: CameraBehaviour, withBody: Bool, clock: inout WallClock, into output: inout OutputBuffer
    ) -> ResponseEnding {
        let skew = behaviour.clockOffsetSeconds
        switch behaviour {
        case .rtspNotFound:
            return writeText("404 Not Found", "Not Found\n", request, skew: skew, clock: &clock, into: &output)
        case .htmlInsteadOfJPEG:
            return writeBody(assets.html[...], contentType: "text/html; charset=utf-8", request, withBody: withBody, skew: skew, clock: &clock, into: &output)
        case .truncatedJPEG:
            return writeBody(assets.truncatedJPEG, contentType: "image/jpeg", request, withBody: withBody, skew: skew, clock: &clock, into: &output)
        case .frozen:
            return writeBody(assets.live.whole[...], contentType: "image/jpeg", request, withBody: withBody, skew: skew, clock: &clock, into: &output)
        case .largeSnapshot:
            return writeBody(assets.largeJPEG[...], contentType: "image/jpeg", request, withBody: withBody, skew: skew, clock: &clock, into: &output)
        default:
            break
        }
        var snapshot = assets.live
        if case .picture(let name) = behaviour, let picture = assets.pictures[name] { snapshot = picture }
        let ending = ending(for: request)
        writeHead("200 OK", contentType: "image/jpeg", contentLength: snapshot.liveLength, connection: connectionHeader(request, ending), skew: skew, clock: &clock, into: &output)
        guard withBody else { return ending }
        frameCounter &+= 1
        output.append(contentsOf: snapshot.prefix)
        // COM segment: marker, then a big-endian length that counts its own two bytes and the text.
        let commentLength = 2 + Assets.frameCommentPrefix.utf8CodeUnitCount + Assets.frameDigits
        output.append(0xFF)
        output.append(0xFE)
        output.append(UInt8(commentLength >> 8))
        output.append(UInt8(commentLength & 0xFF))
        output.append(Assets.frameCommentPrefix)
        output.append(decimal: Int(truncatingIfNeeded: frameCounter & 0x7FFF_FFFF_FFFF_FFFF), width: Assets.frameDigits)
        output.append(contentsOf: snapshot.suffix)
        return ending
    }

    private mutating func writePlaylist(
        _ request: Request, behaviour: CameraBehaviour, master: Bool, withBody: Bool, clock: inout WallClock, into output: inout OutputBuffer
    ) -> ResponseEnding {
        let skew = behaviour.clockOffsetSeconds
        body.reset()
        if behaviour == .badPlaylist {
            body.append(contentsOf: assets.badPlaylist)
        } else if master {
            HLS.writeMasterPlaylist(into: &body)
        } else {
            // A live camera's window slides every segment duration; a frozen one's never moves.
            let sequence = behaviour == .frozen ? 0 : (clock.now() + skew) / HLS.segmentSeconds
            HLS.writeMediaPlaylist(mediaSequence: sequence, into: &body)
        }
        return writeBody(body.bytes[...], contentType: "application/vnd.apple.mpegurl", request, withBody: withBody, skew: skew, clock: &clock, into: &output)
    }

    private mutating func writeSystemDateAndTime(
        _ request: Request, skew: Int, clock: inout WallClock, into output: inout OutputBuffer
    ) -> ResponseEnding {
        body.reset()
        ONVIF.writeSystemDateAndTime(UTCTime(secondsSinceEpoch: clock.now() + skew), into: &body)
        return writeBody(body.bytes[...], contentType: "application/soap+xml; charset=utf-8", request, withBody: true, skew: skew, clock: &clock, into: &output)
    }

    private mutating func writeSOAPFault(_ request: Request, skew: Int, clock: inout WallClock, into output: inout OutputBuffer) -> ResponseEnding {
        body.reset()
        ONVIF.writeActionNotSupportedFault(into: &body)
        let ending = ending(for: request)
        writeHead("400 Bad Request", contentType: "application/soap+xml; charset=utf-8", contentLength: body.count, connection: connectionHeader(request, ending), skew: skew, clock: &clock, into: &output)
        output.append(contentsOf: body.bytes)
        return ending
    }

    // MARK: Writing

    private func ending(for request: Request) -> ResponseEnding {
        request.wantsClose ? .close : .keepOpen
    }

    /// The `Connection:` header a response needs: HTTP/1.1 keeps connections open unless told otherwise,
    /// HTTP/1.0 closes them unless told otherwise.
    private enum ConnectionHeader {
        case none, close, keepAlive
    }

    private func connectionHeader(_ request: Request, _ ending: ResponseEnding) -> ConnectionHeader {
        if ending == .close { return .close }
        return request.equals(request.version, "HTTP/1.0") ? .keepAlive : .none
    }

    private func writeBody(
        _ content: ArraySlice<UInt8>, contentType: StaticString, _ request: Request, withBody: Bool, skew: Int,
        clock: inout WallClock, into output: inout OutputBuffer
    ) -> ResponseEnding {
        let ending = ending(for: request)
        writeHead("200 OK", contentType: contentType, contentLength: content.count, connection: connectionHeader(request, ending), skew: skew, clock: &clock, into: &output)
        if withBody { output.append(contentsOf: content) }
        return ending
    }

    /// A plain-text response with the given status; always carries its body (only error statuses use it).
    private func writeText(
        _ status: StaticString, _ text: StaticString, _ request: Request, extraHeaders: [UInt8] = [], skew: Int,
        clock: inout WallClock, into output: inout OutputBuffer
    ) -> ResponseEnding {
        let ending = ending(for: request)
        writeHead(status, contentType: "text/plain; charset=utf-8", contentLength: text.utf8CodeUnitCount, connection: connectionHeader(request, ending), extraHeaders: extraHeaders, skew: skew, clock: &clock, into: &output)
        if !request.equals(request.method, "HEAD") { output.append(text) }
        return ending
    }

    private func writeHead(
        _ status: StaticString, contentType: StaticString, contentLength: Int?, connection: ConnectionHeader, extraHeaders: [UInt8] = [],
        skew: Int, clock: inout WallClock, into output: inout OutputBuffer
    ) {
        output.append("HTTP/1.1 ")
        output.append(status)
        output.appendLineEnd()
        clock.appendDateHeader(offsetSeconds: skew, to: &output)
        output.append("Server: camera-fleet\r\nCache-Control: no-cache\r\nContent-Type: ")
        output.append(contentType)
        output.appendLineEnd()
        if let contentLength { output.appendContentLength(contentLength) }
        switch connection {
        case .none: break
        case .close: output.append("Connection: close\r\n")
        case .keepAlive: output.append("Connection: keep-alive\r\n")
        }
        output.append(contentsOf: extraHeaders)
        output.appendLineEnd()
    }
}
