import Foundation
import Registry

// City-scale figures for the registry: how long 200,000 cameras over 1,821 villages take to load and to
// validate, against a reference in the same run (reading the same files' bytes and nothing else).
// `monitor` times a monitor's bookkeeping (journal, state file, rebuild, history) for as many cameras;
// `runner` times the sweep runner and snapshot prober alone, against a transport that answers at once.
// `seed-pictures` gives a picture-share monitor's state a full period's held pictures (`PictureSeed`).
// Usage: swift run -c release city-benchmark [registry | monitor | runner] [--cameras N] [--keep DIR]
//        city-benchmark seed-pictures --state DIR --monitor FILE.json

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func format(_ value: Double) -> String { String(format: "%.3f", value) }

var arguments = Array(CommandLine.arguments.dropFirst())
var generator = CityGenerator()
var keep: String?
var mode = "registry"
var stateDirectory: String?
var monitorPath: String?
while let argument = arguments.first {
    arguments.removeFirst()
    switch argument {
    case "registry", "monitor", "runner", "seed-pictures": mode = argument
    case "--state": stateDirectory = arguments.removeFirst()
    case "--monitor": monitorPath = arguments.removeFirst()
    case "--cameras": generator.cameraCount = Int(arguments.removeFirst())!
    case "--keep": keep = arguments.removeFirst()
    default:
        FileHandle.standardError.write(Data("usage: city-benchmark [registry | monitor | runner] [--cameras N] [--keep DIR]\n".utf8))
        exit(64)
    }
}

if mode == "seed-pictures", let stateDirectory, let monitorPath {
    try PictureSeed(stateDirectory: stateDirectory, monitorPath: monitorPath).run()
    exit(0)
}

if mode == "runner" {
    try await RunnerBenchmark(cameras: generator.cameraCount).run()
    exit(0)
}

if mode == "monitor" {
    let stateDirectory = NSTemporaryDirectory() + "xueliang-monitor-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
    try MonitorBenchmark(cameras: generator.cameraCount).run(in: stateDirectory)
    exit(0)
}

let directory = keep ?? NSTemporaryDirectory() + "xueliang-city-\(getpid())"
if !FileManager.default.fileExists(atPath: directory + "/villages") {
    let generation = try seconds { try generator.write(to: directory) }
    print("generated \(generator.cameraCount) cameras over \(generator.villageCount) villages in \(format(generation)) s")
}
defer { if keep == nil { try? FileManager.default.removeItem(atPath: directory) } }

let store = InventoryStore(directory: directory)
// Warm the page cache once so that every figure below measures the tool, not the disk.
_ = try store.load()

let names = try FileManager.default.contentsOfDirectory(atPath: directory + "/villages")
var bytes = 0
let reading = try seconds {
    for name in names { bytes += try Data(contentsOf: URL(fileURLWithPath: directory + "/villages/" + name)).count }
}
var inventory = Inventory()
let loading = try seconds { inventory = try store.load() }
var issues: [InventoryIssue] = []
let validating = seconds { issues = Validator(today: CalendarDate(year: 2026, month: 11, day: 24)!).validate(inventory) }

print("""
    registry at city scale: \(inventory.cameras.count) cameras, \(inventory.villages.count) villages, \(bytes / 1_048_576) MiB in \(names.count) files
    | step                         | seconds | target | × reference read |
    |------------------------------|---------|--------|------------------|
    | reference: read bytes only   | \(format(reading))   |        | 1.0              |
    | load (parse, build records)  | \(format(loading))   | ≤ 2    | \(String(format: "%.1f", loading / reading)) |
    | validate (every rule)        | \(format(validating))   | ≤ 5    | \(String(format: "%.1f", validating / reading)) |
    issues found: \(issues.count) (expected 0)
    """)
