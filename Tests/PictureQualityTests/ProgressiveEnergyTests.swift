import Testing
@testable import PictureQuality

extension PictureQualityTests {
    /// A progressive file's AC energy against the same picture coded sequentially by the same encoder.
    @Suite struct ProgressiveEnergyTests {
        /// The same scene coded by cjpeg with each set of options, sequential and progressive.
        static let pairs = ["-sample 2x2", "-sample 1x1", "-grayscale", "-sample 2x1 -restart 2B"].map { options in
            let name = "energy-" + options.filter { $0.isLetter || $0.isNumber }
            let arguments = options.split(separator: " ").map(String.init)
            return (options,
                    TestCorpus.encodeScene(name + "-sequential", width: 480, height: 272, options: arguments),
                    TestCorpus.encodeScene(name + "-progressive", width: 480, height: 272, options: arguments + ["-progressive"]))
        }

        @Test(arguments: pairs)
        func progressiveEnergyIsCloseToSequential(options: String, sequentialFile: [UInt8], progressiveFile: [UInt8]) throws {
            let sequential = try JPEGDCDecoder.decode(sequentialFile)
            let progressive = try JPEGDCDecoder.decode(progressiveFile)
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
