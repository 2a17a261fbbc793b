import Foundation
import Testing
import PictureQuality
import TestSupport
@testable import XueliangCLI

/// References against a real web server (nginx from Debian, on loopback): record a camera's normal picture,
/// then the camera is turned (its picture changes) and the picture check says `scene-change`.
@Suite(.serialized) struct ReferenceCommandTests {
    static let peers = Repository.root + "/Tests/Peers"

    /// A 320x240 greyscale scene encoded by cjpeg into `path`.
    static func encode(_ path: String, _ pixel: (Int, Int) -> UInt8) throws {
        try CJPEG.grey(width: 320, height: 240, to: path, pixel)
    }

    /// Detail everywhere, brighter to the left and top: a turned camera sees it mirrored.
    static func scene(_ x: Int, _ y: Int) -> UInt8 { UInt8(clamping: 220 - x / 2 - y / 3 + ((x / 8 + y / 8) % 2) * 30) }

    @Test func aTurnedCameraIsASceneChangeAgainstItsReference() async throws {
        let directory = TemporaryDirectory("xueliang-nginx")
        let port = try freePort()
        let started = try ProcessRunner.run("/bin/bash", [Self.peers + "/nginx.sh", "start", directory.path, String(port)])
        defer { _ = try? ProcessRunner.run("/bin/bash", [Self.peers + "/nginx.sh", "stop", directory.path]) }
        try #require(started.status == 0, "nginx did not start: \(started.standardError)")
        let picture = directory.file("www/camera.jpg")
        try Self.encode(picture, Self.scene)

        let work = TemporaryDirectory()
        let camera = InventoryFixtures.publicCamera().replacingOccurrences(of: "rtsp = rtsp://127.0.0.1:8554/stream",
                                                                             with: "snapshot = http://127.0.0.1:\(port)/camera.jpg")
        let inventory = try InventoryFixtures.makeInventory(in: work, files: [InventoryFixtures.villageCode: InventoryFixtures.villageFile(cameras: camera)])
        let environment = ["XUELIANG_STATE": work.file("State")]
        func run(_ arguments: [String]) async -> CommandResult { await xueliang(arguments, inventory: inventory, environment: environment) }

        for kind in ["--day", "--night"] {
            let recorded = await run(["reference", "--all", kind])
            #expect(recorded.status == 0, "\(recorded.output) \(recorded.error)")
            #expect(recorded.output.hasPrefix("recorded 1 \(kind.dropFirst(2)) reference in "), "\(recorded.output)")
        }
        let stored = try Data(contentsOf: URL(fileURLWithPath: work.file("State/references/45012801001320000001.day")))
        #expect(stored.count < 8_000 && stored.prefix(4) == Data("XLR1".utf8), "a few KB: \(stored.count) bytes")

        func sweep() async throws -> (status: String, reason: String) {
            let result = await run(["sweep", "--checks", "picture", "--json", "--no-save"])
            let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.error)")
            let entry = try #require((document["cameras"] as? [[String: Any]])?.first)
            return (entry["status"] as? String ?? "", entry["reason"] as? String ?? "")
        }
        #expect(try await sweep() == ("online", "ok"), "the picture it was recorded from")
        try Self.encode(picture) { x, y in Self.scene(319 - x, 239 - y) }
        #expect(try await sweep() == ("degraded", "scene-change"), "the camera was turned")

        // The leader's page shows the turned camera's picture and, beside it, the reference it was compared with.
        let document = work.file("sweep.json"), page = work.file("report.html")
        #expect(await run(["sweep", "--checks", "picture", "--output", document, "--no-save"]).status == 0)
        let report = await run(["report", "--results", document, "--html", page])
        #expect(report.status == 0, "\(report.error)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let row = try #require(html.components(separatedBy: "<tr>").first { $0.contains("45012801001320000001") && $0.contains("<img") })
        let images = row.components(separatedBy: "src=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        let reference = try #require(ReferencePicture(encoded: [UInt8](stored)))
        #expect(images.count == 2, "the picture and the reference: \(row.prefix(300))")
        #expect(images.last.map(String.init) == PictureThumbnail(reference).dataURI, "the stored reference, pooled as it was compared")
        #expect(images.first != images.last, "the picture now is not the reference")
        #expect(html.contains(#"<div class="card" id="picture-normal-rate"><div class="label">Picture normal rate</div><div class="value">0.0%</div><div class="count">0 / 1</div>"#))

        let missing = await run(["reference", "45012801001320099999"])
        #expect(missing.status == ExitCode.notFound)
        #expect(await run(["reference"]).status == ExitCode.usage)
    }
}
