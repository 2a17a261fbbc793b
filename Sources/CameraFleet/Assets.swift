/// Response bodies computed once per fleet start, so that serving them is a copy.
struct Assets {
    /// The healthy snapshot: `--snapshot`'s picture, else the built-in test card. `frozen` cameras send it
    /// as it is; live ones with a frame counter.
    let live: LiveSnapshot
    /// What `picture:NAME` cameras send, by name, each live like the healthy snapshot.
    let pictures: [String: LiveSnapshot]
    /// The healthy snapshot cut inside its entropy-coded data, well before EOI.
    let truncatedJPEG: ArraySlice<UInt8>
    /// The healthy snapshot's headers up to and including SOS: how an endless JPEG body begins.
    let endlessJPEGHead: ArraySlice<UInt8>
    /// Entropy-like bytes (never 0xFF, so no marker) that an endless HTTP body repeats.
    let endlessJPEGChunk: [UInt8]
    /// SDP attribute lines that an endless RTSP DESCRIBE body repeats.
    let endlessSDPChunk: [UInt8]
    /// Header lines that an endless head repeats (`endless-headers`, `slowloris`).
    let endlessHeaderChunk: [UInt8]
    /// The healthy snapshot with about 100 KB of comment segments after APP0 (`large-snapshot`).
    let largeJPEG: [UInt8]
    /// About 200 bytes that are neither HTTP nor RTSP.
    let garbage: [UInt8]
    /// Three MPEG-TS packets: a PAT and two null packets, each starting with the 0x47 sync byte.
    let transportStreamSegment: [UInt8]
    /// What `html` cameras return for the snapshot: a login page, as a misconfigured camera would.
    let html: [UInt8] = Array("""
        <!DOCTYPE html>
        <html><head><title>Camera login</title></head>
        <body><form method="post" action="/login">User <input name="user"> Password <input name="password" type="password"></form></body></html>

        """.utf8)
    /// What `bad-playlist` cameras return for playlists: an error page, not `#EXTM3U`.
    let badPlaylist: [UInt8] = Array("<html><body>Streaming service unavailable</body></html>\n".utf8)

    /// The text before the frame number in a live snapshot's comment segment.
    static let frameCommentPrefix: StaticString = "xueliang camera-fleet frame "
    /// Digits of the frame number; fixed so that every live snapshot has the same length.
    static let frameDigits = 20
    static let endlessChunkLength = 64 * 1024

    /// Splits the pictures, which `FleetConfiguration.checkPictures` has accepted.
    init(snapshot: [UInt8]? = nil, pictures: [String: [UInt8]] = [:]) {
        let live = LiveSnapshot(snapshot ?? JPEGFixture.bytes)
        self.live = live
        self.pictures = pictures.mapValues(LiveSnapshot.init)
        let entropyStart = live.entropyStart
        endlessJPEGHead = live.whole[0..<entropyStart]
        truncatedJPEG = live.whole[0..<(entropyStart + (live.whole.count - entropyStart) / 2)]

        // A fixed linear congruential sequence: noise that is the same in every run.
        var seed: UInt32 = 0x1234_5678
        func nextByte() -> UInt8 {
            seed = seed &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: seed >> 24)
        }
        endlessJPEGChunk = (0..<Self.endlessChunkLength).map { _ in min(nextByte(), 0xFE) }
        var garbage = (0..<200).map { _ in nextByte() }
        garbage[0] = 0x00  // cannot be mistaken for the start of "HTTP/" or "RTSP/"
        self.garbage = garbage

        var sdpLines: [UInt8] = []
        let line = Array("a=x-padding:0123456789abcdefghijklmnopqrstuvwxyz\r\n".utf8)
        while sdpLines.count + line.count <= Self.endlessChunkLength { sdpLines += line }
        endlessSDPChunk = sdpLines
        var headerLines: [UInt8] = []
        let headerLine = Array("X-Filler: 0123456789abcdefghijklmnopqrstuvwxyz\r\n".utf8)
        while headerLines.count + headerLine.count <= Self.endlessChunkLength { headerLines += headerLine }
        endlessHeaderChunk = headerLines

        // COM segments of 50,000 bytes each; a segment's length field counts its own two bytes.
        var large = Array(live.prefix)
        for _ in 0..<2 {
            let length = 50_000
            large += [0xFF, 0xFE, UInt8(length >> 8), UInt8(length & 0xFF)]
            large += [UInt8](repeating: UInt8(ascii: "x"), count: length - 2)
        }
        large += live.suffix
        largeJPEG = large

        transportStreamSegment = Self.makeTransportStream()
    }

    /// A PAT naming one program (PMT on PID 0x1000) followed by two null packets.
    private static func makeTransportStream() -> [UInt8] {
        var patSection: [UInt8] = [
            0x00,  // table_id: program_association_section
            0xB0, 0x0D,  // section_syntax_indicator, section_length 13
            0x00, 0x01,  // transport_stream_id
            0xC1, 0x00, 0x00,  // version 0, current, section 0 of 0
            0x00, 0x01, 0xF0, 0x00,  // program 1 -> PMT PID 0x1000
        ]
        let crc = crc32MPEG2(patSection)
        patSection += [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
        var packet: [UInt8] = [0x47, 0x40, 0x00, 0x10, 0x00] + patSection  // PID 0, payload start, pointer 0
        packet += [UInt8](repeating: 0xFF, count: 188 - packet.count)
        let nullPacket: [UInt8] = [0x47, 0x1F, 0xFF, 0x10] + [UInt8](repeating: 0xFF, count: 184)
        return packet + nullPacket + nullPacket
    }

    /// CRC-32/MPEG-2, which MPEG-TS program tables end with.
    private static func crc32MPEG2(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte) << 24
            for _ in 0..<8 { crc = crc & 0x8000_0000 != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1 }
        }
        return crc
    }
}
