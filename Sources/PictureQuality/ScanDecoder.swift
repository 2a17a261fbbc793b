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

    var isACRefinement: Bool { spectralStart > 0 && approximationHigh > 0 }

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

/// Everything the block loop of one component needs, as raw pointers: copied into the loop, no reference counts.
struct BlockTarget {
    let dcTable: HuffmanLookup?
    let acTable: HuffmanLookup?
    /// The quantisation table as Int32, zig-zag order.
    let quantisation: UnsafeMutablePointer<Int32>
    let dc: UnsafeMutablePointer<Int16>
    let energy: UnsafeMutablePointer<Float>
    let nonZeroCounts: UnsafeMutablePointer<Int32>
    let blocksPerRow: Int
    let horizontalSampling: Int
    let verticalSampling: Int
    let blocksWide: Int
    let blocksHigh: Int
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

    init(frame: Frame, header: ScanHeader, components: [ScanComponent], restartInterval: Int,
         bytes: UnsafePointer<UInt8>, count: Int, dataStart: Int) {
        self.frame = frame
        self.header = header
        self.components = components
        self.restartInterval = restartInterval
        self.bytes = bytes
        self.count = count
        self.dataStart = dataStart
    }

    private enum Mode {
        case sequential, dcFirst, dcRefinement, acFirst
    }

    /// Decodes every MCU of the scan; returns the offset where the entropy-coded data was left.
    mutating func run() throws(JPEGDecodeError) -> Int {
        let quantisation = UnsafeMutablePointer<Int32>.allocate(capacity: 64 * components.count)
        defer { quantisation.deallocate() }
        var targets: [BlockTarget] = []
        for (number, component) in components.enumerated() {
            let frameComponent = frame.components[component.frameIndex]
            let table = frameComponent.quantisation ?? Array(repeating: 1, count: 64)
            for position in 0..<64 { quantisation[number * 64 + position] = Int32(table[position]) }
            let store = frameComponent.store
            targets.append(BlockTarget(
                dcTable: component.dcTable?.lookup, acTable: component.acTable?.lookup,
                quantisation: quantisation + number * 64,
                dc: store.dc, energy: store.energy, nonZeroCounts: store.nonZeroCounts,
                blocksPerRow: store.blocksPerRow,
                horizontalSampling: frameComponent.horizontalSampling,
                verticalSampling: frameComponent.verticalSampling,
                blocksWide: frameComponent.blocksWide, blocksHigh: frameComponent.blocksHigh))
        }
        let mode: Mode
        if !frame.isProgressive {
            mode = .sequential
        } else if header.spectralStart == 0 {
            mode = header.approximationHigh == 0 ? .dcFirst : .dcRefinement
        } else {
            mode = .acFirst
        }
        return try targets.withUnsafeBufferPointer { targets throws(JPEGDecodeError) -> Int in
            try decodeMCUs(targets: targets, mode: mode)
        }
    }

    private func decodeMCUs(targets: UnsafeBufferPointer<BlockTarget>, mode: Mode) throws(JPEGDecodeError) -> Int {
        var reader = BitReader(bytes: bytes, end: count, position: dataStart)
        var predictors: (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
        var endOfBandRun: Int32 = 0
        let interleaved = targets.count > 1
        let single = targets[0]
        let mcusPerRow = interleaved ? frame.mcusPerRow : single.blocksWide
        let mcuRows = interleaved ? frame.mcuRows : single.blocksHigh
        let totalMCUs = mcusPerRow * mcuRows
        let low = Int32(header.approximationLow)
        var mcusUntilRestart = restartInterval
        var mcu = 0
        while mcu < totalMCUs {
            if restartInterval > 0, mcusUntilRestart == 0 {
                try restart(&reader)
                predictors = (0, 0, 0, 0)
                endOfBandRun = 0
                mcusUntilRestart = restartInterval
            }
            let mcuX = mcu % mcusPerRow
            let mcuY = mcu / mcusPerRow
            var decoded = true
            if interleaved {
                for number in 0..<targets.count {
                    let target = targets[number]
                    var predictor = predictor(number, predictors)
                    for blockY in 0..<target.verticalSampling {
                        let rowStart = (mcuY * target.verticalSampling + blockY) * target.blocksPerRow
                        for blockX in 0..<target.horizontalSampling {
                            let block = rowStart + mcuX * target.horizontalSampling + blockX
                            switch mode {
                            case .sequential:
                                decoded = Self.decodeSequentialBlock(&reader, target, block, &predictor)
                            case .dcFirst:
                                decoded = Self.decodeDCFirst(&reader, target, block, &predictor, low)
                            case .dcRefinement, .acFirst:
                                Self.decodeDCRefinement(&reader, target, block, low)
                            }
                            if !decoded { throw .badHuffmanCode(offset: reader.position) }
                        }
                    }
                    setPredictor(number, predictor, &predictors)
                }
            } else {
                let block = mcuY * single.blocksPerRow + mcuX
                switch mode {
                case .sequential:
                    decoded = Self.decodeSequentialBlock(&reader, single, block, &predictors.0)
                case .dcFirst:
                    decoded = Self.decodeDCFirst(&reader, single, block, &predictors.0, low)
                case .dcRefinement:
                    Self.decodeDCRefinement(&reader, single, block, low)
                case .acFirst:
                    decoded = Self.decodeACFirst(&reader, single, block, &endOfBandRun,
                                                 header.spectralStart, header.spectralEnd, low)
                }
                if !decoded { throw .badHuffmanCode(offset: reader.position) }
            }
            if reader.hasOverrun { throw .truncatedScan(offset: reader.position) }
            mcusUntilRestart -= 1
            mcu += 1
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

    @inline(__always)
    private func predictor(_ number: Int, _ predictors: (Int32, Int32, Int32, Int32)) -> Int32 {
        switch number {
        case 0: return predictors.0
        case 1: return predictors.1
        case 2: return predictors.2
        default: return predictors.3
        }
    }

    @inline(__always)
    private func setPredictor(_ number: Int, _ value: Int32, _ predictors: inout (Int32, Int32, Int32, Int32)) {
        switch number {
        case 0: predictors.0 = value
        case 1: predictors.1 = value
        case 2: predictors.2 = value
        default: predictors.3 = value
        }
    }

    /// Decodes the DC difference of a block: a size category, then that many bits. Nil on a bad code.
    @inline(__always)
    private static func decodeDCDifference(_ reader: inout BitReader, _ table: HuffmanLookup) -> Int32? {
        let size = reader.decodeSymbol(table)
        guard size >= 0, size <= 11 else { return nil }
        return size == 0 ? 0 : reader.signedValue(size)
    }

    /// A block of a sequential scan: the DC difference, then AC run/size symbols up to EOB or the 63rd
    /// coefficient, each value dequantised into the block's energy. False on a corrupt code.
    @inline(__always)
    private static func decodeSequentialBlock(_ reader: inout BitReader, _ target: BlockTarget, _ block: Int,
                                              _ predictor: inout Int32) -> Bool {
        guard let difference = decodeDCDifference(&reader, target.dcTable.unsafelyUnwrapped) else { return false }
        predictor &+= difference
        target.dc[block] = Int16(truncatingIfNeeded: predictor)
        let acTable = target.acTable.unsafelyUnwrapped
        let quantisation = target.quantisation
        let counts = target.nonZeroCounts
        var energy: Float = 0
        var position = 1
        while position < 64 {
            // 32 bits cover the longest code (16) and the largest value (15): no refill inside a symbol.
            let peeked = reader.peek(ensuring: 32)
            let fast = acTable.fastAC[peeked]
            let run: Int
            let value: Int32
            if fast != 0 {
                run = Int((fast >> 8) & 0xFF)
                value = fast >> 16
                reader.skip(Int(fast & 0xFF))
            } else {
                let symbol = reader.decodeSymbol(acTable)
                guard symbol >= 0 else { return false }
                let size = symbol & 0x0F
                if size == 0 {
                    if symbol == 0xF0 { position += 16; continue }
                    break
                }
                run = symbol >> 4
                value = reader.signedValue(size)
            }
            position += run
            guard position < 64 else { return false }
            let dequantised = Float(Int(value) &* Int(quantisation[position]))
            energy += dequantised * dequantised
            counts[position] &+= 1
            position += 1
        }
        // A ZRL run may step past the last coefficient only by coding zeros there, which is harmless.
        target.energy[block] = energy
        return true
    }

    /// A block of a progressive DC first scan: the DC difference, its value shifted left by Al.
    @inline(__always)
    private static func decodeDCFirst(_ reader: inout BitReader, _ target: BlockTarget, _ block: Int,
                                      _ predictor: inout Int32, _ low: Int32) -> Bool {
        guard let difference = decodeDCDifference(&reader, target.dcTable.unsafelyUnwrapped) else { return false }
        predictor &+= difference
        target.dc[block] = Int16(truncatingIfNeeded: predictor &<< low)
        return true
    }

    /// A block of a progressive DC refinement scan: one more bit of the DC coefficient, at position Al.
    @inline(__always)
    private static func decodeDCRefinement(_ reader: inout BitReader, _ target: BlockTarget, _ block: Int, _ low: Int32) {
        if reader.bits(1) != 0 {
            target.dc[block] |= Int16(truncatingIfNeeded: Int32(1) &<< low)
        }
    }

    /// A block of a progressive AC first scan: coefficients Ss...Se shifted left by Al, or nothing while an
    /// end-of-band run (EOBRUN) covers the block.
    @inline(__always)
    private static func decodeACFirst(_ reader: inout BitReader, _ target: BlockTarget, _ block: Int,
                                      _ endOfBandRun: inout Int32, _ start: Int, _ end: Int, _ low: Int32) -> Bool {
        if endOfBandRun > 0 {
            endOfBandRun -= 1
            return true
        }
        let acTable = target.acTable.unsafelyUnwrapped
        var energy: Float = 0
        var position = start
        while position <= end {
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
            guard position <= end else { return false }
            let value = reader.signedValue(size) &<< low
            let dequantised = Float(Int(value) &* Int(target.quantisation[position]))
            energy += dequantised * dequantised
            target.nonZeroCounts[position] &+= 1
            position += 1
        }
        target.energy[block] += energy
        return true
    }
}
