/// The video-quality-diagnosis measures (../shared/VQD.md) computed from a `DCPicture`: one value per block,
/// so a 1080p snapshot is judged on 240x135 samples. Pure functions on values; safe from any thread.
///
/// Each measure names where its published form comes from; the defaults in `PictureThresholds` are those
/// published values, adapted where the block picture differs from full-resolution pixels (said at each).
public enum PictureMeasures {
    /// Brightness and contrast of the luma plane.
    public struct LumaStatistics: Sendable, Equatable {
        /// Mean block luma, 0...255 (too dark below 30, too bright above 220: SkeyeVSS).
        public var mean: Double
        /// Standard deviation of block luma (low contrast below 25: SkeyeVSS; a solid screen near 0).
        public var standardDeviation: Double
        /// Share of blocks among the 20 darkest of 256 levels (mean below 20), 0...1
        /// (too dark above 10%: alexchungio/Video-Quality-Diagnosis `brightness_abnormal.py`).
        public var darkShare: Double
        /// Share of blocks among the 20 brightest levels (mean above 235), 0...1 (same source).
        public var brightShare: Double
        /// Share of blocks within the median +-40 levels, 0...1
        /// (low contrast above 70%: the same repository's `contrast_abnormal.py`).
        public var nearMedianShare: Double
    }

    /// Mean, spread and level shares of the block means of the luma (or greyscale) plane.
    public static func lumaStatistics(_ picture: DCPicture) -> LumaStatistics {
        let luma = picture.lumaPlane()
        var histogram = [Int](repeating: 0, count: 256)
        for sample in luma { histogram[Int(sample)] += 1 }
        let count = Double(luma.count)
        let mean = histogram.enumerated().reduce(0.0) { $0 + Double($1.offset * $1.element) } / count
        let variance = histogram.enumerated().reduce(0.0) {
            $0 + Double($1.element) * (Double($1.offset) - mean) * (Double($1.offset) - mean)
        } / count
        var median = 0
        var seen = 0
        while seen + histogram[median] < (luma.count + 1) / 2 {
            seen += histogram[median]
            median += 1
        }
        let nearMedian = histogram[max(0, median - 40)...min(255, median + 40)].reduce(0, +)
        return LumaStatistics(
            mean: mean,
            standardDeviation: variance.squareRoot(),
            darkShare: Double(histogram[0..<20].reduce(0, +)) / count,
            brightShare: Double(histogram[236...255].reduce(0, +)) / count,
            nearMedianShare: Double(nearMedian) / count)
    }

    /// The colour-cast measure of the "equivalent circle" method (alexchungio/Video-Quality-Diagnosis
    /// `color_deviation.py`): K = D / M, D the distance of the mean chroma from neutral, M the mean absolute
    /// spread of chroma around its mean. The published method works in CIE Lab's a and b; this works in the
    /// JPEG's own Cb and Cr block means (centred on 0), the same kind of opponent-colour axes without a
    /// colour conversion, so its K is of the same order but not identical.
    public struct ColourCast: Sendable, Equatable {
        /// D: how far the picture's mean colour is from grey, in Cb/Cr levels.
        public var meanChromaDistance: Double
        /// M: how much the colours vary around that mean, in Cb/Cr levels.
        public var chromaSpread: Double
        /// K = D / M (0 when both are 0).
        public var castFactor: Double
        /// Mean chroma magnitude of the blocks, in Cb/Cr levels: near 0 for a greyscale picture such as a
        /// night-time infrared one, which has no colour to be cast.
        public var meanChromaMagnitude: Double
    }

    /// The equivalent-circle measure on the Cb/Cr planes; nil for a greyscale file (no chroma at all).
    public static func colourCast(_ picture: DCPicture) -> ColourCast? {
        guard picture.components.count == 3 else { return nil }
        let (blue, red) = picture.chromaSamples()
        let count = Double(blue.count)
        let meanBlue = blue.reduce(0, +) / count
        let meanRed = red.reduce(0, +) / count
        let spreadBlue = blue.reduce(0) { $0 + abs($1 - meanBlue) } / count
        let spreadRed = red.reduce(0) { $0 + abs($1 - meanRed) } / count
        let distance = (meanBlue * meanBlue + meanRed * meanRed).squareRoot()
        let spread = (spreadBlue * spreadBlue + spreadRed * spreadRed).squareRoot()
        let magnitude = zip(blue, red).reduce(0) { $0 + ($1.0 * $1.0 + $1.1 * $1.1).squareRoot() } / count
        return ColourCast(meanChromaDistance: distance, chromaSpread: spread,
                          castFactor: spread > 0 ? distance / spread : (distance > 0 ? .infinity : 0),
                          meanChromaMagnitude: magnitude)
    }

    /// The share of blocks whose colour is that of the picture's most common colour, 0...1: one colour
    /// over more than 98% of the picture is a signal-loss screen (black, blue "no video", any solid colour;
    /// alexchungio/Video-Quality-Diagnosis `signal_lost_detect.py` counts one hue). Colours are compared on
    /// the 1/8-scale RGB picture, quantised to 16 levels a channel, so that encoder noise does not split one
    /// colour into many.
    public static func dominantColourShare(_ picture: DCPicture) -> Double {
        let rgb = picture.rgbPlane()
        var counts = [Int](repeating: 0, count: 4096)
        for index in stride(from: 0, to: rgb.count, by: 3) {
            let bin = Int(rgb[index] >> 4) << 8 | Int(rgb[index + 1] >> 4) << 4 | Int(rgb[index + 2] >> 4)
            counts[bin] += 1
        }
        return Double(counts.max() ?? 0) / Double(max(1, rgb.count / 3))
    }

    /// Sharpness from the DCT coefficients, without an inverse DCT.
    public struct Sharpness: Sendable, Equatable {
        /// Mean AC energy of a luma block (sum of squared dequantised AC coefficients). Quantisation removes
        /// detail, so compare a camera with its own reference, not with a global threshold.
        public var acEnergyPerBlock: Double
        /// Marichal, Ma and Zhang's measure (ICIP 1999, as in tokenrove/blur-detection
        /// `marichal-ma-zhang.c`): the share of blocks with a non-zero coefficient at each of the 63 AC
        /// frequencies, weighted by the frequency's zig-zag index (higher frequencies count more), over the
        /// sum of the weights. 0 for a picture with no AC at all; blur moves it towards 0.
        public var weightedNonZeroShare: Double
    }

    /// The luma plane's AC energy per block and its weighted share of non-zero coefficients.
    public static func sharpness(_ picture: DCPicture) -> Sharpness {
        let luma = picture.detailComponent
        let blocks = Double(max(1, luma.acEnergy.count))
        let energy = luma.acEnergy.reduce(0.0) { $0 + Double($1) } / blocks
        // The counts cover the MCU-padded grid, a little more than the cropped one: clamp the share at 1.
        var weighted = 0.0
        var weights = 0.0
        for frequency in 1..<64 {
            weighted += Double(frequency) * min(1, Double(luma.nonZeroCoefficientCounts[frequency]) / blocks)
            weights += Double(frequency)
        }
        return Sharpness(acEnergyPerBlock: energy, weightedNonZeroShare: weighted / weights)
    }

    /// The Pearson correlation of two pictures' luma block means, -1...1, for scene change (the camera was
    /// turned or moved: the picture no longer resembles its reference). Published VQD tools match features
    /// (alexchungio/Video-Quality-Diagnosis `scene_change_detect.py`); at 1/8 scale the layout of light and
    /// dark is what is left to compare, and a correlation ignores a uniform change of brightness or contrast
    /// (day against dusk). Nil when the sizes differ or either picture is flat (no variance to correlate).
    public static func correlation(_ picture: DCPicture, _ reference: DCPicture) -> Double? {
        guard picture.scaledWidth == reference.scaledWidth, picture.scaledHeight == reference.scaledHeight else {
            return nil
        }
        let first = picture.lumaPlane()
        let second = reference.lumaPlane()
        let count = Double(first.count)
        let meanFirst = first.reduce(0.0) { $0 + Double($1) } / count
        let meanSecond = second.reduce(0.0) { $0 + Double($1) } / count
        var covariance = 0.0
        var varianceFirst = 0.0
        var varianceSecond = 0.0
        for (one, other) in zip(first, second) {
            let deviationFirst = Double(one) - meanFirst
            let deviationSecond = Double(other) - meanSecond
            covariance += deviationFirst * deviationSecond
            varianceFirst += deviationFirst * deviationFirst
            varianceSecond += deviationSecond * deviationSecond
        }
        guard varianceFirst > 0, varianceSecond > 0 else { return nil }
        return covariance / (varianceFirst * varianceSecond).squareRoot()
    }

    /// Occlusion (遮挡): the share of the reference's detailed luma blocks (AC energy at least the
    /// reference's mean block energy) whose energy has fallen below a tenth of what it was, 0...1. A cloth or
    /// a board over part of the lens leaves a large flat region where the reference had detail; unlike blur,
    /// the rest of the picture keeps its detail. Nil when the sizes differ or the reference has no detail.
    public static func occludedShare(_ picture: DCPicture, reference: DCPicture) -> Double? {
        let current = picture.detailComponent
        let before = reference.detailComponent
        guard current.widthInBlocks == before.widthInBlocks, current.heightInBlocks == before.heightInBlocks else {
            return nil
        }
        let meanEnergy = before.acEnergy.reduce(0.0) { $0 + Double($1) } / Double(max(1, before.acEnergy.count))
        guard meanEnergy > 0 else { return nil }
        var detailed = 0
        var flattened = 0
        for (now, then) in zip(current.acEnergy, before.acEnergy) where Double(then) >= meanEnergy {
            detailed += 1
            if now < then / 10 { flattened += 1 }
        }
        return detailed > 0 ? Double(flattened) / Double(detailed) : nil
    }
}
