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

        /// A component from its parts, e.g. a reference picture read back from the state directory.
        public init(identifier: UInt8, horizontalSampling: Int, verticalSampling: Int, widthInBlocks: Int,
                    heightInBlocks: Int, dcValues: [Int16], acEnergy: [Float], nonZeroCoefficientCounts: [Int]) {
            self.identifier = identifier
            self.horizontalSampling = horizontalSampling
            self.verticalSampling = verticalSampling
            self.widthInBlocks = widthInBlocks
            self.heightInBlocks = heightInBlocks
            self.dcValues = dcValues
            self.acEnergy = acEnergy
            self.nonZeroCoefficientCounts = nonZeroCoefficientCounts
        }

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
    /// The components in frame-header order: one (greyscale) or three (YCbCr, or R, G, B when
    /// `storesRGB`).
    public var components: [Component]
    /// Whether the three components are R, G and B rather than Y, Cb and Cr: what an Adobe APP14 segment
    /// with transform 0 (or components named 'R', 'G', 'B') declares, as GStreamer's jpegenc writes when
    /// handed RGB. Cameras write YCbCr.
    public var storesRGB: Bool

    /// A picture from its parts. `components` must hold one or three components whose grids cover
    /// `width` x `height` as their sampling factors say (what `JPEGDCDecoder` makes); the planes assume it.
    public init(width: Int, height: Int, isProgressive: Bool, components: [Component], storesRGB: Bool = false) {
        self.width = width
        self.height = height
        self.isProgressive = isProgressive
        self.components = components
        self.storesRGB = storesRGB && components.count == 3
    }

    /// The component whose blocks carry the picture's detail: luma, or green (most of luma) in an RGB file.
    /// Sharpness, occlusion and the frozen-picture measure read its blocks.
    public var detailComponent: Component { storesRGB ? components[1] : components[0] }

    /// The width and height of the 1/8-scale picture: ceil(width / 8) by ceil(height / 8), what
    /// `djpeg -scale 1/8` writes (240x135 for 1920x1080).
    public var scaledWidth: Int { (width + 7) / 8 }
    public var scaledHeight: Int { (height + 7) / 8 }

    /// The 1/8-scale luma (or greyscale) picture, row by row, `scaledWidth` x `scaledHeight`: each block's mean
    /// from its DC coefficient. Equal within +-1 (exactly, in practice) to `djpeg -scale 1/8 -grayscale`.
    public func lumaPlane() -> [UInt8] {
        guard storesRGB else { return scaledPlane(of: components[0]) }
        let (red, green, blue) = redGreenBluePlanes()
        // libjpeg's RGB-to-grey: Y = 0.299 R + 0.587 G + 0.114 B, x 65536 and rounded.
        return (0..<red.count).map { index -> UInt8 in
            let weighted: Int = 19595 * Int(red[index]) + 38470 * Int(green[index]) + 7471 * Int(blue[index])
            return UInt8(truncatingIfNeeded: (weighted + 32768) >> 16)
        }
    }

    /// Cb and Cr of every 1/8-scale pixel's block, centred on 0 (-128...127): the chroma planes as coded
    /// (on their own block grids) in a YCbCr file, converted from R, G, B with JFIF's equations in an RGB
    /// one. Empty for greyscale.
    func chromaSamples() -> (blue: [Double], red: [Double]) {
        guard components.count == 3 else { return ([], []) }
        guard storesRGB else {
            return (components[1].dcValues.map { Double(Self.sample(fromDC: $0)) - 128 },
                    components[2].dcValues.map { Double(Self.sample(fromDC: $0)) - 128 })
        }
        let (red, green, blue) = redGreenBluePlanes()
        var blueDifference = [Double](repeating: 0, count: red.count)
        var redDifference = [Double](repeating: 0, count: red.count)
        for index in 0..<red.count {
            let (redSample, greenSample, blueSample) = (Double(red[index]), Double(green[index]), Double(blue[index]))
            blueDifference[index] = -0.168736 * redSample - 0.331264 * greenSample + 0.5 * blueSample
            redDifference[index] = 0.5 * redSample - 0.418688 * greenSample - 0.081312 * blueSample
        }
        return (blueDifference, redDifference)
    }

    /// The 1/8-scale colour picture, interleaved R, G, B, `scaledWidth` x `scaledHeight`.
    ///
    /// Chroma blocks are replicated onto the luma block grid (a 4:2:0 chroma block covers 2x2 luma blocks), then
    /// converted with JFIF's YCbCr-to-RGB equations in libjpeg's fixed point (`ColourConversion`). For 4:4:4
    /// files this is what `djpeg -scale 1/8` writes within +-1; for subsampled files djpeg instead runs a 2x2
    /// (or 2x1) inverse DCT on chroma, using the chroma's lowest AC coefficients, which no DC-only picture can
    /// reproduce: there the colours agree on flat areas and differ at chroma edges. A greyscale file gives grey,
    /// an RGB file its own components.
    public func rgbPlane() -> [UInt8] {
        let pixels = scaledWidth * scaledHeight
        if storesRGB {
            let (red, green, blue) = redGreenBluePlanes()
            return Self.interleave(red, green, blue)
        }
        let luma = lumaPlane()
        guard components.count == 3 else { return Self.interleave(luma, luma, luma) }
        let blue = scaledPlane(of: components[1])
        let red = scaledPlane(of: components[2])
        let conversion = ColourConversion.shared
        return [UInt8](unsafeUninitializedCapacity: pixels * 3) { output, initialised in
            luma.withUnsafeBufferPointer { luma in
                blue.withUnsafeBufferPointer { blue in
                    red.withUnsafeBufferPointer { red in
                        for index in 0..<pixels {
                            let lumaSample = Int(luma[index])
                            let blueSample = Int(blue[index])
                            let redSample = Int(red[index])
                            output[index &* 3] = clampToByte(lumaSample &+ conversion.redFromCr[redSample])
                            output[index &* 3 &+ 1] = clampToByte(
                                lumaSample &+ (conversion.greenFromCb[blueSample] &+ conversion.greenFromCr[redSample]) &>> 16)
                            output[index &* 3 &+ 2] = clampToByte(lumaSample &+ conversion.blueFromCb[blueSample])
                        }
                    }
                }
            }
            initialised = pixels * 3
        }
    }

    /// Three planes of one size as interleaved R, G, B.
    private static func interleave(_ red: [UInt8], _ green: [UInt8], _ blue: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: red.count * 3) { output, initialised in
            for index in 0..<red.count {
                output[index * 3] = red[index]
                output[index * 3 + 1] = green[index]
                output[index * 3 + 2] = blue[index]
            }
            initialised = red.count * 3
        }
    }

    /// An RGB file's three components on the 1/8-scale grid.
    private func redGreenBluePlanes() -> (red: [UInt8], green: [UInt8], blue: [UInt8]) {
        (scaledPlane(of: components[0]), scaledPlane(of: components[1]), scaledPlane(of: components[2]))
    }

    /// One component's block means on the `scaledWidth` x `scaledHeight` grid: each block replicated over
    /// the grid cells it covers (2x2 for the chroma of 4:2:0; once for a full-size component).
    private func scaledPlane(of component: Component) -> [UInt8] {
        let samples = component.dcValues.map { Self.sample(fromDC: $0) }
        if component.widthInBlocks == scaledWidth, component.heightInBlocks == scaledHeight { return samples }
        let maximumHorizontal = components.map(\.horizontalSampling).max() ?? 1
        let maximumVertical = components.map(\.verticalSampling).max() ?? 1
        let columns = (0..<scaledWidth).map {
            min($0 * component.horizontalSampling / maximumHorizontal, component.widthInBlocks - 1)
        }
        let width = scaledWidth
        return [UInt8](unsafeUninitializedCapacity: scaledWidth * scaledHeight) { output, initialised in
            samples.withUnsafeBufferPointer { samples in
                columns.withUnsafeBufferPointer { columns in
                    for y in 0..<scaledHeight {
                        let row = min(y * component.verticalSampling / maximumVertical, component.heightInBlocks - 1)
                            * component.widthInBlocks
                        for x in 0..<width { output[y &* width &+ x] = samples[row &+ columns[x]] }
                    }
                }
            }
            initialised = width * scaledHeight
        }
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

/// JFIF's YCbCr-to-RGB equations as tables over the 256 chroma levels, in the 16-bit fixed point libjpeg's
/// colour conversion uses: R = Y + 1.402 (Cr - 128), G = Y - 0.344136 (Cb - 128) - 0.714136 (Cr - 128),
/// B = Y + 1.772 (Cb - 128), each product x 65536 and rounded (G's two terms rounded once, on their sum).
/// Immutable, built once; safe to share.
struct ColourConversion: Sendable {
    let redFromCr: [Int]
    let blueFromCb: [Int]
    /// Still scaled by 65536, with the rounding half in the Cr term: add both, then shift right by 16.
    let greenFromCb: [Int]
    let greenFromCr: [Int]

    static let shared = ColourConversion()

    private init() {
        redFromCr = (0..<256).map { (91881 * ($0 - 128) + 32768) >> 16 }
        blueFromCb = (0..<256).map { (116130 * ($0 - 128) + 32768) >> 16 }
        greenFromCb = (0..<256).map { -22554 * ($0 - 128) }
        greenFromCr = (0..<256).map { -46802 * ($0 - 128) + 32768 }
    }
}
