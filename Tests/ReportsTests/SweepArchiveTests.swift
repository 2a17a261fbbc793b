import Foundation
import Probing
import Testing
import TestSupport
@testable import Reports

@Suite struct SweepArchiveTests {
    @Test func theNewestThirtySweepsAreKeptAndLatestPointsAtTheNewest() throws {
        let directory = TemporaryDirectory()
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        for index in 0..<33 {
            let at = start.addingTimeInterval(Double(index) * 900)
            let document = SweepDocument(outcome: SweepOutcome(outcomes: [], total: 0, complete: true), villages: [:], scope: "all",
                                         settings: SweepSettings(), startedAt: at, finishedAt: at.addingTimeInterval(10))
            try SweepArchive.save(document, in: directory.path, stateDirectory: directory.path)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.file("sweeps")).sorted()
        #expect(names.count == 30)
        #expect(names.first == "20261118T115140Z.json", "the three oldest are gone")
        #expect(names.last == "20261118T190640Z.json")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory.file("latest.json")) == "sweeps/20261118T190640Z.json")
    }

    @Test func aMonitorsSweepsAreKeptApartFromThePlainSweeps() throws {
        let directory = TemporaryDirectory()
        let at = Date(timeIntervalSince1970: 1_795_000_000)
        let document = SweepDocument(outcome: SweepOutcome(outcomes: [], total: 0, complete: true), villages: [:], scope: "monitor m",
                                     settings: SweepSettings(), startedAt: at, finishedAt: at.addingTimeInterval(10))
        try SweepArchive.save(document, in: directory.file("monitors/m"), stateDirectory: directory.path)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory.file("monitors/m/latest.json")) == "sweeps/20261118T110640Z.json")
        #expect(FileManager.default.fileExists(atPath: directory.file("monitors/m/latest.json")), "the link resolves")
        #expect(!FileManager.default.fileExists(atPath: directory.file("latest.json")), "a monitor's partial scope never stands for the county")
        #expect(!FileManager.default.fileExists(atPath: directory.file("sweeps")))
    }
}
