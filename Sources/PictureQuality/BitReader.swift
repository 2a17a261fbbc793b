/// Reads the entropy-coded data of one scan bit by bit: removes the `FF 00` stuffing, stops at a marker, and
/// keeps up to 64 bits left-aligned in a register so that a Huffman lookup is a shift and a load.
///
/// Past a marker or the end of the bytes it feeds zero bits (a decoder may look ahead further than the data
/// goes) and counts them, so that `hasOverrun` can tell when a decode consumed bits the file does not have.
/// A value type over borrowed memory: valid only while its bytes live, used by one thread.
struct BitReader {
    let bytes: UnsafePointer<UInt8>
    let end: Int
    /// The next byte to load into the register.
    private(set) var position: Int
    private var buffer: UInt64 = 0
    /// Valid bits in `buffer`, counting from its top.
    private var bitCount = 0
    /// How many of the bits loaded so far were zeros fed past a marker or the end of the data.
    private var paddingBits = 0
    private var reachedMarker = false

    /// Shifts the register's top `HuffmanTable.lookupBits` bits down to a table index.
    static let lookupShift = UInt64(64 - HuffmanTable.lookupBits)

    init(bytes: UnsafePointer<UInt8>, end: Int, position: Int) {
        self.bytes = bytes
        self.end = end
        self.position = position
    }

    /// About where the next unread bit is, for error messages: the byte being read, less what the register
    /// holds ahead (one byte off for each FF 00 among those bytes).
    var offset: Int { position - max(0, bitCount - paddingBits) / 8 }

    /// Whether the decode so far has used bits that are not in the file.
    var hasOverrun: Bool { bitCount < paddingBits }

    /// Tops the register up to at least 57 bits.
    @inline(__always)
    mutating func refill() {
        // Fast path: eight bytes with no FF among them go in with one load.
        if !reachedMarker, position + 8 <= end {
            let word = UInt64(bigEndian: UnsafeRawPointer(bytes + position).loadUnaligned(as: UInt64.self))
            let inverted = ~word
            let hasFF = (inverted &- 0x0101_0101_0101_0101) & ~inverted & 0x8080_8080_8080_8080
            if hasFF == 0 {
                let byteCount = (63 - bitCount) >> 3
                buffer |= word &>> UInt64(bitCount)
                position += byteCount
                bitCount += byteCount << 3
                buffer &= ~UInt64(0) &<< UInt64(64 - bitCount)
                return
            }
        }
        while bitCount <= 56 {
            var byte: UInt64 = 0
            if !reachedMarker, position < end {
                let value = bytes[position]
                if value != 0xFF {
                    byte = UInt64(value)
                    position += 1
                } else if position + 1 < end, bytes[position + 1] == 0x00 {
                    byte = 0xFF
                    position += 2
                } else {
                    // A marker (or FF as the last byte): stay on it for the caller to read.
                    reachedMarker = true
                    paddingBits += 8
                }
            } else {
                paddingBits += 8
            }
            buffer |= byte &<< UInt64(56 - bitCount)
            bitCount += 8
        }
    }

    /// Decodes one Huffman symbol, or returns -1 when no code of `table` matches. Needs 16 bits in the register.
    @inline(__always)
    mutating func decodeSymbol(_ table: HuffmanLookup) -> Int {
        if bitCount < 16 { refill() }
        let entry = table.direct[Int(truncatingIfNeeded: buffer &>> Self.lookupShift)]
        if entry != 0 {
            skip(Int(entry >> 8))
            return Int(entry & 0xFF)
        }
        return decodeLongSymbol(table)
    }

    /// The slow path of `decodeSymbol`: codes longer than the lookup, searched length by length (ITU T.81 F.2.2.3).
    @inline(never)
    mutating func decodeLongSymbol(_ table: HuffmanLookup) -> Int {
        for length in (HuffmanTable.lookupBits + 1)...16 {
            let code = Int32(truncatingIfNeeded: buffer &>> UInt64(64 - length))
            if code <= table.maximumCode[length] {
                skip(length)
                return Int(table.symbols[Int(code + table.valueOffset[length])])
            }
        }
        return -1
    }

    /// The next `count` bits (1...16) as an unsigned number.
    @inline(__always)
    mutating func bits(_ count: Int) -> Int32 {
        if bitCount < count { refill() }
        let value = Int32(truncatingIfNeeded: buffer &>> UInt64(64 - count))
        skip(count)
        return value
    }

    /// The next `size` bits (1...16) as a signed coefficient (ITU T.81 F.2.2.1, EXTEND).
    @inline(__always)
    mutating func signedValue(_ size: Int) -> Int32 {
        let value = bits(size)
        return value < (Int32(1) << (size - 1)) ? value - (Int32(1) << size) + 1 : value
    }

    /// Like `signedValue`, for a caller that knows `size` bits are already loaded (no refill check).
    @inline(__always)
    mutating func loadedSignedValue(_ size: Int) -> Int32 {
        let value = Int32(truncatingIfNeeded: buffer &>> UInt64(64 &- size))
        skip(size)
        return value < (Int32(1) &<< Int32(size &- 1)) ? value &- (Int32(1) &<< Int32(size)) &+ 1 : value
    }

    /// Looks at the next `HuffmanTable.lookupBits` bits without consuming them, refilling when fewer than `needed` bits are loaded.
    @inline(__always)
    mutating func peek(ensuring needed: Int) -> Int {
        if bitCount < needed { refill() }
        return Int(truncatingIfNeeded: buffer &>> Self.lookupShift)
    }

    @inline(__always)
    mutating func skip(_ count: Int) {
        buffer &<<= UInt64(count)
        bitCount &-= count
    }

    /// Drops the rest of the current byte and everything loaded ahead, to restart at `position` (after RSTn).
    mutating func reset(at newPosition: Int) {
        position = newPosition
        buffer = 0
        bitCount = 0
        paddingBits = 0
        reachedMarker = false
    }

    /// Where a restart marker should be now: the first byte not yet loaded, once only the current byte's
    /// padding is left in the register. Returns nil when whole unread bytes remain, which a correct scan
    /// never leaves before a marker.
    var markerPositionAfterPadding: Int? {
        bitCount - paddingBits < 8 ? position : nil
    }
}
