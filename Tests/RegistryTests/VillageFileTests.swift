import Foundation
import Testing
import TestSupport
@testable import Registry

@Suite struct VillageFileTests {
    @Test func parsesAVillageWithItsCameras() {
        let text = InventoryFixtures.villageFile(cameras: InventoryFixtures.publicCamera() + "\n" + InventoryFixtures.citizenCamera())
        let contents = VillageFile.parse(text, path: "v.village", expectedCode: InventoryFixtures.villageCode)
        #expect(contents.issues.isEmpty)
        #expect(contents.village?.name == "青山村")
        #expect(contents.village?.keyPoints.map(\.id) == ["entrance", "school"])
        #expect(contents.cameras.count == 2)
        let citizen = contents.cameras[1]
        #expect(citizen.citizen.consentScope == [.live, .playback])
        #expect(citizen.citizen.reviewPassed)
        #expect(citizen.village.digits == InventoryFixtures.villageCode)
        // Field lines are remembered for error messages.
        #expect(contents.origins[0].line(of: .latitude) == contents.origins[0].line + 4)
    }

    @Test func renderingIsCanonicalAndRoundTrips() {
        let text = InventoryFixtures.villageFile(cameras: InventoryFixtures.citizenCamera() + "\n" + InventoryFixtures.publicCamera())
        let first = VillageFile.parse(text, path: "v", expectedCode: nil)
        let rendered = VillageFile.render(first.village!, cameras: first.cameras)
        let second = VillageFile.parse(rendered, path: "v", expectedCode: nil)
        #expect(second.issues.isEmpty)
        #expect(second.cameras == first.cameras.sorted { $0.id < $1.id })
        #expect(VillageFile.render(second.village!, cameras: second.cameras) == rendered)
    }

    @Test func everyDemoFileIsInCanonicalForm() throws {
        let directory = Repository.root + "/Inventory/villages"
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".village") }
        #expect(names.count == 40)
        for name in names {
            let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            let contents = VillageFile.parse(text, path: name, expectedCode: String(name.dropLast(8)))
            #expect(contents.issues.isEmpty, "\(name): \(contents.issues)")
            #expect(VillageFile.render(contents.village!, cameras: contents.cameras) == text, "\(name) is not canonical")
        }
    }

    @Test(arguments: [
        ("format = xueliang.village/9\n[village]\ncode = 450128101201\nname = a\n", "1: format: 'xueliang.village/9' is not a format this version reads"),
        ("[village]\ncode = 450128101201\n", "v:1: format: missing 'format = xueliang.village/1' at the top"),
        ("format = xueliang.village/1\n[village]\ncode = 450128101201\ncolour = red\n", "v:4: village: colour: unknown key"),
        ("format = xueliang.village/1\n[village]\ncode = 450128101201\nname = a\nname = b\n", "v:5: village: name: given twice in one section"),
        ("format = xueliang.village/1\n[village]\ncode = 450128101201\n[camera 1]\nlatitude = north\n", "v:5: camera 1: latitude: 'north' is not a number"),
        ("format = xueliang.village/1\n[village]\ncode = 450128101201\n[camera 1]\nfoo = 1\n", "v:5: camera 1: foo: unknown key"),
        ("format = xueliang.village/1\n[village]\ncode = 450128101201\n[garage]\n", "v:4: unknown section [garage]"),
        ("format = xueliang.village/1\n[village]\ncode = 450128101201\njust text\n", "v:4: expected 'key = value'"),
        ("format = xueliang.village/1\n[village]\ncode = 450128101202\n", "v:3: village: code: 450128101202 does not match the file name 450128101201.village"),
    ])
    func reportsSyntaxProblemsWithTheirLine(text: String, expected: String) {
        let contents = VillageFile.parse(text, path: "v", expectedCode: "450128101201")
        #expect(contents.issues.contains { $0.description.contains(expected) }, "\(contents.issues)")
    }
}

/// Values that repeat across a village's cameras are held once (each copy of a long Chinese name was a heap
/// allocation of its own: 35 MB of a 200,000-camera registry whose maintainers and stations are such names).
@Suite struct RepeatedValueTests {
    @Test func camerasOfAFileShareTheTextOfTheSameMaintainerAndStation() throws {
        let long = "青山县联通运维中心第一分公司"
        let cameras = ["45012801001320000001", "45012801001320000002"].map { id in
            InventoryFixtures.publicCamera(id: id).replacingOccurrences(of: "maintainer = 青山县联通运维中心", with: "maintainer = \(long)")
        }.joined(separator: "\n")
        let contents = VillageFile.parse(InventoryFixtures.villageFile(cameras: cameras), path: "x.village", expectedCode: InventoryFixtures.villageCode)
        #expect(contents.issues.isEmpty, "\(contents.issues)")
        var first = try #require(contents.cameras.first?.maintainer)
        var second = try #require(contents.cameras.last?.maintainer)
        #expect(first == long && second == long)
        let addresses = (first.withUTF8 { UInt(bitPattern: $0.baseAddress) }, second.withUTF8 { UInt(bitPattern: $0.baseAddress) })
        #expect(addresses.0 == addresses.1, "one copy of the text")
    }
}
