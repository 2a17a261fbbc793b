/// A picture fault a snapshot shows (the classes VQD suites agree on, ../shared/VQD.md).
public enum PictureFinding: String, Sendable, Equatable, CaseIterable {
    /// 信号丢失: one colour over (nearly) the whole picture, or no luma variation at all.
    case signalLoss = "signal-loss"
    /// 过暗
    case tooDark = "too-dark"
    /// 过亮
    case tooBright = "too-bright"
    /// 对比度低: fog, a covered or dirty lens.
    case lowContrast = "low-contrast"
    /// 偏色 (a greyscale infrared picture is not a cast).
    case colourCast = "colour-cast"
    /// 模糊: judged against the camera's own reference picture.
    case blur = "blur"
    /// 遮挡: part of the picture has gone flat where the reference had detail.
    case occlusion = "occlusion"
    /// 场景变换: the picture no longer resembles the camera's reference.
    case sceneChange = "scene-change"
}

/// The limits each finding is judged by. Defaults are the published values (../shared/VQD.md) where they
/// carry over to a 1/8-scale picture; where not, the value and the reason are given. A value; shareable.
public struct PictureThresholds: Sendable, Equatable {
    /// Signal loss when one colour covers more than this share of the blocks (published: 98% of pixels).
    public var solidColourShare = 0.98
    /// Signal loss when the luma standard deviation is below this (a "very low" deviation, published
    /// without a number; 2 levels is below any encoder's noise on a real scene).
    public var solidStandardDeviation = 2.0
    /// Too dark below this mean luma (published: 30), or when more than `darkShare` of the blocks are among
    /// the 20 darkest levels (published: 10% of pixels; at block scale the deep shadows of a normal night
    /// scene average out, but so does a dark picture's noise, so a larger share is required: 50%).
    public var darkMean = 30.0
    public var darkShare = 0.5
    /// Too bright above this mean luma (published: 220), or more than `brightShare` of blocks among the 20
    /// brightest levels (50%, as for dark).
    public var brightMean = 220.0
    public var brightShare = 0.5
    /// Low contrast below this luma standard deviation (published: 25; SkeyeVSS). The other published rule,
    /// 70% of pixels within the median +-40, fires on ordinary daylight scenes whose blocks sit in a narrow
    /// band, so it is kept at 98%, which a fogged or covered picture still reaches.
    public var lowContrastStandardDeviation = 25.0
    public var lowContrastNearMedianShare = 0.98
    /// Colour cast when K = D / M exceeds this (published: 1.5; others use 1.1) and the mean colour is at
    /// least `castMinimumDistance` Cb/Cr levels from grey (so that a near-neutral picture with very
    /// uniform colour is not called cast on a tiny D).
    public var castFactor = 1.5
    public var castMinimumDistance = 6.0
    /// A picture whose mean chroma magnitude is below this many Cb/Cr levels is greyscale (night infrared):
    /// never a colour cast.
    public var greyChromaMagnitude = 3.0
    /// Blur when the AC energy per block falls below this share of the reference's (no published number:
    /// the DCT-histogram papers compare pictures, not thresholds).
    public var blurEnergyRatio = 0.3
    /// Occlusion when more than this share of the reference's detailed blocks has gone flat (no published
    /// number; a third of the detail is a covered corner, not a smudge).
    public var occludedShare = 0.3
    /// Scene change when the luma correlation with the reference falls below this.
    public var sceneCorrelation = 0.5
    /// A snapshot repeats the previous one (a frozen picture, once it lasts N sweeps while the fleet's
    /// pictures change) when at least this share of its `PictureSignature` cells is unchanged (published:
    /// 95% similar, SkeyeVSS), which leaves 5% for the on-screen clock.
    public var frozenUnchangedShare = 0.95
    /// A signature cell is unchanged when its mean luma moved by at most this many levels. Measured on
    /// the test corpus (640x360, 27x15 cells): a frozen frame re-encoded at another quality moves 1.5% of
    /// its cells by more than half a level, a live camera watching a still scene (fresh sensor noise) 32%.
    public var frozenDeltaLevels = 0.5

    public init() {}
}

/// Every measure of one picture (and, given a reference, the comparisons), with the findings they lead
/// to: what `xueliang inspect` would print for a person tuning thresholds. A value; shareable.
public struct PictureDiagnosis: Sendable, Equatable {
    /// Brightness and contrast (`PictureMeasures.lumaStatistics`).
    public var luma: PictureMeasures.LumaStatistics
    /// The equivalent-circle colour cast; nil for a greyscale file.
    public var colourCast: PictureMeasures.ColourCast?
    /// The share of blocks of the most common colour (`PictureMeasures.dominantColourShare`).
    public var dominantColourShare: Double
    /// DCT-domain sharpness (`PictureMeasures.sharpness`).
    public var sharpness: PictureMeasures.Sharpness
    /// The reference's sharpness and the luma correlation with it, when a reference was given.
    public var referenceSharpness: PictureMeasures.Sharpness?
    public var correlationWithReference: Double?
    /// The share of the reference's detailed blocks gone flat, when a reference was given.
    public var occludedShare: Double?
    /// The findings, in `PictureFinding.allCases` order; empty for a normal picture. A signal-loss screen
    /// reports only that: its darkness, contrast or colour follow from it; likewise a too dark or too bright
    /// picture is not also called low in contrast.
    public var findings: [PictureFinding]

    /// Measures `picture` and judges it by `thresholds`; blur and scene change need the camera's `reference`.
    public init(_ picture: DCPicture, reference: DCPicture? = nil, thresholds: PictureThresholds = PictureThresholds()) {
        self.init(picture, comparable: picture, reference: reference, thresholds: thresholds)
    }

    /// Measures `picture` against a kept `ReferencePicture`: blur, occlusion and scene change are judged on the
    /// reference's grid. A reference of another size (the resolution changed) judges nothing.
    public init(_ picture: DCPicture, reference: ReferencePicture?, thresholds: PictureThresholds = PictureThresholds()) {
        let comparable = reference.flatMap { $0.comparable(picture) }
        self.init(picture, comparable: comparable ?? picture, reference: comparable == nil ? nil : reference?.picture, thresholds: thresholds)
    }

    private init(_ picture: DCPicture, comparable: DCPicture, reference: DCPicture?, thresholds: PictureThresholds) {
        luma = PictureMeasures.lumaStatistics(picture)
        colourCast = PictureMeasures.colourCast(picture)
        dominantColourShare = PictureMeasures.dominantColourShare(picture)
        sharpness = PictureMeasures.sharpness(picture)
        let comparedSharpness = PictureMeasures.sharpness(comparable)
        referenceSharpness = reference.map(PictureMeasures.sharpness)
        correlationWithReference = reference.flatMap { PictureMeasures.correlation(comparable, $0) }
        occludedShare = reference.flatMap { PictureMeasures.occludedShare(comparable, reference: $0) }

        if dominantColourShare > thresholds.solidColourShare || luma.standardDeviation < thresholds.solidStandardDeviation {
            findings = [.signalLoss]
            return
        }
        var found: [PictureFinding] = []
        if luma.mean < thresholds.darkMean || luma.darkShare > thresholds.darkShare { found.append(.tooDark) }
        if luma.mean > thresholds.brightMean || luma.brightShare > thresholds.brightShare { found.append(.tooBright) }
        // A picture too dark or too bright has little contrast left as a consequence: one finding, not two.
        if found.isEmpty, luma.standardDeviation < thresholds.lowContrastStandardDeviation
            || luma.nearMedianShare > thresholds.lowContrastNearMedianShare {
            found.append(.lowContrast)
        }
        if let cast = colourCast, cast.meanChromaMagnitude >= thresholds.greyChromaMagnitude,
           cast.castFactor > thresholds.castFactor, cast.meanChromaDistance >= thresholds.castMinimumDistance {
            found.append(.colourCast)
        }
        if let referenceSharpness, referenceSharpness.acEnergyPerBlock > 0,
           comparedSharpness.acEnergyPerBlock < thresholds.blurEnergyRatio * referenceSharpness.acEnergyPerBlock {
            found.append(.blur)
        }
        let sceneChanged = correlationWithReference.map { $0 < thresholds.sceneCorrelation } ?? false
        // Occlusion compares block by block, which means nothing once the scene moved; and blur flattens
        // every block, where occlusion is the flattening of a part: both take precedence.
        if !sceneChanged, !found.contains(.blur), let occludedShare, occludedShare > thresholds.occludedShare {
            found.append(.occlusion)
        }
        if sceneChanged { found.append(.sceneChange) }
        findings = found
    }

    /// Whether a snapshot's `signature` repeats the camera's `previous` one: one sweep's evidence of a frozen
    /// picture; the finding needs it over several sweeps while other cameras change, which is the monitor's
    /// to count. False when the grids differ (a new resolution is a new picture).
    public static func repeats(_ signature: PictureSignature, previous: PictureSignature,
                               thresholds: PictureThresholds = PictureThresholds()) -> Bool {
        guard let changed = signature.changedShare(since: previous, deltaLevels: thresholds.frozenDeltaLevels) else { return false }
        // A hair of tolerance: 1 - 0.95 is not exactly 0.05 in binary.
        return changed <= 1 - thresholds.frozenUnchangedShare + 1e-9
    }
}
