import Probing
import Testing
import TestSupport
@testable import Coverage
@testable import Registry

/// The figures on a registry small enough to count by hand (docs/figures.md):
///
/// - 青山村 450128101201, key points entrance and school: camera A (public, covers entrance, working,
///   clock +10 s), B (public, covers school, offline), C (citizen, working, consent ends in 10 days),
///   an NVR (not counted), a pending camera (not counted).
/// - 东门社区 450128001001, key points entrance and school: camera D (public, covers both, working, clock +300 s).
/// - 龙头村 450128101202, key points entrance and school: no camera at all.
///
/// Active cameras 4, working 3 → online rate 3/4. Villages 3; covered (at least one working camera):
/// 青山村 and 东门社区 → 2/3 (村 1/2, 社区 1/1). Every key point watched: only 东门社区 (青山村's school is
/// watched only by B, which is offline) → 1/3. Key points 6, watched 3 (青山村 entrance, 东门社区 both)
/// → 1/2. Blind spots: 青山村 school (outage, B); 龙头村 itself and both its key points (registry gaps).
/// Clocks read 2, accurate 1 (60 s tolerance). Consent expiring soon: C. Pending 1, not counted.
@Suite struct CoverageCalculatorTests {
    static let today = CalendarDate(year: 2026, month: 11, day: 24)!

    func makeInventory() throws -> (Inventory, TemporaryDirectory) {
        let directory = TemporaryDirectory()
        func camera(_ serial: String, _ extra: String) -> String {
            InventoryFixtures.publicCamera(id: "450128010013200000\(serial)", extra: extra).replacingOccurrences(of: "covers = entrance\n", with: "")
        }
        let qingshan = [
            camera("01", "covers = entrance"),
            camera("02", "covers = school"),
            InventoryFixtures.citizenCamera(id: "45012801011320500003").replacingOccurrences(of: "2027-12-31", with: "2026-12-04"),
            InventoryFixtures.publicCamera(id: "45012801001181000009").replacingOccurrences(of: "installed = 2024-05-01\n", with: ""),
            camera("05", "covers = school").replacingOccurrences(of: "status = active", with: "status = pending"),
        ].joined(separator: "\n")
        let dongmen = camera("04", "covers = entrance, school")
        let root = try InventoryFixtures.makeInventory(in: directory, files: [
            "450128101201": InventoryFixtures.villageFile(cameras: qingshan),
            "450128001001": InventoryFixtures.villageFile(code: "450128001001", name: "东门社区", cameras: dongmen)
                .replacingOccurrences(of: "kind = village", with: "kind = community"),
            "450128101202": InventoryFixtures.villageFile(code: "450128101202", name: "龙头村"),
        ])
        return (try InventoryStore(directory: root).load(), directory)
    }

    let readings: [String: CameraReading] = [
        "45012801001320000001": CameraReading(status: .online, reason: .ok, clockOffsetSeconds: 10),
        "45012801001320000002": CameraReading(status: .offline, reason: .timeout),
        "45012801011320500003": CameraReading(status: .online, reason: .ok),
        "45012801001320000004": CameraReading(status: .degraded, reason: .clockSkew, clockOffsetSeconds: 300),
        "45012801001181000009": CameraReading(status: .online, reason: .ok),
    ]

    @Test func totalsMatchTheHandComputedExample() throws {
        let (inventory, directory) = try makeInventory()
        _ = directory
        let issues = Validator(today: Self.today).validate(inventory)
        #expect(issues.filter { $0.severity == .error }.isEmpty, "\(issues)")
        let report = CoverageCalculator.report(inventory: inventory, readings: readings, issues: issues, grouping: .township,
                                               rules: CoverageRules(today: Self.today))
        let total = report.total
        #expect((total.cameras, total.working, total.offline, total.notSwept) == (4, 3, 1, 0))
        #expect(total.onlineRate == 0.75)
        #expect((total.villages, total.coveredVillages) == (3, 2))
        #expect((total.ruralVillages, total.coveredRuralVillages, total.communities, total.coveredCommunities) == (2, 1, 1, 1))
        #expect((total.villagesWithKeyPoints, total.fullyWatchedVillages) == (3, 1))
        #expect((total.pending, total.noConsent) == (1, 0))
        #expect((total.keyPoints, total.watchedKeyPoints) == (6, 3))
        #expect((total.clockReadings, total.accurateClocks) == (2, 1))
        #expect(total.consentExpiringSoon == 1)
        #expect((total.publicCameras, total.publicWorking, total.citizenCameras, total.citizenWorking) == (3, 2, 1, 1))
        #expect((total.countedRecords, total.completeRecords) == (4, 4))
        #expect(Set(report.blindSpots) == [
            BlindSpot(kind: .outageGap, village: try VillageCode.parse("450128101201").get(), keyPoint: "school", cameras: ["45012801001320000002"]),
            BlindSpot(kind: .registryGap, village: try VillageCode.parse("450128101202").get(), keyPoint: nil, cameras: []),
            BlindSpot(kind: .registryGap, village: try VillageCode.parse("450128101202").get(), keyPoint: "entrance", cameras: []),
            BlindSpot(kind: .registryGap, village: try VillageCode.parse("450128101202").get(), keyPoint: "school", cameras: []),
        ])
    }

    /// docs/figures.md's worked example of 图像质量正常率: A's picture is normal, C's too dark, D's frozen (a
    /// monitor's verdict), B is offline (no picture taken), the NVR is not a camera: 1 of 3 pictures normal.
    @Test func thePictureNormalRateCountsCheckedPicturesWithoutAFinding() throws {
        let (inventory, directory) = try makeInventory()
        _ = directory
        var readings = self.readings
        readings["45012801001320000001"]?.pictureFindings = []
        readings["45012801011320500003"] = CameraReading(status: .degraded, reason: .tooDark, pictureFindings: [.tooDark])
        readings["45012801001320000004"] = CameraReading(status: .degraded, reason: .frozen, clockOffsetSeconds: 300, pictureFindings: [.frozen])
        readings["45012801001181000009"]?.pictureFindings = [.signalLoss]
        let report = CoverageCalculator.report(inventory: inventory, readings: readings, issues: [], grouping: .village,
                                               rules: CoverageRules(today: Self.today))
        #expect((report.total.picturesChecked, report.total.normalPictures) == (3, 1))
        #expect(abs(report.total.pictureNormalRate - 1.0 / 3) < 1e-12)
        let byVillage = Dictionary(uniqueKeysWithValues: report.groups.map { ($0.group, $0) })
        #expect((byVillage["450128101201"]?.picturesChecked, byVillage["450128101201"]?.normalPictures) == (2, 1), "A and C")
        #expect((byVillage["450128001001"]?.picturesChecked, byVillage["450128001001"]?.normalPictures) == (1, 0), "D")
        #expect(byVillage["450128101202"]?.picturesChecked == 0, "no camera: nothing to count")
        // Without picture checks there is nothing to count (shown as "-", never as 100%).
        let unchecked = CoverageCalculator.report(inventory: inventory, readings: self.readings, issues: [], grouping: .township,
                                                  rules: CoverageRules(today: Self.today))
        #expect(unchecked.total.picturesChecked == 0)
    }

    @Test func townshipsAreSortedWorstFirst() throws {
        let (inventory, directory) = try makeInventory()
        _ = directory
        let report = CoverageCalculator.report(inventory: inventory, readings: readings, issues: [], grouping: .township,
                                               rules: CoverageRules(today: Self.today))
        #expect(report.groups.map(\.group) == ["450128101", "450128001"])
        let qingshan = report.groups[0]
        #expect((qingshan.villages, qingshan.coveredVillages, qingshan.cameras, qingshan.working) == (2, 1, 3, 2))
        #expect(qingshan.fullyWatchedVillages == 0)
        let dongmen = report.groups[1]
        #expect((dongmen.villages, dongmen.coveredVillages, dongmen.keyPoints, dongmen.watchedKeyPoints) == (1, 1, 2, 2))
    }

    @Test func aVillageNeedsKWorkingCameras() throws {
        let (inventory, directory) = try makeInventory()
        _ = directory
        var rules = CoverageRules(today: Self.today)
        rules.minimumWorkingCameras = 2
        let report = CoverageCalculator.report(inventory: inventory, readings: readings, issues: [], grouping: .village, rules: rules)
        #expect(report.total.coveredVillages == 1, "青山村 has two working cameras (A and C), 东门社区 one")
    }

    @Test func theClockToleranceIsARule() throws {
        let (inventory, directory) = try makeInventory()
        _ = directory
        var rules = CoverageRules(today: Self.today)
        rules.clockToleranceSeconds = 5
        let strict = CoverageCalculator.report(inventory: inventory, readings: readings, issues: [], grouping: .county, rules: rules)
        #expect((strict.total.clockReadings, strict.total.accurateClocks) == (2, 0), "A's +10 s is outside 5 s")
        rules.clockToleranceSeconds = 300
        let lenient = CoverageCalculator.report(inventory: inventory, readings: readings, issues: [], grouping: .county, rules: rules)
        #expect(lenient.total.accurateClocks == 2)
    }

    @Test func aCitizenCameraWithoutConsentIsListedNotCountedOffline() throws {
        let (inventory, directory) = try makeInventory()
        _ = directory
        // Ten days on, C's consent (ending 2026-12-04) has lapsed: not probed, so no reading for it.
        var rules = CoverageRules(today: Self.today.adding(days: 11))
        rules.consentWarningDays = 30
        var withoutC = readings
        withoutC["45012801011320500003"] = nil
        let report = CoverageCalculator.report(inventory: inventory, readings: withoutC, issues: [], grouping: .county, rules: rules)
        #expect((report.total.cameras, report.total.working, report.total.offline, report.total.notSwept) == (3, 2, 1, 0))
        #expect(report.total.noConsent == 1)
        #expect((report.total.citizenCameras, report.total.citizenWorking) == (0, 0))
        #expect(report.consentToRenew.map(\.cameraID) == ["45012801011320500003"])
        #expect(report.consentToRenew.first?.reason == "consent expired on 2026-12-04")
        #expect(report.consentToRenew.first?.phone == "138****5678")
        #expect(report.consentExpiring.isEmpty)
        let before = CoverageCalculator.report(inventory: inventory, readings: readings, issues: [], grouping: .county,
                                               rules: CoverageRules(today: Self.today))
        #expect(before.consentExpiring.map(\.cameraID) == ["45012801011320500003"], "ten days before, it is expiring")
    }

    @Test func camerasMissingFromTheSweepAreNotOnline() throws {
        let (inventory, directory) = try makeInventory()
        _ = directory
        let report = CoverageCalculator.report(inventory: inventory, readings: [:], issues: [], grouping: .county,
                                               rules: CoverageRules(today: Self.today))
        #expect((report.total.working, report.total.notSwept, report.total.onlineRate) == (0, 4, 0))
        // Unswept is unknown, not an outage: only the registry gaps of 龙头村 remain.
        #expect(report.blindSpots.filter { $0.kind == .outageGap }.isEmpty)
        #expect(report.blindSpots.count == 3, "龙头村 and its two key points; 青山村's school is unknown, not out")
    }
}
