import Foundation

/// The registry the catalog fixtures (Tests/CatalogTests/Fixtures, written as WVP-GB28181-pro writes them) are
/// reconciled with, shared by the Catalog and CLI tests.
public enum CatalogFixtureFiles {
    public static let directory = Repository.root + "/Tests/CatalogTests/Fixtures"
    /// Seven messages of SN 17, one item each, declared GB2312, CRLF, bare `&` in names, GBK and GB18030-only characters.
    public static var wvpFiles: [String] { (1...7).map { directory + "/wvp/catalog-sn17-\($0).xml" } }
    /// Two of SN 18's three items in one UTF-8 file, with a keep-alive between them, lower-case `<item>`, entities, CDATA.
    public static var concatenatedFile: String { directory + "/concatenated-sn18.xml" }

    /// 青山村 (450128101201) with cameras A …0001 (consistent), B …0002 (NVR channel; the platform names another
    /// NVR and a place 222 m off), C …0003 (not on the platform), D …0004 (retired), G …0007 (name and CivilCode
    /// differ; no position) and NVR N …0009; 东门社区 (450128001001) with camera E …0005 (consistent, but the
    /// platform says ON while the sweep found it down). Village files by code.
    public static func villageFiles() -> [String: String] {
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
        let east = camera("45012801001320000005", "东门")
            .replacingOccurrences(of: "latitude = 22.8\nlongitude = 108.3", with: "latitude = 22.81\nlongitude = 108.31")
        return [
            InventoryFixtures.villageCode: InventoryFixtures.villageFile(cameras: cameras.joined(separator: "\n")),
            InventoryFixtures.otherVillageCode: InventoryFixtures.villageFile(code: InventoryFixtures.otherVillageCode, name: "东门社区", cameras: east),
        ]
    }
}
