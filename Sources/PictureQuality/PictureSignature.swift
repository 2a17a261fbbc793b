/// A compact luma signature of a picture, kept by a monitor from one sweep to the next to see a frozen
/// picture (画面冻结): the luma blocks' DC pooled into at most 32 x 18 cells (a 16:9 picture's layout), each
/// the mean dequantised DC of its blocks in DC units (8 per luma level), so that a cell keeps an eighth of
/// a level: a live sensor's noise still moves most cells of a still scene by that much, where a frozen
/// encoder repeats them exactly. At most 1,158 bytes stored (`encoded`).
///
/// Two snapshots are compared cell by cell (`changedShare`): a cell changed when it moved by more than a
/// small delta, and a picture is unchanged when only a small share of its cells changed, which leaves out
/// the small region that changes every sweep on a frozen sensor, the on-screen clock; an exact hash of the
/// bytes cannot (the clock changes them).
///
/// A value type; safe to share between threads.
public struct PictureSignature: Sendable, Equatable {
    public static let maximumCellsWide = 32
    public static let maximumCellsHigh = 18
    /// Cells per row and rows of cells.
    public var cellsWide: Int
    public var cellsHigh: Int
    /// Each cell's mean dequantised luma DC (8 x (mean - 128)), row by row.
    public var cells: [Int16]

    /// The signature of `picture`'s luma (or, in an RGB file, green) blocks.
    public init(_ picture: DCPicture) {
        let luma = picture.detailComponent
        let factor = max(1, (luma.widthInBlocks + Self.maximumCellsWide - 1) / Self.maximumCellsWide,
                         (luma.heightInBlocks + Self.maximumCellsHigh - 1) / Self.maximumCellsHigh)
        let pooled = ReferencePicture.pooled(luma, factor: factor).components[0]
        cellsWide = pooled.widthInBlocks
        cellsHigh = pooled.heightInBlocks
        cells = pooled.dcValues
    }

    /// A signature from its parts; nil unless `cells` holds `cellsWide` x `cellsHigh` values within the bounds.
    public init?(cellsWide: Int, cellsHigh: Int, cells: [Int16]) {
        guard (1...Self.maximumCellsWide).contains(cellsWide), (1...Self.maximumCellsHigh).contains(cellsHigh),
              cells.count == cellsWide * cellsHigh else { return nil }
        self.cellsWide = cellsWide
        self.cellsHigh = cellsHigh
        self.cells = cells
    }

    /// The share of cells, 0...1, whose mean luma moved by more than `deltaLevels` luma levels since
    /// `previous`; nil when the grids differ (the resolution changed: a new picture, not a repeat).
    public func changedShare(since previous: PictureSignature, deltaLevels: Double) -> Double? {
        guard cellsWide == previous.cellsWide, cellsHigh == previous.cellsHigh else { return nil }
        let limit = Int((deltaLevels * 8).rounded(.down))
        var changed = 0
        for (now, then) in zip(cells, previous.cells) where abs(Int(now) - Int(then)) > limit { changed += 1 }
        return Double(changed) / Double(max(1, cells.count))
    }

    // MARK: Stored form

    /// Cells wide and high (one byte each), then each cell's value (16-bit signed, little-endian).
    public var encoded: [UInt8] {
        var bytes: [UInt8] = [UInt8(cellsWide), UInt8(cellsHigh)]
        bytes.reserveCapacity(2 + cells.count * 2)
        for cell in cells {
            let bits = UInt16(bitPattern: cell)
            bytes += [UInt8(bits & 0xFF), UInt8(bits >> 8)]
        }
        return bytes
    }

    /// The signature `encoded` wrote, from the start of `bytes`, and how many bytes it took; nil when they
    /// do not hold one (too short, a grid outside the bounds).
    public static func decode(_ bytes: ArraySlice<UInt8>) -> (signature: PictureSignature, count: Int)? {
        guard bytes.count >= 2 else { return nil }
        let start = bytes.startIndex
        let wide = Int(bytes[start]), high = Int(bytes[start + 1])
        let count = 2 + wide * high * 2
        guard (1...maximumCellsWide).contains(wide), (1...maximumCellsHigh).contains(high), bytes.count >= count else { return nil }
        var cells: [Int16] = []
        cells.reserveCapacity(wide * high)
        for index in 0..<(wide * high) {
            let at = start + 2 + index * 2
            cells.append(Int16(bitPattern: UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8))
        }
        return PictureSignature(cellsWide: wide, cellsHigh: high, cells: cells).map { ($0, count) }
    }
}
