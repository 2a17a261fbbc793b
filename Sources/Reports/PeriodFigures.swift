import Localization
import Foundation
import Monitoring
import Registry
import StateStore

/// The figures over a period, as inspections average them, from a monitor's journal: per township and for
/// the county, the daily mean online rate (日均在线率: the mean of each sweep's online rate in the period),
/// availability (working time / observed time, each sweep's verdicts holding until the next, at most twice
/// the monitor's interval), and a ranking of townships (排名) by the mean. Cameras are counted as every
/// figure counts them (docs/figures.md): recorders are not cameras; a camera no longer in the registry is
/// left out (its township is not known).
///
/// A value type; safe to share between threads.
public struct PeriodFigures: Sendable, Equatable {
    public struct Group: Sendable, Equatable {
        public var key: String
        public var label: String
        /// Cameras in the group at the period's last sweep.
        public var cameras = 0
        /// Sweeps in the period that had cameras of the group.
        public var sweeps = 0
        public var meanOnlineRate: Double?
        public var availability: Double?
        /// 1 for the best mean; nil for the total.
        public var rank: Int?
    }

    public var monitor: String
    public var start: Date
    public var end: Date
    /// Sweeps that finished in the period.
    public var sweeps = 0
    /// Townships, ranked (best first).
    public var townships: [Group] = []
    public var total: Group

    /// Replays `store`'s journal over [start, end]: only the cameras a sweep changed are touched, so a month
    /// of a city's sweeps costs what changed, not cameras × sweeps.
    public static func compute(store: MonitorStore, inventory: Inventory, start: Date, end: Date) throws(MonitorStateError) -> PeriodFigures {
        let townshipNames = Dictionary(inventory.villages.values.map { ($0.code.townshipCode, $0.township) }, uniquingKeysWith: { first, _ in first })
        var groupKeys: [String] = []
        var groupIndex: [String: Int] = [:]
        var groupOfCamera: [String: Int] = [:]
        var villageOf: [String: VillageCode] = [:]
        for camera in inventory.cameras { villageOf[camera.id] = camera.village }
        func group(of id: String) -> Int? {
            if let known = groupOfCamera[id] { return known }
            guard !DeviceCode.isRecorder(id: id), let village = villageOf[id] else { return nil }
            let key = village.townshipCode
            let index = groupIndex[key] ?? {
                groupKeys.append(key)
                groupIndex[key] = groupKeys.count - 1
                return groupKeys.count - 1
            }()
            groupOfCamera[id] = index
            return index
        }
        var working: [String: Bool] = [:]
        var cameras: [Int] = []
        var workingCount: [Int] = []
        func grow() { while cameras.count < groupKeys.count { cameras.append(0); workingCount.append(0) } }
        func set(_ id: String, to isWorking: Bool?) {
            guard let index = group(of: id) else { return }
            grow()
            if let was = working[id] {
                cameras[index] -= 1
                if was { workingCount[index] -= 1 }
            }
            working[id] = isWorking
            if let isWorking {
                cameras[index] += 1
                if isWorking { workingCount[index] += 1 }
            }
        }

        var rateSums: [Double] = []
        var rateSweeps: [Int] = []
        var workingSeconds: [Double] = []
        var observedSeconds: [Double] = []
        var totalRateSum = 0.0, totalRateSweeps = 0, totalWorkingSeconds = 0.0, totalObservedSeconds = 0.0
        var previous: (entry: SweepEntry, cameras: [Int], working: [Int])?
        var sweeps = 0
        try store.entries { entry in
            switch entry {
            case .base(let states):
                for id in Array(working.keys) { set(id, to: nil) }
                for (id, state) in states { set(id, to: state.observed != .offline) }
                previous = nil
            case .sweep(let sweep):
                // The previous sweep's verdicts held until this one: their time counts where it lies in the period.
                if let previous, previous.entry.finishedAt >= start, previous.entry.finishedAt <= end {
                    let interval = previous.entry.observedSeconds(until: min(sweep.finishedAt, end))
                    if interval > 0 {
                        for index in previous.cameras.indices where previous.cameras[index] > 0 {
                            while workingSeconds.count <= index { workingSeconds.append(0); observedSeconds.append(0) }
                            workingSeconds[index] += interval * Double(previous.working[index])
                            observedSeconds[index] += interval * Double(previous.cameras[index])
                        }
                        totalWorkingSeconds += interval * Double(previous.working.reduce(0, +))
                        totalObservedSeconds += interval * Double(previous.cameras.reduce(0, +))
                    }
                }
                for id in sweep.dropped { set(id, to: nil) }
                for (id, observation) in sweep.changed { set(id, to: observation.status != .offline) }
                grow()
                guard sweep.finishedAt >= start && sweep.finishedAt <= end else {
                    previous = (sweep, cameras, workingCount)
                    return
                }
                sweeps += 1
                while rateSums.count < groupKeys.count { rateSums.append(0); rateSweeps.append(0) }
                for index in cameras.indices where cameras[index] > 0 {
                    rateSums[index] += Double(workingCount[index]) / Double(cameras[index])
                    rateSweeps[index] += 1
                }
                let all = cameras.reduce(0, +)
                if all > 0 {
                    totalRateSum += Double(workingCount.reduce(0, +)) / Double(all)
                    totalRateSweeps += 1
                }
                previous = (sweep, cameras, workingCount)
            }
        }
        grow()
        func ratio(_ part: Double, _ whole: Double) -> Double? { whole > 0 ? part / whole : nil }
        var townships = groupKeys.indices.compactMap { index -> Group? in
            let sampled = index < rateSweeps.count ? rateSweeps[index] : 0
            guard sampled > 0 || cameras[index] > 0 else { return nil }
            return Group(key: groupKeys[index], label: townshipNames[groupKeys[index]] ?? groupKeys[index], cameras: cameras[index], sweeps: sampled,
                         meanOnlineRate: sampled > 0 ? rateSums[index] / Double(sampled) : nil,
                         availability: index < observedSeconds.count ? ratio(workingSeconds[index], observedSeconds[index]) : nil)
        }
        townships.sort { ($0.meanOnlineRate ?? -1, $1.key) > ($1.meanOnlineRate ?? -1, $0.key) }
        for index in townships.indices where townships[index].meanOnlineRate != nil { townships[index].rank = index + 1 }
        let total = Group(key: "all", label: "all", cameras: cameras.reduce(0, +), sweeps: totalRateSweeps,
                          meanOnlineRate: totalRateSweeps > 0 ? totalRateSum / Double(totalRateSweeps) : nil,
                          availability: ratio(totalWorkingSeconds, totalObservedSeconds))
        return PeriodFigures(monitor: store.monitor, start: start, end: end, sweeps: sweeps, townships: townships, total: total)
    }
}

/// The period's figures as people read them: the ranking, then the county total.
public enum PeriodText {
    public static func render(_ figures: PeriodFigures, timeZone: TimeZone = OutputLocale.current.timeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let offset = timeZone.secondsFromGMT(for: figures.end)
        let zone = String(format: "%@%02d:%02d", offset < 0 ? "-" : "+", abs(offset) / 3600, abs(offset) % 3600 / 60)
        let text = localized("period \(formatter.string(from: figures.start)) to \(formatter.string(from: figures.end)) (\(timeZone.identifier), UTC\(zone)): "
            + "\(figures.sweeps) sweeps of monitor \(figures.monitor)") + "\n"
        func rate(_ value: Double?) -> String { value.map(Percent.text) ?? "-" }
        var table = TextTable(headers: [localized("RANK"), localized("TOWNSHIP"), localized("NAME"), localized("CAMERAS"), localized("SWEEPS"), localized("DAILY MEAN ONLINE"), localized("AVAILABILITY")],
                              alignments: [.right, .left, .left, .right, .right, .right, .right])
        for group in figures.townships + [figures.total] {
            table.append([group.rank.map(String.init) ?? "", group.key, group.label, String(group.cameras), String(group.sweeps),
                          rate(group.meanOnlineRate), rate(group.availability)])
        }
        return text + table.render()
    }
}
