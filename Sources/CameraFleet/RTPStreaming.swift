import Glibc

/// The RTP a simulated camera sends after PLAY, interleaved on the RTSP connection (RFC 2326 10.12):
/// synthetic H.264 (RFC 6184) at 25 fps, a keyframe every 50 frames and first, each keyframe after SPS and
/// PPS in one STAP-A and split in two FU-A fragments, other frames one small slice each. The pictures decode
/// to nothing; the structure is what a receiver judges. One per streaming connection; loop thread only.
struct MediaStream {
    static let framesPerSecond = 25
    static let keyframeInterval = 50
    /// Frames a `media-stall` camera sends before it stops.
    static let stallAfterFrames = 5
    /// What a `media-low-fps` camera really sends.
    static let lowFramesPerSecond = 5
    /// The RTP channel a `media-channel` camera's SETUP names.
    static let otherChannel: UInt8 = 10
    /// A 640x360 baseline SPS as x264 writes it (with an emulation-prevention byte), and a PPS.
    static let sequenceParameterSet: [UInt8] = [0x67, 0x42, 0xC0, 0x1E, 0xDA, 0x02, 0x80, 0xBF, 0xE5, 0xC0, 0x5A, 0x83, 0x03, 0x03,
                                                0x52, 0x80, 0x00, 0x00, 0x03, 0x00, 0x80, 0x00, 0x00, 0x19, 0x47, 0x8B, 0x17, 0x50]
    static let pictureParameterSet: [UInt8] = [0x68, 0xCE, 0x3C, 0x80]
    static let keyframeFragmentBytes = 800
    static let sliceBytes = 300

    let behaviour: CameraBehaviour
    let synchronisationSource: UInt32
    var framesSent = 0
    var sequence: UInt16
    var timestamp: UInt32
    /// Monotonic milliseconds at which the next frame is due.
    var nextFrameAt: Int64
    /// A frame timer is in the loop's queue for this connection.
    var timerArmed = false

    init(camera: CameraContext, now: Int64) {
        behaviour = camera.behaviour
        synchronisationSource = camera.address
        // Like a camera, start from numbers that differ per camera and wrap soon.
        sequence = UInt16(truncatingIfNeeded: camera.address &* 2_654_435_761 >> 16) | 0xFF00
        timestamp = camera.address &* 40_503 | 0xFFF0_0000
        nextFrameAt = now
    }

    var framesPerSecondSent: Int { behaviour == .mediaLowFPS ? Self.lowFramesPerSecond : Self.framesPerSecond }

    /// Whether the stream has stopped for good (`media-stall`).
    var hasStopped: Bool { behaviour == .mediaStall && framesSent >= Self.stallAfterFrames }

    /// Appends the next frame's packets and moves the stream on to the frame after it.
    mutating func appendNextFrame(into output: inout OutputBuffer) {
        let keyframe = framesSent % Self.keyframeInterval == 0
        if keyframe || (behaviour == .mediaNoKeyframe && framesSent == 0) {
            appendPacket(marker: false, into: &output) { payload in
                payload.append(24)
                for unit in [Self.sequenceParameterSet, Self.pictureParameterSet] {
                    payload.append(UInt8(unit.count >> 8))
                    payload.append(UInt8(unit.count & 0xFF))
                    payload.append(contentsOf: unit)
                }
            }
        }
        if keyframe && behaviour != .mediaNoKeyframe {
            // FU-A: indicator (NRI 3, type 28), then a header with start or end bit and type 5 (IDR).
            appendPacket(marker: false, payloadBytes: Self.keyframeFragmentBytes, into: &output) { $0.append(contentsOf: [0x7C, 0x85]) }
            appendPacket(marker: true, payloadBytes: Self.keyframeFragmentBytes, into: &output) { $0.append(contentsOf: [0x7C, 0x45]) }
        } else {
            appendPacket(marker: true, payloadBytes: Self.sliceBytes, into: &output) { $0.append(0x41) }
        }
        framesSent += 1
        timestamp &+= UInt32(90_000 / framesPerSecondSent)
        nextFrameAt += Int64(1_000 / framesPerSecondSent)
    }

    /// `$`, the channel (0, or 10 for `media-channel`), a 16-bit length, the 12-byte RTP header, then what `payload` writes, filled with
    /// zeros to `payloadBytes` when it wrote less.
    private mutating func appendPacket(marker: Bool, payloadBytes: Int = 0, into output: inout OutputBuffer,
                                       _ payload: (inout OutputBuffer) -> Void) {
        let start = output.count
        output.append(contentsOf: [0x24, behaviour == .mediaOtherChannel ? Self.otherChannel : 0, 0, 0])
        output.append(contentsOf: [0x80, (marker ? 0x80 : 0) | 96, UInt8(sequence >> 8), UInt8(sequence & 0xFF)])
        for value in [timestamp, synchronisationSource] {
            output.append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
        }
        payload(&output)
        let written = output.count - start - 16
        if written < payloadBytes { output.append(contentsOf: repeatElement(0, count: payloadBytes - written)) }
        output.setLength(of: start, to: output.count - start - 4)
        sequence &+= 1
    }
}

extension OutputBuffer {
    /// Writes an interleaved frame's 16-bit length into its header, which begins at `start`.
    fileprivate mutating func setLength(of start: Int, to length: Int) {
        overwrite(at: start + 2, UInt8(length >> 8))
        overwrite(at: start + 3, UInt8(length & 0xFF))
    }
}

extension EventLoop {
    /// Starts the stream PLAY asked for, with its first frame now; a `media-none` camera starts none.
    func startMedia(_ connection: Connection) {
        guard connection.camera.behaviour != .mediaNone, connection.media == nil, !connection.isClosed else { return }
        connection.media = MediaStream(camera: connection.camera, now: Sockets.monotonicMilliseconds())
        shared.recordMediaStarted()
        sendMediaFrame(connection)
    }

    /// Sends the frame that is due and arms the timer for the next. A client that has not taken the last
    /// bytes loses the frame, as it would from a camera; the connection is never blocked on.
    func sendMediaFrame(_ connection: Connection) {
        guard var media = connection.media, !connection.isClosed else { return }
        media.timerArmed = false
        guard !media.hasStopped else {
            connection.media = media
            return
        }
        mediaOutput.reset()
        media.appendNextFrame(into: &mediaOutput)
        var partial = false
        if !connection.hasPendingOutput {
            let sent = mediaOutput.withUnsafeBytes { Glibc.send(connection.descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                closeConnection(connection)
                return
            }
            if sent < mediaOutput.count {
                // The rest of a frame must follow before anything else on the connection.
                connection.outbound = Array(mediaOutput.bytes[max(sent, 0)...])
                connection.outboundSent = 0
                partial = true
            }
        }
        media.timerArmed = true
        timers.insert(.init(deadline: media.nextFrameAt, descriptor: connection.descriptor, serial: connection.serial))
        connection.media = media
        if partial { drive(connection, canRead: false, readUntilDrained: false) }
    }
}
