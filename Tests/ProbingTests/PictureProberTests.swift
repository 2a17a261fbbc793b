import Foundation
import Registry
import Testing
import TestSupport
@testable import Probing

/// The picture check on pictures a real encoder made (cjpeg, from libjpeg-turbo-progs): a normal scene passes,
/// a black screen is `signal-loss` and makes the camera degraded, not offline; a picture that is not a JPEG
/// stays what the snapshot check says.
@Suite struct PictureProberTests {
    /// A 320x240 picture from `pixel(x, y)` (RGB), encoded by cjpeg.
    static func encoded(_ name: String, _ pixel: (Int, Int) -> (UInt8, UInt8, UInt8)) throws -> [UInt8] {
        let directory = TemporaryDirectory("picture-prober")
        return try CJPEG.colour(width: 320, height: 240, to: directory.file(name + ".jpg"), pixel)
    }

    static func reply(_ body: [UInt8]) -> TransferResult {
        TransferResult(statusCode: 200, headers: [("Content-Type", "image/jpeg")], body: body)
    }

    func sweep(_ body: [UInt8]) async -> CameraOutcome? {
        let camera = SweepRunnerTests.camera(1, snapshot: "http://127.0.0.1:8080/snapshot.jpg")
        let transport = ScriptedTransport(["http://127.0.0.1:8080/snapshot.jpg": .reply(Self.reply(body))])
        var settings = SweepSettings()
        settings.checks = [.picture]
        let outcome = await SweepRunner(transport: transport, probers: ProberTable.all, clock: transport.clock)
            .run(SweepPlan(cameras: [camera], credentials: CredentialStore(profiles: [:]), settings: settings, today: InventoryFixtures.today))
        return outcome.outcomes.first
    }

    @Test func aNormalSceneIsOnlineWithItsMeasures() async throws {
        // Gradients and a checkerboard: detail, colour and contrast.
        let scene = try Self.encoded("scene") { x, y in
            (UInt8((x * 255) / 319), UInt8((y * 255) / 239), ((x / 20 + y / 20) % 2 == 0) ? 40 : 210)
        }
        let outcome = try #require(await sweep(scene))
        #expect(outcome.status == .online, "\(outcome.detail) \(outcome.checks.map(\.detail))")
        let picture = try #require(outcome.checks.first?.findings.picture)
        #expect(picture.blocksWide == 40 && picture.blocksHigh == 30, "320x240 is 40x30 blocks")
        #expect(picture.findings.isEmpty)
        #expect(outcome.checks.first?.detail.hasPrefix("picture normal: mean luma") == true)
    }

    @Test func aBlackScreenIsSignalLossAndTheCameraDegradedNotOffline() async throws {
        let black = try Self.encoded("black") { _, _ in (0, 0, 0) }
        let outcome = try #require(await sweep(black))
        #expect(outcome.status == .degraded)
        #expect(outcome.reason == .signalLoss, "\(outcome.detail)")
        #expect(outcome.checks.first?.findings.picture?.findings.first == "signal-loss")
        #expect(outcome.checks.first?.findings.picture.map { $0.meanLuma < 5 } == true)
    }

    @Test func aDarkFoggyPictureIsTooDark() async throws {
        // A dim picture with a little texture: not one colour, but far below the brightness a scene needs.
        let dark = try Self.encoded("dark") { x, y in let v = UInt8(8 + ((x / 16 + y / 16) % 2) * 12); return (v, v, v) }
        let outcome = try #require(await sweep(dark))
        #expect(outcome.status == .degraded)
        #expect(outcome.checks.first?.findings.picture?.findings.contains("too-dark") == true, "\(outcome.detail)")
    }

    @Test func aLoginPageIsStillOfflineAsNotAJPEG() async throws {
        let camera = SweepRunnerTests.camera(2, snapshot: "http://127.0.0.2:8080/snapshot.jpg")
        let page = TransferResult(statusCode: 200, headers: [("Content-Type", "text/html")], body: Array("<html>login</html>".utf8))
        let transport = ScriptedTransport(["http://127.0.0.2:8080/snapshot.jpg": .reply(page)])
        var settings = SweepSettings()
        settings.checks = [.picture]
        let outcome = await SweepRunner(transport: transport, probers: ProberTable.all, clock: transport.clock)
            .run(SweepPlan(cameras: [camera], credentials: CredentialStore(profiles: [:]), settings: settings, today: InventoryFixtures.today))
        #expect(outcome.outcomes.first?.status == .offline && outcome.outcomes.first?.reason == .notJPEG)
    }
}
