import Foundation
import Testing
import TestSupport
@testable import XueliangCLI

/// `xueliang inspect` on pictures cjpeg encodes: the findings and measures a person tunes thresholds by.
@Suite struct InspectCommandTests {
    static func encode(_ directory: TemporaryDirectory, _ name: String, _ pixel: (Int, Int) -> UInt8) throws -> String {
        try CJPEG.grey(width: 160, height: 120, to: directory.file(name + ".jpg"), pixel)
        return directory.file(name + ".jpg")
    }

    @Test func aBlackFrameIsSignalLossAndANormalSceneHasNoFinding() async throws {
        let directory = TemporaryDirectory()
        let black = try Self.encode(directory, "black") { _, _ in 0 }
        let text = await xueliang(["inspect", black], inventory: directory.path)
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output.contains("JPEG 160x120") && text.output.contains("findings: signal-loss\n"), "\(text.output)")
        #expect(text.output.contains("colour: a greyscale picture"))
        let scene = try Self.encode(directory, "scene") { x, y in UInt8(((x / 10 + y / 10) % 2 == 0 ? 50 : 200) + x % 7) }
        let json = await xueliang(["inspect", scene, "--json"], inventory: directory.path)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(document["schema"] as? String == "xueliang.inspect/1")
        #expect((document["findings"] as? [String]) == [])
        #expect((document["luma_deviation"] as? Double ?? 0) > 30, "a checkerboard has contrast")
    }

    @Test func aFileThatIsNotAPictureOrIsMissingIsOneLineWithItsExitCode() async throws {
        let directory = TemporaryDirectory()
        try directory.write("hello", to: "note.txt")
        let text = await xueliang(["inspect", directory.file("note.txt")], inventory: directory.path)
        #expect(text.status == ExitCode.invalidData)
        #expect(text.error.contains("note.txt: not a picture the check can read: "), "\(text.error)")
        #expect(await xueliang(["inspect", directory.file("nope.jpg")], inventory: directory.path).status == ExitCode.notFound)
    }
}
