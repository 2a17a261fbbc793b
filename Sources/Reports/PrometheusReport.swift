import Coverage
import Foundation
import Registry

/// The node_exporter textfile-collector format: per-camera up and probe time, per-village coverage,
/// per-county online rate. Written atomically by the caller, so node_exporter never reads half a file.
public enum PrometheusReport {
    public static func render(_ input: ReportInput, write: (String) -> Void) {
        let villages = input.inventory.villages
        func family(_ name: String, _ help: String) {
            write("# HELP \(name) \(help)\n# TYPE \(name) gauge\n")
        }
        func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
            let text = labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
            write("\(name){\(text)} \(format(value))\n")
        }
        let cameras = input.inventory.cameras.filter(\.isActiveCamera).sorted { $0.id < $1.id }

        family("xueliang_camera_up", "1 when the camera's feed worked in the latest sweep (online or degraded), else 0.")
        for camera in cameras {
            guard let reading = input.latest.readings[camera.id] else { continue }
            sample("xueliang_camera_up", [("camera", camera.id), ("village", camera.village.digits),
                                          ("source", camera.source?.rawValue ?? ""), ("reason", reading.reason.rawValue)],
                   reading.isWorking ? 1 : 0)
        }
        family("xueliang_camera_probe_seconds", "Total time of the camera's first check in the latest sweep.")
        for camera in cameras {
            guard let seconds = input.latest.latencies[camera.id] else { continue }
            sample("xueliang_camera_probe_seconds", [("camera", camera.id)], seconds)
        }
        family("xueliang_village_covered", "1 when the village or community has at least K working cameras (--min-cameras, default 1).")
        for figures in input.byVillage.groups.sorted(by: { $0.group < $1.group }) {
            let name = (try? VillageCode.parse(figures.group).get()).flatMap { villages[$0]?.name } ?? figures.label
            sample("xueliang_village_covered", [("village", figures.group), ("name", name)], figures.coveredVillages > 0 ? 1 : 0)
        }
        family("xueliang_village_key_point_coverage_ratio", "Key points of the village watched by a working camera / key points.")
        for figures in input.byVillage.groups.sorted(by: { $0.group < $1.group }) where figures.keyPoints > 0 {
            sample("xueliang_village_key_point_coverage_ratio", [("village", figures.group)], figures.keyPointCoverageRate)
        }
        var counties: [String: (cameras: Int, working: Int, pictures: Int, normal: Int)] = [:]
        for figures in input.byVillage.groups {
            let county = String(figures.group.prefix(6))
            counties[county, default: (0, 0, 0, 0)].cameras += figures.cameras
            counties[county, default: (0, 0, 0, 0)].working += figures.working
            counties[county, default: (0, 0, 0, 0)].pictures += figures.picturesChecked
            counties[county, default: (0, 0, 0, 0)].normal += figures.normalPictures
        }
        family("xueliang_county_online_ratio", "Working cameras / active cameras of the county in the latest sweep.")
        for (county, counts) in counties.sorted(by: { $0.key < $1.key }) where counts.cameras > 0 {
            sample("xueliang_county_online_ratio", [("county", county)], Double(counts.working) / Double(counts.cameras))
        }
        if counties.values.contains(where: { $0.pictures > 0 }) {
            family("xueliang_county_picture_normal_ratio",
                   "Cameras whose picture has no finding (picture fault, frozen) / cameras whose picture the latest sweep checked.")
            for (county, counts) in counties.sorted(by: { $0.key < $1.key }) where counts.pictures > 0 {
                sample("xueliang_county_picture_normal_ratio", [("county", county)], Double(counts.normal) / Double(counts.pictures))
            }
        }
        if let availability = input.availability {
            family("xueliang_availability_ratio", "Online time / observed time of all active cameras over the sweeps kept.")
            write("xueliang_availability_ratio \(format(availability))\n")
        }
        family("xueliang_sweep_timestamp_seconds", "When the sweep these figures come from finished (Unix time).")
        write("xueliang_sweep_timestamp_seconds \(format(input.latest.finishedAt.timeIntervalSince1970))\n")
    }

    /// Label values escape backslash, double quote and line feed (the exposition format's rules).
    static func escape(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.6g", value)
    }
}
