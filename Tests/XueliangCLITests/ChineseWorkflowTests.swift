import CameraFleet
import Foundation
import Testing
import TestSupport
import Workbook
@testable import XueliangCLI

/// The officer's whole workflow as the county's staff run it: `LANG=zh_CN.UTF-8`, `TZ=Asia/Shanghai`, a messy
/// GB18030 sheet and an `.xlsx` from Excel, then sweep, figures, report, work orders, export and import again.
/// No step may refuse what a person would not expect, every sentence shown must have its Chinese text (the run
/// collects those without, through `XUELIANG_UNTRANSLATED`), and times are Beijing's.
///
/// 青山村 (registered by hand) has 村口球机 (healthy); the sheet adds 村委枪机 (healthy) and 学校枪机 (its RTSP
/// answers 404), and a citizen camera, 李记商铺 (healthy); the workbook adds 东门社区's 东门球机 (healthy).
/// By hand: 5 active cameras, 4 working → 在线率 80.0%; both villages covered → 视联网覆盖率 100.0% (2/2).
@Suite(.serialized) struct ChineseWorkflowTests {
    @Test func theOfficersWorkflowRunsInChineseOnBeijingTime() async throws {
        let directory = TemporaryDirectory()
        let fleet = try CameraFleet(configuration: FleetConfiguration(behaviours: [FleetAddress.parse("127.9.2.3")!: .rtspNotFound]))
        let ports = try fleet.start()
        defer { fleet.stop() }
        let inventory = directory.file("Inventory")
        let untranslated = directory.file("untranslated.txt")
        let environment = ["XUELIANG_STATE": directory.file("State"), "XUELIANG_TODAY": "2026-11-24",
                           "LANG": "zh_CN.UTF-8", "TZ": "Asia/Shanghai", "XUELIANG_UNTRANSLATED": untranslated]
        // What Beijing's clock says: the sweep and the report run now, on the real clock.
        var beijing = Calendar(identifier: .gregorian)
        beijing.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        func beijingMinutes(_ date: Date) -> Set<String> {
            // The minute may turn between the report and this line: either side is right.
            Set([date, date.addingTimeInterval(-60), date.addingTimeInterval(60)].map { moment in
                let parts = beijing.dateComponents([.year, .month, .day, .hour, .minute], from: moment)
                return String(format: "%04d-%02d-%02d %02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
            })
        }
        func run(_ arguments: [String]) async -> CommandResult { await xueliang(arguments, inventory: inventory, environment: environment) }
        func url(_ host: String) -> String { "rtsp://\(host):\(ports.rtspPort)/stream" }

        let initialised = await run(["init"])
        #expect(initialised.output.hasPrefix("已在 "), "\(initialised.output)")
        let village = await run(["villages", "add", "450128101201", "--name", "青山村", "--kind", "村", "--township", "青山镇",
                                 "--station", "青山派出所", "--key-point", "entrance:村口", "--key-point", "school:学校门口"])
        #expect(village.status == 0 && village.output == "已添加村（社区）450128101201\n", "\(village.output)\(village.error)")
        let registered = await run(["register", "45012801001320000001", "--village", "450128101201", "--name", "村口球机",
                                    "--source", "公共", "--status", "在用", "--latitude", "22.8", "--longitude", "108.3",
                                    "--address", "青山村村口", "--maintainer", "青山运维", "--installed", "2024年5月1日",
                                    "--covers", "entrance", "--rtsp", url("127.9.2.1")])
        #expect(registered.status == 0, "\(registered.error)")
        #expect(registered.output.contains("已登记摄像机 45012801001320000001，所属村（社区）450128101201"), "\(registered.output)")

        // The sheet the maintenance company keeps: 序号 and 备注, the village by name, Chinese dates, +86 phones,
        // 雪亮工程 as the source, a key point by its name, saved by Excel on a Chinese Windows (GB18030).
        _ = FileManager.default.createFile(atPath: directory.file("cameras.csv"), contents: try ImportCommandTests.gb18030("""
            序号,设备编码,设备名称,所属村(社区),来源,状态,安装时间,经度,纬度,地址,覆盖点位,rtsp,运维单位,运维电话,机主,电话,授权范围,授权截止,审核人,审核日期,视野合规,标识,备注
            1,45012801001320000002,村委枪机,青山村,雪亮工程,在用,2023年6月5日,108.301,22.801,青山村村委,,\(url("127.9.2.2")),青山运维,+86 139 0739 8888,,,,,,,,,新装
            2,45012801001320000003,学校枪机,青山村委会,雪亮,在用,45082,108.302,22.802,青山小学门口,学校门口,\(url("127.9.2.3")),青山运维,0771-1234567,,,,,,,,,
            3,45012801001320500004,李记商铺,青山村,守望,在用,20250301,108.303,22.803,青山村1号,,\(url("127.9.2.4")),李某某,,李某某,138 1234 5678,实时,2027年12月31日,王警官,2025-03-05,是,是,

            """))
        let sheet = await run(["import", directory.file("cameras.csv")])
        #expect(sheet.status == 0 && sheet.error.isEmpty, "no refusal: \(sheet.error)")
        #expect(sheet.output.contains("已忽略的列 序号, 备注") && sheet.output.contains("新增相机 3 台"), "\(sheet.output)")

        // The community's cameras come in the workbook the township keeps: the village by name, a date cell,
        // coordinates as numbers, the code as text.
        let community = await run(["villages", "add", "450128001001", "--name", "东门社区", "--kind", "社区", "--township", "城关街道",
                                   "--station", "城关派出所"])
        #expect(community.status == 0, "\(community.error)")
        var workbookSheet = WorkbookWriter.Sheet(name: "东门社区", columns: ["序号", "设备编码", "点位名称", "所属村(社区)", "来源", "状态", "安装日期", "纬度",
                                                                   "经度", "地址", "rtsp", "运维单位"].map { WorkbookWriter.Column($0) })
        workbookSheet.append([.number(1), .text("45012800101320000005"), .text("东门球机"), .text("东门社区居委会"), .text("雪亮"), .text("在用"),
                      .date(daysSinceEpoch: 19_844), .number(22.81), .number(108.31), .text("东门社区门口"), .text(url("127.9.2.5")), .text("城关运维")])
        try Data(WorkbookWriter.archive([workbookSheet])).write(to: URL(fileURLWithPath: directory.file("东门社区.xlsx")))
        let workbook = await run(["import", directory.file("东门社区.xlsx")])
        #expect(workbook.status == 0 && workbook.error.isEmpty, "no refusal: \(workbook.error)")
        #expect(workbook.output.contains("工作表“东门社区”") && workbook.output.contains("新增相机 1 台"), "\(workbook.output)")

        let validate = await run(["validate"])
        #expect(validate.status == 0, "\(validate.output)")
        #expect(validate.output.contains("2个村（社区），5台摄像机"), "\(validate.output)")

        let sweep = await run(["sweep", "--timeout", "3", "--connect-timeout", "2", "--checks", "rtsp"])
        #expect(sweep.status == 0, "\(sweep.error)")
        #expect(sweep.output.contains("检测5台摄像机") && sweep.output.contains("在线4台") && sweep.output.contains("离线1台"), "\(sweep.output)")
        #expect(sweep.output.contains("离线  RTSP状态异常  45012801001320000003  学校枪机"), "status and reason in Chinese: \(sweep.output)")

        let coverage = await run(["coverage"])
        #expect(coverage.output.contains("在线率 80.0%（4/5"), "\(coverage.output)")
        #expect(coverage.output.contains("村（社区）覆盖率 100.0%（2/2"), "\(coverage.output)")

        let html = directory.file("report.html"), orders = directory.file("orders.csv"), villages = directory.file("villages.csv")
        let report = await run(["report", "--area", "青山县", "--html", html, "--work-orders", orders, "--csv", villages, "--respond-within", "2d"])
        #expect(report.status == 0, "\(report.error)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("<h1>青山县雪亮工程视频监控运行报告</h1>"))
        #expect(beijingMinutes(Date()).contains { page.contains("生成于 \($0)") } && page.contains("Asia/Shanghai, UTC+08:00"),
                "Beijing time, the zone said once")
        let workOrders = String(decoding: try Data(contentsOf: URL(fileURLWithPath: orders)).dropFirst(3), as: UTF8.self)
        #expect(workOrders.hasPrefix("工单号,设备编码,名称,村/社区,乡镇（街道）,地址,设备地址,纬度,经度,离线起始,离线时长,原因,详情,运维单位,运维电话,响应时限,派出所\r\n"),
                "\(workOrders)")
        let order = try #require(workOrders.split(separator: "\r\n").dropFirst().first)
        let today = String(beijingMinutes(Date()).sorted()[1].prefix(10)).replacingOccurrences(of: "-", with: "")
        #expect(order.hasPrefix("\(today)-0001,45012801001320000003,学校枪机,青山村,青山镇,青山小学门口,127.9.2.3:\(ports.rtspPort),22.802,108.302,"), "\(order)")
        #expect(order.contains(",RTSP状态异常,rtsp: OPTIONS/DESCRIBE: RTSP 404,青山运维,077*****4567,"), "the reason in Chinese, libcurl's words after it: \(order)")
        #expect(beijingMinutes(Date().addingTimeInterval(2 * 86400)).contains { order.contains(",\($0),青山派出所") }, "respond within 2 days: \(order)")
        let figures = String(decoding: try Data(contentsOf: URL(fileURLWithPath: villages)).dropFirst(3), as: UTF8.self)
        #expect(figures.contains("450128101201,青山村,青山镇,青山派出所,4,3,75.0%,2,1,是,"), "\(figures)")
        #expect(figures.contains(",合计,"), "\(figures)")

        // Export for Excel, and the same file imported again changes nothing.
        for file in ["cameras-export.csv", "cameras-export.xlsx"] {
            let export = await run(["export", directory.file(file)])
            #expect(export.status == 0, "\(export.error)")
            let again = await run(["import", directory.file(file)])
            #expect(again.status == 0, "\(again.error)")
            #expect(again.output.contains("新增相机 0 台，修改 0 台，未变 5 台"), "\(file): \(again.output)")
        }

        let missing = (try? String(contentsOfFile: untranslated, encoding: .utf8)) ?? ""
        #expect(missing.isEmpty, "shown without Chinese text:\n\(missing)")
    }
}
