import Localization

/// The entries of a ZIP archive held in memory, read from its central directory (PKWARE APPNOTE 6.3).
/// Entries are stored or deflated. Refused, with what to do: ZIP64, archives split over several disks,
/// encrypted entries, other compression methods, and more than `maximumEntries` entries.
///
/// An immutable value; safe to share between threads.
struct ZipArchive {
    struct Entry: Sendable {
        var name: String
        var method: UInt16
        var flags: UInt16
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int
    }

    let bytes: [UInt8]
    /// Every entry, by name (`\` read as `/`, as some Windows writers put it).
    let entries: [String: Entry]

    /// A workbook has a dozen parts, a large one with images a few hundred.
    static let maximumEntries = 10_000

    static let localHeaderSignature: UInt32 = 0x0403_4B50
    private static let centralHeaderSignature: UInt32 = 0x0201_4B50
    private static let endSignature: UInt32 = 0x0605_4B50

    init(bytes: [UInt8]) throws(WorkbookError) {
        self.bytes = bytes
        // The end record is the last thing in the file, followed only by a comment of at most 65,535 bytes.
        let earliest = max(0, bytes.count - 22 - 0xFFFF)
        var end = bytes.count - 22
        while end >= earliest, Self.u32(bytes, end) != Self.endSignature { end -= 1 }
        guard end >= earliest, let disk = Self.u16(bytes, end + 4), let directoryDisk = Self.u16(bytes, end + 6),
              let entriesHere = Self.u16(bytes, end + 8), let entryCount = Self.u16(bytes, end + 10),
              let directorySize = Self.u32(bytes, end + 12).map(Int.init), let directoryOffset = Self.u32(bytes, end + 16).map(Int.init) else {
            throw Self.damaged("the ZIP archive's directory is missing (the file is cut off?)")
        }
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            throw Self.damaged("is a ZIP64 archive, which no spreadsheet writes for a register; save it again from the spreadsheet")
        }
        guard disk == 0, directoryDisk == 0, entriesHere == entryCount else {
            throw Self.damaged("is one part of a ZIP archive split over several files; save the workbook again as one file")
        }
        guard Int(entryCount) <= Self.maximumEntries else {
            throw Self.damaged("has \(entryCount) entries; a workbook has at most \(Self.maximumEntries)")
        }
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
            throw Self.damaged("the ZIP archive's directory lies outside the file (the file is cut off?)")
        }
        var entries: [String: Entry] = [:]
        var position = directoryOffset
        for _ in 0..<Int(entryCount) {
            guard Self.u32(bytes, position) == Self.centralHeaderSignature, let flags = Self.u16(bytes, position + 8),
                  let method = Self.u16(bytes, position + 10), let crc = Self.u32(bytes, position + 16),
                  let compressed = Self.u32(bytes, position + 20), let size = Self.u32(bytes, position + 24),
                  let nameLength = Self.u16(bytes, position + 28), let extraLength = Self.u16(bytes, position + 30),
                  let commentLength = Self.u16(bytes, position + 32), let offset = Self.u32(bytes, position + 42) else {
                throw Self.damaged("an entry of the ZIP archive's directory is damaged")
            }
            let nameStart = position + 46
            let next = nameStart + Int(nameLength) + Int(extraLength) + Int(commentLength)
            guard next <= bytes.count else { throw Self.damaged("an entry of the ZIP archive's directory is cut off") }
            if compressed == 0xFFFF_FFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
                throw Self.damaged("is a ZIP64 archive, which no spreadsheet writes for a register; save it again from the spreadsheet")
            }
            let name = String(decoding: bytes[nameStart..<(nameStart + Int(nameLength))], as: UTF8.self).replacingOccurrences(of: "\\", with: "/")
            entries[name] = Entry(name: name, method: method, flags: flags, crc: crc, compressedSize: Int(compressed), size: Int(size),
                                  localHeaderOffset: Int(offset))
            position = next
        }
        self.entries = entries
    }

    /// The entry of that name, or, since the parts of an Office package are named case-insensitively, the
    /// one whose name differs only in case.
    func entry(named name: String) -> Entry? {
        if let entry = entries[name] { return entry }
        let lowered = name.lowercased()
        return entries.first { $0.key.lowercased() == lowered }?.value
    }

    /// The entry's uncompressed bytes. Refused past `limit` bytes, or when inflating more than
    /// `maximumRatio` times the compressed size, or short of or past the size the directory says, or failing
    /// the CRC.
    func contents(of entry: Entry, limit: Int, maximumRatio: Int = Workbook.Limits.standard.compressionRatio) throws(WorkbookError) -> [UInt8] {
        func damaged(_ message: Message) -> WorkbookError { .damaged(part: entry.name, message) }
        guard entry.flags & 1 == 0 else {
            throw WorkbookError.notAWorkbook("is encrypted; save the workbook again without a password")
        }
        guard entry.size <= limit else {
            throw damaged("is \(entry.size) bytes uncompressed; at most \(limit) are read")
        }
        let header = entry.localHeaderOffset
        guard Self.u32(bytes, header) == Self.localHeaderSignature, let nameLength = Self.u16(bytes, header + 26),
              let extraLength = Self.u16(bytes, header + 28) else {
            throw damaged("its local header in the ZIP archive is missing or damaged")
        }
        let start = header + 30 + Int(nameLength) + Int(extraLength)
        guard start <= bytes.count, entry.compressedSize <= bytes.count - start else {
            throw damaged("its data runs past the end of the file (the file is cut off?)")
        }
        let compressed = bytes[start..<(start + entry.compressedSize)]
        let data: [UInt8]
        switch entry.method {
        case 0:
            data = Array(compressed)
        case 8:
            do throws(Zlib.Failure) {
                data = try Zlib.inflate(compressed, limit: limit, maximumRatio: maximumRatio, expectedCount: entry.size)
            } catch {
                throw damaged(error.message)
            }
        default:
            throw damaged("is compressed with method \(entry.method), which this reader does not read; save the workbook again from the spreadsheet")
        }
        guard data.count == entry.size else {
            throw damaged("is \(data.count) bytes uncompressed, but the ZIP archive's directory says \(entry.size): the file is damaged")
        }
        guard Zlib.crc32(data) == entry.crc else { throw damaged("fails its CRC check: the file is damaged") }
        return data
    }

    private static func damaged(_ message: Message) -> WorkbookError { .damaged(part: nil, message) }

    // MARK: little-endian fields, nil past the end

    static func u16<C: RandomAccessCollection<UInt8>>(_ bytes: C, _ offset: C.Index) -> UInt16? where C.Index == Int {
        guard offset >= bytes.startIndex, offset + 2 <= bytes.endIndex else { return nil }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    static func u32<C: RandomAccessCollection<UInt8>>(_ bytes: C, _ offset: C.Index) -> UInt32? where C.Index == Int {
        guard offset >= bytes.startIndex, offset + 4 <= bytes.endIndex else { return nil }
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
