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

        /// Two snapshots of a frozen encoder (the clock moved on) and of a live camera (fresh sensor noise).
        static let snapshotPairs = [("frozen", DiagnosisCorpus.frozenPair, true), ("live", DiagnosisCorpus.livePair, false)]

        @Test(arguments: snapshotPairs)
        func aFrozenPictureRepeatsDespiteItsClockAndALiveOneDoesNot(kind: String, pair: (first: String, second: String),
                                                                   repeats: Bool) throws {
            func decode(_ path: String) throws -> DCPicture {
                try JPEGDCDecoder.decode([UInt8](FileManager.default.contents(atPath: path) ?? Data()))
            }
            let (first, second) = (try decode(pair.first), try decode(pair.second))
            let share = try #require(PictureMeasures.unchangedShare(second, previous: first))
            // The clock changed: the frames are never byte-identical.
            #expect(share < 1)
            #expect(PictureDiagnosis.repeats(second, previous: first) == repeats, "\(kind): unchanged share \(share)")
        }

        @Test func comparisonsNeedPicturesOfOneSize() throws {
            let small = try JPEGDCDecoder.decode(TestCorpus.fuzzSeeds[0])
            let large = try JPEGDCDecoder.decode(TestCorpus.pictures[0].bytes)
            #expect(PictureMeasures.correlation(small, large) == nil)
            #expect(PictureMeasures.occludedShare(small, reference: large) == nil)
            #expect(PictureMeasures.unchangedShare(small, previous: large) == nil)
            #expect(try #require(PictureMeasures.correlation(large, large)) > 0.999_999)
            // A greyscale file has no chroma to be cast.
            #expect(PictureMeasures.colourCast(try JPEGDCDecoder.decode(TestCorpus.fuzzSeeds[3])) == nil)
        }
    }
}
