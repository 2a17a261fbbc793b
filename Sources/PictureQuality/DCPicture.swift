/// What a JPEG's entropy-coded data says about its picture without an inverse DCT: for every 8x8 block of every
/// component its dequantised DC coefficient (the block's mean, a 1/8-scale picture) and its AC energy
/// (how much detail the block holds). An immutable value, safe to share between threads.
public struct DCPicture: Sendable, Equatable {
    /// One colour component (Y, Cb or Cr; only Y in a greyscale file) at block resolution.
    public struct Component: Sendable, Equatable {
        /// The component identifier from the frame header (1, 2, 3 in JFIF files).
        public var identifier: UInt8
        /// Horizontal and vertical sampling factors (2 and 2 for the luma of a 4:2:0 file).
        public var horizontalSampling: Int
        public var verticalSampling: Int
        /// Blocks per row and rows of blocks that cover the component's samples: ceil(samples / 8).
        public var widthInBlocks: Int
        public var heightInBlocks: Int
        /// The dequantised DC coefficient of each block, row by row: 8 x (block mean - 128).
        public var dcValues: [Int16]
        /// The sum of the squared dequantised AC coefficients of each block, row by row. In a progressive file
        /// the low bits that refinement scans add to coefficients already non-zero are not counted (see
        /// `JPEGDCDecoder`), a slight underestimate.
        public var acEnergy: [Float]
        /// How many blocks have a non-zero AC coefficient at each zig-zag position (index 0, the DC, is 0):
        /// the DCT-coefficient histogram that Marichal, Ma and Zhang's blur measure weighs.
        public var nonZeroCoefficientCounts: [Int]

        /// The block's mean sample value as libjpeg's 1/8-scale output computes it:
        /// descale(DC, 3) + 128, clamped to 0...255.
        public func blockMean(x: Int, y: Int) -> UInt8 {
            DCPicture.sample(fromDC: dcValues[y * widthInBlocks + x])
        }
    }

    /// Picture width and height in pixels, as the frame header declares.
    public var width: Int
    public var height: Int
    /// Whether the file was progressive (SOF2).
    public var isProgressive: Bool
    /// The components in frame-header order: one (greyscale) or three (YCbCr).
    public var components: [Component]

    /// The width and height of the 1/8-scale picture: ceil(width / 8) by ceil(height / 8), what
    /// `djpeg -scale 1/8` writes (240x135 for 1920x1080).
    public var scaledWidth: Int { (width + 7) / 8 }
    public var scaledHeight: Int { (height + 7) / 8 }

    /// The 1/8-scale luma (or greyscale) picture, row by row, `scaledWidth` x `scaledHeight`: each block's mean
    /// from its DC coefficient. Equal within +-1 (exactly, in practice) to `djpeg -scale 1/8 -grayscale`.
    public func lumaPlane() -> [UInt8] {
        let luma = components[0]
        var plane = [UInt8](repeating: 0, count: scaledWidth * scaledHeight)
        for y in 0..<scaledHeight {
            for x in 0..<scaledWidth {
                plane[y * scaledWidth + x] = luma.blockMean(x: x, y: y)
            }
        }
        return plane
    }

    /// The 1/8-scale colour picture, interleaved R, G, B, `scaledWidth` x `scaledHeight`.
    ///
    /// Chroma blocks are replicated onto the luma block grid (a 4:2:0 chroma block covers 2x2 luma blocks), then
    /// converted with JFIF's YCbCr-to-RGB equations in 16-bit fixed point, rounded. For 4:4:4 files this is
    /// what `djpeg -scale 1/8` writes within +-1; for subsampled files djpeg instead runs a 2x2 (or 2x1)
    /// inverse DCT on chroma, using the chroma's lowest AC coefficients, which no DC-only picture can
    /// reproduce: there the colours agree on flat areas and differ at chroma edges. A greyscale file gives grey.
    public func rgbPlane() -> [UInt8] {
        var plane = [UInt8](repeating: 0, count: scaledWidth * scaledHeight * 3)
        let luma = components[0]
        guard components.count == 3 else {
            for index in 0..<(scaledWidth * scaledHeight) {
                let sample = luma.blockMean(x: index % scaledWidth, y: index / scaledWidth)
                plane[index * 3] = sample
                plane[index * 3 + 1] = sample
                plane[index * 3 + 2] = sample
            }
            return plane
        }
        let maximumHorizontal = components.map(\.horizontalSampling).max() ?? 1
        let maximumVertical = components.map(\.verticalSampling).max() ?? 1
        let blue = components[1]
        let red = components[2]
        // Which chroma block covers each luma block column, computed once rather than per pixel.
        let blueColumns = (0..<scaledWidth).map { min($0 * blue.horizontalSampling / maximumHorizontal, blue.widthInBlocks - 1) }
        let redColumns = (0..<scaledWidth).map { min($0 * red.horizontalSampling / maximumHorizontal, red.widthInBlocks - 1) }
        let width = scaledWidth
        plane.withUnsafeMutableBufferPointer { output in
            luma.dcValues.withUnsafeBufferPointer { lumaValues in
                blue.dcValues.withUnsafeBufferPointer { blueValues in
                    red.dcValues.withUnsafeBufferPointer { redValues in
                        for y in 0..<scaledHeight {
                            let lumaRow = y * luma.widthInBlocks
                            let blueRow = min(y * blue.verticalSampling / maximumVertical, blue.heightInBlocks - 1) * blue.widthInBlocks
                            let redRow = min(y * red.verticalSampling / maximumVertical, red.heightInBlocks - 1) * red.widthInBlocks
                            for x in 0..<width {
                                let lumaSample = Int(Self.sample(fromDC: lumaValues[lumaRow + x]))
                                let blueSample = Int(Self.sample(fromDC: blueValues[blueRow + blueColumns[x]])) &- 128
                                let redSample = Int(Self.sample(fromDC: redValues[redRow + redColumns[x]])) &- 128
                                let index = (y &* width &+ x) &* 3
                                // JFIF: R = Y + 1.402 Cr, G = Y - 0.344136 Cb - 0.714136 Cr, B = Y + 1.772 Cb
                                // (x 65536, rounded), the fixed point libjpeg's colour conversion uses.
                                // Wrapping arithmetic: every operand is a byte, nothing can overflow.
                                output[index] = clampToByte(lumaSample &+ (91881 &* redSample &+ 32768) &>> 16)
                                output[index + 1] = clampToByte(lumaSample &+ (-22554 &* blueSample &- 46802 &* redSample &+ 32768) &>> 16)
                                output[index + 2] = clampToByte(lumaSample &+ (116130 &* blueSample &+ 32768) &>> 16)
                            }
                        }
                    }
                }
            }
        }
        return plane
    }

    /// A block's sample value from its dequantised DC coefficient: (DC + 4) >> 3, the rounding of libjpeg's
    /// 1x1 inverse DCT, plus the level shift of 128, clamped to a byte.
    @inline(__always)
    static func sample(fromDC dc: Int16) -> UInt8 {
        clampToByte((Int(dc) &+ 4) &>> 3 &+ 128)
    }
}

@inline(__always)
func clampToByte(_ value: Int) -> UInt8 {
    UInt8(clamping: value)
}
