/// A start-of-scan header (SOS): which components the scan codes with which tables, and, in a progressive
/// file, which coefficients (spectral selection Ss...Se) at which bit positions (successive approximation).
struct ScanHeader {
    struct Entry {
        let frameIndex: Int
        let dcSlot: Int
        let acSlot: Int
    }

    let components: [Entry]
    let spectralStart: Int
    let spectralEnd: Int
    let approximationHigh: Int
    let approximationLow: Int

    init(segment: Segment, bytes: UnsafePointer<UInt8>, frame: Frame) throws(JPEGDecodeError) {
        let offset = segment.markerOffset
        guard segment.length >= 1 else { throw .badScanHeader(offset: offset, reason: "empty") }
        let count = Int(bytes[segment.start])
        guard (1...4).contains(count), segment.length >= 1 + 2 * count + 3 else {
            throw .badScanHeader(offset: offset, reason: "\(count) components in \(segment.length + 2) bytes")
        }
        var entries: [Entry] = []
        for number in 0..<count {
            let entry = segment.start + 1 + 2 * number
            let identifier = bytes[entry]
            guard let frameIndex = frame.components.firstIndex(where: { $0.identifier == identifier }),
                  !entries.contains(where: { $0.frameIndex == frameIndex }) else {
                throw .badScanHeader(offset: offset, reason: "component \(identifier) is unknown or repeated")
            }
            let dcSlot = Int(bytes[entry + 1] >> 4)
            let acSlot = Int(bytes[entry + 1] & 0x0F)
            guard dcSlot < 4, acSlot < 4 else {
                throw .badScanHeader(offset: offset, reason: "Huffman tables \(dcSlot)/\(acSlot)")
            }
            entries.append(Entry(frameIndex: frameIndex, dcSlot: dcSlot, acSlot: acSlot))
        }
        components = entries
        let tail = segment.start + 1 + 2 * count
        if frame.isProgressive {
            spectralStart = Int(bytes[tail])
            spectralEnd = Int(bytes[tail + 1])
            approximationHigh = Int(bytes[tail + 2] >> 4)
            approximationLow = Int(bytes[tail + 2] & 0x0F)
            let isDCScan = spectralStart == 0 && spectralEnd == 0
            let isACScan = spectralStart >= 1 && spectralStart <= spectralEnd && spectralEnd <= 63 && count == 1
            guard isDCScan || isACScan, approximationLow <= 13, approximationHigh <= 13 else {
                throw .badScanHeader(offset: offset,
                                     reason: "progression Ss \(spectralStart) Se \(spectralEnd) Ah \(approximationHigh) Al \(approximationLow) with \(count) components")
            }
        } else {
            // Sequential scans code every coefficient whatever the header says (libjpeg ignores it too).
            spectralStart = 0
            spectralEnd = 63
            approximationHigh = 0
            approximationLow = 0
        }
        if count > 1 {
            let blocksPerMCU = entries.reduce(0) {
                $0 + frame.components[$1.frameIndex].horizontalSampling * frame.components[$1.frameIndex].verticalSampling
            }
            guard blocksPerMCU <= 10 else {
                throw .badScanHeader(offset: offset, reason: "\(blocksPerMCU) blocks in one MCU (at most 10)")
            }
        }
    }
}

/// One scan component with its tables resolved.
struct ScanComponent {
    let frameIndex: Int
    let dcTable: HuffmanTable?
    let acTable: HuffmanTable?
}

/// Everything the block loop of one component needs, as raw pointers: read in place, no reference counts.
struct BlockTarget {
    let dcTable: HuffmanLookup
    let acTable: HuffmanLookup
    /// The quantisation table as Int32, zig-zag order.
    let quantisation: UnsafeMutablePointer<Int32>
    let dc: UnsafeMutablePointer<Int16>
    let energy: UnsafeMutablePointer<Float>
    let nonZeroCounts: UnsafeMutablePointer<Int32>
    /// Progressive files only (a dangling-free placeholder otherwise): which coefficients are non-zero so far.
    let nonZeroMasks: UnsafeMutablePointer<UInt64>
    let blocksPerRow: Int
    let horizontalSampling: Int
    let verticalSampling: Int
    let blocksWide: Int
    let blocksHigh: Int
}

/// Which coefficients a progressive scan codes (Ss...Se) and at which bit (Al).
struct SpectralBand {
    let start: Int
    let end: Int
    let low: Int32
}

/// Decodes one scan's entropy-coded data into the frame's block stores. Used by one thread, for one scan.
struct ScanDecoder {
    let frame: Frame
    let header: ScanHeader
    let components: [ScanComponent]
    let restartInterval: Int
    let bytes: UnsafePointer<UInt8>
    let count: Int
    let dataStart: Int

    /// Decodes every MCU of the scan; returns the offset where the entropy-coded data was left.
    func run() throws(JPEGDecodeError) -> Int {
        let quantisation = UnsafeMutablePointer<Int32>.allocate(capacity: 64 * components.count)
        defer { quantisation.deallocate() }
        // A scan that needs no DC (or no AC) table still gets a valid, empty one, so the loop never unwraps;
        // built only then (a sequential scan has both).
        let needsEmptyTable = components.contains { $0.dcTable == nil || $0.acTable == nil }
        let emptyTable = needsEmptyTable
            ? try HuffmanTable(counts: Array(repeating: 0, count: 16), symbols: [], offset: dataStart) : nil
        // Sequential scans never touch the masks; the placeholder keeps the field non-optional.
        let placeholderMasks = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        defer { placeholderMasks.deallocate() }
        var targets: [BlockTarget] = []
        for (number, component) in components.enumerated() {
            let frameComponent = frame.components[component.frameIndex]
            let table = frameComponent.quantisation ?? Array(repeating: 1, count: 64)
            for position in 0..<64 { quantisation[number * 64 + position] = Int32(table[position]) }
            let store = frameComponent.store
            targets.append(BlockTarget(
                dcTable: (component.dcTable ?? emptyTable)!.lookup,
                acTable: (component.acTable ?? emptyTable)!.lookup,
                quantisation: quantisation + number * 64,
                dc: store.dc, energy: store.energy, nonZeroCounts: store.nonZeroCounts,
                nonZeroMasks: store.nonZeroMasks ?? placeholderMasks,
                blocksPerRow: store.blocksPerRow,
                horizontalSampling: frameComponent.horizontalSampling,
                verticalSampling: frameComponent.verticalSampling,
                blocksWide: frameComponent.blocksWide, blocksHigh: frameComponent.blocksHigh))
        }
        return try withExtendedLifetime(emptyTable) { () throws(JPEGDecodeError) -> Int in
            try targets.withUnsafeBufferPointer { targets throws(JPEGDecodeError) -> Int in
                if !frame.isProgressive { return try decodeMCUs(SequentialBlock.self, targets) }
                if header.spectralStart > 0, header.approximationHigh > 0 {
                    return try decodeMCUs(ACRefinementBlock.self, targets)
                }
                if header.spectralStart > 0 { return try decodeMCUs(ACFirstBlock.self, targets) }
                if header.approximationHigh == 0 { return try decodeMCUs(DCFirstBlock.self, targets) }
                return try decodeMCUs(DCRefinementBlock.self, targets)
            }
        }
    }

    /// The MCU loop, specialised for each kind of block: restarts, the interleaved or single-component order
    /// of blocks, and the overrun check after each MCU.
    private func decodeMCUs<Decoder: BlockDecoding>(_ decoder: Decoder.Type,
                                                    _ targets: UnsafeBufferPointer<BlockTarget>) throws(JPEGDecodeError) -> Int {
        var reader = BitReader(bytes: bytes, end: count, position: dataStart)
        let predictors = UnsafeMutablePointer<Int32>.allocate(capacity: 4)
        predictors.initialize(repeating: 0, count: 4)
        defer { predictors.deallocate() }
        var endOfBandRun: Int32 = 0
        let band = SpectralBand(start: header.spectralStart, end: header.spectralEnd,
                                low: Int32(header.approximationLow))
        let first = targets.baseAddress.unsafelyUnwrapped
        let interleaved = targets.count > 1
        let mcusPerRow = interleaved ? frame.mcusPerRow : first.pointee.blocksWide
        let mcuRows = interleaved ? frame.mcuRows : first.pointee.blocksHigh
        var mcusUntilRestart = restartInterval
        for mcuY in 0..<mcuRows {
            for mcuX in 0..<mcusPerRow {
                if restartInterval > 0 {
                    if mcusUntilRestart == 0 {
                        try restart(&reader)
                        predictors.update(repeating: 0, count: 4)
                        endOfBandRun = 0
                        mcusUntilRestart = restartInterval
                    }
                    mcusUntilRestart -= 1
                }
                if interleaved {
                    for number in 0..<targets.count {
                        let target = first + number
                        let horizontal = target.pointee.horizontalSampling
                        let vertical = target.pointee.verticalSampling
                        let blocksPerRow = target.pointee.blocksPerRow
                        for blockY in 0..<vertical {
                            let rowStart = (mcuY * vertical + blockY) * blocksPerRow + mcuX * horizontal
                            for blockX in 0..<horizontal {
                                guard Decoder.decode(&reader, target, rowStart + blockX, &predictors[number],
                                                     &endOfBandRun, band) else {
                                    throw .badHuffmanCode(offset: reader.offset)
                                }
                            }
                        }
                    }
                } else {
                    guard Decoder.decode(&reader, first, mcuY * first.pointee.blocksPerRow + mcuX, &predictors[0],
                                         &endOfBandRun, band) else {
                        throw .badHuffmanCode(offset: reader.offset)
                    }
                }
                if reader.hasOverrun { throw .truncatedScan(offset: reader.position) }
            }
        }
        return reader.position
    }

    private func restart(_ reader: inout BitReader) throws(JPEGDecodeError) {
        guard let position = reader.markerPositionAfterPadding else {
            throw .missingRestartMarker(offset: reader.position)
        }
        var index = position
        guard index < count, bytes[index] == 0xFF else { throw .missingRestartMarker(offset: index) }
        while index < count, bytes[index] == 0xFF { index += 1 }
        guard index < count, (0xD0...0xD7).contains(bytes[index]) else {
            throw .missingRestartMarker(offset: position)
        }
        reader.reset(at: index + 1)
    }
}

/// How one block of one kind of scan is decoded. One conforming type per kind, so that the MCU loop is
/// specialised for each and the block decode is inlined into it.
protocol BlockDecoding {
    /// Decodes the block at index `block` of `target`'s grid; false on a corrupt code or an impossible value.
    static func decode(_ reader: inout BitReader, _ target: UnsafePointer<BlockTarget>, _ block: Int,
                       _ predictor: inout Int32, _ endOfBandRun: inout Int32, _ band: SpectralBand) -> Bool
}

/// Decodes the DC difference of a block: a size category, then that many bits. Nil on a bad code.
@inline(__always)
func decodeDCDifference(_ reader: inout BitReader, _ table: HuffmanLookup) -> Int32? {
    let fast = table.fastCoefficient[reader.peek(ensuring: 32)]
    let run = (fast &>> 8) & 0xFF
    // A run other than 0 would be a symbol no DC table may hold: left to the checked path.
    if fast != 0, run == 0 || run == HuffmanTable.endOfBlockRun {
        reader.skip(Int(fast & 0xFF))
        return run == 0 ? fast &>> 16 : 0
    }
    let size = reader.decodeSymbol(table)
    guard size >= 0, size <= 11 else { return nil }
    return size == 0 ? 0 : reader.signedValue(size)
}

/// A block of a sequential scan: the DC difference, then AC run/size symbols up to EOB or the 63rd
/// coefficient, each value dequantised into the block's energy.
enum SequentialBlock: BlockDecoding {
    @inline(__always)
    static func decode(_ reader: inout BitReader, _ target: UnsafePointer<BlockTarget>, _ block: Int,
                       _ predictor: inout Int32, _ endOfBandRun: inout Int32, _ band: SpectralBand) -> Bool {
        // The DC coefficient is coded as in a progressive DC first scan, with Al = 0.
        guard DCFirstBlock.decode(&reader, target, block, &predictor, &endOfBandRun, band) else { return false }
        let acTable = target.pointee.acTable
        var tally = CoefficientTally(target, mask: 0)
        var position = 1
        while position < 64 {
            // 32 bits cover the longest code (16) and the largest value (15): no refill inside a symbol.
            let peeked = reader.peek(ensuring: 32)
            let fast = acTable.fastCoefficient[peeked]
            let run: Int
            let value: Int32
            if fast != 0 {
                run = Int((fast &>> 8) & 0xFF)
                reader.skip(Int(fast & 0xFF))
                if run == HuffmanTable.endOfBlockRun { break }
                value = fast &>> 16
            } else {
                // The same lookahead, in the plain table: the code is short but its value bits are many, or
                // the code is long.
                let entry = acTable.direct[peeked]
                let symbol: Int
                if entry != 0 {
                    reader.skip(Int(entry &>> 8))
                    symbol = Int(entry & 0xFF)
                } else {
                    symbol = reader.decodeLongSymbol(acTable)
                    guard symbol >= 0 else { return false }
                }
                let size = symbol & 0x0F
                if size == 0 {
                    // ZRL: sixteen zeros (a run past the last coefficient codes only zeros, harmless); else EOB.
                    if symbol == 0xF0 { position &+= 16; continue }
                    break
                }
                run = symbol &>> 4
                value = reader.loadedSignedValue(size)
            }
            // Wrapping: position < 64 and run < 16 here, nothing can overflow.
            position &+= run
            guard position < 64 else { return false }
            tally.add(value, at: position)
            position &+= 1
        }
        target.pointee.energy[block] = Float(tally.energy)
        return true
    }
}

/// A block of a progressive DC first scan: the DC difference, its value shifted left by Al.
enum DCFirstBlock: BlockDecoding {
    @inline(__always)
    static func decode(_ reader: inout BitReader, _ target: UnsafePointer<BlockTarget>, _ block: Int,
                       _ predictor: inout Int32, _ endOfBandRun: inout Int32, _ band: SpectralBand) -> Bool {
        guard let difference = decodeDCDifference(&reader, target.pointee.dcTable) else { return false }
        predictor &+= difference
        target.pointee.dc[block] = Int16(truncatingIfNeeded: predictor &<< band.low)
        return true
    }
}

/// A block of a progressive DC refinement scan: one more bit of the DC coefficient, at position Al.
enum DCRefinementBlock: BlockDecoding {
    @inline(__always)
    static func decode(_ reader: inout BitReader, _ target: UnsafePointer<BlockTarget>, _ block: Int,
                       _ predictor: inout Int32, _ endOfBandRun: inout Int32, _ band: SpectralBand) -> Bool {
        if reader.bits(1) != 0 {
            target.pointee.dc[block] |= Int16(truncatingIfNeeded: Int32(1) &<< band.low)
        }
        return true
    }
}

/// A block of a progressive AC first scan: coefficients Ss...Se shifted left by Al, or nothing while an
/// end-of-band run (EOBRUN) covers the block.
enum ACFirstBlock: BlockDecoding {
    @inline(__always)
    static func decode(_ reader: inout BitReader, _ target: UnsafePointer<BlockTarget>, _ block: Int,
                       _ predictor: inout Int32, _ endOfBandRun: inout Int32, _ band: SpectralBand) -> Bool {
        if endOfBandRun > 0 {
            endOfBandRun -= 1
            return true
        }
        let acTable = target.pointee.acTable
        var tally = CoefficientTally(target, mask: target.pointee.nonZeroMasks[block])
        var position = band.start
        while position <= band.end {
            let symbol = reader.decodeSymbol(acTable)
            guard symbol >= 0 else { return false }
            let run = symbol >> 4
            let size = symbol & 0x0F
            if size == 0 {
                if run < 15 {
                    // EOBn: this block and the next 2^run - 1 + (run bits) blocks end here.
                    endOfBandRun = (Int32(1) << run) - 1
                    if run > 0 { endOfBandRun += reader.bits(run) }
                    break
                }
                position += 16
                continue
            }
            position += run
            guard position <= band.end else { return false }
            tally.addTracked(reader.signedValue(size) &<< band.low, at: position)
            position += 1
        }
        tally.store(target, block)
        return true
    }
}

/// A block of a progressive AC refinement scan (ITU T.81 G.1.2.3): one correction bit for each coefficient
/// already non-zero, and the coefficients that become non-zero at this bit (+-2^Al), found by runs of the
/// coefficients still zero. New coefficients add their exact energy; a correction bit adds only the low bit
/// of a coefficient already counted, whose value the decoder does not keep (see `JPEGDCDecoder`), so it
/// adds nothing: the energy is a slight underestimate.
enum ACRefinementBlock: BlockDecoding {
    @inline(__always)
    static func decode(_ reader: inout BitReader, _ target: UnsafePointer<BlockTarget>, _ block: Int,
                       _ predictor: inout Int32, _ endOfBandRun: inout Int32, _ band: SpectralBand) -> Bool {
        let acTable = target.pointee.acTable
        var tally = CoefficientTally(target, mask: target.pointee.nonZeroMasks[block])
        var position = band.start
        if endOfBandRun == 0 {
            while position <= band.end {
                let symbol = reader.decodeSymbol(acTable)
                guard symbol >= 0 else { return false }
                var run = symbol >> 4
                let size = symbol & 0x0F
                var newValue: Int32 = 0
                if size != 0 {
                    // Only a size of 1 is possible here: the new coefficient is +-2^Al.
                    guard size == 1 else { return false }
                    newValue = reader.bits(1) != 0 ? Int32(1) &<< band.low : -(Int32(1) &<< band.low)
                } else if run != 15 {
                    // EOBn: this block's remaining coefficients and the next blocks' get corrections only.
                    endOfBandRun = Int32(1) << run
                    if run > 0 { endOfBandRun += reader.bits(run) }
                    break
                }
                // The new value goes on the zero coefficient after `run` more zeros; each non-zero coefficient
                // passed on the way has a correction bit. Found on the mask, not coefficient by coefficient.
                var zeros = ~tally.mask & coefficientRange(position, band.end)
                while run > 0, zeros != 0 {
                    zeros &= zeros &- 1
                    run -= 1
                }
                guard zeros != 0 else {
                    // The run overshoots the band (damaged data): the corrections up to its end, no value.
                    skipCorrectionBits(&reader, tally.mask, position, band.end)
                    position = band.end + 1
                    break
                }
                let landing = zeros.trailingZeroBitCount
                if landing > position { skipCorrectionBits(&reader, tally.mask, position, landing - 1) }
                if newValue != 0 { tally.addTracked(newValue, at: landing) }
                position = landing + 1
            }
        }
        if endOfBandRun > 0 {
            if position <= band.end { skipCorrectionBits(&reader, tally.mask, position, band.end) }
            endOfBandRun -= 1
        }
        tally.store(target, block)
        return true
    }
}

/// What one block's AC coefficients add up to while a scan decodes them: the energy of the dequantised
/// values, the per-frequency non-zero counts, and (progressive) the block's non-zero mask.
struct CoefficientTally {
    let quantisation: UnsafeMutablePointer<Int32>
    let counts: UnsafeMutablePointer<Int32>
    /// An integer sum: a float add per coefficient would chain its latency through the loop. Wrapping, since
    /// only damaged data could reach 2^63.
    var energy = 0
    var mask: UInt64

    /// `mask`: the block's non-zero mask so far in a progressive scan; 0 in a sequential one, whose
    /// target has only a one-entry placeholder for masks.
    @inline(__always)
    init(_ target: UnsafePointer<BlockTarget>, mask: UInt64) {
        quantisation = target.pointee.quantisation
        counts = target.pointee.nonZeroCounts
        self.mask = mask
    }

    @inline(__always)
    mutating func add(_ value: Int32, at position: Int) {
        let dequantised = Int(value) &* Int(quantisation[position])
        energy &+= dequantised &* dequantised
        counts[position] &+= 1
    }

    /// `add`, and the coefficient marked non-zero for the refinement scans to come.
    @inline(__always)
    mutating func addTracked(_ value: Int32, at position: Int) {
        add(value, at: position)
        mask |= UInt64(1) &<< UInt64(position)
    }

    /// Adds the block's energy to what earlier scans found, and keeps its mask.
    @inline(__always)
    func store(_ target: UnsafePointer<BlockTarget>, _ block: Int) {
        target.pointee.energy[block] += Float(energy)
        target.pointee.nonZeroMasks[block] = mask
    }
}

/// The bits of zig-zag positions `first` through `last` (1...63) of a block's non-zero mask.
@inline(__always)
func coefficientRange(_ first: Int, _ last: Int) -> UInt64 {
    (UInt64.max &>> UInt64(63 - last)) & (UInt64.max &<< UInt64(first))
}

/// Consumes the correction bits of the non-zero coefficients at positions `first` through `last`: one bit
/// each, whose values the energy does not use.
@inline(__always)
func skipCorrectionBits(_ reader: inout BitReader, _ mask: UInt64, _ first: Int, _ last: Int) {
    var count = (mask & coefficientRange(first, last)).nonzeroBitCount
    while count > 0 {
        let chunk = min(count, 16)
        _ = reader.bits(chunk)
        count -= chunk
    }
}
