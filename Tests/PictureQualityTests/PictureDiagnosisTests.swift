import Foundation
import Testing
@testable import PictureQuality

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
}
