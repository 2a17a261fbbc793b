import Localization
import Probing
import Registry

/// The sweep as people read it: counts by status and reason, then every offline or degraded camera.
public enum SweepText {
    public static func render(_ document: SweepDocument) -> String {
        let summary = document.summary
        let counts = summary.counts
        let rate = summary.durationSeconds > 0 ? Int((Double(counts.probed) / summary.durationSeconds).rounded()) : counts.probed
        var text = summary.complete ? ""
            : localized("INTERRUPTED: \(counts.probed) of \(counts.cameras) cameras finished; partial results") + "\n"
        text += localized("swept \(counts.probed) cameras in \(String(format1: summary.durationSeconds)) s (\(rate)/s): "
            + "\(counts.online) online, \(counts.degraded) degraded, \(counts.offline) offline") + "\n"
        let reasons = counts.byReason.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        text += localized("by reason: \(reasons.map { "\(ReasonCode(rawValue: $0.key)?.localizedName ?? $0.key) \($0.value)" }.joined(separator: localized(", ")))") + "\n"
        if let withheld = summary.withheld {
            let ids = withheld.prefix(5).map(\.id).joined(separator: ", ") + (withheld.count > 5 ? ", …" : "")
            text += (withheld.count == 1
                ? localized("not probed: 1 citizen camera without consent in force (no-consent, "
                    + "not counted as offline; 'xueliang coverage' lists them for renewal): \(ids)")
                : localized("not probed: \(withheld.count) citizen cameras without consent in force (no-consent, "
                    + "not counted as offline; 'xueliang coverage' lists them for renewal): \(ids)")) + "\n"
        }
        let troubled = document.troubledCameras
            .sorted { ($1.status, $0.village, $0.id) < ($0.status, $1.village, $1.id) }
        guard !troubled.isEmpty else { return text }
        var table = TextTable(headers: [localized("STATUS"), localized("REASON"), localized("ID"), localized("NAME"),
                                        localized("VILLAGE"), localized("DETAIL")])
        for camera in troubled {
            table.append([camera.status.localizedName, camera.reason.localizedName, camera.id, camera.name,
                          camera.villageName ?? camera.village, camera.detail])
        }
        return text + "\n" + table.render()
    }
}

extension String {
    /// One decimal place.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
