/// Decodes a JPEG's entropy-coded data into a `DCPicture`: every block's DC coefficient and AC energy, with no
/// inverse DCT, upsampling or colour conversion. A stateless namespace; safe to call from any thread.
///
/// Handles baseline and extended Huffman frames (SOF0, SOF1) and progressive ones (SOF2), 8- and 16-bit
/// quantisation tables, restart intervals, any sampling factors from 1 to 4 (4:4:4, 4:2:2, 4:2:0, 4:4:0) and
/// greyscale, and RGB-coded files (Adobe transform 0, as GStreamer's jpegenc writes from RGB; see
/// `DCPicture.storesRGB`). Lenient where cameras are sloppy: APPn and COM segments of any kind are skipped by their length,
/// fill bytes before markers are allowed, and bytes after the last scan are ignored (a sequential file may
/// even lack its EOI; a progressive one may not, since its missing scans would read as blur). Strict where a mistake
/// would read out of bounds: every length, table reference, coefficient index and the end of each scan's data
/// are checked, and a failure is a `JPEGDecodeError` saying where.
///
/// **Progressive files.** The DC scans (the first, with successive approximation, and its refinement) give
/// the exact DC picture. For the AC energy every scan is decoded: the first AC scans (spectral selection)
/// code each coefficient above 2^Al, and the refinement scans code both the coefficients that only become
/// non-zero at a lower bit and a correction bit for each one already known. libjpeg's default progression
/// leaves the luma's coefficients below 4 to its refinement scans; on a textured scene that is most of the
/// energy, so stopping at the first scans would read a sharp picture as blurred. To interpret a refinement
/// scan the decoder must know which coefficients of each block are non-zero, and it keeps just that, a
/// 64-bit mask a block (8 bytes; keeping the coefficients themselves would take 128), so a correction bit,
/// the low bit of a coefficient already counted, adds nothing: the energy is a slight underestimate of a
/// sequential file's (the tests hold it within 10%, and every non-zero coefficient is found).
///
/// **Allocation bound.** Every block is coded with at least one bit in the first scan that covers it (a DC
/// code is at least one bit long), so a file of N bytes cannot hold more than 8 x N blocks. A frame declaring
/// more (counted over every component's MCU-padded block grid) is rejected before anything is allocated;
/// what is allocated is then at most 6 bytes a block (DC as Int16, energy as Float), 14 in a progressive
/// file (with the mask), so at most 48 x N bytes (112 x N progressive), plus fixed-size tables.
///
/// **Work bound.** A scan visits every block it covers, even those an end-of-band run skips in a few
/// bits; at most `maximumScans` scans and `maximumHuffmanTables` tables are accepted, so a decode makes at
/// most 100 block visits per block (800 per byte of file, each a few nanoseconds when skipped) and builds
/// at most 400 tables.
public enum JPEGDCDecoder {
    /// The most blocks a file of `byteCount` bytes is allowed to declare (see the type's discussion).
    public static func maximumBlocks(byteCount: Int) -> Int { byteCount * 8 }

    /// The most scans a file may have. A progressive scan can cover every block of the frame with a few
    /// bytes of end-of-band runs, so without a limit a small file of many scans could cost seconds of CPU
    /// (libjpeg-turbo's djpeg has `-maxscans` for the same reason). libjpeg's progressions use 10 or fewer.
    public static let maximumScans = 100

    /// The most Huffman tables a file may define. Building one costs about as much as decoding a few hundred
    /// blocks, so a flood of DHT segments is cut off; a real file defines two to four per scan.
    public static let maximumHuffmanTables = 4 * maximumScans

    /// Decodes `bytes`, a whole JPEG file.
    public static func decode(_ bytes: [UInt8]) throws(JPEGDecodeError) -> DCPicture {
        let result: Result<DCPicture, JPEGDecodeError> = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return .failure(.notJPEG) }
            return Result { () throws(JPEGDecodeError) -> DCPicture in
                var decoder = FileDecoder(bytes: base, count: buffer.count)
                return try decoder.decode()
            }
        }
        return try result.get()
    }
}

/// One decode's state: the tables seen so far, the frame, the coefficient stores. Used by one thread.
struct FileDecoder {
    let bytes: UnsafePointer<UInt8>
    let count: Int
    var quantisationTables: [[UInt16]?] = Array(repeating: nil, count: 4)
    var dcTables: [HuffmanTable?] = Array(repeating: nil, count: 4)
    var acTables: [HuffmanTable?] = Array(repeating: nil, count: 4)
    var restartInterval = 0
    var frame: Frame?
    var scanCount = 0
    var huffmanTableCount = 0
    /// The colour transform an Adobe APP14 segment declares (0: none, RGB; 1: YCbCr), if there is one.
    var adobeTransform: UInt8?

    init(bytes: UnsafePointer<UInt8>, count: Int) {
        self.bytes = bytes
        self.count = count
    }

    mutating func decode() throws(JPEGDecodeError) -> DCPicture {
        guard count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 else { throw .notJPEG }
        var index = 2
        while true {
            guard index < count else {
                if let picture = try finishedPicture() { return picture }
                throw .truncated(offset: index, expected: "a marker")
            }
            guard bytes[index] == 0xFF else {
                // Bytes after a complete picture are tolerated (some cameras pad their snapshots).
                if let picture = try finishedPicture() { return picture }
                throw .missingMarker(offset: index)
            }
            // Any number of FF fill bytes may precede a marker (ITU T.81 B.1.1.2).
            var markerIndex = index + 1
            while markerIndex < count, bytes[markerIndex] == 0xFF { markerIndex += 1 }
            guard markerIndex < count else {
                if let picture = try finishedPicture() { return picture }
                throw .truncated(offset: markerIndex, expected: "a marker")
            }
            let marker = bytes[markerIndex]
            let markerOffset = markerIndex - 1
            index = markerIndex + 1
            switch marker {
            case 0xD9:
                if let picture = try finishedPicture(atEOI: true) { return picture }
                throw .noImageData(offset: markerOffset)
            case 0x01, 0xD0...0xD7:
                continue
            case 0x00, 0xD8:
                throw .missingMarker(offset: markerOffset)
            default:
                break
            }
            guard index + 2 <= count else { throw .truncated(offset: index, expected: "a segment length") }
            let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
            guard length >= 2, index + length <= count else {
                throw .badSegmentLength(offset: markerOffset, marker: marker, length: length)
            }
            let segment = Segment(start: index + 2, end: index + length, markerOffset: markerOffset, marker: marker)
            switch marker {
            case 0xC0, 0xC1, 0xC2:
                guard frame == nil else { throw .badFrameHeader(offset: markerOffset, reason: "a second frame header") }
                frame = try Frame(segment: segment, bytes: bytes, fileByteCount: count)
            case 0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF:
                throw .unsupportedFrame(offset: markerOffset, marker: marker, reason: frameKind(marker))
            case 0xC4:
                try readHuffmanTables(segment)
            case 0xDB:
                try readQuantisationTables(segment)
            case 0xDD:
                guard segment.length >= 2 else {
                    throw .badSegmentLength(offset: markerOffset, marker: marker, length: length)
                }
                restartInterval = Int(bytes[segment.start]) << 8 | Int(bytes[segment.start + 1])
            case 0xDA:
                scanCount += 1
                guard scanCount <= JPEGDCDecoder.maximumScans else {
                    throw .tooManyScans(offset: markerOffset, limit: JPEGDCDecoder.maximumScans)
                }
                let dataEnd = try decodeScan(segment)
                index = dataEnd
                continue
            case 0xEE:
                // "Adobe", version, two flag words, then the transform byte.
                if segment.length >= 12, Array(UnsafeBufferPointer(start: bytes + segment.start, count: 5)) == Array("Adobe".utf8) {
                    adobeTransform = bytes[segment.start + 11]
                }
            default:
                // APPn, COM, DNL, anything else with a length: skipped.
                break
            }
            index = segment.end
        }
    }

    /// The picture, if every component has its DC values; nil while some are missing. `atEOI` tells whether
    /// the file ended properly: a progressive file that stops without EOI may have lost its AC scans, whose
    /// absence would read as a blurred picture, so it is an error; a sequential one has all it needs.
    func finishedPicture(atEOI: Bool = false) throws(JPEGDecodeError) -> DCPicture? {
        guard let frame, frame.scansDecoded > 0 else { return nil }
        if frame.isProgressive, !atEOI { return nil }
        for (number, component) in frame.components.enumerated() where !component.hasDC {
            if frame.isProgressive { throw .missingDCScan(component: number) }
            return nil
        }
        return frame.picture(storesRGB: storesRGB(frame))
    }

    /// libjpeg's rule: an Adobe transform says; without one, three components named R, G, B are RGB.
    func storesRGB(_ frame: Frame) -> Bool {
        guard frame.components.count == 3 else { return false }
        if let adobeTransform { return adobeTransform == 0 }
        return frame.components.map(\.identifier) == Array("RGB".utf8)
    }

    /// The byte that opens each table of a DQT or DHT segment: a kind in its high nibble (precision, or
    /// DC/AC class: 0 or 1) and a slot in its low one (0-3). Nil when either is out of range.
    func tableHeader(at index: Int) -> (kind: Int, slot: Int)? {
        let kind = Int(bytes[index] >> 4)
        let slot = Int(bytes[index] & 0x0F)
        return kind <= 1 && slot < 4 ? (kind, slot) : nil
    }

    mutating func readQuantisationTables(_ segment: Segment) throws(JPEGDecodeError) {
        var index = segment.start
        while index < segment.end {
            guard let (precision, slot) = tableHeader(at: index) else {
                throw .badQuantisationTable(offset: index, reason: "precision and table byte \(hex(bytes[index]))")
            }
            let entrySize = precision == 0 ? 1 : 2
            guard index + 1 + 64 * entrySize <= segment.end else {
                throw .badQuantisationTable(offset: index, reason: "64 entries do not fit in the segment")
            }
            var table = [UInt16](repeating: 0, count: 64)
            for position in 0..<64 {
                let entryIndex = index + 1 + position * entrySize
                table[position] = entrySize == 1
                    ? UInt16(bytes[entryIndex])
                    : UInt16(bytes[entryIndex]) << 8 | UInt16(bytes[entryIndex + 1])
            }
            quantisationTables[slot] = table
            index += 1 + 64 * entrySize
        }
    }

    mutating func readHuffmanTables(_ segment: Segment) throws(JPEGDecodeError) {
        var index = segment.start
        while index < segment.end {
            guard let (tableClass, slot) = tableHeader(at: index) else {
                throw .badHuffmanTable(offset: index, reason: "class and table byte \(hex(bytes[index]))")
            }
            guard index + 17 <= segment.end else {
                throw .badHuffmanTable(offset: index, reason: "16 code-length counts do not fit in the segment")
            }
            let counts = (0..<16).map { Int(bytes[index + 1 + $0]) }
            let total = counts.reduce(0, +)
            guard total <= 256, index + 17 + total <= segment.end else {
                throw .badHuffmanTable(offset: index, reason: "\(total) symbols do not fit in the segment")
            }
            let symbols = (0..<total).map { bytes[index + 17 + $0] }
            huffmanTableCount += 1
            guard huffmanTableCount <= JPEGDCDecoder.maximumHuffmanTables else {
                throw .badHuffmanTable(offset: index, reason: "more than \(JPEGDCDecoder.maximumHuffmanTables) tables in one file")
            }
            let table = try HuffmanTable(counts: counts, symbols: symbols, offset: index)
            if tableClass == 0 { dcTables[slot] = table } else { acTables[slot] = table }
            index += 17 + total
        }
    }

    /// Reads a scan header and decodes (or, for AC refinement scans, skips) its entropy-coded data. Returns
    /// the offset of the marker that ends the data.
    mutating func decodeScan(_ segment: Segment) throws(JPEGDecodeError) -> Int {
        guard var frame else { throw .noImageData(offset: segment.markerOffset) }
        let header = try ScanHeader(segment: segment, bytes: bytes, frame: frame)
        let dataStart = segment.end
        var scanComponents: [ScanComponent] = []
        for entry in header.components {
            let component = frame.components[entry.frameIndex]
            if component.quantisation == nil {
                // Tables are latched when a component first appears in a scan (ITU T.81 G.1.1.1.1 allows
                // a DQT between scans to redefine a slot for later components).
                guard let table = quantisationTables[component.quantisationSlot] else {
                    throw .badScanHeader(offset: segment.markerOffset,
                                         reason: "quantisation table \(component.quantisationSlot) is not defined")
                }
                frame.components[entry.frameIndex].quantisation = table
            }
            let needsDC = !frame.isProgressive || (header.spectralStart == 0 && header.approximationHigh == 0)
            let needsAC = !frame.isProgressive ? true : header.spectralStart > 0
            let dcTable = needsDC ? dcTables[entry.dcSlot] : nil
            let acTable = needsAC ? acTables[entry.acSlot] : nil
            guard !needsDC || dcTable != nil else {
                throw .badScanHeader(offset: segment.markerOffset, reason: "DC Huffman table \(entry.dcSlot) is not defined")
            }
            guard !needsAC || acTable != nil else {
                throw .badScanHeader(offset: segment.markerOffset, reason: "AC Huffman table \(entry.acSlot) is not defined")
            }
            scanComponents.append(ScanComponent(frameIndex: entry.frameIndex, dcTable: dcTable, acTable: acTable))
        }
        let dataEnd = try withExtendedLifetime(scanComponents) { () throws(JPEGDecodeError) -> Int in
            let scan = ScanDecoder(frame: frame, header: header, components: scanComponents,
                                   restartInterval: restartInterval, bytes: bytes, count: count, dataStart: dataStart)
            return try scan.run()
        }
        if !frame.isProgressive || header.spectralStart == 0 {
            for entry in header.components { frame.components[entry.frameIndex].hasDC = true }
        }
        frame.scansDecoded += 1
        self.frame = frame
        return nextMarker(from: dataEnd)
    }

    /// The offset of the next marker that is not a restart marker or stuffing, or the end of the file.
    func nextMarker(from start: Int) -> Int {
        var index = start
        while index + 1 < count {
            if bytes[index] == 0xFF {
                let next = bytes[index + 1]
                if next != 0x00, next != 0xFF, !(0xD0...0xD7).contains(next) { return index }
                if next == 0xFF { index += 1; continue }
                index += 2
            } else {
                index += 1
            }
        }
        return count
    }

    func frameKind(_ marker: UInt8) -> String {
        switch marker {
        case 0xC3, 0xC7, 0xCB, 0xCF: return "lossless coding"
        case 0xC5, 0xC6, 0xCD, 0xCE: return "hierarchical coding"
        default: return "arithmetic coding"
        }
    }
}

/// A marker segment's payload: the bytes after its length field.
struct Segment {
    let start: Int
    let end: Int
    let markerOffset: Int
    let marker: UInt8
    var length: Int { end - start }
}
