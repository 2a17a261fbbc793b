import Testing
@testable import Probing
import Registry

struct JPEGCase: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var expected: JPEGInspector.Outcome
    var testDescription: String { name }
}

@Suite struct JPEGInspectorTests {
    static let valid = JPEGBuilder.picture(width: 640, height: 480)

    /// APP1 holding an Exif-style thumbnail: a whole 160x120 JPEG, frame header included.
    static let thumbnailSegment = JPEGBuilder.segment(0xE1, Array("Exif".utf8) + [0x00, 0x00] + JPEGBuilder.picture(width: 160, height: 120))

    static let cases: [JPEGCase] = [
        JPEGCase(name: "valid baseline", bytes: valid, expected: .picture(width: 640, height: 480)),
        JPEGCase(name: "progressive (SOF2)", bytes: JPEGBuilder.picture(width: 1920, height: 1080, frameMarker: 0xC2),
                 expected: .picture(width: 1920, height: 1080)),
        JPEGCase(name: "thumbnail in APP1 is skipped", bytes: JPEGBuilder.picture(width: 1920, height: 1080, extraSegments: thumbnailSegment),
                 expected: .picture(width: 1920, height: 1080)),
        JPEGCase(name: "DHT before the frame header is not a frame header",
                 bytes: JPEGBuilder.picture(width: 352, height: 288, extraSegments: JPEGBuilder.huffmanTable),
                 expected: .picture(width: 352, height: 288)),
        JPEGCase(name: "fill bytes before a marker",
                 bytes: JPEGBuilder.startOfImage + [0xFF, 0xFF] + Array(JPEGBuilder.picture(width: 64, height: 48).dropFirst(2)),
                 expected: .picture(width: 64, height: 48)),
        JPEGCase(name: "HTML page", bytes: Array("<!DOCTYPE html><html>".utf8), expected: .notJPEG),
        JPEGCase(name: "empty body", bytes: [], expected: .notJPEG),
        JPEGCase(name: "one byte", bytes: [0xFF], expected: .notJPEG),
        JPEGCase(name: "PNG", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], expected: .notJPEG),
        JPEGCase(name: "cut off in the scan", bytes: Array(valid.dropLast(2)),
                 expected: .truncated(problem: "JPEG ends without EOI after \(valid.count - 2) bytes")),
        JPEGCase(name: "cut off inside a header segment", bytes: Array(valid.prefix(30)),
                 expected: .truncated(problem: "JPEG ends inside segment FF DB after 30 bytes")),
        JPEGCase(name: "SOI only", bytes: JPEGBuilder.startOfImage,
                 expected: .truncated(problem: "JPEG ends after 2 bytes, before its image data")),
        JPEGCase(name: "bytes after EOI", bytes: valid + [0x00, 0x00],
                 expected: .truncated(problem: "JPEG ends without EOI after \(valid.count + 2) bytes")),
        JPEGCase(name: "no frame header", bytes: JPEGBuilder.startOfImage + JPEGBuilder.app0 + JPEGBuilder.scanHeader + [0x12] + JPEGBuilder.endOfImage,
                 expected: .truncated(problem: "JPEG has no frame header (SOF) before its image data")),
        JPEGCase(name: "EOI straight after the header", bytes: JPEGBuilder.startOfImage + JPEGBuilder.app0 + JPEGBuilder.endOfImage,
                 expected: .truncated(problem: "JPEG ends (EOI) at byte 20 before any image data")),
        JPEGCase(name: "garbage where a marker belongs", bytes: JPEGBuilder.startOfImage + JPEGBuilder.app0 + [0x00, 0x11],
                 expected: .truncated(problem: "JPEG header is damaged: no marker at byte 20")),
        JPEGCase(name: "segment length below two", bytes: JPEGBuilder.startOfImage + [0xFF, 0xE0, 0x00, 0x01],
                 expected: .truncated(problem: "JPEG header is damaged: segment FF E0 at byte 2 has length 1")),
    ]

    @Test(arguments: cases)
    func inspects(_ testCase: JPEGCase) {
        #expect(JPEGInspector.inspect(testCase.bytes) == testCase.expected)
    }

    /// The builder's entropy data holds FF 00 and FF D0; a marker search there would go wrong.
    @Test func entropyDataWithStuffedBytesIsNotWalked() {
        #expect(JPEGBuilder.entropyData.contains(0xFF))
        let withMarkerLookalikes = JPEGBuilder.startOfImage + JPEGBuilder.app0 + JPEGBuilder.frame(width: 8, height: 8)
            + JPEGBuilder.scanHeader + [0xFF, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0xFF, 0x00] + JPEGBuilder.endOfImage
        #expect(JPEGInspector.inspect(withMarkerLookalikes) == .picture(width: 8, height: 8))
    }

    @Test(arguments: [(UInt8(0xC0), true), (0xC1, true), (0xC2, true), (0xC3, true), (0xC4, false), (0xC8, false),
                      (0xCC, false), (0xCF, true), (0xDB, false), (0xBF, false)])
    func frameMarkers(marker: UInt8, isFrame: Bool) {
        #expect(JPEGInspector.isStartOfFrame(marker) == isFrame)
    }
}

@Suite struct ContentHashTests {
    /// Test vectors from the FNV reference (IETF draft-eastlake-fnv), checked with Python.
    @Test(arguments: [("", "cbf29ce484222325"), ("a", "af63dc4c8601ec8c"), ("foobar", "85944171f73967e8")])
    func fnv1a64(text: String, hex: String) {
        #expect(ContentHash.fnv1a64Hex(Array(text.utf8)) == hex)
    }

    @Test func keepsLeadingZeros() {
        #expect(ContentHash.hex(0x0000_0000_0000_00AB) == "00000000000000ab")
    }

    /// The snapshot fingerprint changes with any one byte (in each lane, in the tail) and with the length,
    /// and is the same for the same bytes: what the frozen-picture rule relies on.
    @Test func theFingerprintSeesEveryByteAndTheLength() {
        var generator = SystemRandomNumberGenerator()
        let picture = (0..<1_003).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let original = ContentHash.fingerprint(picture)
        #expect(ContentHash.fingerprint(picture) == original)
        var seen: Set<UInt64> = [original]
        for position in [0, 7, 8, 15, 16, 24, 31, 32, 500, 991, 992, 1_002] {
            for bit in [0, 7] {
                var changed = picture
                changed[position] ^= 1 << bit
                seen.insert(ContentHash.fingerprint(changed))
            }
        }
        #expect(seen.count == 1 + 12 * 2, "every one-bit change gives a fingerprint of its own")
        let zeros = (0...64).map { ContentHash.fingerprint([UInt8](repeating: 0, count: $0)) }
        #expect(Set(zeros).count == zeros.count, "runs of zeros of different lengths differ")
        #expect(ContentHash.fingerprintHex(picture).count == 16)
    }
}
