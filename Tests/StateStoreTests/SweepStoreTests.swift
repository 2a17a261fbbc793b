import Foundation
import PictureQuality
import Probing
import Testing
import TestSupport
@testable import StateStore

/// The sweeps kept in the state directory: the record round trip, the history's deltas, retention and
/// compaction, the trend computed by hand, and what a crash or a damaged file leaves.
@Suite struct SweepStoreTests {
    static let start = Date(timeIntervalSince1970: 1_795_500_000)

    static func record(_ minute: Int, _ statuses: [(String, HealthStatus)], complete: Bool = true) -> SweepRecord {
        let finished = start.addingTimeInterval(Double(minute) * 60)
        return SweepRecord(startedAt: finished.addingTimeInterval(-5), finishedAt: finished, complete: complete, total: statuses.count,
                           scope: "all", cameras: statuses.map { id, status in
                               SweepRecord.Camera(id: id, status: status, reason: status == .offline ? .timeout : .ok,
                                                  clockOffsetSeconds: status == .degraded ? -90.5 : nil, firstCheckMicroseconds: 1_234,
                                                  detail: status == .online ? "" : "snapshot: GET: timed out\tafter 3 s\n\\x")
                           })
    }

    @Test func theLatestRecordRoundTrips() throws {
        let directory = TemporaryDirectory()
        let store = SweepStore(stateDirectory: directory.path)
        #expect(try store.latest() == nil)
        var record = Self.record(0, [("45012801001320000002", .offline), ("45012801001320000001", .degraded), ("B", .online)])
        record.scope = "village 450128101201, source\tcitizen"
        try store.save(record)
        #expect(try store.latest() == record)
        #expect(FileManager.default.fileExists(atPath: directory.file("sweeps/latest.tsv")))
        #expect(try store.latest()?.cameras.map(\.id) == ["45012801001320000001", "45012801001320000002", "B"])
    }

    /// Availability and offline-since over three sweeps ten minutes apart, by hand: camera A online,
    /// offline, online; B online, degraded, offline. First interval both work (1,200 of 1,200 camera-seconds),
    /// second only B (600 of 1,200): 1,800 / 2,400 = 75%. B is offline since the third sweep.
    @Test func theTrendByHand() throws {
        let store = SweepStore(stateDirectory: TemporaryDirectory().path)
        try store.save(Self.record(0, [("A", .online), ("B", .online)]))
        try store.save(Self.record(10, [("A", .offline), ("B", .degraded)]))
        try store.save(Self.record(20, [("A", .online), ("B", .offline)]))
        let trend = try store.trend()
        #expect(trend.points.map(\.working) == [2, 1, 1])
        #expect(trend.availability == 0.75)
        #expect(trend.offlineSince == ["B": Self.start.addingTimeInterval(1_200)])
        #expect(try SweepStore(stateDirectory: TemporaryDirectory().path).trend().availability == nil)
    }

    @Test func aSweepWhereNothingChangedAddsOnlyItsHeader() throws {
        let directory = TemporaryDirectory()
        let store = SweepStore(stateDirectory: directory.path)
        let cameras = (0..<1_000).map { ("450128010013" + String(20_000_000 + $0), HealthStatus.online) }
        try store.save(Self.record(0, cameras))
        let first = try Data(contentsOf: URL(fileURLWithPath: store.historyPath)).count
        try store.save(Self.record(15, cameras))
        var changed = cameras
        changed[7].1 = .offline
        try store.save(Self.record(30, changed))
        let history = try String(contentsOfFile: store.historyPath, encoding: .utf8)
        let blocks = history.components(separatedBy: "sweep\t").dropFirst().map { $0.split(separator: "\n").count }
        // Header, cameras, end; then header and end; then header, the one change, end.
        #expect(blocks == [1_002, 2, 3])
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.historyPath)).count < first + 200)
        #expect(try store.trend().offlineSince == [cameras[7].0: Self.start.addingTimeInterval(1_800)])
    }

    @Test func theNewestThirtyAreKeptAndOlderOnesFoldedIntoTheFirst() throws {
        let store = SweepStore(stateDirectory: TemporaryDirectory().path)
        // A is offline from sweep 10 on; B goes offline at sweep 50; C leaves the sweep at sweep 40.
        for index in 0..<65 {
            var cameras: [(String, HealthStatus)] = [("A", index >= 10 ? .offline : .online), ("B", index >= 50 ? .offline : .online)]
            if index < 40 { cameras.append(("C", .online)) }
            try store.save(Self.record(index * 15, cameras))
        }
        let trend = try store.trend()
        #expect(trend.points.count == 30)
        #expect(trend.points.first?.finishedAt == Self.start.addingTimeInterval(35 * 15 * 60))
        // A's run began before the kept sweeps: dated from the first of them.
        #expect(trend.offlineSince == ["A": Self.start.addingTimeInterval(35 * 15 * 60), "B": Self.start.addingTimeInterval(50 * 15 * 60)])
        let log = try SweepHistoryFormat.parse(Array(try Data(contentsOf: URL(fileURLWithPath: store.historyPath))), path: "h")
        #expect(log.sweeps.count <= 60 && log.sweeps.count >= 30)
        #expect(log.currentStatuses.keys.sorted() == ["A", "B"])
    }

    @Test func sweepsOlderThanTheAgeLimitAreDropped() throws {
        let store = SweepStore(stateDirectory: TemporaryDirectory().path)
        let retention = SweepRetention(count: 30, maximumAge: 3_600)
        for minute in [0, 30, 70, 100, 130] { try store.save(Self.record(minute, [("A", .online)]), retention: retention) }
        #expect(try store.trend(retention: retention).points.map(\.finishedAt) == [70, 100, 130].map { Self.start.addingTimeInterval(Double($0) * 60) })
    }

    @Test func aTornLastBlockIsIgnoredAndRepairedAtTheNextSave() throws {
        let store = SweepStore(stateDirectory: TemporaryDirectory().path)
        try store.save(Self.record(0, [("A", .online)]))
        let handle = try #require(FileHandle(forWritingAtPath: store.historyPath))
        handle.seekToEndOfFile()
        handle.write(Data("sweep\t2026-11-24T08:00:00Z\t2026-11-24T08:00:05Z\t1\t1\t0\t0\t1\nA\toffline\tti".utf8))
        try handle.close()
        #expect(try store.trend().points.count == 1, "the cut-off sweep never happened")
        try store.save(Self.record(15, [("A", .offline)]))
        let trend = try store.trend()
        #expect(trend.points.count == 2)
        #expect(trend.offlineSince == ["A": Self.start.addingTimeInterval(900)])
        #expect(!(try String(contentsOfFile: store.historyPath, encoding: .utf8)).contains("2026-11-24T08:00:05Z"))
    }

    @Test func aDamagedHistoryIsReportedByReadersAndSetAsideBySaves() throws {
        let store = SweepStore(stateDirectory: TemporaryDirectory().path)
        try store.save(Self.record(0, [("A", .online)]))
        try "xueliang.sweep-history/1\nsweep\tnot a time\n".write(toFile: store.historyPath, atomically: true, encoding: .utf8)
        #expect(throws: StateError.self) { try store.trend() }
        do {
            _ = try store.trend()
        } catch {
            #expect(error.description == "\(store.historyPath):2: a sweep line needs two times, complete 0/1 and four counts")
        }
        let note = try store.save(Self.record(15, [("A", .offline)]))
        #expect(note?.contains("set aside as \(store.historyPath).damaged") == true)
        #expect(try store.trend().points.count == 1)
        #expect(FileManager.default.fileExists(atPath: store.historyPath + ".damaged"))
    }

    @Test func aDamagedLatestRecordNamesItsLine() throws {
        let store = SweepStore(stateDirectory: TemporaryDirectory().path)
        try store.save(Self.record(0, [("A", .online)]))
        var text = try String(contentsOfFile: store.latestPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "\tonline\t", with: "\tsideways\t")
        try text.write(toFile: store.latestPath, atomically: true, encoding: .utf8)
        #expect {
            try store.latest()
        } throws: { error in
            (error as? StateError)?.description == "\(store.latestPath):3: expected id, status, reason, clock offset, time, detail and picture"
        }
    }

    @Test func thumbnailsAreKeptBesideTheLatestRecordAndOnlyForIt() throws {
        let store = SweepStore(stateDirectory: TemporaryDirectory().path)
        var record = Self.record(0, [("A", .online), ("B", .degraded)])
        let thumbnail = try #require(PictureThumbnail(width: 2, height: 1, rgb: [0, 10, 20, 250, 240, 230]))
        record.thumbnails = ["B": thumbnail]
        try store.save(record)
        #expect(try String(contentsOfFile: store.thumbnailsPath, encoding: .utf8)
            == "xueliang.sweep-thumbnails/1\nfinished_at=\(Timestamp.text(record.finishedAt))\nB\t2\t1\tAAoU+vDm\n")
        #expect(try store.thumbnails() == ["B": thumbnail])

        // The file of another sweep (a crash between the two files) shows nothing.
        let text = try String(contentsOfFile: store.thumbnailsPath, encoding: .utf8)
        try store.save(Self.record(15, [("A", .online), ("B", .online)]))
        #expect(!FileManager.default.fileExists(atPath: store.thumbnailsPath), "a sweep without thumbnails leaves none")
        try text.write(toFile: store.thumbnailsPath, atomically: true, encoding: .utf8)
        #expect(try store.thumbnails().isEmpty)
        // A damaged line names itself.
        let latest = try #require(try store.latest())
        try "xueliang.sweep-thumbnails/1\nfinished_at=\(Timestamp.text(latest.finishedAt))\nB\t2\t1\tAAoU\n"
            .write(toFile: store.thumbnailsPath, atomically: true, encoding: .utf8)
        #expect { try store.thumbnails() } throws: { error in
            (error as? StateError)?.description == "\(store.thumbnailsPath):3: expected id, width, height and the base64 of at most 48x27 RGB pixels"
        }
    }

    @Test func theLatestRecordKeepsWhatThePictureCheckFoundAndReadsTheFirstFormat() throws {
        let store = SweepStore(stateDirectory: TemporaryDirectory().path)
        var record = Self.record(0, [("A", .online), ("B", .degraded), ("C", .degraded), ("D", .offline)])
        record.cameras[0].picture = []
        record.cameras[1].picture = [.tooDark, .blur]
        record.cameras[2].picture = [.frozen]
        try store.save(record)
        let text = try String(contentsOfFile: store.latestPath, encoding: .utf8)
        #expect(text.hasPrefix("xueliang.sweep-record/2\n"))
        #expect(text.contains("\tok\n") && text.contains("\ttoo-dark,blur\n") && text.contains("\tfrozen\n"))
        #expect(try store.latest()?.cameras.map(\.picture) == [[], [.tooDark, .blur], [.frozen], nil])

        // A picture column naming something that is not a picture finding is damage.
        try text.replacingOccurrences(of: "\ttoo-dark,blur\n", with: "\ttoo-dark,timeout\n").write(toFile: store.latestPath, atomically: true, encoding: .utf8)
        #expect { try store.latest() } throws: { error in
            (error as? StateError)?.description == "\(store.latestPath):4: 'timeout' is not a picture finding"
        }
        // What an earlier version kept: six columns, no pictures.
        let first = text.replacingOccurrences(of: "xueliang.sweep-record/2", with: "xueliang.sweep-record/1")
            .split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.hasPrefix("A\t") || line.hasPrefix("B\t") || line.hasPrefix("C\t") || line.hasPrefix("D\t")
                    ? String(line[..<line.lastIndex(of: "\t")!]) : String(line)
            }.joined(separator: "\n")
        try first.write(toFile: store.latestPath, atomically: true, encoding: .utf8)
        let read = try #require(try store.latest())
        #expect(read.cameras.map(\.id) == ["A", "B", "C", "D"] && read.cameras.allSatisfy { $0.picture == nil })
    }

    @Test func aMonitorsSweepsAreKeptApartFromThePlainSweeps() throws {
        let directory = TemporaryDirectory()
        try SweepStore(monitorDirectory: directory.file("monitors/m")).save(Self.record(0, [("A", .online)]))
        #expect(FileManager.default.fileExists(atPath: directory.file("monitors/m/sweeps/latest.tsv")))
        #expect(try SweepStore(stateDirectory: directory.path).latest() == nil, "a monitor's partial scope never stands for the county")
    }

    @Test func recordsAndHistoriesSurviveFuzzing() {
        let record = SweepRecordFormat.render(Self.record(0, [("A", .online), ("B", .offline), ("C", .degraded)]))
        var log = SweepHistoryLog(sweeps: [])
        log.append(Self.record(0, [("A", .online), ("B", .offline)]))
        log.append(Self.record(15, [("A", .offline)]))
        let history = SweepHistoryFormat.render(log)
        let tried = Fuzzer(seeds: [record, history]).run { bytes in
            if let parsed = try? SweepRecordFormat.parse(bytes, path: "r") {
                #expect(parsed.cameras.count <= bytes.count)
                let again = try? SweepRecordFormat.parse(SweepRecordFormat.render(parsed), path: "r")
                #expect(again == parsed, "\(parsed) became \(String(describing: again))")
            }
            if let parsed = try? SweepHistoryFormat.parse(bytes, path: "h") {
                let trend = parsed.trend(retention: .standard)
                #expect(trend.points.count <= min(parsed.sweeps.count, SweepRetention.standard.count))
                #expect(trend.availability.map { $0 >= 0 && $0 <= 1.000001 } ?? true)
            }
        }
        #expect(tried > 1_000)
    }
}

@Suite struct SweepStoreFullDiskTests {
    @Test(.enabled(if: SmallDisk.isAvailable, "needs root to mount a small tmpfs"))
    func aSaveIntoAFullDiskNamesTheFileAndKeepsTheKeptSweeps() throws {
        let disk = try SmallDisk(kibibytes: 96)
        let store = SweepStore(stateDirectory: disk.path)
        try store.save(SweepStoreTests.record(0, [("A", .online)]))
        let history = try String(contentsOfFile: store.historyPath, encoding: .utf8)
        let many = (0..<4_000).map { ("450128010013" + String(30_000_000 + $0), HealthStatus.offline) }
        #expect {
            try store.save(SweepStoreTests.record(15, many))
        } throws: { error in
            (error as? StateError)?.description.hasSuffix("No space left on device") == true
        }
        #expect(try String(contentsOfFile: store.historyPath, encoding: .utf8) == history)
        #expect(try store.latest()?.cameras.map(\.id) == ["A"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path + "/sweeps").sorted() == ["history.tsv", "latest.tsv"])
    }
}
