/// One Huffman table from a DHT segment, laid out for table-driven decoding. Owns one allocation that the scan
/// loop reads through raw pointers (`HuffmanLookup`), so decoding a symbol touches no reference count.
/// Not shared between threads: each decode builds its own.
final class HuffmanTable {
    /// How many leading bits the direct lookup covers: a code of up to this many bits is decoded by one read,
    /// and an AC code with its value bits together up to this many in one step. 11 (2,048 entries, 12 KB a
    /// table, four tables in L1) measured 20-30% faster than 9 on 1080p snapshots; 12 was no faster on
    /// large files and slower on small ones, whose decode is dominated by building the tables.
    static let lookupBits = 11
    static let lookupSize = 1 << lookupBits

    let lookup: HuffmanLookup
    private let storage: UnsafeMutableRawPointer

    /// Builds the table from the 16 code-length counts and the symbols in code order (ITU T.81 Annex C).
    /// Throws when the counts do not describe a prefix code or the symbols run short.
    init(counts: [Int], symbols: [UInt8], offset: Int) throws(JPEGDecodeError) {
        let layout = HuffmanLookup.Layout()
        storage = UnsafeMutableRawPointer.allocate(byteCount: layout.byteCount, alignment: 8)
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: layout.byteCount)
        lookup = HuffmanLookup(storage: storage, layout: layout)

        for (index, symbol) in symbols.enumerated() { lookup.symbols[index] = symbol }
        var code: Int32 = 0
        var symbolIndex: Int32 = 0
        for length in 1...16 {
            let count = Int32(counts[length - 1])
            // Codes of one length are consecutive; the first is the previous length's last plus one, shifted.
            lookup.valueOffset[length] = symbolIndex - code
            lookup.maximumCode[length] = count > 0 ? code + count - 1 : -1
            // A prefix code of this length can have at most 2^length codes; checked before the lookup is filled.
            guard code + count <= (Int32(1) << length) else {
                throw .badHuffmanTable(offset: offset, reason: "code lengths overfill a prefix code at length \(length)")
            }
            if count > 0, length <= Self.lookupBits {
                for number in 0..<count {
                    let symbol = symbols[Int(symbolIndex + number)]
                    let shift = Self.lookupBits - length
                    let first = Int(code + number) << shift
                    for entry in first..<(first + (1 << shift)) {
                        lookup.direct[entry] = UInt16(length) << 8 | UInt16(symbol)
                        lookup.fastCoefficient[entry] = Self.fastCoefficientEntry(symbol: symbol, codeLength: length, lookupIndex: entry)
                    }
                }
            }
            code += count
            symbolIndex += count
            code <<= 1
        }
    }

    deinit { storage.deallocate() }

    /// The run field of the entry for symbol 0 in `fastCoefficient`.
    static let endOfBlockRun: Int32 = 64

    /// For a symbol whose code and value bits both fit in the lookup's bits, everything at once:
    /// value << 16 | run << 8 | total bits; for symbol 0 (EOB in an AC table, a zero difference in a DC
    /// table), a run of `endOfBlockRun`. A DC table's symbols are sizes, so its entries have a run of 0.
    /// Zero when the symbol needs the normal path (ZRL, long codes). Used for sequential AC and all DC
    /// decoding, not for progressive AC scans (where 0x00 is EOB0 and a size-1 symbol's bit means more).
    private static func fastCoefficientEntry(symbol: UInt8, codeLength: Int, lookupIndex: Int) -> Int32 {
        let run = Int32(symbol >> 4)
        let size = Int(symbol & 0x0F)
        // End of block: flagged by a run of 64, which no real run reaches.
        if symbol == 0x00 { return endOfBlockRun << 8 | Int32(codeLength) }
        guard size > 0, codeLength + size <= lookupBits else { return 0 }
        let bits = Int32((lookupIndex >> (lookupBits - codeLength - size)) & ((1 << size) - 1))
        let value = bits < (Int32(1) << (size - 1)) ? bits - (Int32(1) << size) + 1 : bits
        return value << 16 | run << 8 | Int32(codeLength + size)
    }
}

/// Raw views into a `HuffmanTable`'s storage; a trivial value the scan loop copies freely. Valid only while
/// its table lives.
struct HuffmanLookup {
    /// For each `lookupBits`-bit prefix: code length << 8 | symbol, or 0 when the code is longer.
    let direct: UnsafeMutablePointer<UInt16>
    /// For each `lookupBits`-bit prefix: a symbol decoded with its value (see `HuffmanTable.fastCoefficientEntry`), or 0.
    let fastCoefficient: UnsafeMutablePointer<Int32>
    /// For lengths 1...16: the largest code of that length (-1 if none), and what turns a code into an index
    /// into `symbols`.
    let maximumCode: UnsafeMutablePointer<Int32>
    let valueOffset: UnsafeMutablePointer<Int32>
    let symbols: UnsafeMutablePointer<UInt8>

    struct Layout {
        let directOffset = 0
        let fastCoefficientOffset = HuffmanTable.lookupSize * 2
        let maximumCodeOffset = HuffmanTable.lookupSize * 6
        let valueOffsetOffset = HuffmanTable.lookupSize * 6 + 18 * 4
        let symbolsOffset = HuffmanTable.lookupSize * 6 + 36 * 4
        var byteCount: Int { symbolsOffset + 256 }
    }

    init(storage: UnsafeMutableRawPointer, layout: Layout) {
        direct = (storage + layout.directOffset).bindMemory(to: UInt16.self, capacity: HuffmanTable.lookupSize)
        fastCoefficient = (storage + layout.fastCoefficientOffset).bindMemory(to: Int32.self, capacity: HuffmanTable.lookupSize)
        maximumCode = (storage + layout.maximumCodeOffset).bindMemory(to: Int32.self, capacity: 18)
        valueOffset = (storage + layout.valueOffsetOffset).bindMemory(to: Int32.self, capacity: 18)
        symbols = (storage + layout.symbolsOffset).bindMemory(to: UInt8.self, capacity: 256)
    }
}
