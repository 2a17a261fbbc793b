import Foundation
import PictureQuality
import Probing
import StateStore
import Testing
import TestSupport
@testable import Monitoring

/// The monitor's three parsers under a seeded mutation fuzzer, about 3 s each: every input either loads
/// or gives a typed error (a trap would end the test run), what loads is sane, and a damaged state file
/// always leads to a rebuild from the journal.
@Suite(.serialized) struct ParserFuzzTests {
    /// About 3 s each in every run; `XUELIANG_FUZZ_SECONDS` gives a longer hunt.
    static let seconds = ProcessInfo.processInfo.environment["XUELIANG_FUZZ_SECONDS"].flatMap(Double.init) ?? 3

    // MARK: Monitor definitions

    static var definitionSeeds: [String] {
        let shipped = ((try? FileManager.default.contentsOfDirectory(atPath: Repository.root + "/Monitors")) ?? []).sorted()
            .compactMap { try? String(contentsOfFile: Repository.root + "/Monitors/" + $0, encoding: .utf8) }
        return shipped + [
            #"""
            {"schema": "xueliang.monitor/1", "name": "rtsp-public-15m", "description": "Every 15 minutes.",
             "scope": {"places": ["450128101"], "sources": ["public"], "tags": ["nvr"]}, "checks": ["rtsp", "tcp"],
             "concurrency": 500, "per_host": 4, "connect_timeout": "3s", "timeout": "10s", "retries": 1, "every": "15m",
             "thresholds": {"offline_after": 2, "clock_skew": "60s", "slow": "2s", "frozen_after": 3, "flapping_transitions": 4, "flapping_window": 10},
             "alerts": [{"webhook": "http://127.0.0.1:9093/xueliang", "timeout": "5s", "retries": 2}, {"command": "/usr/local/bin/page", "timeout": "30s"}]}
            """#,
            #"{"schema": "xueliang.monitor/1", "every": "500ms", "checks": [], "concurrency": 1e300, "retries": -1}"#,
        ]
    }

    @Test func everyMonitorDefinitionLoadsSanelyOrIsRefusedWithItsFile() {
        let fuzzer = Fuzzer(textSeeds: Self.definitionSeeds, seed: 0xD0C5)
        var loaded = 0
        let tried = fuzzer.run(iterations: 1_000_000, seconds: Self.seconds) { bytes in
            do throws(MonitorError) {
                let monitor = try MonitorDefinition.parse(Data(bytes), file: "Monitors/fuzz.json")
                loaded += 1
                #expect(MonitorDefinition.isUsableName(monitor.name))
                #expect(monitor.settings.checks.map { !$0.isEmpty && Set($0).count == $0.count } ?? true, "\(monitor.settings.checks ?? [])")
                #expect((10...(7 * 86400)).contains(monitor.everySeconds))
                #expect((1...100).contains(monitor.thresholds.offlineAfter) && (2...64).contains(monitor.thresholds.flappingWindow)
                        && monitor.thresholds.flappingTransitions <= monitor.thresholds.flappingWindow)
            } catch {
                #expect(error.file == "Monitors/fuzz.json" && !error.problem.description.isEmpty)
            }
        }
        #expect(tried > 1000, "the fuzzer ran (\(tried) inputs)")
        #expect(loaded > 0, "some mutations still load")
    }

    // MARK: Journal lines

    /// A store with a few sweeps (one compacted into a base), alerts-free: its journal's lines are the seeds.
    static func journalStore(in directory: TemporaryDirectory) throws -> (MonitorStore, MonitorState) {
        let (store, _) = try JournalTests().storeWithSweeps(6, in: directory, minutesApart: 60 * 24)
        let lock = try store.lock()
        _ = try store.compact(before: time(2 * 60 * 24))
        var loaded = try store.load()
        var state = loaded.state
        var seen = observations(["A": "d", "C": "o"], hashes: ["C": "abc"])
        seen["D"] = (Observation(status: .offline, reason: .protocolError, detail: "tab\there \"quoted\" 中文\n"), nil)
        let (entry, _) = state.record(seen, startedAt: time(9000), finishedAt: time(9001), rules: StateRules(), intervalSeconds: 900)
        try store.commit(entry, state: state, after: &loaded)
        withExtendedLifetime(lock) {}
        // A fixed generation (of a UUID's length, so the lengths stay right): the seeds, and so the run, are reproducible.
        let generation = try #require(loaded.generation)
        let fixed = "00000000-0000-4000-8000-000000000000"
        let journal = try String(contentsOfFile: store.journalPath, encoding: .utf8).replacingOccurrences(of: generation, with: fixed)
        try journal.write(toFile: store.journalPath, atomically: true, encoding: .utf8)
        let stateFile = try String(contentsOfFile: store.statePath, encoding: .utf8).replacingOccurrences(of: generation, with: fixed)
        try Data(HostileNumberTests.resealed(stateFile)).write(to: URL(fileURLWithPath: store.statePath))
        #expect(try store.load().generation == fixed)
        return (store, loaded.state)
    }

    @Test func everyJournalLineDecodesToAPlausibleRecordOrToNothing() throws {
        let directory = TemporaryDirectory()
        let (store, _) = try Self.journalStore(in: directory)
        let lines = try String(contentsOfFile: store.journalPath, encoding: .utf8).split(separator: "\n").map(String.init)
        var decoded = 0
        let tried = Fuzzer(textSeeds: lines, seed: 0x10E5).run(iterations: 1_000_000, seconds: Self.seconds) { bytes in
            guard let kind = JournalRecord.decode(bytes) else { return }
            decoded += 1
            // What decodes replays (no trap) and leaves a state the state file can hold and give back.
            var state = MonitorState()
            MonitorStore.replay(JournalRecord(kind: kind, bytes: bytes), into: &state)
            let file = StateFile(monitor: "fuzz", generation: "g", journalBytes: 0, state: state)
            #expect(StateFile.decode(file.encoded())?.state == state)
        }
        #expect(tried > 1000 && decoded > 0, "\(tried) inputs, \(decoded) decoded")
    }

    @Test func everyDamagedJournalLoadsOrGivesATypedError() throws {
        let directory = TemporaryDirectory()
        let (store, _) = try Self.journalStore(in: directory)
        let journal = try Data(contentsOf: URL(fileURLWithPath: store.journalPath))
        try FileManager.default.removeItem(atPath: store.statePath)
        var outcomes = (loaded: 0, refused: 0)
        let tried = try Fuzzer(seeds: [Array(journal)], seed: 0x3A11).run(seconds: Self.seconds) { bytes in
            try Data(bytes).write(to: URL(fileURLWithPath: store.journalPath))
            do throws(MonitorStateError) {
                let loaded = try store.load()
                outcomes.loaded += 1
                let file = StateFile(monitor: store.monitor, generation: loaded.generation ?? "", journalBytes: loaded.journalBytes, state: loaded.state)
                #expect(StateFile.decode(file.encoded())?.state == loaded.state)
            } catch {
                outcomes.refused += 1
                switch error {
                case .corrupt(let path, let line, _): #expect(path == store.journalPath && line >= 1)
                default: Issue.record("not a journal error: \(error)")
                }
            }
        }
        #expect(tried > 200 && outcomes.loaded > 0 && outcomes.refused > 0, "\(tried) inputs, \(outcomes)")
    }

    // MARK: State files

    @Test func aDamagedStateFileIsAlwaysRebuiltFromTheJournalNeverReadWrong() throws {
        let directory = TemporaryDirectory()
        let (store, truth) = try Self.journalStore(in: directory)
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: store.statePath)))
        let originalState = try #require(StateFile.decode(original)).state
        var rebuiltThroughTheStore = 0
        let tried = try Fuzzer(seeds: [original], seed: 0x57A7).run(seconds: Self.seconds) { bytes in
            if let decoded = StateFile.decode(bytes) {
                #expect(bytes == original, "a changed state file was read as valid: \(String(decoding: bytes.prefix(300), as: UTF8.self))")
                #expect(decoded.state == originalState)
            }
            // Through the store now and then (it reads the journal too): the state is the journal's.
            if bytes.count % 16 == 0 {
                try Data(bytes).write(to: URL(fileURLWithPath: store.statePath))
                let loaded = try store.load().state
                #expect(loaded.cameras == truth.cameras && loaded.sweeps == truth.sweeps && loaded.lastFinishedAt == truth.lastFinishedAt)
                rebuiltThroughTheStore += 1
            }
        }
        #expect(tried > 1000 && rebuiltThroughTheStore > 0, "\(tried) inputs, \(rebuiltThroughTheStore) through the store")
    }

    /// Values put into whole cells: byte mutations seldom replace a number exactly.
    static let edgeValues = ["9223372036854775807", "09223372036854775807", "9223372036854775808", "-1", "", "0", "99999999999999999999",
                             "253402300799", "253402300800", "1099511627776", "ffffffffffffffff", "1ffffffffffffffff", "FOZ", "\\"]

    /// `text` with one cell (or header value), chosen by `choice`, replaced by an edge value.
    static func withEdgeCell(_ text: String, choice: UInt64) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let lineIndex = Int(choice % UInt64(lines.count))
        var cells = lines[lineIndex].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        let cellIndex = Int((choice >> 16) % UInt64(cells.count))
        let value = edgeValues[Int((choice >> 32) % UInt64(edgeValues.count))]
        if lineIndex == 0, let equals = cells[cellIndex].firstIndex(of: "=") {
            cells[cellIndex] = String(cells[cellIndex][...equals]) + value
        } else {
            cells[cellIndex] = value
        }
        lines[lineIndex] = cells.joined(separator: "\t")
        return lines.joined(separator: "\n")
    }

    @Test func aHostileStateFileWithAValidChecksumNeverTraps() throws {
        let directory = TemporaryDirectory()
        let (store, _) = try Self.journalStore(in: directory)
        let original = try String(contentsOfFile: store.statePath, encoding: .utf8)
        var accepted = 0
        let tried = Fuzzer(seeds: [Array(original.utf8)], seed: 0xB0B5).run(seconds: Self.seconds) { bytes in
            // Past the checksum, so the parser itself meets every mutation, and with one whole cell set to an edge value.
            let text = Self.withEdgeCell(String(decoding: bytes, as: UTF8.self), choice: ChecksummedFile.checksum(bytes))
            guard let decoded = StateFile.decode(HostileNumberTests.resealed(text)) else { return }
            accepted += 1
            // What is accepted goes on without trapping: a sweep's arithmetic, and the state file written again.
            var state = decoded.state
            let (entry, _) = state.record(observations(["A": "x", "B": "o"]), startedAt: time(99_000), finishedAt: time(99_001), rules: StateRules())
            _ = state.apply(entry)
            let rewritten = StateFile(monitor: decoded.monitor, generation: decoded.generation, journalBytes: decoded.journalBytes, state: state)
            // Read back the same, unless the two sweeps just took the count past any real one (then it is rebuilt).
            if state.sweeps <= MonitorState.maximumSweeps {
                #expect(StateFile.decode(rewritten.encoded())?.state.cameras == state.cameras, "\(String(decoding: bytes.prefix(400), as: UTF8.self))")
            }
        }
        #expect(tried > 1000 && accepted > 0, "\(tried) inputs, \(accepted) accepted")
    }

    @Test func aHostilePicturesFileWithAValidChecksumNeverTrapsAndADamagedOneIsNone() throws {
        var signatures: [String: PictureSignature] = [:]
        for index in 0..<3 {
            signatures["4501280100132000000\(index)"] = PictureSignature(cellsWide: 4 + index, cellsHigh: 3,
                                                                         cells: (0..<(12 + 3 * index)).map { Int16($0 * 37 - 200) })
        }
        let original = PictureSignatureFile.encoded(monitor: "m", sweeps: 7, signatures: signatures)
        #expect(PictureSignatureFile.decode(original, monitor: "m", sweeps: 7) == signatures)
        #expect(PictureSignatureFile.decode(original, monitor: "m", sweeps: 8) == nil, "of another sweep")
        #expect(PictureSignatureFile.decode(original, monitor: "other", sweeps: 7) == nil, "of another monitor")
        var accepted = 0
        let tried = Fuzzer(seeds: [original], seed: 0x51C5).run(seconds: Self.seconds) { bytes in
            #expect(PictureSignatureFile.decode(bytes, monitor: "m", sweeps: 7) == nil || bytes == original, "damage is never read")
            // Resealed, so the reader itself meets every mutation: it must never trap, and what it accepts is bounded.
            guard let newline = bytes.firstIndex(of: 10) else { return }
            let header = Array("xueliang.picture-signatures/1\tmonitor=m\tsweeps=7".utf8)
            if let decoded = PictureSignatureFile.decode(ChecksummedFile.sealed(header + bytes[newline...]), monitor: "m", sweeps: 7) {
                accepted += 1
                #expect(decoded.values.allSatisfy { $0.cells.count == $0.cellsWide * $0.cellsHigh && $0.cellsWide <= 32 && $0.cellsHigh <= 18 })
            }
        }
        #expect(tried > 1000 && accepted > 0, "\(tried) inputs, \(accepted) accepted")
    }
}
