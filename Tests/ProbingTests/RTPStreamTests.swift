import Testing
@testable import Probing

/// RTP packets as a camera sends them, built field by field.
enum RTPBuilder {
    static func packet(payloadType: Int = 96, sequence: UInt16, timestamp: UInt32, marker: Bool, payload: [UInt8],
                       csrcs: Int = 0, extensionWords: Int? = nil, padding: Int = 0) -> [UInt8] {
        var first: UInt8 = 0x80 | UInt8(csrcs)
        if extensionWords != nil { first |= 0x10 }
        if padding > 0 { first |= 0x20 }
        var bytes: [UInt8] = [first, (marker ? 0x80 : 0) | UInt8(payloadType), UInt8(sequence >> 8), UInt8(sequence & 0xFF),
                              UInt8(timestamp >> 24), UInt8(timestamp >> 16 & 0xFF), UInt8(timestamp >> 8 & 0xFF), UInt8(timestamp & 0xFF),
                              0x12, 0x34, 0x56, 0x78]
        bytes += Array(repeating: 0xAB, count: 4 * csrcs)
        if let words = extensionWords { bytes += [0xBE, 0xDE, 0, UInt8(words)] + Array(repeating: 0xCD, count: 4 * words) }
        bytes += payload
        if padding > 0 { bytes += Array(repeating: 0, count: padding - 1) + [UInt8(padding)] }
        return bytes
    }

    /// STAP-A holding `units`.
    static func aggregate(_ units: [[UInt8]], header: [UInt8] = [24]) -> [UInt8] {
        header + units.flatMap { [UInt8($0.count >> 8), UInt8($0.count & 0xFF)] + $0 }
    }

    /// The first FU-A fragment of a unit of `type`.
    static func firstFragment(type: UInt8) -> [UInt8] { [0x7C, 0x80 | type, 1, 2, 3] }
    static func middleFragment(type: UInt8) -> [UInt8] { [0x7C, type, 4, 5, 6] }
}

@Suite struct RTPStreamTests {
    /// x264's SPS for 640x360 (coded 640x368, cropped), from GStreamer's sprop-parameter-sets; it holds an
    /// emulation-prevention byte.
    static let h264SPS: [UInt8] = [103, 66, 192, 30, 218, 2, 128, 191, 229, 192, 90, 131, 3, 3, 82, 128, 0, 0, 3, 0, 128, 0, 0, 25,
                                   71, 139, 23, 80]
    static let h264PPS: [UInt8] = [0x68, 0xCE, 0x3C, 0x80]
    /// x265's SPS for 320x240.
    static let h265SPS: [UInt8] = [66, 1, 1, 4, 8, 0, 0, 3, 0, 152, 8, 0, 0, 3, 0, 0, 60, 144, 1, 65, 1, 226, 41, 75, 116, 148, 152, 95,
                                   254, 0, 2, 0, 2, 212, 24, 24, 24, 16, 0, 0, 3, 0, 16, 0, 0, 3, 1, 144, 128]

    func feed(_ analyzer: inout RTPStreamAnalyzer, _ packet: [UInt8], at arrival: Int = 0) {
        packet.withUnsafeBytes { analyzer.consume($0, arrivalMilliseconds: arrival) }
    }

    @Test func sequenceParameterSetsGiveThePictureSize() {
        let h264 = Self.h264SPS.withUnsafeBytes { SequenceParameterSet.h264PictureSize($0) }
        #expect(h264 == .init(width: 640, height: 360))
        let h265 = Self.h265SPS.withUnsafeBytes { SequenceParameterSet.h265PictureSize($0) }
        #expect(h265 == .init(width: 320, height: 240))
        let cut = Array(Self.h264SPS.prefix(7)).withUnsafeBytes { SequenceParameterSet.h264PictureSize($0) }
        #expect(cut == nil)
        let empty = [UInt8]().withUnsafeBytes { SequenceParameterSet.h265PictureSize($0) }
        #expect(empty == nil)
    }

    @Test func theSDPsParameterSetsGiveThePictureSize() {
        // GStreamer's fmtp for its 640x360 H.264 and 320x240 H.265 streams.
        let h264 = "packetization-mode=1;sprop-parameter-sets=Z0LAHtoCgL/lwFqDAwNSgAAAAwCAAAAZR4sXUA==,aM48gA==;profile-level-id=42c01e"
        #expect(SequenceParameterSet.pictureSize(formatParameters: h264, format: .h264) == .init(width: 640, height: 360))
        let h265 = "sprop-vps=QAEMAf//BAgAAAMAmAgAAAMAADy6AkA=; sprop-sps=QgEBBAgAAAMAmAgAAAMAADyQAUEB4ilLdJSYX/4AAgAC1BgYGBAAAAMAEAAAAwGQgA=="
        #expect(SequenceParameterSet.pictureSize(formatParameters: h265, format: .h265) == .init(width: 320, height: 240))
        #expect(SequenceParameterSet.pictureSize(formatParameters: h264, format: .jpeg) == nil)
        #expect(SequenceParameterSet.pictureSize(formatParameters: "sprop-parameter-sets=!!!", format: .h264) == nil)
        #expect(SequenceParameterSet.pictureSize(formatParameters: nil, format: .h264) == nil)
    }

    @Test func bitReaderReadsGolombCodesAcrossEscapes() {
        // 1 | 010 | 011 | 00100 | 00101 → ue 0, 1, 2, 3, 4; then 00 00 03 01 reads as 00 00 01.
        let bytes: [UInt8] = [0b1010_0110, 0b0100_0010, 0b1000_0000, 0, 0, 3, 1]
        var bits = bytes.withUnsafeBytes { BitReader(rawByteSequencePayload: $0[...]) }
        #expect([bits.unsignedGolomb(), bits.unsignedGolomb(), bits.unsignedGolomb(), bits.unsignedGolomb(), bits.unsignedGolomb()]
                == [0, 1, 2, 3, 4])
        #expect(bits.read(7) == 0)
        #expect(bits.read(24) == 1)
        #expect(bits.read(1) == nil)
        var signed = [UInt8]([0b0100_1110, 0b1000_0000]).withUnsafeBytes { BitReader(rawByteSequencePayload: $0[...]) }
        #expect([signed.signedGolomb(), signed.signedGolomb(), signed.signedGolomb()] == [1, -1, 0])
    }

    @Test func headerSkipsCSRCsExtensionAndPadding() throws {
        let packet = RTPBuilder.packet(sequence: 7, timestamp: 0xDEAD_BEEF, marker: true, payload: [1, 2, 3], csrcs: 2, extensionWords: 1,
                                       padding: 4)
        let header = try #require(packet.withUnsafeBytes { RTPHeader.parse($0) })
        #expect(header.marker && header.payloadType == 96 && header.sequenceNumber == 7 && header.timestamp == 0xDEAD_BEEF)
        #expect(Array(packet[header.payload]) == [1, 2, 3])
        var version1 = packet
        version1[0] = 0x40
        #expect(version1.withUnsafeBytes { RTPHeader.parse($0) } == nil)
        #expect([UInt8](repeating: 0x80, count: 11).withUnsafeBytes { RTPHeader.parse($0) } == nil)
        var badPadding = RTPBuilder.packet(sequence: 1, timestamp: 0, marker: false, payload: [1])
        badPadding[0] |= 0x20
        badPadding[badPadding.count - 1] = 200
        #expect(badPadding.withUnsafeBytes { RTPHeader.parse($0) } == nil)
    }

    @Test func h264StreamCountsFramesKeyframesAndParameterSets() {
        var analyzer = RTPStreamAnalyzer(format: .h264, payloadType: 96)
        var sequence: UInt16 = 65_530
        var timestamp: UInt32 = 0xFFFF_F000
        func send(_ payload: [UInt8], marker: Bool, at arrival: Int) {
            feed(&analyzer, RTPBuilder.packet(sequence: sequence, timestamp: timestamp, marker: marker, payload: payload), at: arrival)
            sequence &+= 1
        }
        // A P frame before any keyframe, then SPS+PPS aggregated, an IDR in two fragments, then P frames,
        // timestamps 3600 apart (25 fps) across the 32-bit wrap, sequence numbers across the 16-bit wrap.
        send([0x41, 0x9A], marker: true, at: 10)
        #expect(!analyzer.isCertain(frames: 1))
        timestamp &+= 3600
        send(RTPBuilder.aggregate([Self.h264SPS, Self.h264PPS]), marker: false, at: 50)
        send(RTPBuilder.firstFragment(type: 5), marker: false, at: 50)
        send(RTPBuilder.middleFragment(type: 5), marker: true, at: 51)
        for frame in 0..<8 {
            timestamp &+= 3600
            if frame == 3 { sequence &+= 2 }
            send([0x41, 0x9A, 0x00], marker: true, at: 90 + 40 * frame)
        }
        feed(&analyzer, RTPBuilder.packet(payloadType: 97, sequence: sequence, timestamp: 0, marker: true, payload: [0x65]))
        analyzer.close(windowMilliseconds: 500)
        let reading = analyzer.reading
        #expect(reading.frames == 10)
        #expect(reading.packets == 12)
        #expect(reading.packetsIgnored == 1, "the audio packet")
        #expect(reading.packetsLost == 2)
        #expect(reading.keyframe && reading.parameterSets)
        #expect(reading.width == 640 && reading.height == 360)
        #expect(reading.framesPerSecond == 25)
        #expect(reading.firstPacketMilliseconds == 10 && reading.lastPacketMilliseconds == 370)
        #expect(reading.bitsPerSecond == reading.bytes * 8 * 2)
        #expect(analyzer.isCertain(frames: 10) && !analyzer.isCertain(frames: 11))
    }

    @Test func aFragmentThatIsNotTheFirstIsNoKeyframe() {
        var analyzer = RTPStreamAnalyzer(format: .h264, payloadType: nil)
        feed(&analyzer, RTPBuilder.packet(sequence: 1, timestamp: 0, marker: true, payload: RTPBuilder.middleFragment(type: 5)))
        feed(&analyzer, RTPBuilder.packet(sequence: 2, timestamp: 0, marker: false, payload: [0x67]))
        #expect(!analyzer.reading.keyframe)
        #expect(!analyzer.reading.parameterSets, "an SPS alone, and one too short to read")
        #expect(analyzer.reading.width == nil)
    }

    @Test func h265StreamFindsIRAPAndAllThreeParameterSets() {
        var analyzer = RTPStreamAnalyzer(format: .h265, payloadType: 96)
        let vps: [UInt8] = [0x40, 0x01, 0x0C]
        let pps: [UInt8] = [0x44, 0x01, 0xC0]
        feed(&analyzer, RTPBuilder.packet(sequence: 1, timestamp: 0, marker: false,
                                          payload: RTPBuilder.aggregate([vps, Self.h265SPS, pps], header: [0x60, 0x01])))
        #expect(analyzer.reading.parameterSets && !analyzer.reading.keyframe)
        // A fragmentation unit (type 49) whose first fragment is a CRA (21).
        feed(&analyzer, RTPBuilder.packet(sequence: 2, timestamp: 0, marker: true, payload: [0x62, 0x01, 0x80 | 21, 9, 9]))
        feed(&analyzer, RTPBuilder.packet(sequence: 3, timestamp: 7200, marker: true, payload: [0x02, 0x01, 7]))
        #expect(analyzer.reading.keyframe)
        #expect(analyzer.reading.width == 320 && analyzer.reading.height == 240)
        #expect(analyzer.reading.framesPerSecond == 12.5)
    }

    @Test func jpegFramesCarryTheirSize() {
        var analyzer = RTPStreamAnalyzer(format: .jpeg, payloadType: 26)
        for frame in 0..<3 {
            // RFC 2435 main header: type-specific, offset (3), type, Q, width/8, height/8.
            feed(&analyzer, RTPBuilder.packet(payloadType: 26, sequence: UInt16(frame), timestamp: UInt32(frame) * 18_000, marker: true,
                                              payload: [0, 0, 0, 0, 1, 80, 40, 30, 0xFF, 0xD8]))
        }
        #expect(analyzer.reading.frames == 3)
        #expect(analyzer.reading.framesPerSecond == 5)
        #expect(analyzer.reading.width == 320 && analyzer.reading.height == 240)
        #expect(analyzer.isCertain(frames: 3))
    }

    @Test(arguments: [
        ("H264", nil, VideoPayloadFormat.h264), ("h265", nil, .h265), ("HEVC", nil, .h265), ("JPEG", nil, .jpeg),
        (nil, 26, .jpeg), ("MP4V-ES", nil, .other), (nil, 96, .other),
    ] as [(String?, Int?, VideoPayloadFormat)])
    func payloadFormatFromTheSDP(name: String?, payloadType: Int?, format: VideoPayloadFormat) {
        #expect(VideoPayloadFormat(encodingName: name, payloadType: payloadType) == format)
    }
}

@Suite struct RTSPControlTests {
    static let request = "rtsp://10.45.1.20:554/live/main"

    @Test(arguments: [
        // (Content-Base, Content-Location, control, resolved)
        ("rtsp://10.45.1.20:554/live/main/", nil, "trackID=0", "rtsp://10.45.1.20:554/live/main/trackID=0"),
        ("rtsp://10.45.1.20:554/live/main", nil, "trackID=0", "rtsp://10.45.1.20:554/live/main/trackID=0"),
        (nil, "rtsp://10.45.1.20:554/loc/", "stream=0", "rtsp://10.45.1.20:554/loc/stream=0"),
        (nil, nil, "trackID=1", "rtsp://10.45.1.20:554/live/main/trackID=1"),
        ("rtsp://10.45.1.20:554/live/main/", nil, "*", "rtsp://10.45.1.20:554/live/main/"),
        ("rtsp://10.45.1.20:554/live/main/", nil, nil, "rtsp://10.45.1.20:554/live/main/"),
        // Dahua: the base ends in a query with a slash after it.
        ("rtsp://10.45.1.20:554/cam/realmonitor?channel=1&subtype=0&unicast=true&proto=Onvif/", nil, "trackID=0",
         "rtsp://10.45.1.20:554/cam/realmonitor?channel=1&subtype=0&unicast=true&proto=Onvif/trackID=0"),
        // H3C: absolute controls; some cameras name an internal address in them or in Content-Base.
        ("rtsp://10.45.1.20:554/live/main/", nil, "rtsp://10.45.1.20:554/media/video1", "rtsp://10.45.1.20:554/media/video1"),
        (nil, nil, "rtsp://192.168.1.64/media/video1", "rtsp://10.45.1.20:554/media/video1"),
        ("rtsp://192.168.1.64:8554/live/", nil, "track1", "rtsp://10.45.1.20:554/live/track1"),
    ] as [(String?, String?, String?, String)])
    func controlResolvesAsRFC2326Says(contentBase: String?, contentLocation: String?, control: String?, resolved: String) {
        let base = RTSPControl.base(contentBase: contentBase, contentLocation: contentLocation, requestURL: Self.request)
        #expect(RTSPControl.resolve(control, base: base, connectedTo: Self.request) == resolved)
    }

    @Test func transportNamesTheChannel() {
        #expect(RTSPControl.interleavedChannel(transport: "RTP/AVP/TCP;unicast;interleaved=10-11;ssrc=1234") == 10)
        #expect(RTSPControl.interleavedChannel(transport: "RTP/AVP/TCP;unicast; interleaved=0-1") == 0)
        #expect(RTSPControl.interleavedChannel(transport: "RTP/AVP;unicast;client_port=5000-5001") == nil)
        #expect(RTSPControl.interleavedChannel(transport: "RTP/AVP/TCP;interleaved=300-301") == nil)
        #expect(RTSPControl.interleavedChannel(transport: nil) == nil)
    }
}
