import Localization

/// A DEFLATE (RFC 1951) decoder for the entries of a ZIP archive, written by hand so that reading a
/// workbook needs no C library.
///
/// The output size is known beforehand (the archive's directory says it) and is enforced: a stream that
/// would produce one byte more, or that ends short of it, is refused. So a decompression bomb costs no more
/// memory than the size its archive admits to, which the caller bounds. Pure; safe to call from any thread.
enum Inflate {
    /// Why a stream is not valid DEFLATE data of the announced size.
    struct Failure: Error, Equatable {
        let message: Message
    }

    /// The `expectedCount` bytes that `input[range]` decompresses to.
    static func decompress(_ input: [UInt8], range: Range<Int>, expectedCount: Int) throws(Failure) -> [UInt8] {
        var failure: Failure?
        let output = input.withUnsafeBufferPointer { whole in
            [UInt8](unsafeUninitializedCapacity: expectedCount) { buffer, initializedCount in
                var inflater = Inflater(input: UnsafeBufferPointer(rebasing: whole[range]), output: buffer)
                do {
                    try inflater.run()
                    initializedCount = inflater.written
                } catch let error as Failure {
                    failure = error
                    initializedCount = 0
                } catch {
                    initializedCount = 0
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}

/// A canonical Huffman code as one lookup table indexed by the next `bits` bits of input (which DEFLATE
/// packs with the code's first bit lowest). Each entry is `symbol << 4 | length`; 0 marks a bit pattern
/// that no code starts with.
private struct HuffmanTable {
    var entries: [UInt16]
    var bits: Int

    init(lengths: ArraySlice<UInt8>) throws(Inflate.Failure) {
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths { counts[Int(length)] += 1 }
        counts[0] = 0
        let longest = counts.lastIndex { $0 > 0 } ?? 0
        // The Kraft sum: more codes of a length than the shorter ones leave room for is no prefix code.
        var left = 1
        for length in 1..<16 {
            left = left << 1 - counts[length]
            if left < 0 { throw Inflate.Failure(message: "a Huffman code has more codes than its lengths allow") }
        }
        bits = max(longest, 1)
        entries = [UInt16](repeating: 0, count: 1 << bits)
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1..<16 {
            code = (code + counts[length - 1]) << 1
            nextCode[length] = code
        }
        for (offset, length) in lengths.enumerated() where length > 0 {
            let length = Int(length)
            let symbol = offset
            let assigned = nextCode[length]
            nextCode[length] += 1
            var reversed = 0
            for bit in 0..<length where assigned & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
            let entry = UInt16(symbol << 4 | length)
            var index = reversed
            while index < entries.count {
                entries[index] = entry
                index += 1 << length
            }
        }
    }
}

private struct Inflater {
    let input: UnsafeBufferPointer<UInt8>
    let output: UnsafeMutableBufferPointer<UInt8>
    private(set) var written = 0
    /// The next input byte to load into `buffer`; may pass the end, which loads zeros (checked at the end).
    private var position = 0
    private var buffer: UInt64 = 0
    private var count = 0

    init(input: UnsafeBufferPointer<UInt8>, output: UnsafeMutableBufferPointer<UInt8>) {
        self.input = input
        self.output = output
    }

    private static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
                                            131, 163, 195, 227, 258]
    private static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
                                              1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12,
                                               12, 13, 13]
    /// The order in which a dynamic block lists the code-length code's lengths.
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    private static let fixedLiterals = try! HuffmanTable(lengths: ArraySlice(
        [UInt8](repeating: 8, count: 144) + [UInt8](repeating: 9, count: 112) + [UInt8](repeating: 7, count: 24) + [UInt8](repeating: 8, count: 8)))
    private static let fixedDistances = try! HuffmanTable(lengths: ArraySlice([UInt8](repeating: 5, count: 30)))

    mutating func run() throws(Inflate.Failure) {
        var last = false
        while !last {
            last = bits(1) == 1
            switch bits(2) {
            case 0: try storedBlock()
            case 1: try codedBlock(literals: Self.fixedLiterals, distances: Self.fixedDistances)
            case 2:
                let (literals, distances) = try dynamicTables()
                try codedBlock(literals: literals, distances: distances)
            default: throw Inflate.Failure(message: "a block of the reserved type 3")
            }
            try checkNotPastEnd()
        }
        if written != output.count {
            throw Inflate.Failure(message: "decompresses to \(written) bytes; the archive says \(output.count)")
        }
    }

    // MARK: blocks

    private mutating func storedBlock() throws(Inflate.Failure) {
        // The length fields start at the next byte: drop the rest of this one and give back whole bytes loaded ahead.
        _ = bits(count % 8)
        position -= count / 8
        buffer = 0
        count = 0
        try checkNotPastEnd()
        guard position + 4 <= input.count else { throw truncated }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == ~complement & 0xFFFF else { throw Inflate.Failure(message: "a stored block's length and its complement disagree") }
        position += 4
        guard position + length <= input.count else { throw truncated }
        guard written + length <= output.count else { throw tooLong }
        for offset in 0..<length { output[written + offset] = input[position + offset] }
        written += length
        position += length
    }

    private mutating func dynamicTables() throws(Inflate.Failure) -> (HuffmanTable, HuffmanTable) {
        let literalCount = Int(bits(5)) + 257
        let distanceCount = Int(bits(5)) + 1
        let codeLengthCount = Int(bits(4)) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw Inflate.Failure(message: "a dynamic block declares too many codes") }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengthLengths[Self.codeLengthOrder[index]] = UInt8(bits(3)) }
        let codeLengths = try HuffmanTable(lengths: codeLengthLengths[...])
        var lengths: [UInt8] = []
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol = try decode(codeLengths)
            switch symbol {
            case 0...15:
                lengths.append(UInt8(symbol))
            case 16:
                guard let previous = lengths.last else { throw Inflate.Failure(message: "a repeat of code lengths with nothing to repeat") }
                lengths += repeatElement(previous, count: 3 + Int(bits(2)))
            case 17:
                lengths += repeatElement(0, count: 3 + Int(bits(3)))
            default:
                lengths += repeatElement(0, count: 11 + Int(bits(7)))
            }
        }
        guard lengths.count == literalCount + distanceCount else {
            throw Inflate.Failure(message: "a dynamic block's code lengths run past its codes")
        }
        guard lengths[256] > 0 else { throw Inflate.Failure(message: "a dynamic block has no end-of-block code") }
        return (try HuffmanTable(lengths: lengths[0..<literalCount]), try HuffmanTable(lengths: lengths[literalCount...]))
    }

    private mutating func codedBlock(literals: HuffmanTable, distances: HuffmanTable) throws(Inflate.Failure) {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                guard written < output.count else { throw tooLong }
                output[written] = UInt8(symbol)
                written += 1
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < Self.lengthBase.count else { throw Inflate.Failure(message: "the invalid length code \(symbol)") }
            let length = Self.lengthBase[lengthIndex] + Int(bits(Self.lengthExtra[lengthIndex]))
            let distanceSymbol = try decode(distances)
            guard distanceSymbol < Self.distanceBase.count else {
                throw Inflate.Failure(message: "the invalid distance code \(distanceSymbol)")
            }
            let distance = Self.distanceBase[distanceSymbol] + Int(bits(Self.distanceExtra[distanceSymbol]))
            guard distance <= written else { throw Inflate.Failure(message: "a back-reference to before the start of the data") }
            guard written + length <= output.count else { throw tooLong }
            // Byte by byte: a copy may overlap what it writes (distance 1 repeats one byte).
            var from = written - distance
            for _ in 0..<length {
                output[written] = output[from]
                written += 1
                from += 1
            }
            if position > input.count + 8 { try checkNotPastEnd() }
        }
    }

    // MARK: bits

    private mutating func refill() {
        while count <= 56 {
            let byte = position < input.count ? UInt64(input[position]) : 0
            position += 1
            buffer |= byte << UInt64(count)
            count += 8
        }
    }

    private mutating func bits(_ wanted: Int) -> UInt32 {
        guard wanted > 0 else { return 0 }
        if count < wanted { refill() }
        let value = UInt32(truncatingIfNeeded: buffer & (1 << UInt64(wanted) - 1))
        buffer >>= UInt64(wanted)
        count -= wanted
        return value
    }

    private mutating func decode(_ table: HuffmanTable) throws(Inflate.Failure) -> Int {
        if count < 15 { refill() }
        let entry = table.entries[Int(buffer & (1 << UInt64(table.bits) - 1))]
        let length = Int(entry & 15)
        guard length > 0 else { throw Inflate.Failure(message: "a bit pattern that is no Huffman code") }
        buffer >>= UInt64(length)
        count -= length
        return Int(entry >> 4)
    }

    /// Bits consumed past the input's end were zeros made up by `refill`: the stream was cut off.
    private func checkNotPastEnd() throws(Inflate.Failure) {
        if position * 8 - count > input.count * 8 { throw truncated }
    }

    private var truncated: Inflate.Failure { Inflate.Failure(message: "the compressed data is cut off (truncated?)") }
    private var tooLong: Inflate.Failure { Inflate.Failure(message: "decompresses to more than the \(output.count) bytes the archive says") }
}
