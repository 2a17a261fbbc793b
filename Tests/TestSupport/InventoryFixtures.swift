import Foundation
import Registry

/// Small registries built in code, with known contents, for tests of every module.
public enum InventoryFixtures {
    /// The day fixtures are judged against.
    public static let today = CalendarDate(year: 2026, month: 11, day: 24)!

    public static let villageCode = "450128101201"
    public static let otherVillageCode = "450128001001"

    /// A village file with two key points and the given camera sections.
    public static func villageFile(code: String = villageCode, name: String = "青山村", cameras: String = "") -> String {
        """
        format = xueliang.village/1

        [village]
        code = \(code)
        name = \(name)
        kind = village
        township = 青山镇
        station = 青山派出所

        [keypoint entrance]
        name = 村口

        [keypoint school]
        name = 学校门口
        \(cameras.isEmpty ? "" : "\n" + cameras)
        """
    }

    /// A complete, active public camera section.
    public static func publicCamera(id: String = "45012801001320000001", host: String = "127.0.0.1", extra: String = "") -> String {
        """
        [camera \(id)]
        name = 村口球机
        source = public
        status = active
        latitude = 22.8
        longitude = 108.3
        address = 青山村村口
        station = 青山派出所
        maintainer = 青山县联通运维中心
        installed = 2024-05-01
        covers = entrance
        rtsp = rtsp://\(host):8554/stream
        \(extra)
        """
    }

    /// A complete, active citizen camera section.
    public static func citizenCamera(id: String = "45012801011320500001", extra: String = "") -> String {
        """
        [camera \(id)]
        name = 李记商铺门口
        source = citizen
        status = active
        latitude = 22.81
        longitude = 108.31
        address = 青山村主街1号
        station = 青山派出所
        maintainer = 李某某
        installed = 2025-03-01
        snapshot = http://127.0.0.2:8080/snapshot.jpg
        owner = 李某某
        phone = 13812345678
        consent_scope = live, playback
        consent_until = 2027-12-31
        reviewer = 王警官
        reviewed_on = 2025-03-05
        view_clear = yes
        signage = yes
        \(extra)
        """
    }

    /// Writes an inventory with the given village files (name → text) and returns its directory.
    public static func makeInventory(in directory: TemporaryDirectory, files: [String: String]) throws -> String {
        let root = directory.file("Inventory")
        try InventoryStore(directory: root).initialize()
        for (code, text) in files {
            try text.write(toFile: root + "/villages/\(code).village", atomically: true, encoding: .utf8)
        }
        return root
    }
}
