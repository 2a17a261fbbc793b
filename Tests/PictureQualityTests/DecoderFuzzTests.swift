import Foundation
import Testing
import TestSupport
@testable import PictureQuality

extension PictureQualityTests {
    /// Damaged and hostile inputs: the decoder returns a picture or a typed error, never crashes, and never
    /// accepts more blocks than the bytes could encode.
    @Suite struct DecoderFuzzTests {
        /// What decoding hostile bytes gave, and which of the decoder's promises it broke (none, normally).
        struct Checked: Sendable {
            let result: Result<DCPicture, JPEGDecodeError>
            let problems: [String]
        }

        /// Decodes `bytes`; on success checks the allocation bound and that every picture and measure can be
        /// computed, on failure that the reason reads as a sentence. Records nothing itself, so that it can
        /// run off the pool (`offThePool`); callers expect `problems` to be empty.
        static func decodeChecked(_ bytes: [UInt8]) -> Checked {
            do {
                let picture = try JPEGDCDecoder.decode(bytes)
                var problems: [String] = []
                let blocks = picture.components.reduce(0) { $0 + $1.widthInBlocks * $1.heightInBlocks }
                if blocks > JPEGDCDecoder.maximumBlocks(byteCount: bytes.count) {
                    problems.append("\(blocks) blocks from \(bytes.count) bytes")
                }
                for component in picture.components
                where component.dcValues.count != component.widthInBlocks * component.heightInBlocks
                    || component.acEnergy.count != component.dcValues.count {
                    problems.append("component \(component.identifier) has arrays of the wrong size")
                }
                // Whatever a hostile file decodes to, the pictures and every measure must be computable.
                if picture.rgbPlane().count != picture.scaledWidth * picture.scaledHeight * 3 {
                    problems.append("an RGB picture of the wrong size")
                }
                _ = PictureDiagnosis(picture, reference: picture)
                return Checked(result: .success(picture), problems: problems)
            } catch {
                return Checked(result: .failure(error), problems: error.description.isEmpty ? ["\(error) has no description"] : [])
            }
        }

        /// The offset just after a file's first SOS segment: where its entropy-coded data begins.
        static func scanDataStart(_ bytes: [UInt8]) -> Int {
            var index = 2
            while bytes[index + 1] != 0xDA {
                index += 2 + (Int(bytes[index + 2]) << 8 | Int(bytes[index + 3]))
            }
            return index + 2 + (Int(bytes[index + 2]) << 8 | Int(bytes[index + 3]))
        }

        @Test func everySeedDecodes() throws {
            for seed in TestCorpus.fuzzSeeds {
                let picture = try JPEGDCDecoder.decode(seed)
                #expect(picture.width == 40 && picture.height == 32)
            }
        }

        /// Every cut in the headers; in the entropy-coded data every third byte, a different third for each
        /// seed (a debug build decodes slowly, and the suite shares two cores with the rest).
        @Test(arguments: TestCorpus.fuzzSeeds.indices)
        func truncationsFailOrDecode(seedIndex: Int) async {
            let seed = TestCorpus.fuzzSeeds[seedIndex]
            let broken = await offThePool { () -> [String] in
                let dataStart = Self.scanDataStart(seed)
                let lengths = Array(0..<dataStart) + stride(from: dataStart + seedIndex % 3, to: seed.count, by: 3)
                // Cut inside the first scan's data, before its last block could be coded, or anywhere in a
                // progressive file (its later scans are then missing): always an error.
                let isProgressive = [1, 5, 7].contains(seedIndex)
                return lengths.flatMap { length -> [String] in
                    let checked = Self.decodeChecked(Array(seed.prefix(length)))
                    let mustFail = length < dataStart + (seed.count - dataStart) / 8 || (isProgressive && length < seed.count - 1)
                    guard mustFail, case .success = checked.result else { return checked.problems }
                    return checked.problems + ["a file cut at \(length) of \(seed.count) bytes decoded"]
                }
            }
            #expect(broken.isEmpty, "\(broken.prefix(5))")
        }

        @Test func truncatedScanSaysWhere() {
            let seed = TestCorpus.fuzzSeeds[0]
            let cut = Array(seed.prefix(Self.scanDataStart(seed) + 20))
            #expect(throws: JPEGDecodeError.truncatedScan(offset: cut.count)) { try JPEGDCDecoder.decode(cut) }
        }

        @Test func corruptHuffmanCodesNeverCrash() async {
            let (failures, broken) = await offThePool { () -> (Int, [String]) in
                var generator = Fuzzer.Generator(seed: 15)
                var failures = 0
                var broken: [String] = []
                for seed in TestCorpus.fuzzSeeds {
                    let dataStart = Self.scanDataStart(seed)
                    for _ in 0..<300 {
                        var damaged = seed
                        for _ in 0..<(1 + Int(generator.next() % 4)) {
                            let index = dataStart + Int(generator.next() % UInt64(seed.count - 2 - dataStart))
                            damaged[index] = UInt8(truncatingIfNeeded: generator.next())
                        }
                        let checked = Self.decodeChecked(damaged)
                        if case .failure = checked.result { failures += 1 }
                        broken += checked.problems
                    }
                }
                return (failures, broken)
            }
            #expect(broken.isEmpty, "\(broken.prefix(5))")
            // Some damage still decodes (a flipped bit can be another valid code); much of it must not.
            #expect(failures > 100)
        }

        @Test func codesNoTableDefinesAreRejected() {
            // Every scan byte FF 00 (stuffed FF): all-ones bits, which no canonical Huffman code uses.
            var damaged = TestCorpus.fuzzSeeds[0]
            let dataStart = Self.scanDataStart(damaged)
            for index in stride(from: dataStart, to: damaged.count - 3, by: 2) {
                damaged[index] = 0xFF
                damaged[index + 1] = 0x00
            }
            // The offset is about where the bad code is: the register may hold a few FF 00 pairs ahead of it.
            guard case .failure(.badHuffmanCode(let offset)) = Self.decodeChecked(damaged).result else {
                Issue.record("all-ones codes were not reported as a bad Huffman code")
                return
            }
            #expect((dataStart...(dataStart + 8)).contains(offset))
        }

        @Test(arguments: [(65535, 65535), (65535, 8), (8, 65535), (4096, 4096)])
        func hugeDeclaredDimensionsAreRejectedBeforeAllocating(width: Int, height: Int) {
            var damaged = TestCorpus.fuzzSeeds[0]
            let frame = (2..<damaged.count - 1).first { damaged[$0] == 0xFF && damaged[$0 + 1] == 0xC0 }!
            damaged[frame + 5] = UInt8(height >> 8)
            damaged[frame + 6] = UInt8(height & 0xFF)
            damaged[frame + 7] = UInt8(width >> 8)
            damaged[frame + 8] = UInt8(width & 0xFF)
            let limit = JPEGDCDecoder.maximumBlocks(byteCount: damaged.count)
            // 4:2:0: per MCU of 16x16 pixels, four luma blocks and two chroma blocks.
            let blocks = ((width + 15) / 16) * ((height + 15) / 16) * 6
            #expect(throws: JPEGDecodeError.dimensionsExceedData(offset: frame, blocks: blocks, limit: limit)) {
                try JPEGDCDecoder.decode(damaged)
            }
        }

        /// Chroma sampled finer than luma, or each component differently: legal, which cjpeg writes when asked,
        /// and a trap for code that takes the luma grid for the picture's grid.
        static let unusualSamplings = ["1x1,2x2,2x2", "2x1,1x2,1x1"].map { sampling in
            (sampling, TestCorpus.encodeScene("sampling-\(sampling.filter(\.isNumber))", width: 100, height: 60,
                                              options: ["-sample", sampling]))
        }

        @Test(arguments: unusualSamplings)
        func unusualSamplingStillGivesWholePictures(sampling: String, bytes: [UInt8]) throws {
            let checked = Self.decodeChecked(bytes)
            #expect(checked.problems.isEmpty, "\(sampling): \(checked.problems)")
            let picture = try checked.result.get()
            #expect(picture.lumaPlane().count == picture.scaledWidth * picture.scaledHeight)
            #expect(picture.scaledWidth == 13 && picture.scaledHeight == 8)
        }

        @Test func markerFloodEndsWithAReason() {
            let flood = [0xFF, 0xD8] + [UInt8](repeating: 0xFF, count: 1 << 20)
            #expect(throws: JPEGDecodeError.truncated(offset: flood.count, expected: "a marker")) {
                try JPEGDCDecoder.decode(flood)
            }
            let floodThenEnd = [0xFF, 0xD8] + [UInt8](repeating: 0xFF, count: 1 << 20) + [0xD9]
            #expect(throws: JPEGDecodeError.noImageData(offset: floodThenEnd.count - 2)) {
                try JPEGDCDecoder.decode(floodThenEnd)
            }
            // A flood inside the scan data: FF fill bytes before EOI, where the blocks should be.
            let seed = TestCorpus.fuzzSeeds[1]
            let inScan = Array(seed.prefix(Self.scanDataStart(seed))) + [UInt8](repeating: 0xFF, count: 1 << 16) + [0xD9]
            #expect(throws: JPEGDecodeError.truncatedScan(offset: Self.scanDataStart(seed))) {
                try JPEGDCDecoder.decode(inScan)
            }
        }

        @Test func floodsOfScansAndTablesAreCutOff() throws {
            // The progressive seed's DC refinement scan (one bit a block, the same result however often it is
            // read) repeated past the limit, just before EOI.
            let seed = TestCorpus.fuzzSeeds[1]
            let starts = (2..<seed.count - 1).filter { seed[$0] == 0xFF && seed[$0 + 1] == 0xDA }
            let refinement = try #require(starts.first { start in
                let componentCount = Int(seed[start + 4])
                let tail = start + 5 + 2 * componentCount
                return seed[tail] == 0 && seed[tail + 2] >> 4 > 0
            })
            let next = try #require(starts.first { $0 > refinement })
            let scan = Array(seed[refinement..<next])
            let beforeEnd = Array(seed.dropLast(2))
            var flooded = beforeEnd
            for _ in 0..<JPEGDCDecoder.maximumScans { flooded += scan }
            let limitOffset = beforeEnd.count + (JPEGDCDecoder.maximumScans - starts.count) * scan.count
            #expect(throws: JPEGDecodeError.tooManyScans(offset: limitOffset, limit: JPEGDCDecoder.maximumScans)) {
                try JPEGDCDecoder.decode(flooded + [0xFF, 0xD9])
            }
            // Below the limit the same repetition decodes, to the same picture.
            let fewer = beforeEnd + scan + scan + [0xFF, 0xD9]
            #expect(try JPEGDCDecoder.decode(fewer) == JPEGDCDecoder.decode(seed))
            // A DHT segment defining one small table, repeated before the frame.
            let table: [UInt8] = [0xFF, 0xC4, 0x00, 0x14, 0x00] + [1] + [UInt8](repeating: 0, count: 15) + [0]
            let flood = Array(seed.prefix(2)) + (0..<(JPEGDCDecoder.maximumHuffmanTables + 1)).flatMap { _ in table } + seed.dropFirst(2)
            #expect {
                try JPEGDCDecoder.decode(flood)
            } throws: { error in
                guard case .badHuffmanTable(_, let reason) = error as? JPEGDecodeError else { return false }
                return reason.hasPrefix("more than")
            }
        }

        @Test func notJPEGAndUnsupportedFramesSayWhy() {
            #expect(throws: JPEGDecodeError.notJPEG) { try JPEGDCDecoder.decode(Array("<html>".utf8)) }
            #expect(throws: JPEGDecodeError.notJPEG) { try JPEGDCDecoder.decode([]) }
            var lossless = TestCorpus.fuzzSeeds[0]
            let frame = (2..<lossless.count - 1).first { lossless[$0] == 0xFF && lossless[$0 + 1] == 0xC0 }!
            lossless[frame + 1] = 0xC3
            #expect(throws: JPEGDecodeError.unsupportedFrame(offset: frame, marker: 0xC3, reason: "lossless coding")) {
                try JPEGDCDecoder.decode(lossless)
            }
        }

        @Test func trailingBytesAndVendorSegmentsAreTolerated() throws {
            let seed = TestCorpus.fuzzSeeds[0]
            let expected = try JPEGDCDecoder.decode(seed)
            // Garbage after EOI, and EOI missing with padding instead (both seen from cameras).
            #expect(try JPEGDCDecoder.decode(seed + Array("trailing junk".utf8)) == expected)
            #expect(try JPEGDCDecoder.decode(Array(seed.dropLast(2)) + [0, 0, 0, 0]) == expected)
            // An unknown APP segment and a COM segment before the frame.
            let vendor: [UInt8] = [0xFF, 0xEB, 0x00, 0x06, 0x48, 0x49, 0x4B, 0x00, 0xFF, 0xFE, 0x00, 0x04, 0x41, 0x42]
            #expect(try JPEGDCDecoder.decode(Array(seed.prefix(2)) + vendor + seed.dropFirst(2)) == expected)
        }

        @Test func randomMutationsNeverCrash() async {
            let (tried, successes, broken) = await offThePool { () -> (Int, Int, [String]) in
                var successes = 0
                var broken: [String] = []
                let tried = Fuzzer(seeds: TestCorpus.fuzzSeeds, seed: 0x15).run(iterations: 3000, seconds: 10) { input in
                    let checked = Self.decodeChecked(input)
                    if case .success = checked.result { successes += 1 }
                    broken += checked.problems
                }
                return (tried, successes, broken)
            }
            #expect(broken.isEmpty, "\(broken.prefix(5))")
            #expect(tried > 500)
            #expect(successes > 0)
        }
    }
}
