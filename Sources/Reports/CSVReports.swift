import Coverage
import Foundation
import Registry

/// The spreadsheets people open in Excel: UTF-8 with a byte order mark (so Excel on a Chinese Windows reads
/// it right), CRLF line ends, RFC 4180 quoting.
public enum CSVReports {
    /// The per-village figures.
    public static func villages(_ input: ReportInput, write: (String) -> Void) {
        write("\u{FEFF}")
        row(["区划代码", "名称", "乡镇街道", "派出所", "摄像机数", "在线数", "在线率", "重点点位数", "已覆盖点位", "是否覆盖", "一机一档合格率", "时钟准确率"], write)
        for figures in input.byVillage.groups.sorted(by: { $0.group < $1.group }) {
            let village = (try? VillageCode.parse(figures.group).get()).flatMap { input.inventory.villages[$0] }
            row([figures.group, figures.label, village?.township ?? "", village?.station ?? "", String(figures.cameras), String(figures.working),
                 rate(figures.onlineRate, over: figures.cameras), String(figures.keyPoints), String(figures.watchedKeyPoints),
                 figures.coveredVillages > 0 ? "是" : "否", rate(figures.completenessRate, over: figures.countedRecords),
                 rate(figures.clockAccuracyRate, over: figures.clockReadings)], write)
        }
    }

    /// One row per offline feed, grouped by maintainer: the work orders (工单) maintainers act on.
    /// The maintainer's phone (运维电话) comes last, masked, so that columns read by older sheets stay where they were.
    public static func workOrders(_ input: ReportInput, write: (String) -> Void) {
        write("\u{FEFF}")
        row(["运维单位", "设备编码", "点位名称", "村社区", "地址", "纬度", "经度", "故障原因", "详情", "离线起始", "离线小时数", "派出所", "运维电话"], write)
        let formatter = ISO8601DateFormatter()
        for feed in input.offline {
            let hours = max(0, input.generatedAt.timeIntervalSince(feed.offlineSince) / 3600)
            row([feed.maintainer, feed.cameraID, feed.name, feed.villageName, feed.address, feed.latitude.map { String($0) } ?? "",
                 feed.longitude.map { String($0) } ?? "", feed.reason.rawValue, feed.detail, formatter.string(from: feed.offlineSince),
                 String(format: "%.1f", hours), feed.station, feed.maintainerPhone], write)
        }
    }

    static func rate(_ value: Double, over whole: Int) -> String { whole == 0 ? "" : String(format: "%.4f", value) }

    static func row(_ cells: [String], _ write: (String) -> Void) {
        write(cells.map { CSVTable.spreadsheetCell($0) }.joined(separator: ",") + "\r\n")
    }
}
