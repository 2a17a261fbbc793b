import Coverage
import Foundation
import Localization
import Probing
import Registry

/// The spreadsheets people open in Excel: UTF-8 with a byte order mark (so Excel on a Chinese Windows reads
/// it right), CRLF line ends, RFC 4180 quoting, headers and values in the reader's language, times local.
public enum CSVReports {
    /// The per-village figures, rates as percentages: villages by township, each township's subtotal after
    /// its villages, the county's total last, and the sweep's time in the first line.
    public static func villages(_ input: ReportInput, write: (String) -> Void) {
        let locale = OutputLocale.current
        write("\u{FEFF}")
        row([localized("sweep finished \(locale.minute(input.latest.finishedAt)) (\(locale.zoneNote(at: input.latest.finishedAt)))")], write)
        row([localized("Code"), localized("Name"), localized("Township"), localized("Station"), localized("Cameras"), localized("Working"),
             localized("Online rate"), localized("Key points"), localized("Watched key points"), localized("Covered"),
             localized("Record completeness"), localized("Clock accuracy")], write)
        // Townships by their code (the village code's first nine digits), as the figures group them: two
        // townships may share a name.
        let villages = input.byVillage.groups.map { figures -> (township: String, figures: CoverageFigures, village: Village?) in
            let code = try? VillageCode.parse(figures.group).get()
            return (code?.townshipCode ?? "", figures, code.flatMap { input.inventory.villages[$0] })
        }
        let townships = Dictionary(input.byTownship.groups.map { ($0.group, $0) }, uniquingKeysWith: { first, _ in first })
        for (township, members) in Dictionary(grouping: villages, by: \.township).sorted(by: { $0.key < $1.key }) {
            for member in members.sorted(by: { $0.figures.group < $1.figures.group }) {
                let figures = member.figures
                row([figures.group, figures.label, member.village?.township ?? "", member.village?.station ?? "", String(figures.cameras), String(figures.working),
                     rate(figures.working, figures.cameras), String(figures.keyPoints), String(figures.watchedKeyPoints),
                     figures.coveredVillages > 0 ? localized("yes") : localized("no"), rate(figures.completeRecords, figures.countedRecords),
                     rate(figures.accurateClocks, figures.clockReadings)], write)
            }
            if let subtotal = townships[township] {
                row(totalRow(localized("\(subtotal.label.isEmpty ? township : subtotal.label) subtotal"), subtotal), write)
            }
        }
        row(totalRow(localized("total"), input.byTownship.total), write)
    }

    /// A subtotal or total line: its villages covered out of its villages where a village says yes or no.
    static func totalRow(_ label: String, _ figures: CoverageFigures) -> [String] {
        ["", label, "", "", String(figures.cameras), String(figures.working), rate(figures.working, figures.cameras), String(figures.keyPoints),
         String(figures.watchedKeyPoints), "\(figures.coveredVillages)/\(figures.villages)", rate(figures.completeRecords, figures.countedRecords),
         rate(figures.accurateClocks, figures.clockReadings)]
    }

    /// One work order (工单) per offline feed, grouped by maintainer: what a contractor needs to go and fix it,
    /// and by when. The order number is the report's local date and the row (`20261124-0001`), so the same
    /// report names the same orders.
    public static func workOrders(_ input: ReportInput, write: (String) -> Void) {
        let locale = OutputLocale.current
        write("\u{FEFF}")
        row([localized("Order"), localized("Camera id"), localized("Name"), localized("Village"), localized("Township"), localized("Address"),
             localized("Host"), localized("Latitude"), localized("Longitude"), localized("Offline since"), localized("Offline for"), localized("Reason"), localized("Detail"),
             localized("Maintainer"), localized("Maintainer phone"), localized("Respond by"), localized("Station")], write)
        let prefix = locale.day(input.generatedAt).replacingOccurrences(of: "-", with: "")
        let deadline = locale.minute(input.generatedAt.addingTimeInterval(input.respondWithinSeconds))
        for (index, feed) in input.offline.enumerated() {
            let seconds = max(0, input.generatedAt.timeIntervalSince(feed.offlineSince))
            row([prefix + "-" + String(format: "%04d", index + 1), feed.cameraID, feed.name, feed.villageName.isEmpty ? feed.village : feed.villageName,
                 feed.township, feed.address, feed.host, feed.latitude.map { String($0) } ?? "", feed.longitude.map { String($0) } ?? "",
                 locale.minute(feed.offlineSince), OfflineList.duration(seconds), feed.reason.localizedName,
                 feed.detail, feed.maintainer, feed.maintainerPhone, deadline, feed.station], write)
        }
    }

    /// A percentage with one decimal (`97.5%`), empty when there is nothing to count.
    static func rate(_ part: Int, _ whole: Int) -> String { whole == 0 ? "" : Percent.text(Double(part) / Double(whole)) }

    static func row(_ cells: [String], _ write: (String) -> Void) {
        write(cells.map { CSVTable.spreadsheetCell($0) }.joined(separator: ",") + "\r\n")
    }
}
