/// A DEFLATE (RFC 1951) compressor for the parts of a written workbook: LZ77 over a 32 KiB window with hash
/// chains, greedy matching, one block of the fixed Huffman code.
///
/// The fixed code spares building and sending code tables; the markup of a sheet repeats so much that the
/// matches do most of the work (a sheet's XML shrinks about 5 to 8 times). Pure; safe to call from any thread.
enum Deflate {
    static func compress(_ input: [UInt8]) -> [UInt8] {
        var writer = BitWriter()
        writer.output.reserveCapacity(input.count / 4 + 64)
        writer.write(1, bits: 1)
        writer.write(1, bits: 2)
        input.withUnsafeBufferPointer { bytes in
            var head = [Int32](repeating: -1, count: hashSize)
            var previous = [Int32](repeating: -1, count: windowSize)
            var position = 0
            func insert(_ at: Int) {
                guard at + 2 < bytes.count else { return }
                let hash = Self.hash(bytes[at], bytes[at + 1], bytes[at + 2])
                previous[at & (windowSize - 1)] = head[hash]
                head[hash] = Int32(at)
            }
            while position < bytes.count {
                var bestLength = 0
                var bestDistance = 0
                if position + 2 < bytes.count {
                    let hash = Self.hash(bytes[position], bytes[position + 1], bytes[position + 2])
                    var candidate = Int(head[hash])
                    var chain = maximumChain
                    let longest = min(maximumMatch, bytes.count - position)
                    while candidate >= 0, position - candidate <= windowSize, chain > 0 {
                        if bytes[candidate + bestLength] == bytes[position + bestLength] {
                            var length = 0
                            while length < longest && bytes[candidate + length] == bytes[position + length] { length += 1 }
                            if length > bestLength {
                                bestLength = length
                                bestDistance = position - candidate
                                if length >= goodEnough || length == longest { break }
                            }
                        }
                        let next = Int(previous[candidate & (windowSize - 1)])
                        // A slot of the ring holds a position a window ago once the chain runs that far back.
                        if next >= candidate { break }
                        candidate = next
                        chain -= 1
                    }
                }
                if bestLength >= 3 {
                    writer.writeLength(bestLength)
                    writer.writeDistance(bestDistance)
                    for offset in 0..<bestLength { insert(position + offset) }
                    position += bestLength
                } else {
                    writer.writeLiteral(Int(bytes[position]))
                    insert(position)
                    position += 1
                }
            }
        }
        writer.writeLiteral(256)
        writer.flush()
        return writer.output
    }

    private static let windowSize = 32_768
    private static let hashSize = 1 << 15
    private static let maximumMatch = 258
    private static let maximumChain = 48
    /// A match this long ends the search: longer ones save little more.
    private static let goodEnough = 64

    private static func hash(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int {
        (Int(a) << 10 ^ Int(b) << 5 ^ Int(c)) & (hashSize - 1)
    }
}

/// Writes DEFLATE's bit stream, least significant bit first, with the fixed Huffman code.
private struct BitWriter {
    var output: [UInt8] = []
    private var buffer: UInt64 = 0
    private var count = 0

    /// The fixed code of each literal/length symbol, bit-reversed for writing, and its length.
    private static let literalCodes: [(code: UInt32, length: Int)] = (0..<288).map { symbol in
        switch symbol {
        case 0..<144: (reversed(0x30 + symbol, 8), 8)
        case 144..<256: (reversed(0x190 + symbol - 144, 9), 9)
        case 256..<280: (reversed(symbol - 256, 7), 7)
        default: (reversed(0xC0 + symbol - 280, 8), 8)
        }
    }
    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163,
                                     195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
                                       3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// The length code (0-28) of each match length 0...258.
    private static let lengthSymbols: [Int] = (0...258).map { length in lengthBase.lastIndex { $0 <= length } ?? 0 }

    private static func reversed(_ code: Int, _ length: Int) -> UInt32 {
        var result: UInt32 = 0
        for bit in 0..<length where code & (1 << bit) != 0 { result |= 1 << UInt32(length - 1 - bit) }
        return result
    }

    mutating func write(_ value: UInt32, bits: Int) {
        buffer |= UInt64(value) << UInt64(count)
        count += bits
        while count >= 8 {
            output.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            count -= 8
        }
    }

    mutating func writeLiteral(_ symbol: Int) {
        let code = Self.literalCodes[symbol]
        write(code.code, bits: code.length)
    }

    mutating func writeLength(_ length: Int) {
        let index = Self.lengthSymbols[length]
        writeLiteral(257 + index)
        if Self.lengthExtra[index] > 0 { write(UInt32(length - Self.lengthBase[index]), bits: Self.lengthExtra[index]) }
    }

    mutating func writeDistance(_ distance: Int) {
        // The distance code's index: the largest base at or below the distance.
        var low = 0
        var high = Self.distanceBase.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if Self.distanceBase[middle] <= distance { low = middle } else { high = middle - 1 }
        }
        write(Self.reversed(low, 5), bits: 5)
        if Self.distanceExtra[low] > 0 { write(UInt32(distance - Self.distanceBase[low]), bits: Self.distanceExtra[low]) }
    }

    mutating func flush() {
        if count > 0 { output.append(UInt8(truncatingIfNeeded: buffer)) }
        buffer = 0
        count = 0
    }
}
