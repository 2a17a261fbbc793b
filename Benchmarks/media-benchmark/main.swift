// Media sweep benchmark (issue 14): the media check through SweepRunner, MediaProber and CurlTransport,
// as `xueliang sweep --checks media` runs it, over RTSP URLs on loopback (camera-fleet's or GStreamer's).
// Prints one line of JSON with the figures. Not a test; Benchmarks/media-benchmark.sh drives it.
//
//   media-benchmark --urls FILE [--concurrency N] [--window MS] [--frames-wanted N] [--pace MS] [--stall MS]
//                   [--verdicts FILE]
//
// --verdicts writes one line per camera: its URL and the media check's reason.
// FILE has one rtsp:// URL per line. The process's own CPU time and peak memory are measured, so the
// cameras' cost (camera-fleet, GStreamer) is not counted.
import CurlTransport
import Foundation
import Glibc
import Probing
import Registry
import Synchronization

/// Counts the receive rounds of every media session that passes through.
final class CountingTransport: Transport {
    let base: CurlTransport
    let rounds = Atomic<Int>(0)
    let openStreams = Atomic<Int>(0)
    let mostOpen = Atomic<Int>(0)

    init(base: CurlTransport) { self.base = base }

    var preferredExecutor: (any TaskExecutor)? { base.preferredExecutor }

    func perform(_ request: TransferRequest) async throws -> TransferResult {
        guard case .rtspMedia = request.operation else { return try await base.perform(request) }
        let open = openStreams.add(1, ordering: .relaxed).newValue
        _ = mostOpen.max(open, ordering: .relaxed)
        defer { openStreams.subtract(1, ordering: .relaxed) }
        let result = try await base.perform(request)
        rounds.add(result.media?.receiveRounds ?? 0, ordering: .relaxed)
        return result
    }
}

func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count,
          let value = Int(CommandLine.arguments[index + 1]) else { return fallback }
    return value
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Resident kilobytes: now (`VmRSS`) or the peak so far (`VmHWM`), which needs no sampling.
func residentKilobytes(_ field: String = "VmRSS:") -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(field) {
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    return 0
}

guard let urlsIndex = CommandLine.arguments.firstIndex(of: "--urls"), urlsIndex + 1 < CommandLine.arguments.count,
      let text = try? String(contentsOfFile: CommandLine.arguments[urlsIndex + 1], encoding: .utf8) else {
    FileHandle.standardError.write("usage: media-benchmark --urls FILE [--concurrency N] [--window MS] [--frames-wanted N] [--pace MS] [--stall MS]\n".data(using: .utf8)!)
    exit(64)
}
let urls = text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
let concurrency = option("--concurrency", 500)
var settings = SweepSettings()
settings.checks = [.media]
settings.concurrency = concurrency
settings.perHost = 1_000
settings.budgetSeconds = 60
settings.media.windowMilliseconds = option("--window", 4_000)
settings.media.framesWanted = option("--frames-wanted", 10)
settings.media.receivePaceMilliseconds = option("--pace", 50)
settings.media.stallMilliseconds = option("--stall", 3_000)
let cameras = urls.enumerated().map { index, url -> CameraRecord in
    var camera = CameraRecord(id: "4501280100132" + String(1_000_000 + index).suffix(7), name: "bench \(index)",
                              village: try! VillageCode.parse("450128101201").get(), source: .public, status: .active)
    camera.endpoints.rtsp = url
    return camera
}

let curl = try CurlTransport(transfersInFlight: concurrency)
let transport = CountingTransport(base: curl)
let baseline = residentKilobytes()
let cpuBefore = cpuSeconds()
let started = ContinuousClock.now
let outcome = await SweepRunner(transport: transport, probers: ProberTable.all)
    .run(SweepPlan(cameras: cameras, credentials: CredentialStore(profiles: [:]), settings: settings, today: CalendarDate(year: 2026, month: 1, day: 1)!))
let elapsed = started.duration(to: .now)
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let cpu = cpuSeconds() - cpuBefore
var reasons: [String: Int] = [:]
/// The first failing camera's URL and detail per reason, to tell which peer gave it.
var examples: [String: String] = [:]
var frameRates: [Double] = []
var streamSeconds = 0.0
for camera in outcome.outcomes {
    let media = camera.checks.first { $0.kind == .media }
    let reason = media?.reason.rawValue ?? camera.reason.rawValue
    reasons[reason, default: 0] += 1
    if reason != "ok" && examples[reason] == nil { examples[reason] = "\(camera.camera.endpoints.rtsp ?? ""): \(camera.detail)" }
    if let fps = media?.findings.media?.framesPerSecond { frameRates.append(fps) }
    streamSeconds += Double(media?.findings.media?.windowMilliseconds ?? 0) / 1000
}
if let index = CommandLine.arguments.firstIndex(of: "--verdicts"), index + 1 < CommandLine.arguments.count {
    let lines = outcome.outcomes.map { camera in
        "\(camera.camera.endpoints.rtsp ?? "") \(camera.checks.first { $0.kind == .media }?.reason.rawValue ?? camera.reason.rawValue)\n"
    }
    try lines.joined().write(toFile: CommandLine.arguments[index + 1], atomically: true, encoding: .utf8)
}
let peakResident = residentKilobytes("VmHWM:")
let rounds = transport.rounds.load(ordering: .relaxed)
let mostOpen = transport.mostOpen.load(ordering: .relaxed)
let figures: [String: Any] = [
    "cameras": cameras.count, "seconds": (seconds * 1000).rounded() / 1000, "cameras_per_second": (Double(cameras.count) / seconds * 10).rounded() / 10,
    "cpu_seconds": (cpu * 1000).rounded() / 1000, "cpu_ms_per_stream_second": streamSeconds > 0 ? (cpu * 1000 / streamSeconds * 100).rounded() / 100 : 0,
    "receive_rounds": rounds, "rounds_per_stream_second": streamSeconds > 0 ? (Double(rounds) / streamSeconds * 10).rounded() / 10 : 0,
    "streams_open_most": mostOpen, "stream_seconds": (streamSeconds * 10).rounded() / 10,
    "bound_seconds": mostOpen > 0 ? (streamSeconds / Double(mostOpen) * 1000).rounded() / 1000 : 0,
    "resident_kb_baseline": baseline, "resident_kb_peak": peakResident,
    "kb_per_open_stream": mostOpen > 0 ? (peakResident - baseline) / mostOpen : 0,
    "fps_min": frameRates.min() ?? 0, "fps_max": frameRates.max() ?? 0, "reasons": reasons, "examples": examples, "pace_ms": settings.media.receivePaceMilliseconds,
]
let data = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
print(String(decoding: data, as: UTF8.self))
curl.shutdown()
exit(0)
