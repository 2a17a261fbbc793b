import Coverage
import Foundation
import PictureQuality
import Probing
import Registry
import StateStore

/// The camera readings of a saved `xueliang.sweep/1` document, for the figures.
public struct SweepReadings: Sendable {
    public var readings: [String: CameraReading]
    public var finishedAt: Date
    public var complete: Bool
    /// What failed, for cameras that are not online (id → detail).
    public var details: [String: String]
    /// Total transfer time of each camera's first check, seconds (for latency series).
    public var latencies: [String: Double]
    /// The pictures of cameras with a picture finding or a frozen picture, small (`PictureThumbnail`): for a
    /// report page to show (`thumbnail.dataURI` in an `<img>`). Read only when asked for.
    public var thumbnails: [String: PictureThumbnail] = [:]

    public init(readings: [String: CameraReading], finishedAt: Date, complete: Bool, details: [String: String] = [:],
                latencies: [String: Double] = [:]) {
        self.readings = readings
        self.finishedAt = finishedAt
        self.complete = complete
        self.details = details
        self.latencies = latencies
    }

    /// The readings of a kept sweep; the per-camera latencies only when asked for (a dictionary of every camera).
    public init(_ record: SweepRecord, latencies wantsLatencies: Bool = false) {
        var readings: [String: CameraReading] = [:]
        var details: [String: String] = [:]
        var latencies: [String: Double] = [:]
        readings.reserveCapacity(record.cameras.count)
        for camera in record.cameras {
            readings[camera.id] = CameraReading(status: camera.status, reason: camera.reason, clockOffsetSeconds: camera.clockOffsetSeconds,
                                                pictureFindings: camera.picture)
            if camera.status != .online { details[camera.id] = camera.detail }
            if wantsLatencies, let microseconds = camera.firstCheckMicroseconds { latencies[camera.id] = Double(microseconds) / 1e6 }
        }
        self.init(readings: readings, finishedAt: record.finishedAt, complete: record.complete, details: details, latencies: latencies)
    }

    private struct Document: Decodable {
        struct Camera: Decodable {
            struct Check: Decodable {
                struct Findings: Decodable {
                    struct Picture: Decodable {
                        var findings: [String]
                        var thumbnail: PictureThumbnail?
                    }
                    var clockOffsetSeconds: Double?
                    var picture: Picture?
                    enum CodingKeys: String, CodingKey { case clockOffsetSeconds = "clock_offset_s", picture }
                }
                var kind: String?
                var findings: Findings
                var phases: TransferPhases?
            }
            var id: String
            var status: HealthStatus
            var reason: ReasonCode
            var detail: String?
            var checks: [Check]
        }
        var schema: String
        var cameras: [Camera]
        var complete: Bool
        var finishedAt: Date
        enum CodingKeys: String, CodingKey { case schema, cameras, complete, finishedAt = "finished_at" }
    }

    /// Reads a `xueliang.sweep/1` document (`sweep --output FILE`, or a `latest.json` an earlier version kept).
    public static func load(path: String) throws -> SweepReadings {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InventoryError.io(path: path, operation: "read", errno: ENOENT)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let document: Document
        do {
            document = try decoder.decode(Document.self, from: data)
        } catch {
            throw InventoryError.unreadableInput(path: path, reason: "not a xueliang.sweep/1 document")
        }
        guard document.schema == "xueliang.sweep/1" else {
            throw InventoryError.unreadableInput(path: path, reason: "schema \(document.schema) is not xueliang.sweep/1")
        }
        var readings: [String: CameraReading] = [:]
        var details: [String: String] = [:]
        var latencies: [String: Double] = [:]
        var thumbnails: [String: PictureThumbnail] = [:]
        readings.reserveCapacity(document.cameras.count)
        for camera in document.cameras {
            let offset = camera.checks.lazy.compactMap(\.findings.clockOffsetSeconds).first
            var picture = camera.checks.first { $0.kind == CheckKind.picture.rawValue }?.findings.picture.map {
                $0.findings.compactMap(ReasonCode.init(rawValue:))
            }
            if camera.reason == .frozen { picture?.append(.frozen) }
            if let thumbnail = camera.checks.lazy.compactMap(\.findings.picture?.thumbnail).first { thumbnails[camera.id] = thumbnail }
            readings[camera.id] = CameraReading(status: camera.status, reason: camera.reason, clockOffsetSeconds: offset, pictureFindings: picture)
            if camera.status != .online, let detail = camera.detail { details[camera.id] = detail }
            if let phases = camera.checks.first?.phases { latencies[camera.id] = Double(phases.totalMicroseconds) / 1e6 }
        }
        var result = SweepReadings(readings: readings, finishedAt: document.finishedAt, complete: document.complete, details: details,
                                   latencies: latencies)
        result.thumbnails = thumbnails
        return result
    }
}
