/// The video payload formats whose RTP the media check reads (RFC 6184, RFC 7798, RFC 2435).
public enum VideoPayloadFormat: String, Sendable, Equatable, Codable {
    case h264 = "H264"
    case h265 = "H265"
    case jpeg = "JPEG"
    /// Packets and frames are counted; keyframes and picture sizes are not looked for.
    case other

    /// The format an SDP encoding name (`H264`, `H265`, `HEVC`, `JPEG`) or static payload type 26 names.
    public init(encodingName: String?, payloadType: Int?) {
        switch encodingName?.uppercased() {
        case "H264": self = .h264
        case "H265", "HEVC": self = .h265
        case "JPEG": self = .jpeg
        case nil where payloadType == 26: self = .jpeg
        default: self = .other
        }
    }

    /// Whether a stream of this format has keyframes to wait for (every JPEG frame is one).
    public var hasKeyframes: Bool { self == .h264 || self == .h265 }
}

/// The fixed part of one RTP packet (RFC 3550 5.1) and where its payload lies.
public struct RTPHeader: Sendable, Equatable {
    public var marker: Bool
    public var payloadType: Int
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    /// Byte offsets of the payload in the packet, after CSRCs and the header extension, before padding.
    public var payload: Range<Int>

    /// Reads the header of `packet`; nil when it is not RTP version 2 or its lengths do not fit.
    public static func parse(_ packet: UnsafeRawBufferPointer) -> RTPHeader? {
        guard packet.count >= 12, packet[0] >> 6 == 2 else { return nil }
        let csrcCount = Int(packet[0] & 0x0F)
        var start = 12 + 4 * csrcCount
        if packet[0] & 0x10 != 0 {
            // Extension: 16-bit profile, 16-bit length in 32-bit words, then the words.
            guard packet.count >= start + 4 else { return nil }
            start += 4 + 4 * (Int(packet[start + 2]) << 8 | Int(packet[start + 3]))
        }
        var end = packet.count
        if packet[0] & 0x20 != 0, let padding = packet.last { end -= Int(padding) }
        guard start <= end else { return nil }
        let timestamp = UInt32(packet[4]) << 24 | UInt32(packet[5]) << 16 | UInt32(packet[6]) << 8 | UInt32(packet[7])
        return RTPHeader(marker: packet[1] & 0x80 != 0, payloadType: Int(packet[1] & 0x7F),
                         sequenceNumber: UInt16(packet[2]) << 8 | UInt16(packet[3]), timestamp: timestamp, payload: start..<end)
    }
}

/// What a stream's RTP showed over a receive window. A value type; safe to share between threads.
public struct MediaReading: Sendable, Equatable, Codable {
    public var packets = 0
    /// RTP bytes (headers included), as received in interleaved frames.
    public var bytes = 0
    /// Complete frames: packets with the marker bit set.
    public var frames = 0
    /// Packets missing by sequence number.
    public var packetsLost = 0
    /// Packets that were not RTP version 2, or whose payload type was not the track's.
    public var packetsIgnored = 0
    /// Milliseconds from the end of PLAY to the first packet; nil when none came.
    public var firstPacketMilliseconds: Int?
    /// Milliseconds from the end of PLAY to the last packet.
    public var lastPacketMilliseconds: Int?
    /// Milliseconds the receive window lasted (from the end of PLAY).
    public var windowMilliseconds = 0
    /// Frames per second from the RTP timestamps (clock rate / the median step between frames).
    public var framesPerSecond: Double?
    public var keyframe = false
    /// H.264 SPS and PPS, H.265 VPS, SPS and PPS, all seen in the stream.
    public var parameterSets = false
    /// The coded picture size, from the SPS (H.264, H.265) or the JPEG header (MJPEG).
    public var width: Int?
    public var height: Int?
    /// Bits per second over the window, from the bytes received; set when the window closes.
    public var bitsPerSecond: Int?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case packets, bytes, frames, keyframe, width, height
        case packetsLost = "packets_lost", packetsIgnored = "packets_ignored", firstPacketMilliseconds = "first_packet_ms"
        case lastPacketMilliseconds = "last_packet_ms", windowMilliseconds = "window_ms", framesPerSecond = "fps"
        case parameterSets = "parameter_sets", bitsPerSecond = "bitrate_bps"
    }
}

/// Reads a stream's RTP packets one at a time, keeping only counts and a few small values: memory stays
/// the same however long the window (a few hundred bytes). Not thread-safe: one owner feeds it.
public struct RTPStreamAnalyzer: Sendable {
    public let format: VideoPayloadFormat
    public let payloadType: Int?
    public let clockRate: Int
    public private(set) var reading = MediaReading()
    private var lastSequence: UInt16?
    private var lastFrameTimestamp: UInt32?
    /// The first steps between frames' timestamps (enough for a median; later ones add nothing).
    private var timestampSteps: [UInt32] = []
    private var parameterSetsSeen: UInt8 = 0
    private static let maximumSteps = 64

    /// - Parameter payloadType: the track's payload type from the SDP; packets of another are ignored.
    public init(format: VideoPayloadFormat, payloadType: Int?, clockRate: Int = 90_000) {
        self.format = format
        self.payloadType = payloadType
        self.clockRate = clockRate > 0 ? clockRate : 90_000
        timestampSteps.reserveCapacity(Self.maximumSteps)
    }

    /// Whether the verdict can no longer change: a keyframe (where the format has them) and `frames` frames.
    public func isCertain(frames wanted: Int) -> Bool {
        (reading.keyframe || !format.hasKeyframes) && reading.frames >= max(wanted, 2)
    }

    /// Takes one RTP packet (an interleaved frame's body) that arrived `arrival` milliseconds after PLAY.
    public mutating func consume(_ packet: UnsafeRawBufferPointer, arrivalMilliseconds arrival: Int) {
        guard let header = RTPHeader.parse(packet), payloadType.map({ $0 == header.payloadType }) ?? true else {
            reading.packetsIgnored += 1
            return
        }
        reading.packets += 1
        reading.bytes += packet.count
        if reading.firstPacketMilliseconds == nil { reading.firstPacketMilliseconds = arrival }
        reading.lastPacketMilliseconds = arrival
        if let lastSequence {
            let gap = Int(header.sequenceNumber &- lastSequence)
            // A jump of more than half the space is a reordered or repeated packet, not a loss.
            if gap > 1 && gap < 0x8000 { reading.packetsLost += gap - 1 }
        }
        lastSequence = header.sequenceNumber
        let payload = UnsafeRawBufferPointer(rebasing: packet[header.payload])
        switch format {
        case .h264: inspectNALUnits(payload, .h264)
        case .h265: inspectNALUnits(payload, .h265)
        case .jpeg: inspectJPEG(payload)
        case .other: break
        }
        if header.marker { countFrame(timestamp: header.timestamp) }
    }

    /// Stamps the window's length: the reading is complete after this.
    public mutating func close(windowMilliseconds: Int) {
        reading.windowMilliseconds = max(0, windowMilliseconds)
        if windowMilliseconds > 0 {
            reading.bitsPerSecond = Int((Double(reading.bytes) * 8_000 / Double(windowMilliseconds)).rounded())
        }
    }

    private mutating func countFrame(timestamp: UInt32) {
        reading.frames += 1
        if let last = lastFrameTimestamp {
            let step = timestamp &- last
            // Zero (two markers in one picture) and backward steps (more than half the space) say nothing.
            if step > 0 && step < 0x8000_0000 && timestampSteps.count < Self.maximumSteps {
                timestampSteps.append(step)
                let sorted = timestampSteps.sorted()
                reading.framesPerSecond = Double(clockRate) / Double(sorted[sorted.count / 2])
            }
        }
        lastFrameTimestamp = timestamp
    }

    // MARK: H.264 (RFC 6184) and H.265 (RFC 7798)

    /// Finds the NAL units in an H.264 or H.265 payload: one unit, an aggregation packet (STAP-A, AP) of
    /// several, or a fragment (FU-A, FU), of which only the first carries the unit's type.
    private mutating func inspectNALUnits(_ payload: UnsafeRawBufferPointer, _ packetization: NALPacketization) {
        guard payload.count >= packetization.headerLength else { return }
        switch packetization.type(payload[0]) {
        case packetization.aggregation:
            for unit in AggregatedUnits(payload, headerLength: packetization.headerLength) {
                noteUnit(packetization.type(unit[0]), unit: unit, packetization)
            }
        case packetization.fragmentation:
            // The FU header follows the payload header: a start bit, then the unit's type in its low bits.
            let header = packetization.headerLength
            guard payload.count > header, payload[header] & 0x80 != 0 else { return }
            noteUnit(payload[header] & packetization.typeMask, unit: nil, packetization)
        default:
            noteUnit(packetization.type(payload[0]), unit: payload, packetization)
        }
    }

    /// Notes a unit's type: keyframes, parameter sets, and the picture size in the first readable SPS
    /// (a fragmented unit, `unit` nil, is not read).
    private mutating func noteUnit(_ type: UInt8, unit: UnsafeRawBufferPointer?, _ packetization: NALPacketization) {
        if packetization.keyframes.contains(type) {
            reading.keyframe = true
        } else if type == packetization.sequenceParameterSet {
            parameterSetsSeen |= 1
            readPictureSize(unit, packetization.pictureSize)
        } else if type == packetization.pictureParameterSet {
            parameterSetsSeen |= 2
        } else if type == packetization.videoParameterSet {
            parameterSetsSeen |= 4
        }
        reading.parameterSets = parameterSetsSeen == (packetization.videoParameterSet == nil ? 3 : 7)
    }

    private mutating func readPictureSize(_ unit: UnsafeRawBufferPointer?,
                                          _ read: (UnsafeRawBufferPointer) -> SequenceParameterSet.PictureSize?) {
        guard reading.width == nil, let unit, let size = read(unit) else { return }
        reading.width = size.width
        reading.height = size.height
    }

    // MARK: JPEG (RFC 2435)

    private mutating func inspectJPEG(_ payload: UnsafeRawBufferPointer) {
        // The main header's last two bytes are the picture's width and height in 8-pixel blocks.
        guard payload.count >= 8 else { return }
        reading.keyframe = true
        if reading.width == nil, payload[6] > 0, payload[7] > 0 {
            reading.width = Int(payload[6]) * 8
            reading.height = Int(payload[7]) * 8
        }
    }

}

/// Where H.264 and H.265 payloads differ: the payload header's length and how it names a unit's type.
struct NALPacketization: Sendable {
    let headerLength: Int
    let aggregation: UInt8
    let fragmentation: UInt8
    /// A unit's type is `(first byte >> typeShift) & typeMask`; an FU header's is `byte & typeMask`.
    let typeShift: UInt8
    let typeMask: UInt8
    let keyframes: ClosedRange<UInt8>
    let sequenceParameterSet: UInt8
    let pictureParameterSet: UInt8
    /// H.265's VPS; H.264 has none.
    let videoParameterSet: UInt8?
    let pictureSize: @Sendable (UnsafeRawBufferPointer) -> SequenceParameterSet.PictureSize?

    /// RFC 6184: a one-byte header, type in its low 5 bits; STAP-A 24, FU-A 28; IDR 5, SPS 7, PPS 8.
    static let h264 = NALPacketization(headerLength: 1, aggregation: 24, fragmentation: 28, typeShift: 0, typeMask: 0x1F, keyframes: 5...5,
                                       sequenceParameterSet: 7, pictureParameterSet: 8, videoParameterSet: nil,
                                       pictureSize: SequenceParameterSet.h264PictureSize)
    /// RFC 7798: a two-byte header, type in bits 1-6 of the first; AP 48, FU 49; IRAP 16-21, VPS 32, SPS 33, PPS 34.
    static let h265 = NALPacketization(headerLength: 2, aggregation: 48, fragmentation: 49, typeShift: 1, typeMask: 0x3F, keyframes: 16...21,
                                       sequenceParameterSet: 33, pictureParameterSet: 34, videoParameterSet: 32,
                                       pictureSize: SequenceParameterSet.h265PictureSize)

    func type(_ firstByte: UInt8) -> UInt8 { (firstByte >> typeShift) & typeMask }
}

/// The NAL units of an aggregation packet (H.264 STAP-A, H.265 AP): a header, then 16-bit sizes each
/// followed by one unit. Stops at the first size that does not fit.
struct AggregatedUnits: Sequence, IteratorProtocol {
    let payload: UnsafeRawBufferPointer
    var offset: Int

    init(_ payload: UnsafeRawBufferPointer, headerLength: Int) {
        self.payload = payload
        offset = headerLength
    }

    mutating func next() -> UnsafeRawBufferPointer? {
        guard offset + 2 <= payload.count else { return nil }
        let size = Int(payload[offset]) << 8 | Int(payload[offset + 1])
        guard size > 0, offset + 2 + size <= payload.count else { return nil }
        defer { offset += 2 + size }
        return UnsafeRawBufferPointer(rebasing: payload[(offset + 2)..<(offset + 2 + size)])
    }
}
