import Testing
@testable import PictureQuality

extension PictureQualityTests {
    /// A progressive file's AC energy against the same picture coded sequentially by the same encoder.
    @Suite struct ProgressiveEnergyTests {
        @Test(arguments: ["-sample 2x2", "-sample 1x1", "-grayscale", "-sample 2x1 -restart 2B"])
        func progressiveEnergyIsCloseToSequential(options: String) throws {
            let name = "energy-" + options.filter { $0.isLetter || $0.isNumber }
            let arguments = options.split(separator: " ").map(String.init)
            let sequential = try JPEGDCDecoder.decode(TestCorpus.encodeScene(name + "-sequential", width: 480, height: 272, options: arguments))
            let progressive = try JPEGDCDecoder.decode(TestCorpus.encodeScene(name + "-progressive", width: 480, height: 272,
                                                                                options: arguments + ["-progressive"]))
            #expect(progressive.isProgressive && !sequential.isProgressive)
            #expect(progressive.lumaPlane() == sequential.lumaPlane())
            for (first, second) in zip(progressive.components, sequential.components) {
                let progressiveEnergy = first.acEnergy.reduce(0, +)
                let sequentialEnergy = second.acEnergy.reduce(0, +)
                #expect(progressiveEnergy <= sequentialEnergy * 1.0001)
                #expect(progressiveEnergy >= sequentialEnergy * 0.9, "\(progressiveEnergy) against \(sequentialEnergy)")
                // Every non-zero coefficient is found, whichever scan codes it.
                #expect(first.nonZeroCoefficientCounts == second.nonZeroCoefficientCounts)
            }
        }
    }
}
