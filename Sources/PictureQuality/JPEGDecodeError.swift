/// Why a JPEG could not be decoded into a `DCPicture`: each case says where (a byte offset into the file,
/// and the marker when one is involved) and why. A value type, safe to share between threads.
public enum JPEGDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes do not begin with the SOI marker `FF D8`.
    case notJPEG
    /// The file ends at `offset` while a segment or the marker structure was still expected.
    case truncated(offset: Int, expected: String)
    /// The entropy-coded data of a scan ends (at a marker or at the end of the file) before its last block.
    case truncatedScan(offset: Int)
    /// A byte other than `FF` where a marker must start.
    case missingMarker(offset: Int)
    /// A segment's length field is too small for what the segment must hold, or runs past the file.
    case badSegmentLength(offset: Int, marker: UInt8, length: Int)
    /// A frame type this decoder does not handle (lossless, hierarchical, arithmetic coding, 12-bit samples).
    case unsupportedFrame(offset: Int, marker: UInt8, reason: String)
    /// A frame header (SOF) whose content is impossible or outside what a camera picture can be.
    case badFrameHeader(offset: Int, reason: String)
    /// The declared picture has more 8x8 blocks than its bytes could encode (see `JPEGDCDecoder.maximumBlocks`).
    case dimensionsExceedData(offset: Int, blocks: Int, limit: Int)
    /// A quantisation table segment (DQT) that is malformed.
    case badQuantisationTable(offset: Int, reason: String)
    /// A Huffman table segment (DHT) that is malformed or does not form a prefix code.
    case badHuffmanTable(offset: Int, reason: String)
    /// A scan header (SOS) that is malformed or refers to something the frame or tables do not define.
    case badScanHeader(offset: Int, reason: String)
    /// A bit sequence in the entropy-coded data that no Huffman code of the current table matches, or a value
    /// that would land outside the block.
    case badHuffmanCode(offset: Int)
    /// More scans than `JPEGDCDecoder.maximumScans`: the SOS marker at `offset` is one too many.
    case tooManyScans(offset: Int, limit: Int)
    /// A restart interval ended and no RSTn marker follows.
    case missingRestartMarker(offset: Int)
    /// The file holds no frame header before its first scan, or no scan at all.
    case noImageData(offset: Int)
    /// A progressive file whose scans never gave every component a DC value.
    case missingDCScan(component: Int)

    public var description: String {
        switch self {
        case .notJPEG:
            return "not a JPEG: the bytes do not begin with FF D8"
        case .truncated(let offset, let expected):
            return "JPEG ends at byte \(offset), where \(expected) was expected"
        case .truncatedScan(let offset):
            return "JPEG scan data ends at byte \(offset) before its last block"
        case .missingMarker(let offset):
            return "no marker at byte \(offset)"
        case .badSegmentLength(let offset, let marker, let length):
            return "segment FF \(hex(marker)) at byte \(offset) has an impossible length \(length)"
        case .unsupportedFrame(let offset, let marker, let reason):
            return "frame FF \(hex(marker)) at byte \(offset) is not supported: \(reason)"
        case .badFrameHeader(let offset, let reason):
            return "frame header at byte \(offset): \(reason)"
        case .dimensionsExceedData(let offset, let blocks, let limit):
            return "frame header at byte \(offset) declares \(blocks) blocks, more than its data could hold (\(limit))"
        case .badQuantisationTable(let offset, let reason):
            return "quantisation table at byte \(offset): \(reason)"
        case .badHuffmanTable(let offset, let reason):
            return "Huffman table at byte \(offset): \(reason)"
        case .badScanHeader(let offset, let reason):
            return "scan header at byte \(offset): \(reason)"
        case .badHuffmanCode(let offset):
            return "corrupt entropy-coded data near byte \(offset): no Huffman code matches"
        case .tooManyScans(let offset, let limit):
            return "scan at byte \(offset) is more than the \(limit) scans a picture may have"
        case .missingRestartMarker(let offset):
            return "restart marker expected at byte \(offset)"
        case .noImageData(let offset):
            return "JPEG has no frame and scan before byte \(offset)"
        case .missingDCScan(let component):
            return "progressive JPEG never codes the DC values of component \(component)"
        }
    }
}

/// Two upper-case hexadecimal digits, as markers are written in the JPEG standard (`FF C0`).
func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
}
