import Foundation
import Testing
import TestSupport
@testable import Reports

/// Three kept sweeps, ten minutes apart: camera A online, offline, online; B online, online, offline.
/// First interval: both working (1,200 camera-seconds of 1,200); second: only B (600 of 1,200).
/// Availability 1,800 / 2,400 = 75%. B has been offline since the third sweep; A is not offline.
@Suite struct SweepHistoryTests {
    func sweep(_ minute: Int, a: String, b: String) -> String {
        let online = [a, b].count { $0 != "offline" }
        return """
        {"cameras":[{"id":"A","status":"\(a)"},{"id":"B","status":"\(b)"}],
         "counts":{"cameras":2,"online":\(online),"degraded":0,"offline":\(2 - online),"probed":2,"by_reason":{}},
         "finished_at":"2026-11-24T08:\(String(format: "%02d", minute)):00Z","schema":"xueliang.sweep/1"}
        """
    }

    @Test func availabilityAndOfflineSinceFromKeptSweeps() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("sweeps"), withIntermediateDirectories: true)
        try sweep(0, a: "online", b: "online").write(toFile: directory.file("sweeps/20261124T080000Z.json"), atomically: true, encoding: .utf8)
        try sweep(10, a: "offline", b: "degraded").write(toFile: directory.file("sweeps/20261124T081000Z.json"), atomically: true, encoding: .utf8)
        try sweep(20, a: "online", b: "offline").write(toFile: directory.file("sweeps/20261124T082000Z.json"), atomically: true, encoding: .utf8)
        let history = SweepHistory.load(stateDirectory: directory.path)
        #expect(history.points.map(\.working) == [2, 1, 1])
        #expect(history.availability == 0.75)
        #expect(history.offlineSince.keys.sorted() == ["B"])
        #expect(history.offlineSince["B"] == history.points[2].finishedAt)
    }

    @Test func noHistoryMeansNoAvailability() {
        let history = SweepHistory.load(stateDirectory: TemporaryDirectory().path)
        #expect(history.points.isEmpty)
        #expect(history.availability == nil)
    }
}
