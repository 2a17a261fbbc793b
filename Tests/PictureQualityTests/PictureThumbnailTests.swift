import Foundation
import Testing
import TestSupport
@testable import PictureQuality

extension PictureQualityTests {
    /// The thumbnails a report embeds: pooled right (against libjpeg-turbo's own 1/8-scale picture), a few KB,
    /// and PNGs that a real decoder (libpng, through GStreamer's pngdec) reads back pixel for pixel.
    @Suite struct PictureThumbnailTests {
        static func picture(_ name: String) throws -> TestCorpus.Picture {
            try #require(TestCorpus.pictures.first { $0.name == name })
        }

        /// What GStreamer's pngdec (libpng) makes of `png`: RGB rows, each padded to 4 bytes as raw video is; nil when it refuses.
        static func decodedByLibpng(_ png: [UInt8], name: String) throws -> [UInt8]? {
            let path = TestCorpus.directory.file("\(name).png"), output = TestCorpus.directory.file("\(name).rgb")
            try Data(png).write(to: URL(fileURLWithPath: path))
            let run = try ProcessRunner.run(TestCorpus.gstLaunch, ["-q", "filesrc", "location=\(path)", "!", "pngdec", "!", "videoconvert", "!",
                                                                   "video/x-raw,format=RGB", "!", "filesink", "location=\(output)"])
            guard run.status == 0 else { return nil }
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
        }

        static func unpadded(_ rows: [UInt8], width: Int, height: Int) -> [UInt8] {
            let stride = (width * 3 + 3) & ~3
            return (0..<height).flatMap { rows[($0 * stride)..<($0 * stride + width * 3)] }
        }

        @Test func a1080pSnapshotBecomesA48x27PNGOfAFewKilobytesThatLibpngReadsBack() throws {
            let source = try Self.picture("baseline-420-q95-1920x1080")
            let thumbnail = PictureThumbnail(try JPEGDCDecoder.decode(source.bytes))
            #expect(thumbnail.width == 48 && thumbnail.height == 27, "240x135 blocks pooled 5x5")
            let png = thumbnail.png
            #expect(png.count < 4_100, "\(png.count) bytes")
            #expect(thumbnail.dataURI.hasPrefix("data:image/png;base64,iVBORw0KGgo") && thumbnail.dataURI.utf8.count < 5_500)
            #expect(Base64.decoded(String(thumbnail.dataURI.dropFirst("data:image/png;base64,".count))) == png)
            let decoded = try #require(try Self.decodedByLibpng(png, name: "thumbnail-1080p"), "libpng refused the PNG")
            #expect(Self.unpadded(decoded, width: 48, height: 27) == thumbnail.rgb)

        }

        @Test func theThumbnailIsLibjpegsOwnOneEighthPicturePooled() throws {
            // 4:4:4, where the DC picture's colours are djpeg's within 1 (DCPicture.rgbPlane).
            let source = try Self.picture("baseline-444-q90-640x480")
            let thumbnail = PictureThumbnail(try JPEGDCDecoder.decode(source.bytes))
            let (wide, high, factor) = (source.djpegRGB.width, source.djpegRGB.height, 3)
            #expect(thumbnail.width == 27 && thumbnail.height == 20, "80x60 blocks pooled 3x3")
            var worst = 0
            for cellY in 0..<thumbnail.height {
                for cellX in 0..<thumbnail.width {
                    for channel in 0..<3 {
                        var (sum, count) = (0, 0)
                        for y in (cellY * factor)..<min(high, (cellY + 1) * factor) {
                            for x in (cellX * factor)..<min(wide, (cellX + 1) * factor) {
                                sum += Int(source.djpegRGB.samples[(y * wide + x) * 3 + channel])
                                count += 1
                            }
                        }
                        let expected = (sum + count / 2) / count
                        worst = max(worst, abs(expected - Int(thumbnail.rgb[(cellY * thumbnail.width + cellX) * 3 + channel])))
                    }
                }
            }
            #expect(worst <= 1, "largest difference from djpeg -scale 1/8 pooled: \(worst)")
        }

        @Test func referencesAndSignaturesAreDrawnInGreyOnTheirOwnGrids() throws {
            let picture = try JPEGDCDecoder.decode(try Self.picture("baseline-420-q95-1920x1080").bytes)
            let reference = PictureThumbnail(ReferencePicture(picture))
            #expect(reference.width == 48 && reference.height == 27)
            let colour = PictureThumbnail(picture)
            // The same cells: the reference's grey is the thumbnail's luma within rounding and colour conversion.
            var largest = 0
            for index in 0..<(48 * 27) {
                let (r, g, b) = (Int(colour.rgb[index * 3]), Int(colour.rgb[index * 3 + 1]), Int(colour.rgb[index * 3 + 2]))
                largest = max(largest, abs((299 * r + 587 * g + 114 * b) / 1000 - Int(reference.rgb[index * 3])))
                #expect(reference.rgb[index * 3] == reference.rgb[index * 3 + 1] && reference.rgb[index * 3] == reference.rgb[index * 3 + 2])
            }
            #expect(largest <= 4, "\(largest)")
            let signature = PictureThumbnail(PictureSignature(picture))
            #expect(signature.width == 30 && signature.height == 17)
            let decoded = try #require(try Self.decodedByLibpng(signature.png, name: "thumbnail-signature"))
            #expect(Self.unpadded(decoded, width: 30, height: 17) == signature.rgb, "rows padded to 4 bytes by GStreamer: 90 → 92")
        }

        @Test func theKeptFormIsBase64RGBAndAnythingElseIsRefused() throws {
            var generator = Fuzzer.Generator(seed: 0xB64)
            for count in 0..<40 {
                let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
                #expect(Base64.decoded(Base64.encoded(bytes)) == bytes)
            }
            #expect(Base64.encoded(Array("any carnal pleas".utf8)) == "YW55IGNhcm5hbCBwbGVhcw==")
            for bad in ["YW55=IGNh", "YW5", "YW55IGNhcm5hbCBwbGVhcw=A", "YW55 GNh", "====", "YW55IGNh\n"] {
                #expect(Base64.decoded(bad) == nil, "\(bad)")
            }
            let thumbnail = try #require(PictureThumbnail(width: 2, height: 1, rgb: [1, 2, 3, 4, 5, 6]))
            let json = try JSONEncoder().encode(thumbnail)
            #expect(String(decoding: json, as: UTF8.self).contains(#""rgb":"AQIDBAUG""#))
            #expect(try JSONDecoder().decode(PictureThumbnail.self, from: json) == thumbnail)
            for bad in [#"{"width":3,"height":1,"rgb":"AQIDBAUG"}"#, #"{"width":49,"height":1,"rgb":"AQIDBAUG"}"#, #"{"width":2,"height":1,"rgb":"AQID!AUG"}"#] {
                #expect(throws: DecodingError.self) { try JSONDecoder().decode(PictureThumbnail.self, from: Data(bad.utf8)) }
            }
            #expect(PictureThumbnail(width: 0, height: 1, rgb: []) == nil && PictureThumbnail(width: 48, height: 28, rgb: [UInt8](repeating: 0, count: 48 * 28 * 3)) == nil)
        }
    }
}
