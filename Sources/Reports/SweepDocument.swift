import Foundation
import PictureQuality
import Probing
import Registry

/// The `xueliang.sweep/1` document: the sweep's own facts and every camera's status, reason and checks.
/// Written camera by camera so that a city-sized sweep never holds the whole text in memory.
public struct SweepDocument {
    /// Everything but the cameras.
    public struct Summary: Codable, Sendable {
        public struct Counts: Codable, Sendable {
            public var cameras: Int
            public var probed: Int
            public var online: Int
            public var degraded: Int
            public var offline: Int
            public var byReason: [String: Int]
            enum CodingKeys: String, CodingKey { case cameras, probed, online, degraded, offline, byReason = "by_reason" }
        }

        public var schema = "xueliang.sweep/1"
        public var startedAt: Date
        public var finishedAt: Date
        public var durationSeconds: Double
        /// False when the sweep was interrupted: `cameras` holds only those that finished.
        public var complete: Bool
        public var scope: String
        public var settings: SweepSettings
        public var counts: Counts
        /// Cameras in scope not probed at all (citizen cameras without consent in force); absent when none.
        public var withheld: [Withheld]?

        public struct Withheld: Codable, Sendable, Equatable {
            public var id: String
            public var reason: ReasonCode
            public var detail: String
        }

        enum CodingKeys: String, CodingKey {
            case schema, complete, scope, settings, counts, withheld
            case startedAt = "started_at", finishedAt = "finished_at", durationSeconds = "duration_s"
        }
    }

    /// One camera's entry.
    public struct Camera: Codable, Sendable {
        public var id: String
        public var name: String
        public var village: String
        public var villageName: String?
        public var township: String?
        public var station: String?
        public var maintainer: String?
        public var source: CameraSource?
        public var parent: String?
        public var status: HealthStatus
        public var reason: ReasonCode
        public var detail: String
        public var checks: [CheckResult]

        enum CodingKeys: String, CodingKey {
            case id, name, village, township, station, maintainer, source, parent, status, reason, detail, checks
            case villageName = "village_name"
        }

        public init(_ outcome: CameraOutcome, village: Village?) {
            let camera = outcome.camera
            id = camera.id
            name = camera.name
            self.village = camera.village.digits
            villageName = village?.name
            township = village?.township
            station = camera.station ?? village?.station
            maintainer = camera.maintainer
            source = camera.source
            parent = camera.parent
            status = outcome.status
            reason = outcome.reason
            detail = outcome.detail
            checks = outcome.checks
        }
    }

    public var summary: Summary
    /// The outcomes in id order; entries are made from them as the document is written, so a city-sized
    /// sweep is not held twice.
    private let outcomes: [CameraOutcome]
    private let villages: [VillageCode: Village]

    /// The entries of cameras that are not online (what a person reads first).
    public var troubledCameras: [Camera] {
        outcomes.filter { $0.status != .online }.map { Camera($0, village: villages[$0.camera.village]) }
    }

    public init(outcome: SweepOutcome, villages: [VillageCode: Village], scope: String, settings: SweepSettings, startedAt: Date, finishedAt: Date) {
        var byReason: [String: Int] = [:]
        for camera in outcome.outcomes { byReason[camera.reason.rawValue, default: 0] += 1 }
        let counts = Summary.Counts(cameras: outcome.total, probed: outcome.outcomes.count,
                                    online: outcome.outcomes.count { $0.status == .online },
                                    degraded: outcome.outcomes.count { $0.status == .degraded },
                                    offline: outcome.outcomes.count { $0.status == .offline }, byReason: byReason)
        summary = Summary(startedAt: startedAt, finishedAt: finishedAt,
                          durationSeconds: (finishedAt.timeIntervalSince(startedAt) * 1000).rounded() / 1000,
                          complete: outcome.complete, scope: scope, settings: settings, counts: counts,
                          withheld: outcome.withheld.isEmpty ? nil : outcome.withheld.sorted { $0.camera.id < $1.camera.id }.map {
                              Summary.Withheld(id: $0.camera.id, reason: $0.reason, detail: $0.detail)
                          })
        outcomes = outcome.outcomes.sorted { $0.camera.id < $1.camera.id }
        self.villages = villages
    }

    /// Writes the document through `write` in pieces of about 64 KB: `pretty` for people, compact for files
    /// of record. Keys are sorted and the cameras ordered by id, so equal sweeps give equal text. The camera
    /// entries, nearly all of the text, go through `JSONEmitter` (a few microseconds each); the summary is
    /// one Foundation encoding.
    public func write(pretty: Bool, to write: (String) -> Void) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Plain data throughout; encoding cannot fail.
        let head = String(decoding: try! encoder.encode(summary), as: UTF8.self)
        // "cameras" sorts before every other key, so it opens the object.
        write(pretty ? "{\n  \"cameras\" : [" : "{\"cameras\":[")
        var emitter = JSONEmitter(pretty: pretty, linePrefix: "    ")
        for (index, outcome) in outcomes.enumerated() {
            if index > 0 { emitter.bytes.append(UInt8(ascii: ",")) }
            if pretty { emitter.bytes.append(contentsOf: [10, 32, 32, 32, 32]) }
            Camera(outcome, village: villages[outcome.camera.village]).emit(into: &emitter)
            if emitter.bytes.count >= 1 << 16 {
                write(String(decoding: emitter.bytes, as: UTF8.self))
                emitter.bytes.removeAll(keepingCapacity: true)
            }
        }
        write(String(decoding: emitter.bytes, as: UTF8.self))
        write(pretty ? (outcomes.isEmpty ? "],\n" : "\n  ],\n") : "],")
        write(String(head.dropFirst(pretty ? 2 : 1)) + (pretty ? "\n" : ""))
    }

    /// The whole document as one string (for tests and small sweeps).
    public func text(pretty: Bool = true) -> String {
        var text = ""
        write(pretty: pretty) { text += $0 }
        return text
    }
}

extension SweepDocument.Camera {
    /// This entry as `JSONEncoder` would write it: keys in sorted order, absent optionals left out.
    func emit(into json: inout JSONEmitter) {
        json.openObject()
        json.key("checks")
        json.openArray()
        for check in checks {
            json.element()
            check.emit(into: &json)
        }
        json.closeArray()
        json.key("detail"); json.value(detail)
        json.key("id"); json.value(id)
        if let maintainer { json.key("maintainer"); json.value(maintainer) }
        json.key("name"); json.value(name)
        if let parent { json.key("parent"); json.value(parent) }
        json.key("reason"); json.value(reason.rawValue)
        if let source { json.key("source"); json.value(source.rawValue) }
        if let station { json.key("station"); json.value(station) }
        json.key("status"); json.value(status.rawValue)
        if let township { json.key("township"); json.value(township) }
        json.key("village"); json.value(village)
        if let villageName { json.key("village_name"); json.value(villageName) }
        json.closeObject()
    }
}

extension CheckResult {
    fileprivate func emit(into json: inout JSONEmitter) {
        json.openObject()
        json.key("attempts"); json.value(attempts)
        json.key("bytes"); json.value(bytes)
        json.key("detail"); json.value(detail)
        json.key("findings")
        json.openObject()
        if let offset = findings.clockOffsetSeconds { json.key("clock_offset_s"); json.value(offset) }
        if let codec = findings.codec { json.key("codec"); json.value(codec) }
        if let hash = findings.contentHash { json.key("content_hash"); json.value(hash) }
        if let height = findings.height { json.key("height"); json.value(height) }
        if let media = findings.media { json.key("media"); media.emit(into: &json) }
        if let picture = findings.picture { json.key("picture"); picture.emit(into: &json) }
        if let entries = findings.playlistEntries { json.key("playlist_entries"); json.value(entries) }
        if let tracks = findings.tracks {
            json.key("tracks")
            json.openArray()
            for track in tracks {
                json.element()
                json.value(track)
            }
            json.closeArray()
        }
        if let width = findings.width { json.key("width"); json.value(width) }
        json.closeObject()
        json.key("kind"); json.value(kind.rawValue)
        json.key("passed"); json.value(passed)
        json.key("phases")
        json.openObject()
        json.key("connect_us"); json.value(Int(phases.connectMicroseconds))
        json.key("dns_us"); json.value(Int(phases.dnsMicroseconds))
        json.key("first_byte_us"); json.value(Int(phases.firstByteMicroseconds))
        json.key("tls_us"); json.value(Int(phases.tlsMicroseconds))
        json.key("total_us"); json.value(Int(phases.totalMicroseconds))
        json.closeObject()
        json.key("reason"); json.value(reason.rawValue)
        if let statusCode { json.key("status_code"); json.value(statusCode) }
        json.closeObject()
    }
}

extension PictureReading {
    /// The picture check's measures, present only in picture checks.
    fileprivate func emit(into json: inout JSONEmitter) {
        json.openObject()
        json.key("blocks_high"); json.value(blocksHigh)
        json.key("blocks_wide"); json.value(blocksWide)
        json.key("dominant_colour_share"); json.value(dominantColourShare)
        json.key("findings")
        json.openArray()
        for finding in findings {
            json.element()
            json.value(finding)
        }
        json.closeArray()
        json.key("luma_deviation"); json.value(lumaDeviation)
        json.key("mean_luma"); json.value(meanLuma)
        if let thumbnail {
            json.key("thumbnail")
            json.openObject()
            json.key("height"); json.value(thumbnail.height)
            json.key("rgb"); json.value(Base64.encoded(thumbnail.rgb))
            json.key("width"); json.value(thumbnail.width)
            json.closeObject()
        }
        json.closeObject()
    }
}

extension MediaReading {
    /// The media check's figures, present only in media checks (sweeps without one keep their format).
    fileprivate func emit(into json: inout JSONEmitter) {
        json.openObject()
        if let bits = bitsPerSecond { json.key("bitrate_bps"); json.value(bits) }
        json.key("bytes"); json.value(bytes)
        if let first = firstPacketMilliseconds { json.key("first_packet_ms"); json.value(first) }
        if let fps = framesPerSecond { json.key("fps"); json.value(fps) }
        json.key("frames"); json.value(frames)
        if let height { json.key("height"); json.value(height) }
        json.key("keyframe"); json.value(keyframe)
        if let last = lastPacketMilliseconds { json.key("last_packet_ms"); json.value(last) }
        json.key("packets"); json.value(packets)
        json.key("packets_ignored"); json.value(packetsIgnored)
        json.key("packets_lost"); json.value(packetsLost)
        json.key("parameter_sets"); json.value(parameterSets)
        if let width { json.key("width"); json.value(width) }
        json.key("window_ms"); json.value(windowMilliseconds)
        json.closeObject()
    }
}
