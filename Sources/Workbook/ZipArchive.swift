import Localization

/// The entries of a ZIP archive held in memory, read from its central directory (PKWARE APPNOTE 6.3),
/// ZIP64 included. Entries are stored or deflated; encrypted ones and other methods are refused.
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

    static let localHeaderSignature: UInt32 = 0x0403_4B50
    private static let centralHeaderSignature: UInt32 = 0x0201_4B50
    private static let endSignature: UInt32 = 0x0605_4B50
    private static let zip64EndSignature: UInt32 = 0x0606_4B50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4B50

    init(bytes: [UInt8]) throws(WorkbookError) {
        self.bytes = bytes
        // The end record is the last thing in the file, followed only by a comment of at most 65,535 bytes.
        let earliest = max(0, bytes.count - 22 - 0xFFFF)
        var end = bytes.count - 22
        while end >= earliest, Self.u32(bytes, end) != Self.endSignature { end -= 1 }
        guard end >= earliest else { throw Self.damaged("the ZIP archive's directory is missing (the file is cut off?)") }
        var entryCount = Int(Self.u16(bytes, end + 10) ?? 0)
        var directorySize = Int(Self.u32(bytes, end + 12) ?? 0)
        var directoryOffset = Int(Self.u32(bytes, end + 16) ?? 0)
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            let locator = end - 20
            guard locator >= 0, Self.u32(bytes, locator) == Self.zip64LocatorSignature, let recordOffset = Self.u64(bytes, locator + 8),
                  recordOffset < bytes.count, Self.u32(bytes, recordOffset) == Self.zip64EndSignature,
                  let count = Self.u64(bytes, recordOffset + 32), let size = Self.u64(bytes, recordOffset + 40),
                  let offset = Self.u64(bytes, recordOffset + 48) else {
                throw Self.damaged("the ZIP64 end of the archive's directory is missing or damaged")
            }
            (entryCount, directorySize, directoryOffset) = (count, size, offset)
        }
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
            throw Self.damaged("the ZIP archive's directory lies outside the file (the file is cut off?)")
        }
        var entries: [String: Entry] = [:]
        var position = directoryOffset
        for _ in 0..<min(entryCount, directorySize / 46) {
            guard Self.u32(bytes, position) == Self.centralHeaderSignature, let flags = Self.u16(bytes, position + 8),
                  let method = Self.u16(bytes, position + 10), let crc = Self.u32(bytes, position + 16),
                  let compressed = Self.u32(bytes, position + 20), let size = Self.u32(bytes, position + 24),
                  let nameLength = Self.u16(bytes, position + 28), let extraLength = Self.u16(bytes, position + 30),
                  let commentLength = Self.u16(bytes, position + 32), let offset = Self.u32(bytes, position + 42) else {
                throw Self.damaged("an entry of the ZIP archive's directory is damaged")
            }
            let nameStart = position + 46
            let extraStart = nameStart + Int(nameLength)
            let next = extraStart + Int(extraLength) + Int(commentLength)
            guard next <= bytes.count else { throw Self.damaged("an entry of the ZIP archive's directory is cut off") }
            let name = String(decoding: bytes[nameStart..<extraStart], as: UTF8.self).replacingOccurrences(of: "\\", with: "/")
            var entry = Entry(name: name, method: method, flags: flags, crc: crc, compressedSize: Int(compressed), size: Int(size),
                              localHeaderOffset: Int(offset))
            try Self.applyZip64(bytes[extraStart..<(extraStart + Int(extraLength))], to: &entry)
            entries[name] = entry
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

    /// The entry's uncompressed bytes, refused when the archive says they are more than `limit`.
    func contents(of entry: Entry, limit: Int) throws(WorkbookError) -> [UInt8] {
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
        let range = start..<(start + entry.compressedSize)
        let data: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.size else { throw damaged("is stored with two different sizes") }
            data = Array(bytes[range])
        case 8:
            do throws(Inflate.Failure) {
                data = try Inflate.decompress(bytes, range: range, expectedCount: entry.size)
            } catch {
                throw damaged(error.message)
            }
        default:
            throw damaged("is compressed with method \(entry.method), which this reader does not read; save the workbook again from the spreadsheet")
        }
        guard CRC32.checksum(data) == entry.crc else { throw damaged("fails its CRC check: the file is damaged") }
        return data
    }

    /// The ZIP64 extended information field (id 1) holds, in this order, each of the sizes and the offset
    /// that the fixed fields mark with all ones.
    private static func applyZip64(_ extra: ArraySlice<UInt8>, to entry: inout Entry) throws(WorkbookError) {
        var position = extra.startIndex
        while position + 4 <= extra.endIndex {
            let id = u16(extra, position)!
            let length = Int(u16(extra, position + 2)!)
            let body = position + 4
            guard body + length <= extra.endIndex else { break }
            if id == 1 {
                var field = body
                func next() throws(WorkbookError) -> Int {
                    guard field + 8 <= body + length, let value = u64(extra, field) else {
                        throw damaged("an entry's ZIP64 sizes are cut off")
                    }
                    field += 8
                    return value
                }
                if entry.size == 0xFFFF_FFFF { entry.size = try next() }
                if entry.compressedSize == 0xFFFF_FFFF { entry.compressedSize = try next() }
                if entry.localHeaderOffset == 0xFFFF_FFFF { entry.localHeaderOffset = try next() }
            }
            position = body + length
        }
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

    /// A 64-bit field as an Int, nil when it does not fit one (no file here is that large).
    static func u64<C: RandomAccessCollection<UInt8>>(_ bytes: C, _ offset: C.Index) -> Int? where C.Index == Int {
        guard let low = u32(bytes, offset), let high = u32(bytes, offset + 4), high < 0x8000_0000 else { return nil }
        return Int(high) << 32 | Int(low)
    }
}
