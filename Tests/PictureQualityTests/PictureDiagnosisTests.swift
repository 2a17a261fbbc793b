import Foundation
import Testing
@testable import PictureQuality

extension PictureQualityTests {
    /// Every finding on the picture made to show it, and none on normal pictures.
    @Suite struct PictureDiagnosisTests {
        static func diagnose(_ testCase: DiagnosisCorpus.Case) throws -> PictureDiagnosis {
            let picture = try JPEGDCDecoder.decode([UInt8](FileManager.default.contents(atPath: testCase.path) ?? Data()))
            let reference = try testCase.referencePath.map {
                try JPEGDCDecoder.decode([UInt8](FileManager.default.contents(atPath: $0) ?? Data()))
            }
            return PictureDiagnosis(picture, reference: reference)
        }

        /// The same case judged against the compact reference the state directory keeps (pooled, written and
        /// read back), as sweeps judge it.
        static func diagnoseWithStoredReference(_ testCase: DiagnosisCorpus.Case) throws -> (PictureDiagnosis, Int?) {
            let picture = try JPEGDCDecoder.decode([UInt8](FileManager.default.contents(atPath: testCase.path) ?? Data()))
            let stored = try testCase.referencePath.map { path -> [UInt8] in
                ReferencePicture(try JPEGDCDecoder.decode([UInt8](FileManager.default.contents(atPath: path) ?? Data()))).encoded
            }
            let reference = try stored.map { try #require(ReferencePicture(encoded: $0)) }
            return (PictureDiagnosis(picture, reference: reference), stored?.count)
        }

        @Test(arguments: DiagnosisCorpus.normal + DiagnosisCorpus.faults)
        func aCompactStoredReferenceJudgesAsTheWholePictureDoes(testCase: DiagnosisCorpus.Case) throws {
            let (diagnosis, size) = try Self.diagnoseWithStoredReference(testCase)
            #expect(Set(diagnosis.findings.map(\.rawValue)) == testCase.expected, "\(testCase.name): \(diagnosis)")
            if let size { #expect(size <= 10 + 48 * 27 * 6, "a few KB: \(size) bytes") }
        }

        @Test func aDamagedReferenceIsNoReference() throws {
            let picture = try JPEGDCDecoder.decode(TestCorpus.fuzzSeeds[0])
            let stored = ReferencePicture(picture).encoded
            #expect(ReferencePicture(encoded: stored) == ReferencePicture(picture))
            #expect(ReferencePicture(encoded: Array(stored.dropLast())) == nil)
            #expect(ReferencePicture(encoded: Array("XLR0".utf8) + stored.dropFirst(4)) == nil)
        }

        @Test(arguments: DiagnosisCorpus.normal)
        func normalPicturesRaiseNothing(testCase: DiagnosisCorpus.Case) throws {
            let diagnosis = try Self.diagnose(testCase)
            #expect(diagnosis.findings.isEmpty, "\(diagnosis)")
        }

        @Test(arguments: DiagnosisCorpus.faults)
        func eachFaultRaisesItsFinding(testCase: DiagnosisCorpus.Case) throws {
            let diagnosis = try Self.diagnose(testCase)
            #expect(Set(diagnosis.findings.map(\.rawValue)) == testCase.expected, "\(diagnosis)")
        }

        /// Two snapshots of a frozen encoder (the clock moved on), of one re-encoded at another quality, and of
        /// a live camera (fresh sensor noise on a still scene).
        static let snapshotPairs = [("frozen", DiagnosisCorpus.frozenPair, true), ("frozen-requantised", DiagnosisCorpus.requantisedFrozenPair, true),
                                    ("live", DiagnosisCorpus.livePair, false)]

        @Test(arguments: snapshotPairs)
        func aFrozenPictureRepeatsDespiteItsClockAndALiveOneDoesNot(kind: String, pair: (first: String, second: String),
                                                                   repeats: Bool) throws {
            func signature(_ path: String) throws -> PictureSignature {
                PictureSignature(try JPEGDCDecoder.decode([UInt8](FileManager.default.contents(atPath: path) ?? Data())))
            }
            let (first, second) = (try signature(pair.first), try signature(pair.second))
            #expect(first.cellsWide == 27 && first.cellsHigh == 15, "640x360 is 80x45 blocks, pooled 3x3")
            let changed = try #require(second.changedShare(since: first, deltaLevels: 0.5))
            #expect(PictureDiagnosis.repeats(second, previous: first) == repeats, "\(kind): changed share \(changed)")
            // Exactness would not do: the re-encoded frame moves most cells by an eighth of a level or more.
            if kind == "frozen-requantised" { #expect(try #require(second.changedShare(since: first, deltaLevels: 0)) > 0.5) }
            #expect(PictureSignature.decode(ArraySlice(first.encoded))?.signature == first)
        }

        @Test func comparisonsNeedPicturesOfOneSize() throws {
            let small = try JPEGDCDecoder.decode(TestCorpus.fuzzSeeds[0])
            let large = try JPEGDCDecoder.decode(TestCorpus.pictures[0].bytes)
            #expect(PictureMeasures.correlation(small, large) == nil)
            #expect(PictureMeasures.occludedShare(small, reference: large) == nil)
            #expect(PictureSignature(small).changedShare(since: PictureSignature(large), deltaLevels: 0.5) == nil)
            #expect(try #require(PictureMeasures.correlation(large, large)) > 0.999_999)
            // A greyscale file has no chroma to be cast.
            #expect(PictureMeasures.colourCast(try JPEGDCDecoder.decode(TestCorpus.fuzzSeeds[3])) == nil)
        }
    }
}
