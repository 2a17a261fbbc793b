import Foundation
import Registry
import Testing
import TestSupport
@testable import Catalog

/// The reconciliation of the fixture catalog with the fixture registry, number by number (docs/catalog.md).
@Suite struct CatalogDiffTests {
    func diff(working: [String: Bool]? = CatalogFixtures.working, threshold: Double = 100) throws -> CatalogDiff {
        let catalog = try CatalogReader.read(paths: CatalogFixtures.wvpFiles + [CatalogFixtures.concatenatedFile])
        return CatalogDiff(catalog: catalog, inventory: try CatalogFixtures.inventory(), working: working,
                           rules: CatalogDiff.Rules(distanceThresholdMetres: threshold))
    }

    @Test func everyCategoryAndTheFigure() throws {
        let diff = try diff()
        #expect(diff.unregistered.map(\.deviceID) == ["45012801001320000010", "45012801001320000011", "45012801001320000012"])
        // C is active and absent; D is retired and absent; the NVR is a recorder, not a camera.
        #expect(diff.unreported.map(\.cameraID) == ["45012801001320000003"])
        #expect(diff.mismatches.map { "\($0.cameraID) \($0.field.rawValue) \($0.registry) → \($0.platform)" } == [
            "45012801001320000002 coordinates 22.8,108.3 → 22.802,108.3",
            "45012801001320000002 parent 45012801001181000009 → 45012801001181000008",
            "45012801001320000007 name 龙头路口 → 龙头路口镕𠀀",
            "45012801001320000007 civil_code 450128 → 450127",
        ])
        #expect(diff.mismatches[0].distanceMetres == 222)
        // E is ON and down; B is down but the platform says OFF; A is ON and working.
        #expect(diff.falseOnline?.map(\.cameraID) == ["45012801001320000005"])
        #expect(diff.falseOnline?.first?.platformStatus == "ON")
        // In service: A, B, C, E, G. On the platform with no mismatch: A and E.
        #expect(diff.consistency == CatalogDiff.Consistency(consistent: 2, inService: 5))
        #expect(diff.consistency.rate == 0.4)
    }

    @Test func theDistanceThresholdDecidesCoordinateMismatches() throws {
        #expect(try diff(threshold: 250).mismatches.allSatisfy { $0.field != .coordinates })
        #expect(try diff(threshold: 200).mismatches.contains { $0.field == .coordinates })
    }

    @Test func withoutASweepThereIsNoFalseOnlineList() throws {
        #expect(try diff(working: nil).falseOnline == nil)
        #expect(try diff(working: [:]).falseOnline == [], "cameras the sweep did not reach are not listed")
    }

    @Test func anEmptyRegistryHasNoRateRatherThanAHundredPercent() throws {
        let catalog = try CatalogReader.read(paths: CatalogFixtures.wvpFiles)
        let diff = CatalogDiff(catalog: catalog, inventory: Inventory(), working: nil)
        #expect(diff.consistency == CatalogDiff.Consistency(consistent: 0, inService: 0))
        #expect(diff.consistency.rate == nil)
        #expect(diff.unregistered.count == 5)
    }

    /// ParentID holds groups and platforms too: only a recorder there is compared.
    @Test(arguments: [
        (nil as String?, "45012800002000000001", false), (nil, "45012800002150000001", false), ("45012801001181000009", "", false),
        ("45012801001181000009", "45012801001181000009", false), (nil, "45012801001181000009", true),
        ("45012801001181000009", "45012801001181000008", true),
    ])
    func parentIsComparedOnlyWhenTheParentIDIsARecorder(registered: String?, parentID: String, mismatch: Bool) {
        var camera = CameraRecord(id: "45012801001320000001", name: "村口", village: CatalogFixtures.village, source: .public, status: .active)
        camera.parent = registered
        let item = CatalogItem(file: "f", line: 1, deviceID: camera.id, parentID: parentID.isEmpty ? nil : parentID)
        #expect(CatalogDiff.mismatches(camera, item, rules: .init()).contains { $0.field == .parent } == mismatch)
    }

}

/// Pending records from the catalog's unregistered items, all or nothing.
@Suite struct CatalogRegistrationTests {
    let validator = Validator(today: CalendarDate(year: 2026, month: 11, day: 24)!)

    func unregistered() throws -> [CatalogItem] {
        let catalog = try CatalogReader.read(paths: CatalogFixtures.wvpFiles + [CatalogFixtures.concatenatedFile])
        return CatalogDiff(catalog: catalog, inventory: try CatalogFixtures.inventory(), working: nil).unregistered
    }

    @Test func itemsLandAsPendingRecordsInTheVillageTheirNameNames() throws {
        var inventory = try CatalogFixtures.inventory()
        let added = try CatalogRegistration.register(try unregistered(), into: &inventory, validator: validator)
        #expect(added == ["45012801001320000010", "45012801001320000011", "45012801001320000012"])
        let shop = try #require(inventory.camera(id: "45012801001320000010"))
        #expect(shop.village == CatalogFixtures.village && shop.status == .pending && shop.source == .public)
        #expect(shop.name == "青山村李&王商铺" && shop.address == "青山镇青山村主街&2号" && shop.manufacturer == "Hikvision")
        #expect(shop.latitude == 22.8004 && shop.longitude == 108.3004)
        #expect(inventory.camera(id: "45012801001320000011")?.village == CatalogFixtures.community)
        // A 12-digit CivilCode that is a registered village is taken as it is.
        #expect(inventory.camera(id: "45012801001320000012")?.village == CatalogFixtures.community)
        #expect(inventory.changedCameraIDs == Set(added))
    }

    @Test func oneItemWithoutAVillageRefusesThemAll() throws {
        var items = try unregistered()
        items.append(CatalogItem(file: "catalog.xml", line: 40, deviceID: "45012801001320000020", name: "无名点位", civilCode: "450128"))
        items.append(CatalogItem(file: "catalog.xml", line: 60, deviceID: "45012801001320000021", name: "青山村龙头村交界", civilCode: "450128"))
        items.append(CatalogItem(file: "catalog.xml", line: 80, deviceID: "45012801001320000022", name: "省界", civilCode: "45"))
        var inventory = try CatalogFixtures.inventory()
        let dragonHead = try VillageCode.parse("450128101202").get()
        inventory.upsert(Village(code: dragonHead, name: "龙头村", kind: .village, township: "青山镇", station: "青山派出所"),
                         origin: RecordOrigin(file: "fixture", line: 1))
        let before = inventory.changedCameraIDs
        do {
            _ = try CatalogRegistration.register(items, into: &inventory, validator: validator)
            Issue.record("registered despite refusals")
        } catch {
            guard case .invalid(let issues) = error else { Issue.record("\(error)"); return }
            #expect(issues.map(\.description) == [
                "catalog.xml:40: camera 45012801001320000020: village: neither Name nor Address names a registered village of 450128; "
                    + "register it by hand ('xueliang register 45012801001320000020 --village CODE …')",
                "catalog.xml:60: camera 45012801001320000021: village: its Name or Address names several villages of 450128: "
                    + "青山村 450128101201, 龙头村 450128101202",
                "catalog.xml:80: camera 45012801001320000022: village: CivilCode 45 names a province or city, not a county, township or village",
            ])
        }
        #expect(inventory.camera(id: "45012801001320000010") == nil, "nothing was added")
        #expect(inventory.changedCameraIDs == before)
    }

    @Test func aCodeFromAnotherCountyIsRefusedByValidation() throws {
        var inventory = try CatalogFixtures.inventory()
        let item = CatalogItem(file: "catalog.xml", line: 9, deviceID: "45012201001320000001", name: "青山村外来点", civilCode: "450128")
        #expect(throws: InventoryError.self) { try CatalogRegistration.register([item], into: &inventory, validator: validator) }
    }

    @Test func aChannelKeepsItsRecorderWhenTheRecorderIsRegistered() throws {
        var inventory = try CatalogFixtures.inventory()
        let channel = CatalogItem(file: "c.xml", line: 3, deviceID: "45012801001320000030", name: "青山村后山",
                                  parentID: "45012801001181000009")
        let orphan = CatalogItem(file: "c.xml", line: 5, deviceID: "45012801001320000031", name: "青山村前山",
                                 parentID: "45012801001181000077")
        _ = try CatalogRegistration.register([channel, orphan], into: &inventory, validator: validator)
        #expect(inventory.camera(id: channel.deviceID)?.parent == "45012801001181000009")
        #expect(inventory.camera(id: orphan.deviceID)?.parent == nil)
    }
}

/// The shipped demo catalog still matches the demo registry with the differences its generator promises.
@Suite struct DemoCatalogTests {
    @Test func theDemoCatalogDiffersFromTheDemoRegistryAsDocumented() throws {
        let catalog = try CatalogReader.read(paths: [Repository.root + "/docs/examples/demo-catalog.xml"])
        let inventory = try InventoryStore(directory: Repository.root + "/Inventory").load()
        let diff = CatalogDiff(catalog: catalog, inventory: inventory, working: nil)
        #expect(catalog.files.first?.declaredEncoding == "GB2312" && catalog.files.first?.encoding == "GB18030")
        #expect(catalog.incompleteAnswers.isEmpty)
        #expect(catalog.skipped == [.administrativeRegion: 2, .businessGroup: 1, .virtualOrganisation: 1])
        #expect(diff.unregistered.count == 3)
        #expect(diff.unreported.count == 4)
        #expect(diff.mismatches.map(\.field).sorted { $0.rawValue < $1.rawValue } == [.civilCode, .coordinates, .coordinates, .name, .name, .parent])
        #expect(diff.mismatches.compactMap(\.distanceMetres).allSatisfy { (300...500).contains($0) }, "a GCJ-02-sized offset")
        #expect(diff.consistency.inService - diff.consistency.consistent == 4 + 6)
        var registry = inventory
        let added = try CatalogRegistration.register(diff.unregistered, into: &registry, validator: Validator(today: CalendarDate(year: 2026, month: 11, day: 24)!))
        #expect(added.count == 3, "every unregistered demo device names its village")
    }
}
