import Foundation
import Registry
import TestSupport
@testable import Catalog

/// The catalog fixtures (written as WVP-GB28181-pro writes them) and a registry they are reconciled with.
enum CatalogFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures"
    /// Seven messages of SN 17, one item each, declared GB2312, CRLF, bare `&` in names, GBK and GB18030-only characters.
    static var wvpFiles: [String] { (1...7).map { directory + "/wvp/catalog-sn17-\($0).xml" } }
    /// Two of SN 18's three items in one UTF-8 file, with a keep-alive between them, lower-case `<item>`, entities, CDATA.
    static var concatenatedFile: String { directory + "/concatenated-sn18.xml" }

    static let village = try! VillageCode.parse("450128101201").get()
    static let community = try! VillageCode.parse("450128001001").get()

    /// 青山村 with cameras A (consistent), B (NVR channel; the platform names another NVR and a place 222 m off),
    /// C (not on the platform), D (retired), G (name and CivilCode differ; no position) and NVR N; 东门社区 with
    /// camera E (consistent, but the platform says ON while the sweep found it down). Read from village files,
    /// as commands read it, so nothing counts as changed.
    static func inventory() throws -> Inventory {
        let directory = TemporaryDirectory()
        func camera(_ id: String, _ name: String, status: String = "active", extra: String = "", position: Bool = true) -> String {
            var section = InventoryFixtures.publicCamera(id: id, extra: extra)
                .replacingOccurrences(of: "name = 村口球机", with: "name = \(name)")
                .replacingOccurrences(of: "status = active", with: "status = \(status)")
            if !position { section = section.replacingOccurrences(of: "latitude = 22.8\nlongitude = 108.3\n", with: "") }
            return section
        }
        let nvr = camera("45012801001181000009", "青山村NVR").replacingOccurrences(of: "covers = entrance\n", with: "")
        let cameras = [
            camera("45012801001320000001", "村口球机"), nvr,
            camera("45012801001320000002", "学校门口", extra: "parent = 45012801001181000009"),
            camera("45012801001320000003", "主路口"), camera("45012801001320000004", "老街", status: "retired"),
            camera("45012801001320000007", "龙头路口", position: false),
        ]
        let east = camera("45012801001320000005", "东门").replacingOccurrences(of: "latitude = 22.8\nlongitude = 108.3", with: "latitude = 22.81\nlongitude = 108.31")
        let root = try InventoryFixtures.makeInventory(in: directory, files: [
            village.digits: InventoryFixtures.villageFile(cameras: cameras.joined(separator: "\n")),
            community.digits: InventoryFixtures.villageFile(code: community.digits, name: "东门社区", cameras: east),
        ])
        return try InventoryStore(directory: root).load()
    }

    /// The latest sweep's verdicts: E and B down, the rest working.
    static let working: [String: Bool] = [
        "45012801001320000001": true, "45012801001320000002": false, "45012801001320000003": true,
        "45012801001320000005": false, "45012801001320000007": true,
    ]

    static func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path)!) }
}
