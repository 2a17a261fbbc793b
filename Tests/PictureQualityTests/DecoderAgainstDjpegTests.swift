import Testing
@testable import PictureQuality

extension PictureQualityTests {
    /// The DC picture against libjpeg-turbo's own 1/8-scale decode of the same file.
    @Suite struct DecoderAgainstDjpegTests {
        @Test(arguments: TestCorpus.pictures)
        func lumaMatchesDjpegWithinOne(picture: TestCorpus.Picture) throws {
            let decoded = try JPEGDCDecoder.decode(picture.bytes)
            #expect(decoded.width == picture.width)
            #expect(decoded.height == picture.height)
            #expect(decoded.components.count == (picture.isGreyscale ? 1 : 3))
            let reference = picture.djpegLuma
            #expect(reference.width == decoded.scaledWidth)
            #expect(reference.height == decoded.scaledHeight)
            let luma = decoded.lumaPlane()
            try #require(luma.count == reference.samples.count)
            let differences = zip(luma, reference.samples).map { abs(Int($0) - Int($1)) }
            let worst = differences.max() ?? 0
            #expect(worst <= 1, "largest luma difference \(worst)")
            // The same rounding as libjpeg's 1x1 IDCT, so the tolerance is for safety, not for a systematic bias.
            let differing = differences.filter { $0 != 0 }.count
            #expect(differing * 100 <= differences.count, "\(differing) of \(differences.count) luma samples differ")
        }

        @Test(arguments: TestCorpus.pictures.filter(\.isFullChroma))
        func rgbMatchesDjpegWithinOneWithoutSubsampling(picture: TestCorpus.Picture) throws {
            let decoded = try JPEGDCDecoder.decode(picture.bytes)
            let reference = picture.djpegRGB
            let rgb = decoded.rgbPlane()
            let referenceRGB = picture.isGreyscale ? reference.samples.flatMap { [$0, $0, $0] } : reference.samples
            try #require(rgb.count == referenceRGB.count)
            let worst = zip(rgb, referenceRGB).map { abs(Int($0) - Int($1)) }.max() ?? 0
            #expect(worst <= 1, "largest RGB difference \(worst)")
        }
    }
}

extension PictureQualityTests.DecoderAgainstDjpegTests {
    /// Subsampled chroma: djpeg runs a 2x2 (or 2x1) IDCT on chroma, with its lowest AC coefficients, where the
    /// DC picture replicates one chroma mean; colours agree on average and differ at chroma edges (small
    /// pictures of colour bars differ most: 4.5 levels on average for 640x360 SMPTE bars; swapped or
    /// misplaced chroma would differ by tens).
    @Test(arguments: TestCorpus.pictures.filter { !$0.isFullChroma })
    func rgbIsCloseToDjpegOnAverageWithSubsampling(picture: TestCorpus.Picture) throws {
        let decoded = try JPEGDCDecoder.decode(picture.bytes)
        let reference = picture.djpegRGB
        let rgb = decoded.rgbPlane()
        try #require(rgb.count == reference.samples.count)
        let total = zip(rgb, reference.samples).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        let meanDifference = Double(total) / Double(rgb.count)
        #expect(meanDifference < 6, "mean RGB difference \(meanDifference)")
    }
}
