/// Writes a ZIP archive of deflated entries in memory, deterministically: every entry is dated 1980-01-01
/// 00:00 (the format's epoch), so the same content gives the same bytes. Not ZIP64: a workbook this tool
/// writes stays far below 4 GiB. Not thread-safe: one writer per archive.
struct ZipWriter {
    private(set) var bytes: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    /// 1980-01-01 in MS-DOS date format: (year - 1980) << 9 | month << 5 | day.
    private static let dosDate: UInt16 = 1 << 5 | 1

    mutating func add(_ name: String, _ content: [UInt8]) { add(name, pieces: [content]) }

    /// Adds an entry whose content is `pieces` one after another, deflated without joining them.
    mutating func add(_ name: String, pieces: [[UInt8]]) {
        let compressed = Zlib.deflate(pieces)
        let crc = pieces.reduce(0) { Zlib.crc32($1, continuing: $0) }
        let size = pieces.reduce(0) { $0 + $1.count }
        let nameBytes = Array(name.utf8)
        precondition(bytes.count < 0xFFFF_FFFF && compressed.count < 0xFFFF_FFFF && size < 0xFFFF_FFFF, "no ZIP64 here")
        let offset = UInt32(bytes.count)
        // Bit 11: the name is UTF-8.
        let common: [UInt8] = le(UInt16(20)) + le(UInt16(0x0800)) + le(UInt16(8)) + le(UInt16(0)) + le(Self.dosDate) + le(crc)
            + le(UInt32(compressed.count)) + le(UInt32(size)) + le(UInt16(nameBytes.count)) + le(UInt16(0))
        bytes += le(ZipArchive.localHeaderSignature) + common + nameBytes + compressed
        directory += le(UInt32(0x0201_4B50)) + le(UInt16(20)) + common + le(UInt16(0)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt32(0))
            + le(offset) + nameBytes
        count += 1
    }

    /// The archive, with its central directory and end record.
    func finished() -> [UInt8] {
        let end: [UInt8] = le(UInt32(0x0605_4B50)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt16(count)) + le(UInt16(count))
            + le(UInt32(directory.count)) + le(UInt32(bytes.count)) + le(UInt16(0))
        return bytes + directory + end
    }

    private func le(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private func le(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
}
