/// The camera a connection reached, as the loop decided on accept.
struct CameraContext {
    /// The destination address in host byte order: which camera this is.
    let address: UInt32
    let behaviour: CameraBehaviour
}

/// What the loop does once the bytes a responder wrote have been sent.
enum ResponseEnding: Equatable {
    /// Wait for the next request on the same connection.
    case keepOpen
    /// Close the connection.
    case close
    /// Keep sending a body forever, as fast as the client drains it.
    case streamForever(EndlessBody)
    /// Keep sending header lines, one byte every `dripMilliseconds`, forever.
    case drip
    /// Start sending the session's RTP, interleaved on the connection (after PLAY).
    case startMedia
    /// Stop sending RTP (after TEARDOWN); the connection stays open.
    case stopMedia
}

/// The repeating content of a body that never ends.
enum EndlessBody: Equatable {
    case jpegEntropy
    case sdpLines
    /// Header lines (`X-Filler: ...`), for replies whose head never ends.
    case headerLines
}

/// How often a `slowloris` camera sends its next byte.
let dripMilliseconds: Int64 = 100

extension OutputBuffer {
    /// Appends `127.1.2.3` without allocating.
    mutating func append(address: UInt32) {
        append(decimal: Int(address >> 24))
        append(UInt8(ascii: "."))
        append(decimal: Int(address >> 16 & 0xFF))
        append(UInt8(ascii: "."))
        append(decimal: Int(address >> 8 & 0xFF))
        append(UInt8(ascii: "."))
        append(decimal: Int(address & 0xFF))
    }

    /// Appends `Content-Length: n\r\n`.
    mutating func appendContentLength(_ length: Int) {
        append("Content-Length: ")
        append(decimal: length)
        appendLineEnd()
    }
}
