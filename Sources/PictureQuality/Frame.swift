/// The frame header (SOF0, SOF1 or SOF2) and, per component, where its decoded blocks go. A value type whose
/// block stores are shared references: one decode, one thread.
struct Frame {
    let width: Int
    let height: Int
    let isProgressive: Bool
    var components: [FrameComponent]
    let maximumHorizontalSampling: Int
    let maximumVerticalSampling: Int
    /// MCUs per row and rows of MCUs of an interleaved scan.
    let mcusPerRow: Int
    let mcuRows: Int
    var scansDecoded = 0

    init(segment: Segment, bytes: UnsafePointer<UInt8>, fileByteCount: Int) throws(JPEGDecodeError) {
        let offset = segment.markerOffset
        guard segment.length >= 6 else {
            throw .badSegmentLength(offset: offset, marker: segment.marker, length: segment.length + 2)
        }
        let precision = Int(bytes[segment.start])
        height = Int(bytes[segment.start + 1]) << 8 | Int(bytes[segment.start + 2])
        width = Int(bytes[segment.start + 3]) << 8 | Int(bytes[segment.start + 4])
        let componentCount = Int(bytes[segment.start + 5])
        isProgressive = segment.marker == 0xC2
        guard precision == 8 else {
            throw .unsupportedFrame(offset: offset, marker: segment.marker, reason: "\(precision)-bit samples")
        }
        guard width > 0, height > 0 else {
            // Height 0 means "given later by a DNL marker", which no camera writes.
            throw .badFrameHeader(offset: offset, reason: "size \(width)x\(height)")
        }
        guard componentCount == 1 || componentCount == 3 else {
            throw .unsupportedFrame(offset: offset, marker: segment.marker, reason: "\(componentCount) components")
        }
        guard segment.length >= 6 + 3 * componentCount else {
            throw .badSegmentLength(offset: offset, marker: segment.marker, length: segment.length + 2)
        }
        var declared: [(identifier: UInt8, horizontal: Int, vertical: Int, slot: Int)] = []
        for number in 0..<componentCount {
            let entry = segment.start + 6 + 3 * number
            let identifier = bytes[entry]
            let horizontal = Int(bytes[entry + 1] >> 4)
            let vertical = Int(bytes[entry + 1] & 0x0F)
            let slot = Int(bytes[entry + 2])
            guard (1...4).contains(horizontal), (1...4).contains(vertical), slot < 4 else {
                throw .badFrameHeader(offset: offset, reason: "component \(identifier): sampling \(horizontal)x\(vertical), table \(slot)")
            }
            guard !declared.contains(where: { $0.identifier == identifier }) else {
                throw .badFrameHeader(offset: offset, reason: "component \(identifier) declared twice")
            }
            declared.append((identifier, horizontal, vertical, slot))
        }
        let maximumHorizontal = declared.map(\.horizontal).max() ?? 1
        let maximumVertical = declared.map(\.vertical).max() ?? 1
        maximumHorizontalSampling = maximumHorizontal
        maximumVerticalSampling = maximumVertical
        let mcusPerRow = (width + 8 * maximumHorizontal - 1) / (8 * maximumHorizontal)
        let mcuRows = (height + 8 * maximumVertical - 1) / (8 * maximumVertical)
        self.mcusPerRow = mcusPerRow
        self.mcuRows = mcuRows

        // Checked before anything is allocated: a few bytes cannot declare a gigapixel.
        let paddedBlocks = declared.reduce(0) { $0 + mcusPerRow * $1.horizontal * mcuRows * $1.vertical }
        let limit = JPEGDCDecoder.maximumBlocks(byteCount: fileByteCount)
        guard paddedBlocks <= limit else {
            throw .dimensionsExceedData(offset: offset, blocks: paddedBlocks, limit: limit)
        }
        let (width, height, isProgressive) = (width, height, isProgressive)
        components = declared.map { entry in
            let samplesWide = (width * entry.horizontal + maximumHorizontal - 1) / maximumHorizontal
            let samplesHigh = (height * entry.vertical + maximumVertical - 1) / maximumVertical
            return FrameComponent(
                identifier: entry.identifier,
                horizontalSampling: entry.horizontal,
                verticalSampling: entry.vertical,
                quantisationSlot: entry.slot,
                blocksWide: (samplesWide + 7) / 8,
                blocksHigh: (samplesHigh + 7) / 8,
                store: BlockStore(blocksPerRow: mcusPerRow * entry.horizontal, rows: mcuRows * entry.vertical,
                                  keepsNonZeroMasks: isProgressive))
        }
    }

    /// The decoded picture: DC values dequantised, every component cropped from its MCU-padded grid.
    func picture(storesRGB: Bool) -> DCPicture {
        let pictureComponents = components.map { component in
            let store = component.store
            let dcFactor = Int(component.quantisation?[0] ?? 1)
            let count = component.blocksWide * component.blocksHigh
            // Filled row by row from the padded store, without a first pass of zeros.
            let dcValues = [Int16](unsafeUninitializedCapacity: count) { buffer, initialised in
                for y in 0..<component.blocksHigh {
                    let source = store.dc + y * store.blocksPerRow
                    let target = y * component.blocksWide
                    for x in 0..<component.blocksWide {
                        // Valid 8-bit data stays within +-1024; clamping only tames damaged data.
                        buffer[target + x] = Int16(clamping: Int(source[x]) &* dcFactor)
                    }
                }
                initialised = count
            }
            let energy = [Float](unsafeUninitializedCapacity: count) { buffer, initialised in
                for y in 0..<component.blocksHigh {
                    (buffer.baseAddress.unsafelyUnwrapped + y * component.blocksWide)
                        .update(from: store.energy + y * store.blocksPerRow, count: component.blocksWide)
                }
                initialised = count
            }
            return DCPicture.Component(
                identifier: component.identifier,
                horizontalSampling: component.horizontalSampling,
                verticalSampling: component.verticalSampling,
                widthInBlocks: component.blocksWide,
                heightInBlocks: component.blocksHigh,
                dcValues: dcValues,
                acEnergy: energy,
                nonZeroCoefficientCounts: (0..<64).map { Int(store.nonZeroCounts[$0]) })
        }
        return DCPicture(width: width, height: height, isProgressive: isProgressive, components: pictureComponents,
                         storesRGB: storesRGB)
    }
}

struct FrameComponent {
    let identifier: UInt8
    let horizontalSampling: Int
    let verticalSampling: Int
    let quantisationSlot: Int
    /// The component's real block grid (what a non-interleaved scan codes); the store is MCU-padded.
    let blocksWide: Int
    let blocksHigh: Int
    let store: BlockStore
    /// The quantisation table in zig-zag order, latched at the component's first scan.
    var quantisation: [UInt16]?
    var hasDC = false
}

/// One component's decoded blocks on its MCU-padded grid: the quantised DC coefficient and the AC energy of
/// each, the per-frequency count of non-zero AC coefficients, and for a progressive file which coefficients
/// of each block are non-zero so far (bit k for zig-zag position k), which an AC refinement scan must know. Raw memory, so the scan loop writes without
/// bounds checks or uniqueness checks; every index it uses is within the grid by construction.
final class BlockStore {
    let blocksPerRow: Int
    let rows: Int
    let dc: UnsafeMutablePointer<Int16>
    let energy: UnsafeMutablePointer<Float>
    let nonZeroCounts: UnsafeMutablePointer<Int32>
    let nonZeroMasks: UnsafeMutablePointer<UInt64>?

    init(blocksPerRow: Int, rows: Int, keepsNonZeroMasks: Bool) {
        self.blocksPerRow = blocksPerRow
        self.rows = rows
        let blocks = blocksPerRow * rows
        dc = .allocate(capacity: blocks)
        dc.initialize(repeating: 0, count: blocks)
        energy = .allocate(capacity: blocks)
        energy.initialize(repeating: 0, count: blocks)
        nonZeroCounts = .allocate(capacity: 64)
        nonZeroCounts.initialize(repeating: 0, count: 64)
        if keepsNonZeroMasks {
            let masks = UnsafeMutablePointer<UInt64>.allocate(capacity: blocks)
            masks.initialize(repeating: 0, count: blocks)
            nonZeroMasks = masks
        } else {
            nonZeroMasks = nil
        }
    }

    deinit {
        dc.deallocate()
        energy.deallocate()
        nonZeroCounts.deallocate()
        nonZeroMasks?.deallocate()
    }
}
