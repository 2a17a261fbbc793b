import Foundation
import Registry
import TestSupport
@testable import Catalog

/// The catalog fixtures (written as WVP-GB28181-pro writes them) and a registry they are reconciled with.
enum CatalogFixtures {
    static var wvpFiles: [String] { CatalogFixtureFiles.wvpFiles }
    static var concatenatedFile: String { CatalogFixtureFiles.concatenatedFile }

    static let village = try! VillageCode.parse("450128101201").get()
    static let community = try! VillageCode.parse("450128001001").get()

    /// The registry of ``CatalogFixtureFiles/villageFiles()``, read from files as commands read it, so nothing counts as changed.
    static func inventory() throws -> Inventory {
        let directory = TemporaryDirectory()
        let root = try InventoryFixtures.makeInventory(in: directory, files: CatalogFixtureFiles.villageFiles())
        return try InventoryStore(directory: root).load()
    }

    /// The latest sweep's verdicts: E and B down, the rest working.
    static let working: [String: Bool] = [
        "45012801001320000001": true, "45012801001320000002": false, "45012801001320000003": true,
        "45012801001320000005": false, "45012801001320000007": true,
    ]

    static func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path)!) }
}
