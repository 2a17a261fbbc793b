import Testing

extension PictureQualityTests {
    /// The corpus is what its names say: the encoders really wrote the frame types, tables and restarts the
    /// comparison with djpeg is meant to cover (an encoder upgrade could quietly change its defaults).
    @Suite struct CorpusCoverageTests {
        /// The markers of a file's segments up to its first scan, with the first byte of each payload.
        static func segments(_ bytes: [UInt8]) -> [(marker: UInt8, firstByte: UInt8)] {
            var found: [(UInt8, UInt8)] = []
            var index = 2
            while index + 4 < bytes.count, bytes[index] == 0xFF {
                let marker = bytes[index + 1]
                found.append((marker, bytes[index + 4]))
                if marker == 0xDA { break }
                index += 2 + (Int(bytes[index + 2]) << 8 | Int(bytes[index + 3]))
            }
            return found
        }

        static func picture(_ name: String) throws -> [UInt8] {
            try #require(TestCorpus.pictures.first { $0.name == name }).bytes
        }

        @Test func theCorpusHoldsEveryFrameTypeAndFeature() throws {
            let markers = { (name: String) throws -> [UInt8] in Self.segments(try Self.picture(name)).map(\.marker) }
            #expect(try markers("baseline-420-q75-320x240").contains(0xC0))
            #expect(try markers("extended-16bit-q5-640x480").contains(0xC1))
            #expect(try markers("progressive-420-1920x1080").contains(0xC2))
            #expect(try markers("restart-rows-420-1920x1080").contains(0xDD))
            #expect(try markers("progressive-422-restart-640x480").contains(0xDD))
            // A DQT whose first table has 16-bit entries (precision nibble 1).
            let sixteenBit = Self.segments(try Self.picture("extended-16bit-q5-640x480")).filter { $0.marker == 0xDB }
            #expect(sixteenBit.contains { $0.firstByte >> 4 == 1 })
            // Several scans before EOI in the scan-script files: count SOS markers over the whole file.
            let perComponent = try Self.picture("sequential-one-scan-per-component-640x480")
            #expect(zip(perComponent, perComponent.dropFirst()).filter { $0 == 0xFF && $1 == 0xDA }.count == 3)
            #expect(TestCorpus.pictures.contains { $0.width == 3840 && $0.height == 2160 })
        }
    }
}
