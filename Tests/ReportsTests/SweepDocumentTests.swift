import Foundation
@testable import Probing
import Registry
import Testing
import TestSupport
@testable import Reports

/// The streaming writer of `xueliang.sweep/1` against Foundation's encoder, which wrote the document
/// before it (and still writes its summary): the same bytes, pretty and compact, on random entries.
@Suite struct SweepDocumentTests {
    /// The document as Foundation wrote it: one encoder call per camera, re-indented.
    static func reference(_ document: SweepDocument, outcomes: [CameraOutcome], villages: [VillageCode: Village], pretty: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let head = String(decoding: try! encoder.encode(document.summary), as: UTF8.self)
        var text = pretty ? "{\n  \"cameras\" : [" : "{\"cameras\":["
        for (index, outcome) in outcomes.sorted(by: { $0.camera.id < $1.camera.id }).enumerated() {
            var entry = String(decoding: try! encoder.encode(SweepDocument.Camera(outcome, village: villages[outcome.camera.village])), as: UTF8.self)
            if pretty { entry = "\n    " + entry.replacingOccurrences(of: "\n", with: "\n    ") }
            text += index == 0 ? entry : "," + entry
        }
        text += pretty ? (outcomes.isEmpty ? "],\n" : "\n  ],\n") : "],"
        return text + String(head.dropFirst(pretty ? 2 : 1)) + (pretty ? "\n" : "")
    }

    static func randomText(_ generator: inout Fuzzer.Generator) -> String {
        let pieces = ["村口球机", "a\"b", "back\\slash", "tab\there", "new\nline", "\u{1}\u{1f}", "é", "/path/", "", "😀", "\r", "\u{7f}", "x"]
        return (0..<Int(generator.next() % 4)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
    }

    static func randomOutcomes(count: Int, seed: UInt64) -> [CameraOutcome] {
        var generator = Fuzzer.Generator(seed: seed)
        let doubles: [Double] = [0, -0.0, 2, -3.5, 0.1 + 0.2, 1e-5, 299.99999, 1e15, 1.5e300, 123456.789, -60]
        return (0..<count).map { index in
            var camera = CameraRecord(id: "450128010013" + String(10_000_000 + index), name: randomText(&generator),
                                      village: try! VillageCode.parse(index % 3 == 0 ? "450128101201" : "450128101209").get(),
                                      source: index % 2 == 0 ? .public : .citizen, status: .active)
            if generator.next() % 2 == 0 { camera.maintainer = randomText(&generator) }
            if generator.next() % 3 == 0 { camera.parent = "45012801001181000009" }
            if generator.next() % 3 == 0 { camera.station = randomText(&generator) }
            let checks = (0..<Int(generator.next() % 4)).map { _ -> CheckResult in
                var findings = CheckFindings()
                if generator.next() % 2 == 0 { findings.clockOffsetSeconds = doubles[Int(generator.next() % UInt64(doubles.count))] }
                if generator.next() % 2 == 0 { findings.width = Int(generator.next() % 4000); findings.height = Int(generator.next() % 3000) }
                if generator.next() % 3 == 0 { findings.contentHash = String(generator.next(), radix: 16) }
                if generator.next() % 3 == 0 { findings.tracks = (0..<Int(generator.next() % 3)).map { _ in randomText(&generator) } }
                if generator.next() % 4 == 0 { findings.codec = "H264" }
                if generator.next() % 4 == 0 { findings.playlistEntries = Int(generator.next() % 9) }
                if generator.next() % 4 == 0 {
                    var media = MediaReading()
                    media.packets = Int(generator.next() % 5_000)
                    media.frames = Int(generator.next() % 200)
                    media.keyframe = generator.next() % 2 == 0
                    if generator.next() % 2 == 0 { media.framesPerSecond = doubles[Int(generator.next() % UInt64(doubles.count))] }
                    if generator.next() % 2 == 0 { media.firstPacketMilliseconds = Int(generator.next() % 3_000) }
                    if generator.next() % 2 == 0 { media.bitsPerSecond = Int(generator.next() % 8_000_000); media.width = 1920; media.height = 1080 }
                    media.windowMilliseconds = Int(generator.next() % 4_000)
                    findings.media = media
                }
                if generator.next() % 4 == 0 {
                    findings.picture = PictureReading(blocksWide: 240, blocksHigh: 135, meanLuma: doubles[Int(generator.next() % UInt64(doubles.count))],
                                                      lumaDeviation: Double(generator.next() % 90), dominantColourShare: 0.25,
                                                      findings: generator.next() % 2 == 0 ? [] : ["too-dark", "low-contrast"])
                }
                var phases = TransferPhases()
                phases.connectMicroseconds = Int64(generator.next() % 100_000)
                phases.totalMicroseconds = Int64(generator.next() % 10_000_000)
                return CheckResult(kind: CheckKind.allCases[Int(generator.next() % UInt64(CheckKind.allCases.count))], passed: generator.next() % 2 == 0,
                                   reason: ReasonCode.allCases[Int(generator.next() % UInt64(ReasonCode.allCases.count))], detail: randomText(&generator),
                                   phases: phases, statusCode: generator.next() % 2 == 0 ? 200 : nil, bytes: Int(generator.next() % 1_000_000),
                                   findings: findings, attempts: 1 + Int(generator.next() % 3))
            }
            return CameraOutcome(camera: camera, status: HealthStatus.allCases[index % 3], reason: .ok, detail: randomText(&generator), checks: checks)
        }
    }

    @Test(arguments: [0, 1, 7, 400])
    func theStreamingWriterWritesWhatFoundationWrote(count: Int) throws {
        let villages: [VillageCode: Village] = [try VillageCode.parse("450128101201").get():
            Village(code: try VillageCode.parse("450128101201").get(), name: "青山\"村", kind: .village, township: "青山镇", station: "青山派出所")]
        let outcomes = Self.randomOutcomes(count: count, seed: UInt64(count) + 11)
        let document = SweepDocument(outcome: SweepOutcome(outcomes: outcomes, total: count + 1, complete: true), villages: villages,
                                     scope: "all", settings: SweepSettings(), startedAt: Date(timeIntervalSince1970: 1_795_501_295),
                                     finishedAt: Date(timeIntervalSince1970: 1_795_501_297.5))
        for pretty in [true, false] {
            let expected = Self.reference(document, outcomes: outcomes, villages: villages, pretty: pretty)
            let written = document.text(pretty: pretty)
            if written != expected {
                let difference = zip(written, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(written.count, expected.count)
                Issue.record("pretty \(pretty): differs at \(difference): …\(written.dropFirst(max(0, difference - 60)).prefix(120))… expected …\(expected.dropFirst(max(0, difference - 60)).prefix(120))…")
            }
        }
    }
}
