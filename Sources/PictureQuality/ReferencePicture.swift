/// What a camera normally looks like, kept compactly (at most 48 x 27 cells, under 8 KB): its luma blocks
/// pooled into cells of `factor` x `factor` blocks, each cell the mean of its blocks' DC and AC energy. A
/// snapshot is compared after the same pooling (`comparable`), so scene change (correlation), blur (energy)
/// and occlusion (cells gone flat) are judged on the same grid. 48 x 27 keeps a 16:9 picture's layout
/// (a turned camera moves most cells), at a 200th of a 1080p DC picture.
///
/// A value type; safe to share between threads.
public struct ReferencePicture: Sendable, Equatable {
    public static let maximumCellsWide = 48
    public static let maximumCellsHigh = 27
    /// Blocks per cell side.
    public var factor: Int
    /// The pooled picture: one greyscale component whose blocks are the cells.
    public var picture: DCPicture

    /// The reference made from `snapshot`.
    public init(_ snapshot: DCPicture) {
        let luma = snapshot.detailComponent
        let factor = max(1, (luma.widthInBlocks + Self.maximumCellsWide - 1) / Self.maximumCellsWide,
                         (luma.heightInBlocks + Self.maximumCellsHigh - 1) / Self.maximumCellsHigh)
        self.factor = factor
        picture = Self.pooled(luma, factor: factor)
    }

    init(factor: Int, picture: DCPicture) {
        self.factor = factor
        self.picture = picture
    }

    /// `snapshot` pooled as this reference was, or nil when its grid differs (the camera's resolution changed:
    /// record a new reference).
    public func comparable(_ snapshot: DCPicture) -> DCPicture? {
        let pooled = Self.pooled(snapshot.detailComponent, factor: factor)
        let cells = pooled.components[0], mine = picture.components[0]
        return cells.widthInBlocks == mine.widthInBlocks && cells.heightInBlocks == mine.heightInBlocks ? pooled : nil
    }

    static func pooled(_ component: DCPicture.Component, factor: Int) -> DCPicture {
        let wide = (component.widthInBlocks + factor - 1) / factor
        let high = (component.heightInBlocks + factor - 1) / factor
        var dcSums = [Int](repeating: 0, count: wide * high)
        var energySums = [Double](repeating: 0, count: wide * high)
        var counts = [Int](repeating: 0, count: wide * high)
        for y in 0..<component.heightInBlocks {
            for x in 0..<component.widthInBlocks {
                let cell = (y / factor) * wide + x / factor
                let block = y * component.widthInBlocks + x
                dcSums[cell] += Int(component.dcValues[block])
                energySums[cell] += Double(component.acEnergy[block])
                counts[cell] += 1
            }
        }
        let dc = zip(dcSums, counts).map { Int16(clamping: $0.1 > 0 ? $0.0 / $0.1 : 0) }
        let energy = zip(energySums, counts).map { Float($0.1 > 0 ? $0.0 / Double($0.1) : 0) }
        let cells = DCPicture.Component(identifier: 1, horizontalSampling: 1, verticalSampling: 1, widthInBlocks: wide, heightInBlocks: high,
                                        dcValues: dc, acEnergy: energy, nonZeroCoefficientCounts: [Int](repeating: 0, count: 64))
        return DCPicture(width: wide * 8, height: high * 8, isProgressive: false, components: [cells])
    }

    // MARK: Stored form

    /// `XLR1`, then factor, cells wide and high (16-bit little-endian each), then per cell the DC (16-bit) and
    /// the AC energy (32-bit float), little-endian: at most 7,790 bytes.
    public var encoded: [UInt8] {
        let cells = picture.components[0]
        var bytes = Array("XLR1".utf8)
        func append16(_ value: Int) { bytes += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
        append16(factor)
        append16(cells.widthInBlocks)
        append16(cells.heightInBlocks)
        for (dc, energy) in zip(cells.dcValues, cells.acEnergy) {
            append16(Int(UInt16(bitPattern: dc)))
            let bits = energy.bitPattern
            bytes += [UInt8(bits & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 24)]
        }
        return bytes
    }

    /// The reference `encoded` wrote; nil for anything else (a damaged or foreign file is no reference).
    public init?(encoded bytes: [UInt8]) {
        guard bytes.count >= 10, bytes.prefix(4).elementsEqual("XLR1".utf8) else { return nil }
        func read16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        let factor = read16(4), wide = read16(6), high = read16(8)
        guard factor >= 1, (1...Self.maximumCellsWide).contains(wide), (1...Self.maximumCellsHigh).contains(high),
              bytes.count == 10 + wide * high * 6 else { return nil }
        var dc: [Int16] = []
        var energy: [Float] = []
        for cell in 0..<(wide * high) {
            let at = 10 + cell * 6
            dc.append(Int16(bitPattern: UInt16(read16(at))))
            let bits = UInt32(bytes[at + 2]) | UInt32(bytes[at + 3]) << 8 | UInt32(bytes[at + 4]) << 16 | UInt32(bytes[at + 5]) << 24
            let value = Float(bitPattern: bits)
            guard value.isFinite, value >= 0 else { return nil }
            energy.append(value)
        }
        let cells = DCPicture.Component(identifier: 1, horizontalSampling: 1, verticalSampling: 1, widthInBlocks: wide, heightInBlocks: high,
                                        dcValues: dc, acEnergy: energy, nonZeroCoefficientCounts: [Int](repeating: 0, count: 64))
        self.init(factor: factor, picture: DCPicture(width: wide * 8, height: high * 8, isProgressive: false, components: [cells]))
    }
}
