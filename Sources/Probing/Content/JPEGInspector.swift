/// Reads a snapshot's JPEG structure: enough to tell a whole picture from an HTML error page or a
/// picture cut off mid-transfer, and to learn its size. It does not decode the image.
public enum JPEGInspector {
    /// What the bytes turned out to be.
    public enum Outcome: Sendable, Equatable {
        /// A complete JPEG: SOI, a frame header, a scan, EOI at the very end.
        case picture(width: Int, height: Int)
        /// The bytes do not begin with the SOI marker `FF D8`.
        case notJPEG
        /// Begins like a JPEG but is cut short or damaged; `problem` is a short sentence saying where.
        case truncated(problem: String)
    }

    /// Inspects `bytes` by walking the marker segments from SOI to the first SOS (start of scan).
    ///
    /// The walk skips each segment by its declared length rather than searching for `FF C0`: an APP1
    /// (Exif) segment often holds a whole thumbnail JPEG, whose frame header a byte search would find
    /// first and report the thumbnail's size. The entropy-coded data after SOS is not read (it may hold
    /// `FF 00` stuffing and restart markers); only its end is checked for EOI.
    public static func inspect(_ bytes: [UInt8]) -> Outcome {
        let count = bytes.count
        guard count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return .notJPEG }
        var frame: (width: Int, height: Int)?
        var index = 2
        while true {
            guard index < count else {
                return .truncated(problem: "JPEG ends after \(count) bytes, before its image data")
            }
            guard bytes[index] == 0xFF else {
                return .truncated(problem: "JPEG header is damaged: no marker at byte \(index)")
            }
            // A marker may be preceded by any number of FF fill bytes (ITU T.81 B.1.1.2).
            var markerIndex = index + 1
            while markerIndex < count, bytes[markerIndex] == 0xFF { markerIndex += 1 }
            guard markerIndex < count else {
                return .truncated(problem: "JPEG ends after \(count) bytes, before its image data")
            }
            let marker = bytes[markerIndex]
            index = markerIndex + 1
            switch marker {
            case 0xD9:
                return .truncated(problem: "JPEG ends (EOI) at byte \(markerIndex - 1) before any image data")
            case 0x01, 0xD0...0xD7:
                // TEM and RSTn stand alone: no length field follows.
                continue
            case 0x00, 0xD8:
                return .truncated(problem: "JPEG header is damaged: marker FF \(hexByte(marker)) at byte \(markerIndex - 1)")
            default:
                break
            }
            guard index + 2 <= count else {
                return .truncated(problem: "JPEG ends inside segment FF \(hexByte(marker)) after \(count) bytes")
            }
            // The length counts itself (two bytes) but not the marker.
            let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
            guard length >= 2 else {
                return .truncated(problem: "JPEG header is damaged: segment FF \(hexByte(marker)) at byte \(markerIndex - 1) has length \(length)")
            }
            guard index + length <= count else {
                return .truncated(problem: "JPEG ends inside segment FF \(hexByte(marker)) after \(count) bytes")
            }
            if isStartOfFrame(marker), frame == nil {
                // Length (2), sample precision (1), number of lines (2), samples per line (2), components (1).
                guard length >= 8 else {
                    return .truncated(problem: "JPEG frame header at byte \(markerIndex - 1) is too short (\(length) bytes)")
                }
                let height = Int(bytes[index + 3]) << 8 | Int(bytes[index + 4])
                let width = Int(bytes[index + 5]) << 8 | Int(bytes[index + 6])
                guard width > 0 else {
                    return .truncated(problem: "JPEG frame header declares a width of 0")
                }
                frame = (width, height)
            }
            if marker == 0xDA {
                guard let frame else {
                    return .truncated(problem: "JPEG has no frame header (SOF) before its image data")
                }
                // Exact end, no padding allowed: a camera that pads is rare, a cut-off transfer is not.
                let scanDataStart = index + length
                guard count >= scanDataStart + 2, bytes[count - 2] == 0xFF, bytes[count - 1] == 0xD9 else {
                    return .truncated(problem: "JPEG ends without EOI after \(count) bytes")
                }
                return .picture(width: frame.width, height: frame.height)
            }
            index += length
        }
    }

    /// SOF0-SOF15, except the three markers in that range that are not frame headers:
    /// DHT (C4), JPG (C8, reserved) and DAC (CC).
    static func isStartOfFrame(_ marker: UInt8) -> Bool {
        (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
    }

    static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
    }
}
