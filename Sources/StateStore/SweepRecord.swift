import Foundation
import PictureQuality
import Probing
import Registry

/// What the state directory keeps of one sweep: each camera's status, reason, clock offset, first
/// transfer time and (when not online) what failed. A few dozen bytes a camera, against the kilobyte of the
/// public `xueliang.sweep/1` document, which `sweep --json` and `--output` still write in full.
///
/// A value type; safe to share between threads.
public struct SweepRecord: Sendable, Equatable {
    public struct Camera: Sendable, Equatable {
        public var id: String
        public var status: HealthStatus
        public var reason: ReasonCode
        /// Camera clock minus ours, seconds, from the first check that read one.
        public var clockOffsetSeconds: Double?
        /// Total transfer time of the camera's first check, microseconds.
        public var firstCheckMicroseconds: Int64?
        /// What failed; empty for online cameras.
        public var detail: String
        /// What the picture check found of the camera's picture: nil when no picture was checked (no picture
        /// check, or none fetched and decoded), empty for a normal picture, else its findings (picture reasons,
        /// and `frozen` when a monitor found it so).
        public var picture: [ReasonCode]?

        public init(id: String, status: HealthStatus, reason: ReasonCode, clockOffsetSeconds: Double? = nil,
                    firstCheckMicroseconds: Int64? = nil, detail: String = "", picture: [ReasonCode]? = nil) {
            self.id = id
            self.status = status
            self.reason = reason
            self.clockOffsetSeconds = clockOffsetSeconds
            self.firstCheckMicroseconds = firstCheckMicroseconds
            self.detail = detail
            self.picture = picture
        }
    }

    public var startedAt: Date
    public var finishedAt: Date
    /// False when the sweep was interrupted: `cameras` holds only those that finished.
    public var complete: Bool
    /// Cameras in the sweep's scope, probed or not.
    public var total: Int
    public var scope: String
    /// Ordered by id.
    public var cameras: [Camera]
    /// The pictures of the cameras with a picture finding (or frozen, in a monitor's sweep), small enough for
    /// a report page; kept beside `latest.tsv` in `thumbnails.tsv`.
    public var thumbnails: [String: PictureThumbnail] = [:]

    public init(startedAt: Date, finishedAt: Date, complete: Bool, total: Int, scope: String, cameras: [Camera]) {
        self.init(startedAt: startedAt, finishedAt: finishedAt, complete: complete, total: total, scope: scope,
                  sortedCameras: cameras.sorted { $0.id < $1.id })
    }

    /// For cameras already in id order (a parsed file): sorting 200,000 ids again cost a tenth of a second.
    init(startedAt: Date, finishedAt: Date, complete: Bool, total: Int, scope: String, sortedCameras: [Camera]) {
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.complete = complete
        self.total = total
        self.scope = scope
        cameras = sortedCameras
    }

    /// The record of a sweep's outcome.
    public init(outcome: SweepOutcome, scope: String, startedAt: Date, finishedAt: Date) {
        var cameras = outcome.outcomes.map { outcome in
            Camera(id: outcome.camera.id, status: outcome.status, reason: outcome.reason,
                   clockOffsetSeconds: outcome.checks.lazy.compactMap(\.findings.clockOffsetSeconds).first,
                   firstCheckMicroseconds: outcome.checks.first.map(\.phases.totalMicroseconds),
                   detail: outcome.status == .online ? "" : outcome.detail, picture: outcome.pictureFindings)
        }
        // Sorted in place: a sorted copy of a city's 200,000 entries was 14 MB more at the sweep's peak.
        cameras.sort { $0.id < $1.id }
        self.init(startedAt: startedAt, finishedAt: finishedAt, complete: outcome.complete, total: outcome.total, scope: scope,
                  sortedCameras: cameras)
        for camera in outcome.outcomes {
            if let thumbnail = camera.checks.lazy.compactMap(\.findings.picture?.thumbnail).first { thumbnails[camera.camera.id] = thumbnail }
        }
    }

    /// Online, degraded and offline cameras among those probed. Recorders are not cameras: probed (their
    /// channels depend on them) but not counted, as in every figure.
    public var counts: SweepCounts {
        var counts = SweepCounts(cameras: total)
        for camera in cameras {
            if DeviceCode.isRecorder(id: camera.id) {
                counts.cameras -= 1
                continue
            }
            switch camera.status {
            case .online: counts.online += 1
            case .degraded: counts.degraded += 1
            case .offline: counts.offline += 1
            }
        }
        return counts
    }
}

/// A sweep's headline numbers.
public struct SweepCounts: Sendable, Equatable {
    /// In scope, probed or not.
    public var cameras: Int
    public var online = 0
    public var degraded = 0
    public var offline = 0

    public init(cameras: Int, online: Int = 0, degraded: Int = 0, offline: Int = 0) {
        self.cameras = cameras
        self.online = online
        self.degraded = degraded
        self.offline = offline
    }

    public var probed: Int { online + degraded + offline }
    /// Online or degraded: the video works.
    public var working: Int { online + degraded }
}

// MARK: - The file format

/// `xueliang.sweep-record/2`: tab-separated text, one line a camera. Specified in docs/state.md. A `/1` file
/// (the same without the picture column) is still read.
enum SweepRecordFormat {
    static let formatLine = "xueliang.sweep-record/2"
    static let firstFormatLine = "xueliang.sweep-record/1"

    static func render(_ record: SweepRecord) -> [UInt8] {
        var whole: [UInt8] = []
        render(record) { whole += $0 }
        return whole
    }

    /// Renders `record` in pieces of about 64 KB: a city's record is 14 MB, which a save need not hold whole.
    static func render<Failure: Error>(_ record: SweepRecord, to write: ([UInt8]) throws(Failure) -> Void) throws(Failure) {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16 + 1024)
        out += Array((formatLine + "\n").utf8)
        out += Array(("started_at=\(Timestamp.text(record.startedAt))\tfinished_at=\(Timestamp.text(record.finishedAt))"
            + "\tcomplete=\(record.complete ? 1 : 0)\ttotal=\(record.total)\tscope=\(TSVField.escaped(record.scope))\n").utf8)
        for camera in record.cameras {
            out += camera.id.utf8
            out.append(9)
            out += camera.status.rawValue.utf8
            out.append(9)
            out += camera.reason.rawValue.utf8
            out.append(9)
            if let offset = camera.clockOffsetSeconds { out += String(offset).utf8 }
            out.append(9)
            if let microseconds = camera.firstCheckMicroseconds { out += String(microseconds).utf8 }
            out.append(9)
            out += TSVField.escaped(camera.detail).utf8
            out.append(9)
            if let picture = camera.picture { out += (picture.isEmpty ? "ok" : picture.map(\.rawValue).joined(separator: ",")).utf8 }
            out.append(10)
            if out.count >= 1 << 16 {
                try write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        try write(out)
    }

    static func parse(_ bytes: [UInt8], path: String) throws(StateError) -> SweepRecord {
        var lines = TSVLines(bytes)
        guard let first = lines.next(), first.text == formatLine || first.text == firstFormatLine else {
            throw .damaged(path: path, line: 1, reason: "not a \(formatLine) file")
        }
        let columns = first.text == formatLine ? 7 : 6
        guard let header = lines.next() else { throw .damaged(path: path, line: 2, reason: "the header line is missing") }
        var values: [String: String] = [:]
        for field in header.fields {
            guard let equals = field.firstIndex(of: "=") else { continue }
            values[String(field[..<equals])] = String(field[field.index(after: equals)...])
        }
        guard let startedAt = values["started_at"].flatMap(Timestamp.date), let finishedAt = values["finished_at"].flatMap(Timestamp.date),
              let complete = values["complete"], complete == "0" || complete == "1",
              let total = values["total"].flatMap({ Int($0) }), total >= 0 else {
            throw .damaged(path: path, line: header.number, reason: "the header lacks started_at, finished_at, complete or total")
        }
        var cameras: [SweepRecord.Camera] = []
        var previousID: Substring?
        var fields: [Substring] = []
        cameras.reserveCapacity(bytes.count / 48)
        while let line = lines.next() {
            line.split(into: &fields)
            guard fields.count == columns, !fields[0].isEmpty, let status = Vocabulary.statuses[fields[1]],
                  let reason = Vocabulary.reasons[fields[2]] else {
                throw .damaged(path: path, line: line.number, reason: columns == 7 ? "expected id, status, reason, clock offset, time, detail and picture"
                                   : "expected id, status, reason, clock offset, time and detail")
            }
            var picture: [ReasonCode]?
            if columns == 7, !fields[6].isEmpty {
                if fields[6] == "ok" {
                    picture = []
                } else {
                    picture = []
                    for name in fields[6].split(separator: ",", omittingEmptySubsequences: false) {
                        guard let finding = Vocabulary.reasons[name], finding.isPictureFinding || finding == .frozen else {
                            throw .damaged(path: path, line: line.number, reason: "'\(name)' is not a picture finding")
                        }
                        picture?.append(finding)
                    }
                }
            }
            // Written in id order, each once.
            if let previousID, !(previousID < fields[0]) {
                throw .damaged(path: path, line: line.number, reason: "camera \(fields[0]) is out of order or repeated")
            }
            previousID = fields[0]
            let offset: Double? = fields[3].isEmpty ? nil : Double(fields[3])
            let microseconds: Int64? = fields[4].isEmpty ? nil : Int64(fields[4])
            guard (fields[3].isEmpty || offset?.isFinite == true), (fields[4].isEmpty || microseconds != nil) else {
                throw .damaged(path: path, line: line.number, reason: "the clock offset or the time is not a number")
            }
            cameras.append(SweepRecord.Camera(id: String(fields[0]), status: status, reason: reason, clockOffsetSeconds: offset,
                                              firstCheckMicroseconds: microseconds, detail: TSVField.unescaped(fields[5]), picture: picture))
        }
        return SweepRecord(startedAt: startedAt, finishedAt: finishedAt, complete: complete == "1", total: total,
                           scope: TSVField.unescaped(Substring(values["scope"] ?? "")), sortedCameras: cameras)
    }
}

/// Statuses and reason codes by their written names, looked up without making a String of each field.
enum Vocabulary {
    static let statuses: [Substring: HealthStatus] = Dictionary(uniqueKeysWithValues: HealthStatus.allCases.map { (Substring($0.rawValue), $0) })
    static let reasons: [Substring: ReasonCode] = Dictionary(uniqueKeysWithValues: ReasonCode.allCases.map { (Substring($0.rawValue), $0) })
}

/// ISO 8601 in UTC to the second, as every document, state file and log line of the tool writes times.
public enum Timestamp {
    public static func text(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let year = String(parts.tm_year + 1900)
        return "\(String(repeating: "0", count: max(0, 4 - year.count)))\(year)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    public static func date(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[4] == 45, bytes[7] == 45, bytes[10] == 84, bytes[13] == 58, bytes[16] == 58, bytes[19] == 90 else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for index in range {
                guard bytes[index] >= 48 && bytes[index] <= 57 else { return nil }
                value = value * 10 + Int32(bytes[index] - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), (1...12).contains(month), (1...31).contains(day),
              hour < 24, minute < 60, second < 61 else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }
}

/// Tab-separated fields that may hold any text: tab, newline, carriage return and backslash are escaped.
/// The one codec of the tab-separated files in the state directory (sweep records, monitor state files).
public enum TSVField {
    public static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 9 || $0 == 10 || $0 == 13 || $0 == 92 }) else { return text }
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    public static func unescaped(_ field: some StringProtocol) -> String {
        guard field.utf8.contains(92) else { return String(field) }
        var out = ""
        var escaping = false
        for character in field.unicodeScalars {
            if escaping {
                switch character {
                case "t": out += "\t"
                case "n": out += "\n"
                case "r": out += "\r"
                default: out.unicodeScalars.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.unicodeScalars.append(character)
            }
        }
        return out
    }
}

/// The lines of a text file, numbered, split into tab-separated fields on demand.
struct TSVLines: IteratorProtocol {
    struct Line {
        let number: Int
        let text: Substring
        var fields: [Substring] {
            var fields: [Substring] = []
            split(into: &fields)
            return fields
        }

        /// The tab-separated fields into `fields`, whose storage is reused from line to line.
        func split(into fields: inout [Substring]) {
            fields.removeAll(keepingCapacity: true)
            var start = text.startIndex
            for index in text.utf8.indices where text.utf8[index] == 9 {
                fields.append(text[start..<index])
                start = text.utf8.index(after: index)
            }
            fields.append(text[start...])
        }
    }

    private let text: String
    private var position: String.Index
    private var number = 0

    init(_ bytes: [UInt8]) {
        text = String(decoding: bytes, as: UTF8.self)
        position = text.startIndex
    }

    mutating func next() -> Line? {
        guard position < text.endIndex else { return nil }
        // Bytes, not Characters: at city scale a Character scan dominated the read.
        let end = text.utf8[position...].firstIndex(of: 10) ?? text.endIndex
        let line = text[position..<end]
        number += 1
        position = end < text.endIndex ? text.index(after: end) : end
        return Line(number: number, text: line)
    }
}

// MARK: - Thumbnails

/// `xueliang.sweep-thumbnails/1` (`thumbnails.tsv`): the thumbnails of a kept sweep, beside its `latest.tsv`.
/// Specified in docs/state.md.
enum SweepThumbnailsFormat {
    static let formatLine = "xueliang.sweep-thumbnails/1"

    static func render(_ record: SweepRecord) -> [UInt8] {
        var out = Array("\(formatLine)\nfinished_at=\(Timestamp.text(record.finishedAt))\n".utf8)
        for (id, thumbnail) in record.thumbnails.sorted(by: { $0.key < $1.key }) {
            out += Array("\(TSVField.escaped(id))\t\(thumbnail.width)\t\(thumbnail.height)\t\(Base64.encoded(thumbnail.rgb))\n".utf8)
        }
        return out
    }

    /// The thumbnails, when the file belongs to the sweep that finished at `finishedAt`; none when it is of
    /// another sweep (a crash between the two files).
    static func parse(_ bytes: [UInt8], path: String, finishedAt: Date) throws(StateError) -> [String: PictureThumbnail] {
        var lines = TSVLines(bytes)
        guard let first = lines.next(), first.text == formatLine else { throw .damaged(path: path, line: 1, reason: "not a \(formatLine) file") }
        guard let header = lines.next(), header.text.hasPrefix("finished_at="),
              let finished = Timestamp.date(String(header.text.dropFirst("finished_at=".count))) else {
            throw .damaged(path: path, line: 2, reason: "the header lacks finished_at")
        }
        guard Timestamp.text(finished) == Timestamp.text(finishedAt) else { return [:] }
        var thumbnails: [String: PictureThumbnail] = [:]
        while let line = lines.next() {
            let fields = line.fields
            guard fields.count == 4, let width = Int(fields[1]), let height = Int(fields[2]), let rgb = Base64.decoded(String(fields[3])),
                  let thumbnail = PictureThumbnail(width: width, height: height, rgb: rgb) else {
                throw .damaged(path: path, line: line.number, reason: "expected id, width, height and the base64 of at most 48x27 RGB pixels")
            }
            thumbnails[TSVField.unescaped(fields[0])] = thumbnail
        }
        return thumbnails
    }
}
