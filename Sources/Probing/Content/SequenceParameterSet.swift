import Foundation  // Data(base64Encoded:) for the SDP's parameter sets

/// The coded picture size in an H.264 or H.265 sequence parameter set (ITU-T H.264 7.3.2.1.1, H.265 7.3.2.2),
/// read up to the size and its cropping window, nothing further.
public enum SequenceParameterSet {
    public struct PictureSize: Sendable, Equatable {
        public var width: Int
        public var height: Int
    }

    /// The size in an H.264 SPS NAL unit (its one-byte header included); nil when the unit is cut short or
    /// its values are out of range.
    public static func h264PictureSize(_ unit: UnsafeRawBufferPointer) -> PictureSize? {
        guard unit.count > 4 else { return nil }
        var bits = BitReader(rawByteSequencePayload: unit.dropFirst())
        guard let profile = bits.read(8), bits.read(8) != nil, bits.read(8) != nil, bits.unsignedGolomb() != nil else { return nil }
        var chromaFormat = 1
        var separateColourPlanes = false
        if [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].contains(profile) {
            guard let format = bits.unsignedGolomb(), format <= 3 else { return nil }
            chromaFormat = format
            if chromaFormat == 3 { separateColourPlanes = bits.read(1) == 1 }
            // Bit depths, then the transform-bypass flag.
            guard bits.unsignedGolomb() != nil, bits.unsignedGolomb() != nil, bits.read(1) != nil, let scaling = bits.read(1) else { return nil }
            if scaling == 1 {
                for list in 0..<(chromaFormat == 3 ? 12 : 8) {
                    guard let present = bits.read(1) else { return nil }
                    if present == 1 && !bits.skipScalingList(size: list < 6 ? 16 : 64) { return nil }
                }
            }
        }
        guard bits.unsignedGolomb() != nil, let pictureOrderType = bits.unsignedGolomb() else { return nil }
        if pictureOrderType == 0 {
            guard bits.unsignedGolomb() != nil else { return nil }
        } else if pictureOrderType == 1 {
            guard bits.read(1) != nil, bits.signedGolomb() != nil, bits.signedGolomb() != nil, let cycle = bits.unsignedGolomb(),
                  cycle <= 255 else { return nil }
            for _ in 0..<cycle where bits.signedGolomb() == nil { return nil }
        }
        // Reference frames and the gaps flag, then the size in macroblocks.
        guard bits.unsignedGolomb() != nil, bits.read(1) != nil, let widthInBlocks = bits.unsignedGolomb(),
              let heightInUnits = bits.unsignedGolomb(), let framesOnly = bits.read(1) else { return nil }
        if framesOnly == 0 { guard bits.read(1) != nil else { return nil } }
        guard bits.read(1) != nil, let cropping = bits.read(1) else { return nil }
        let fieldFactor = 2 - framesOnly
        var width = (widthInBlocks + 1) * 16
        var height = fieldFactor * (heightInUnits + 1) * 16
        if cropping == 1 {
            guard let left = bits.unsignedGolomb(), let right = bits.unsignedGolomb(), let top = bits.unsignedGolomb(),
                  let bottom = bits.unsignedGolomb() else { return nil }
            let arrayType = separateColourPlanes ? 0 : chromaFormat
            let unitX = arrayType == 0 ? 1 : (arrayType == 3 ? 1 : 2)
            let unitY = (arrayType == 1 ? 2 : 1) * fieldFactor
            width -= unitX * (left + right)
            height -= unitY * (top + bottom)
        }
        return plausible(width, height)
    }

    /// The size in an H.265 SPS NAL unit (its two-byte header included).
    public static func h265PictureSize(_ unit: UnsafeRawBufferPointer) -> PictureSize? {
        guard unit.count > 15 else { return nil }
        var bits = BitReader(rawByteSequencePayload: unit.dropFirst(2))
        guard bits.read(4) != nil, let subLayers = bits.read(3), bits.read(1) != nil else { return nil }
        // profile_tier_level: the general profile (88 bits) and level (8), then per sub-layer flags and fields.
        guard bits.skip(96) else { return nil }
        var profilePresent: [Bool] = []
        var levelPresent: [Bool] = []
        for _ in 0..<subLayers {
            guard let profile = bits.read(1), let level = bits.read(1) else { return nil }
            profilePresent.append(profile == 1)
            levelPresent.append(level == 1)
        }
        if subLayers > 0 { guard bits.skip(2 * (8 - subLayers)) else { return nil } }
        for layer in 0..<subLayers {
            if profilePresent[layer] { guard bits.skip(88) else { return nil } }
            if levelPresent[layer] { guard bits.skip(8) else { return nil } }
        }
        guard bits.unsignedGolomb() != nil, let chromaFormat = bits.unsignedGolomb(), chromaFormat <= 3 else { return nil }
        if chromaFormat == 3 { guard bits.read(1) != nil else { return nil } }
        guard var width = bits.unsignedGolomb(), var height = bits.unsignedGolomb(), let window = bits.read(1) else { return nil }
        if window == 1 {
            guard let left = bits.unsignedGolomb(), let right = bits.unsignedGolomb(), let top = bits.unsignedGolomb(),
                  let bottom = bits.unsignedGolomb() else { return nil }
            width -= (chromaFormat == 1 || chromaFormat == 2 ? 2 : 1) * (left + right)
            height -= (chromaFormat == 1 ? 2 : 1) * (top + bottom)
        }
        return plausible(width, height)
    }

    /// The size in the SPS an SDP carries out of band: H.264's first `sprop-parameter-sets` entry
    /// (RFC 6184), H.265's `sprop-sps` (RFC 7798), base64 in the `a=fmtp` parameters; nil without one.
    public static func pictureSize(formatParameters: String?, format: VideoPayloadFormat) -> PictureSize? {
        let key = format == .h264 ? "sprop-parameter-sets" : format == .h265 ? "sprop-sps" : nil
        guard let key, let formatParameters else { return nil }
        for parameter in formatParameters.split(separator: ";") {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == key,
                  let first = parts[1].split(separator: ",").first,
                  let unit = Data(base64Encoded: String(first).trimmingCharacters(in: .whitespaces)) else { continue }
            return [UInt8](unit).withUnsafeBytes { format == .h264 ? h264PictureSize($0) : h265PictureSize($0) }
        }
        return nil
    }

    private static func plausible(_ width: Int, _ height: Int) -> PictureSize? {
        (1...16_384).contains(width) && (1...16_384).contains(height) ? PictureSize(width: width, height: height) : nil
    }
}

/// Reads bits, most significant first, from a NAL unit's payload with its emulation-prevention bytes
/// (the 03 in 00 00 03) removed.
struct BitReader {
    private var bytes: [UInt8] = []
    private var position = 0

    init(rawByteSequencePayload escaped: Slice<UnsafeRawBufferPointer>) {
        bytes.reserveCapacity(escaped.count)
        var zeros = 0
        for byte in escaped {
            if zeros >= 2 && byte == 3 {
                zeros = 0
                continue
            }
            zeros = byte == 0 ? zeros + 1 : 0
            bytes.append(byte)
        }
    }

    /// The next `count` bits (at most 32) as a number; nil past the end.
    mutating func read(_ count: Int) -> Int? {
        guard position + count <= bytes.count * 8 else { return nil }
        var value = 0
        for _ in 0..<count {
            value = value << 1 | Int(bytes[position >> 3] >> (7 - UInt8(position & 7)) & 1)
            position += 1
        }
        return value
    }

    mutating func skip(_ count: Int) -> Bool {
        guard position + count <= bytes.count * 8 else { return false }
        position += count
        return true
    }

    /// An unsigned exp-Golomb number, ue(v); nil past the end or beyond 31 leading zeros.
    mutating func unsignedGolomb() -> Int? {
        var zeros = 0
        while true {
            guard let bit = read(1) else { return nil }
            if bit == 1 { break }
            zeros += 1
            if zeros > 31 { return nil }
        }
        guard let suffix = read(zeros) else { return nil }
        return (1 << zeros) - 1 + suffix
    }

    /// A signed exp-Golomb number, se(v): 1, -1, 2, -2, … for 1, 2, 3, 4, …
    mutating func signedGolomb() -> Int? {
        guard let code = unsignedGolomb() else { return nil }
        return code & 1 == 1 ? (code + 1) / 2 : -(code / 2)
    }

    /// Skips an H.264 scaling list of `size` entries (7.3.2.1.1.1): deltas until the next scale is 0.
    mutating func skipScalingList(size: Int) -> Bool {
        var last = 8
        var next = 8
        for _ in 0..<size {
            if next != 0 {
                guard let delta = signedGolomb() else { return false }
                next = (last + delta + 256) % 256
            }
            last = next == 0 ? last : next
        }
        return true
    }
}
