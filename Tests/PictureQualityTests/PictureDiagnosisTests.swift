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

        @Test func aFrozenPictureRepeatsDespiteItsClockAndALiveOneDoesNot() throws {
            func decode(_ path: String) throws -> DCPicture {
                try JPEGDCDecoder.decode([UInt8](FileManager.default.contents(atPath: path) ?? Data()))
            }
            let frozen = (try decode(DiagnosisCorpus.frozenPair.first), try decode(DiagnosisCorpus.frozenPair.second))
            let live = (try decode(DiagnosisCorpus.livePair.first), try decode(DiagnosisCorpus.livePair.second))
            let frozenShare = try #require(PictureMeasures.unchangedShare(frozen.1, previous: frozen.0))
            let liveShare = try #require(PictureMeasures.unchangedShare(live.1, previous: live.0))
            // The clock changed: the frames are not byte-identical, yet nearly every block is.
            #expect(frozenShare < 1)
            #expect(PictureDiagnosis.repeats(frozen.1, previous: frozen.0), "unchanged share \(frozenShare)")
            #expect(!PictureDiagnosis.repeats(live.1, previous: live.0), "unchanged share \(liveShare)")
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
