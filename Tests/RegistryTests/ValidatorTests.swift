import Testing
import TestSupport
@testable import Registry

/// Each rule, on a registry that differs from a valid one by one thing.
@Suite struct ValidatorTests {
    func issues(_ cameras: String, extraVillage: Bool = false, strict: Bool = false) throws -> [InventoryIssue] {
        let directory = TemporaryDirectory()
        var files = [InventoryFixtures.villageCode: InventoryFixtures.villageFile(cameras: cameras)]
        if extraVillage {
            files[InventoryFixtures.otherVillageCode] = InventoryFixtures.villageFile(code: InventoryFixtures.otherVillageCode, name: "东门社区")
        }
        let root = try InventoryFixtures.makeInventory(in: directory, files: files)
        let inventory = try InventoryStore(directory: root).load()
        return Validator(today: InventoryFixtures.today, credentialProfiles: ["hik-admin"], strict: strict).validate(inventory)
    }

    func errors(_ cameras: String, strict: Bool = false) throws -> [String] {
        try issues(cameras, strict: strict).filter { $0.severity == .error }.map { "\($0.field ?? "-"): \($0.message)" }
    }

    func gaps(_ cameras: String) throws -> [String] {
        try issues(cameras).filter(\.isGap).map { "\($0.severity.rawValue) \($0.field ?? "-"): \($0.message)" }
    }

    @Test func validRecordsPass() throws {
        #expect(try issues(InventoryFixtures.publicCamera() + "\n" + InventoryFixtures.citizenCamera()).isEmpty)
    }

    @Test func countyPrefixMustMatchTheVillage() throws {
        let found = try errors(InventoryFixtures.publicCamera(id: "45010201001320000001"))
        #expect(found == ["id: county digits 450102 do not match the village's county 450128"])
    }

    @Test func idsAreUniqueAcrossTheRegistry() throws {
        let directory = TemporaryDirectory()
        let root = try InventoryFixtures.makeInventory(in: directory, files: [
            InventoryFixtures.villageCode: InventoryFixtures.villageFile(cameras: InventoryFixtures.publicCamera()),
            InventoryFixtures.otherVillageCode: InventoryFixtures.villageFile(
                code: InventoryFixtures.otherVillageCode, name: "东门社区", cameras: InventoryFixtures.publicCamera()),
        ])
        let found = Validator(today: InventoryFixtures.today).validate(try InventoryStore(directory: root).load())
        let duplicate = try #require(found.first { $0.field == "id" })
        #expect(duplicate.message.description.hasPrefix("duplicate id; also registered at "))
        #expect(duplicate.message.description.contains("450128001001.village") || duplicate.message.description.contains("450128101201.village"))
    }

    @Test func aMissingFieldIsAGapAWarningUnlessStrict() throws {
        let active = InventoryFixtures.publicCamera().replacingOccurrences(of: "maintainer = 青山县联通运维中心\n", with: "")
        #expect(try errors(active).isEmpty, "a gap does not refuse the record")
        #expect(try gaps(active) == ["warning maintainer: missing; the record is incomplete (一机一档)"])
        #expect(try errors(active, strict: true) == ["maintainer: missing; the record is incomplete (一机一档)"])
        let pending = active.replacingOccurrences(of: "status = active", with: "status = pending")
        let found = try issues(pending)
        #expect(found.map(\.severity) == [.warning])
        #expect(found.first?.line == 16, "points at the record when the field is absent")
    }

    @Test func aStationLeftEmptyIsTheVillages() throws {
        let noStation = InventoryFixtures.publicCamera().split(separator: "\n").filter { !$0.hasPrefix("station =") }.joined(separator: "\n")
        #expect(try gaps(noStation).isEmpty, "the village names a station")
    }

    @Test(arguments: [
        ("latitude = 0\nlongitude = 0", "latitude: 0,0 is not a position"),
        ("latitude = 22.8\nlongitude = -108.3", "latitude: 22.8,-108.3 is outside China"),
        ("latitude = 40.7\nlongitude = -74.0", "latitude: 40.7,-74 is outside China"),
    ])
    func positionsWithoutSenseAreRefused(position: String, expected: String) throws {
        let camera = InventoryFixtures.publicCamera().split(separator: "\n").filter { !$0.hasPrefix("latitude =") && !$0.hasPrefix("longitude =") }
            .joined(separator: "\n") + "\n" + position
        let found = try errors(camera)
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }

    @Test func aCameraFarFromTheRestOfItsVillageIsWarned() throws {
        func camera(_ serial: Int, _ latitude: String, _ longitude: String) -> String {
            InventoryFixtures.publicCamera(id: "4501280100132000000\(serial)").split(separator: "\n")
                .filter { !$0.hasPrefix("latitude =") && !$0.hasPrefix("longitude =") }.joined(separator: "\n")
                + "\nlatitude = \(latitude)\nlongitude = \(longitude)\n"
        }
        // Beijing's position for a camera among three in Guangxi: about 2,000 km away.
        let village = camera(1, "22.81", "108.31") + camera(2, "22.812", "108.312") + camera(3, "22.809", "108.309") + camera(4, "39.9", "116.4")
        let warnings = try issues(village).filter { $0.severity == .warning && $0.field == "latitude" }
        #expect(warnings.map(\.cameraID) == ["45012801001320000004"])
        #expect(warnings.first?.message.description.hasPrefix("20") == true && warnings.first?.message.description.contains(" km from the village's other cameras") == true,
                "\(warnings)")
    }

    @Test func urlsWithCredentialsAreRefusedWithoutRepeatingThem() throws {
        let camera = InventoryFixtures.publicCamera().replacingOccurrences(of: "rtsp://127.0.0.1", with: "rtsp://admin:hunter2@127.0.0.1")
        let found = try errors(camera)
        #expect(found.count == 1)
        #expect(found[0].contains("rtsp://***@127.0.0.1:8554/stream carries credentials"))
        #expect(found[0].contains("--credential NAME"))
        #expect(!found[0].contains("hunter2"))
    }

    @Test(arguments: [
        ("snapshot = ftp://127.0.0.1/a.jpg", "snapshot: scheme ftp is not accepted here; use http or https"),
        ("onvif = rtsp://127.0.0.1/x", "onvif: scheme rtsp is not accepted here; use http or https"),
        ("rtsp_sub = http://127.0.0.1/sub", "rtsp_sub: scheme http is not accepted here; use rtsp"),
        ("tcp = 127.0.0.1", "tcp: '127.0.0.1' is not host:port"),
        ("hls = http://", "hls: 'http://' is not a URL"),
        ("covers = entrance, gate", "covers: key point gate is not defined in village 450128101201"),
        ("parent = 45012801001320000099", "parent: device 45012801001320000099 is not in the registry"),
        ("installed = 2027-01-01", "installed: 2027-01-01 is in the future"),
        ("owner = 张三", "owner: only citizen cameras carry owner, consent and review fields"),
        ("credential = bad profile!", "credential: 'bad profile!' is not a profile name"),
    ])
    func fieldRules(extra: String, expected: String) throws {
        var camera = InventoryFixtures.publicCamera()
        let key = String(extra.prefix { $0 != " " })
        camera = camera.split(separator: "\n").filter { !$0.hasPrefix(key + " =") }.joined(separator: "\n") + "\n" + extra
        let found = try errors(camera)
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }

    @Test func parentMustBeARecorder() throws {
        let nvr = InventoryFixtures.publicCamera(id: "45012801001181000002").replacingOccurrences(of: "installed = 2024-05-01\n", with: "")
        let channel = InventoryFixtures.publicCamera(extra: "parent = 45012801001181000002")
        #expect(try errors(nvr + "\n" + channel).isEmpty)
        let notRecorder = InventoryFixtures.publicCamera(id: "45012801001320000002")
        let badChannel = InventoryFixtures.publicCamera(extra: "parent = 45012801001320000002")
        #expect(try errors(notRecorder + "\n" + badChannel) == ["parent: 45012801001320000002 is not a recorder (DVR, NVR or HVR type code)"])
    }

    @Test func unknownCredentialProfileIsAWarning() throws {
        let found = try issues(InventoryFixtures.publicCamera(extra: "credential = dahua"))
        #expect(found.map(\.severity) == [.warning])
        #expect(found.first?.message == "no profile 'dahua' in the credentials file")
        #expect(try issues(InventoryFixtures.publicCamera(extra: "credential = hik-admin")).isEmpty)
    }

    @Test func citizenCamerasWithoutConsentOrReviewAreFindingsNotRefusals() throws {
        let expired = InventoryFixtures.citizenCamera().replacingOccurrences(of: "2027-12-31", with: "2026-01-31")
        #expect(try errors(expired).isEmpty)
        #expect(try issues(expired).map(\.message) == ["consent expired on 2026-01-31; not probed until it is renewed"])
        let noSignage = InventoryFixtures.citizenCamera().replacingOccurrences(of: "signage = yes", with: "signage = no")
        #expect(try gaps(noSignage) == ["warning signage: privacy review not passed (needs signage = yes)"])
        let badPhone = InventoryFixtures.citizenCamera().replacingOccurrences(of: "13812345678", with: "12345")
        #expect(try errors(badPhone) == ["phone: '***45' is not a mobile (11 digits) or landline number"])
        let pendingUnreviewed = InventoryFixtures.citizenCamera()
            .replacingOccurrences(of: "status = active", with: "status = pending")
            .replacingOccurrences(of: "reviewer = 王警官\n", with: "")
        #expect(try errors(pendingUnreviewed).isEmpty)
    }

    @Test func consentEndingSoonIsWarned() throws {
        let soon = InventoryFixtures.citizenCamera().replacingOccurrences(of: "2027-12-31", with: "2026-12-10")
        let found = try issues(soon)
        #expect(found.map(\.description) == [
            found[0].file + ":30: warning: camera 45012801011320500001: consent_until: consent expires on 2026-12-10, within 30 days",
        ])
    }

    @Test func issuesNameFileLineAndField() throws {
        let camera = InventoryFixtures.publicCamera().replacingOccurrences(of: "latitude = 22.8", with: "latitude = 95")
        let found = try issues(camera)
        #expect(found.count == 1, "the unparsable value is reported once, not again as missing")
        let range = try #require(found.first { $0.field == "latitude" })
        #expect(range.description.hasSuffix("villages/450128101201.village:20: camera 45012801001320000001: latitude: 95 is outside -90...90 (WGS-84 degrees)"))
    }
}
