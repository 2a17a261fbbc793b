import CameraFleet
import Foundation
import Testing
import TestSupport

/// The picture check against the simulator serving real encoders' pictures per behaviour: a normal scene as
/// every healthy camera's snapshot (`--snapshot`), a dark and a black one for `picture:dark` and
/// `picture:black` cameras (`--picture NAME=FILE`), all fetched over loopback by the real transport.
@Suite struct FleetPictureSweepTests {
    @Test func eachCameraIsDiagnosedFromThePictureItsBehaviourServes() async throws {
        let directory = TemporaryDirectory()
        let scene = try CJPEG.colour(width: 640, height: 360, to: directory.file("scene.jpg")) { x, y in
            (UInt8((x * 255) / 639), UInt8((y * 255) / 359), ((x / 24 + y / 24) % 2 == 0) ? 40 : 210)
        }
        let dark = try CJPEG.grey(width: 640, height: 360, to: directory.file("dark.jpg")) { x, y in UInt8(8 + ((x / 16 + y / 16) % 2) * 12) }
        let black = try CJPEG.grey(width: 640, height: 360, to: directory.file("black.jpg")) { _, _ in 0 }
        let configuration = FleetConfiguration(
            behaviours: [FleetAddress.parse("127.9.0.2")!: .picture(name: "dark"), FleetAddress.parse("127.9.0.3")!: .picture(name: "black")],
            snapshot: scene, pictures: ["dark": dark, "black": black])
        let fleet = try CameraFleet(configuration: configuration)
        let ports = try fleet.start()
        defer { fleet.stop() }

        let cameras = (1...3).map { serial in
            InventoryFixtures.publicCamera(id: "4501280100132000007\(serial)", host: "127.9.0.\(serial)")
                .replacingOccurrences(of: "rtsp = rtsp://127.9.0.\(serial):8554/stream", with: "snapshot = http://127.9.0.\(serial):\(ports.httpPort)/snapshot.jpg")
        }
        let inventory = try InventoryFixtures.makeInventory(in: directory, files: [
            InventoryFixtures.villageCode: InventoryFixtures.villageFile(cameras: cameras.joined(separator: "\n")),
        ])
        let result = await xueliang(["sweep", "--checks", "picture", "--json", "--no-save", "--timeout", "5"], inventory: inventory)
        #expect(result.status == 0, "\(result.error)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let outcomes = try #require(document["cameras"] as? [[String: Any]])
        let verdicts = Dictionary(uniqueKeysWithValues: outcomes.map { ($0["id"] as? String ?? "", "\($0["status"] ?? "") \($0["reason"] ?? "")") })
        #expect(verdicts == [
            "45012801001320000071": "online ok",
            "45012801001320000072": "degraded too-dark",
            "45012801001320000073": "degraded signal-loss",
        ])
        #expect(fleet.statistics().requestsServed == 3)
    }
}
