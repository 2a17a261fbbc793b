import CameraFleet
import Foundation
import Testing
import TestSupport
@testable import XueliangCLI

/// The county officer's workflow from an empty registry: villages and cameras from spreadsheets that have
/// gaps, validate, sweep, coverage, and the figures against a count by hand.
///
/// 青山村 (a 村) has A (complete), B (no 运维单位), C (no 安装日期, its camera blackholed); 东门社区 (a 社区) has
/// D (citizen, complete), E (citizen, consent expired, still 在用) and F (待审核). By hand:
/// - 一机一档合格率: active records A–E, complete A, D, E → 3/5 = 60.0%; incomplete: B (none named), C (运维公司甲).
/// - 在线率: in service A, B, C, D (E has no consent, F is pending); working A, B, D → 3/4 = 75.0%.
/// - 视联网覆盖率: both villages have a working camera → 2/2 (村 1/1, 社区 1/1).
@Suite(.serialized) struct OfficerWorkflowTests {
    @Test func aSheetWithGapsGivesTheFiguresAHandCountGives() async throws {
        let directory = TemporaryDirectory()
        let fleet = try CameraFleet(configuration: FleetConfiguration(behaviours: [FleetAddress.parse("127.9.0.3")!: .blackhole]))
        let ports = try fleet.start()
        defer { fleet.stop() }
        let inventory = directory.file("Inventory")
        let environment = ["XUELIANG_STATE": directory.file("State"), "XUELIANG_TODAY": "2026-11-24"]
        func run(_ arguments: [String]) async -> CommandResult { await xueliang(arguments, inventory: inventory, environment: environment) }
        #expect(await run(["init"]).status == 0)
        try directory.write("""
            区划代码,名称,类型,乡镇街道,派出所,重点点位
            450128101201,青山村,村,青山镇,青山派出所,entrance:村口
            450128001001,东门社区,社区,城关街道,城关派出所,gate:小区大门

            """, to: "villages.csv")
        let villages = await run(["import", "--villages", directory.file("villages.csv")])
        #expect(villages.status == 0, "\(villages.error)")
        func url(_ host: String) -> String { "rtsp://\(host):\(ports.rtspPort)/stream" }
        try directory.write("""
            设备编码,点位名称,村社区代码,来源,状态,纬度,经度,地址,运维单位,安装日期,覆盖点位,rtsp,机主,电话,授权范围,授权截止,审核人,审核日期,视野合规,标识
            45012801001320000001,村口球机,450128101201,公共,在用,22.8,108.3,青山村村口,运维公司甲,2024-05-01,entrance,\(url("127.9.0.1")),,,,,,,,
            45012801001320000002,村委枪机,450128101201,公共,在用,22.801,108.301,青山村村委,,2024-05-01,,\(url("127.9.0.2")),,,,,,,,
            45012801001320000003,小学枪机,450128101201,公共,在用,22.802,108.302,青山小学,运维公司甲,,,\(url("127.9.0.3")),,,,,,,,
            45012800101320500004,李记商铺,450128001001,社会,在用,22.81,108.31,东门社区1号,李某某,2025-03-01,gate,\(url("127.9.0.4")),李某某,13812345678,实时,2027-12-31,王警官,2025-03-05,yes,yes
            45012800101320500005,黄记商铺,450128001001,社会,在用,22.811,108.311,东门社区2号,黄某某,2025-03-01,,\(url("127.9.0.5")),黄某某,13912345678,实时,2026-01-31,王警官,2025-03-05,yes,yes
            45012800101320000006,新装球机,450128001001,公共,待审核,22.812,108.312,东门社区3号,运维公司甲,2026-11-01,,\(url("127.9.0.6")),,,,,,,,

            """, to: "cameras.csv")
        let strict = await run(["import", directory.file("cameras.csv"), "--strict"])
        #expect(strict.status == ExitCode.invalidData, "--strict refuses the gaps")
        #expect(strict.error.contains("cameras.csv:3: camera 45012801001320000002: maintainer: missing; the record is incomplete (一机一档)"),
                "\(strict.error)")
        let cameras = await run(["import", directory.file("cameras.csv")])
        #expect(cameras.status == 0, "a sheet with gaps imports: \(cameras.error)")

        let validate = await run(["validate"])
        #expect(validate.status == 0, "\(validate.output)")
        #expect(validate.output.contains("record completeness 60.0% (3/5 active cameras)"), "\(validate.output)")
        #expect(validate.output.contains("incomplete records of (none): 1 (45012801001320000002)"))
        #expect(validate.output.contains("incomplete records of 运维公司甲: 1 (45012801001320000003)"))

        let sweep = await run(["sweep", "--timeout", "2", "--connect-timeout", "1", "--checks", "rtsp"])
        #expect(sweep.status == 0, "\(sweep.error)")
        #expect(sweep.output.contains("not probed: 1 citizen camera without consent in force"), "\(sweep.output)")

        let json = await run(["coverage", "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let total = try #require(document["total"] as? [String: Any])
        #expect(total["cameras"] as? Int == 4 && total["working"] as? Int == 3 && total["online_rate"] as? Double == 0.75)
        #expect(total["complete_records"] as? Int == 3 && total["counted_records"] as? Int == 5 && total["completeness_rate"] as? Double == 0.6,
                "coverage counts completeness as validate does: \(total)")
        #expect(total["villages"] as? Int == 2 && total["covered_villages"] as? Int == 2)
        #expect(total["rural_villages"] as? Int == 1 && total["covered_rural_villages"] as? Int == 1)
        #expect(total["communities"] as? Int == 1 && total["covered_communities"] as? Int == 1)
        #expect(total["no_consent"] as? Int == 1 && total["pending"] as? Int == 1)
        let renew = try #require(document["consent_to_renew"] as? [[String: Any]])
        #expect(renew.first?["camera"] as? String == "45012800101320500005" && renew.first?["phone"] as? String == "139****5678")
    }
}
