/// A camera's picture small enough to embed in a report page beside a finding: the 1/8-scale DC picture pooled
/// into at most 48 x 27 pixels (the grid of `ReferencePicture`, so a camera's reference can be drawn beside it),
/// kept as RGB bytes (at most 3,888) and given to a page as an uncompressed PNG (`png`, `dataURI`): about 4 KB,
/// 5.3 KB as a data URI, no zlib, no external file. A page scales it up (`image-rendering: pixelated` keeps
/// the cells sharp).
///
/// A value type; safe to share between threads.
public struct PictureThumbnail: Sendable, Equatable, Codable {
    public static let maximumWidth = ReferencePicture.maximumCellsWide
    public static let maximumHeight = ReferencePicture.maximumCellsHigh
    public let width: Int
    public let height: Int
    /// Interleaved R, G, B, row by row, `width` x `height` pixels.
    public let rgb: [UInt8]

    /// A thumbnail from its parts; nil unless `rgb` holds `width` x `height` pixels within the bounds.
    public init?(width: Int, height: Int, rgb: [UInt8]) {
        guard (1...Self.maximumWidth).contains(width), (1...Self.maximumHeight).contains(height), rgb.count == width * height * 3 else {
            return nil
        }
        self.width = width
        self.height = height
        self.rgb = rgb
    }

    /// `picture` in colour: its 1/8-scale RGB picture (`DCPicture.rgbPlane`) averaged over the cells of the
    /// reference grid (5 x 5 blocks for 1080p, giving 48 x 27).
    public init(_ picture: DCPicture) {
        let (wide, high) = (picture.scaledWidth, picture.scaledHeight)
        let factor = Self.factor(wide: wide, high: high)
        let rgb = picture.rgbPlane()
        width = (wide + factor - 1) / factor
        height = (high + factor - 1) / factor
        var sums = [Int](repeating: 0, count: width * height * 3)
        var counts = [Int](repeating: 0, count: width * height)
        for y in 0..<high {
            for x in 0..<wide {
                let cell = (y / factor) * width + x / factor
                let pixel = (y * wide + x) * 3
                sums[cell * 3] += Int(rgb[pixel])
                sums[cell * 3 + 1] += Int(rgb[pixel + 1])
                sums[cell * 3 + 2] += Int(rgb[pixel + 2])
                counts[cell] += 1
            }
        }
        self.rgb = sums.indices.map { UInt8(clamping: (sums[$0] + counts[$0 / 3] / 2) / max(1, counts[$0 / 3])) }
    }

    /// A camera's kept reference, in grey (a reference keeps luma only): to show beside a scene change.
    public init(_ reference: ReferencePicture) {
        let cells = reference.picture.components[0]
        self.init(grey: cells.dcValues.map(DCPicture.sample(fromDC:)), width: cells.widthInBlocks, height: cells.heightInBlocks)
    }

    /// A monitor's kept picture signature, in grey (it keeps luma only, on a coarser grid): to show a frozen
    /// picture, which has no finding of its own and so no colour thumbnail.
    public init(_ signature: PictureSignature) {
        self.init(grey: signature.cells.map(DCPicture.sample(fromDC:)), width: signature.cellsWide, height: signature.cellsHigh)
    }

    private init(grey: [UInt8], width: Int, height: Int) {
        self.width = width
        self.height = height
        var rgb: [UInt8] = []
        rgb.reserveCapacity(grey.count * 3)
        for level in grey { rgb += [level, level, level] }
        self.rgb = rgb
    }

    /// Blocks per thumbnail pixel side: what `ReferencePicture` pools by.
    static func factor(wide: Int, high: Int) -> Int {
        max(1, (wide + maximumWidth - 1) / maximumWidth, (high + maximumHeight - 1) / maximumHeight)
    }

    // MARK: PNG

    /// The thumbnail as a PNG file: 8-bit RGB, no interlace, each row with filter 0, the zlib stream of stored
    /// (uncompressed) deflate blocks, every chunk with its CRC-32. Any browser or image library reads it.
    public var png: [UInt8] {
        var raw: [UInt8] = []
        raw.reserveCapacity(height * (1 + width * 3))
        for row in 0..<height {
            raw.append(0)
            raw += rgb[(row * width * 3)..<((row + 1) * width * 3)]
        }
        // zlib: CMF 0x78 (deflate, 32 KB window), FLG 0x01 (no dictionary, fastest; 0x7801 is a multiple of 31).
        var zlib: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let count = min(65_535, raw.count - offset)
            let final: UInt8 = offset + count == raw.count ? 1 : 0
            zlib += [final, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            zlib += raw[offset..<(offset + count)]
            offset += count
        } while offset < raw.count
        zlib += Self.bigEndian(Self.adler32(raw))

        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        func chunk(_ type: String, _ data: [UInt8]) {
            let typed = Array(type.utf8) + data
            file += Self.bigEndian(UInt32(data.count)) + typed + Self.bigEndian(Self.crc32(typed))
        }
        chunk("IHDR", Self.bigEndian(UInt32(width)) + Self.bigEndian(UInt32(height)) + [8, 2, 0, 0, 0])
        chunk("IDAT", zlib)
        chunk("IEND", [])
        return file
    }

    /// `data:image/png;base64,…`: the PNG to put in an `<img src>` of a self-contained page.
    public var dataURI: String { "data:image/png;base64," + Base64.encoded(png) }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var (a, b): (UInt32, UInt32) = (1, 0)
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    /// CRC-32 as PNG and zlib define it (polynomial 0xEDB88320, reflected), table-driven.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    // MARK: Kept form

    enum CodingKeys: String, CodingKey { case width, height, rgb }

    /// `{"width": 48, "height": 27, "rgb": "<base64 of the RGB bytes>"}`; a value that does not hold a
    /// thumbnail within the bounds is refused.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let width = try container.decode(Int.self, forKey: .width)
        let height = try container.decode(Int.self, forKey: .height)
        guard let rgb = Base64.decoded(try container.decode(String.self, forKey: .rgb)),
              let thumbnail = PictureThumbnail(width: width, height: height, rgb: rgb) else {
            throw DecodingError.dataCorruptedError(forKey: .rgb, in: container, debugDescription: "not a thumbnail of at most 48x27 RGB pixels")
        }
        self = thumbnail
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(width, forKey: .width)
        try container.encode(height, forKey: .height)
        try container.encode(Base64.encoded(rgb), forKey: .rgb)
    }
}

/// RFC 4648 base64 with padding, for thumbnails in documents and data URIs (this module has no Foundation).
public enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encoded(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            let group = (UInt32(bytes[index]) << 16) | (count > 1 ? UInt32(bytes[index + 1]) << 8 : 0) | (count > 2 ? UInt32(bytes[index + 2]) : 0)
            for position in 0..<4 {
                out.append(position <= count ? alphabet[Int(group >> (18 - 6 * UInt32(position)) & 0x3F)] : 61)
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of padded base64 text; nil for anything else.
    public static func decoded(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count % 4 == 0 else { return nil }
        var values: [UInt8] = []
        values.reserveCapacity(characters.count)
        for (position, character) in characters.enumerated() {
            if character == 61 {
                // Padding only in the last two places, and only at the end.
                guard position >= characters.count - 2, characters[position...].allSatisfy({ $0 == 61 }) else { return nil }
                values.append(64)
                continue
            }
            guard let value = decodingTable[Int(character)] else { return nil }
            values.append(value)
        }
        var out: [UInt8] = []
        out.reserveCapacity(characters.count / 4 * 3)
        for start in stride(from: 0, to: values.count, by: 4) {
            let group = values[start..<(start + 4)]
            let padding = group.count { $0 == 64 }
            let bits = group.reduce(UInt32(0)) { $0 << 6 | UInt32($1 == 64 ? 0 : $1) }
            out.append(UInt8(bits >> 16))
            if padding < 2 { out.append(UInt8(bits >> 8 & 0xFF)) }
            if padding < 1 { out.append(UInt8(bits & 0xFF)) }
        }
        return out
    }

    private static let decodingTable: [UInt8?] = {
        var table = [UInt8?](repeating: nil, count: 256)
        for (value, character) in alphabet.enumerated() { table[Int(character)] = UInt8(value) }
        return table
    }()
}
