import Foundation
import Probing
import Registry

/// xueliang's own cost per camera, without a network: the sweep runner, the snapshot prober and the
/// results over `cameras` cameras, against a transport that answers every request at once with the same
/// JPEG reply. The reference is the content work alone (walking the JPEG and hashing it) on the same bytes.
/// What the runner adds on top is the per-camera machinery (task, continuation, values) measured apart
/// from libcurl and the kernel.
struct RunnerBenchmark {
    var cameras = 200_000

    /// Answers at once, without suspending: only the Swift side of a sweep is left to measure.
    struct InstantTransport: Transport {
        let reply: TransferResult
        func perform(_ request: TransferRequest) async throws -> TransferResult { reply }
    }

    static func jpeg(bytes: Int) -> [UInt8] {
        func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
            [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        }
        let head: [UInt8] = [0xFF, 0xD8] + segment(0xDB, [0x00] + [UInt8](repeating: 1, count: 64))
            + segment(0xC0, [0x08, 0x00, 0xF0, 0x01, 0x40, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x00, 0x03, 0x11, 0x00])
            + segment(0xDA, [0x03, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x00, 0x3F, 0x00])
        let scan = (0..<max(0, bytes - head.count - 2)).map { UInt8(truncatingIfNeeded: $0 % 251) }
        return head + scan + [0xFF, 0xD9]
    }

    func run() async throws {
        let body = Self.jpeg(bytes: 3_544)  // the simulator's snapshot size
        // Today's date, so the camera's clock is right and the verdict is online.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let reply = TransferResult(statusCode: 200, headers: [("Date", formatter.string(from: Date())), ("Content-Type", "image/jpeg")],
                                   body: body)
        let village = try VillageCode.parse("450102101201").get()
        let records = (0..<cameras).map { index -> CameraRecord in
            var camera = CameraRecord(id: String(format: "45010201001321%06d", index), name: "点位\(index)", village: village,
                                      source: .public, status: .active)
            camera.endpoints.snapshot = "http://127.\(1 + index / 65_000).\(index / 254 % 254).\(1 + index % 254):18080/snapshot.jpg"
            return camera
        }
        var settings = SweepSettings()
        settings.checks = [.snapshot]
        settings.concurrency = 1_000
        settings.perHost = 4
        let runner = SweepRunner(transport: InstantTransport(reply: reply), probers: ProberTable.all)
        let plan = SweepPlan(cameras: records, credentials: CredentialStore(), settings: settings, today: CalendarDate(year: 2026, month: 1, day: 1)!)
        var outcome: SweepOutcome?
        let start = DispatchTime.now().uptimeNanoseconds
        outcome = await runner.run(plan)
        let sweepSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var checksum: UInt64 = 0
        let contentSeconds = seconds {
            for _ in 0..<cameras {
                if case .picture(let width, _) = JPEGInspector.inspect(body) { checksum &+= UInt64(width) }
                checksum &+= ContentHash.fnv1a64(body)
            }
        }
        let online = outcome?.outcomes.count { $0.status == .online } ?? 0
        print("""
            sweep runner without a network: \(cameras) cameras, snapshot check, 1,000 in flight, instant replies
            | step                                          | seconds | per camera (µs) | cameras/s |
            |-----------------------------------------------|---------|-----------------|-----------|
            | reference: JPEG walk + hash of the same bytes | \(format(contentSeconds))   | \(String(format: "%.1f", contentSeconds / Double(cameras) * 1e6)) | \(Int(Double(cameras) / contentSeconds)) |
            | sweep runner + prober + results               | \(format(sweepSeconds))   | \(String(format: "%.1f", sweepSeconds / Double(cameras) * 1e6)) | \(Int(Double(cameras) / sweepSeconds)) |
            online: \(online) of \(cameras) (checksum \(checksum % 10))
            """)
    }
}
