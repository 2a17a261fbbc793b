import Foundation
import Probing
import StateStore
import Testing
import TestSupport
@testable import Monitoring

@Suite struct JournalTests {
    /// Commits `sweeps` sweeps of cameras A (always online) and B (offline from the third sweep) to a store.
    func storeWithSweeps(_ sweeps: Int, in directory: TemporaryDirectory, minutesApart: Int = 15) throws -> (MonitorStore, MonitorState) {
        let store = MonitorStore(stateDirectory: directory.path, monitor: "test")
        let lock = try store.lock()
        var loaded = try store.load()
        for sweep in 0..<sweeps {
            var state = loaded.state
            let (entry, _) = state.record(observations(["A": "o", "B": sweep >= 2 ? "x" : "o"]), startedAt: time(sweep * minutesApart),
                                          finishedAt: time(sweep * minutesApart + 1), rules: StateRules())
            try store.commit(entry, state: state, after: &loaded)
        }
        _ = lock
        return (store, loaded.state)
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func eachSweepIsOneLineAfterTheHeader() throws {
        let directory = TemporaryDirectory()
        let (store, state) = try storeWithSweeps(4, in: directory)
        let journal = try lines(store.journalPath)
        #expect(journal.count == 5)
        #expect(journal[0].hasPrefix(#"{"header":{"created_at":"#) && journal[0].contains(#""schema":"xueliang.journal\/1""#) == false)
        #expect(journal[0].contains(#""schema":"xueliang.journal/1""#))
        #expect(journal[3].contains(#""changed":{"B":{"detail":"rtsp OPTIONS: timed out","reason":"timeout","status":"offline"}}"#))
        #expect(journal[4].contains(#""changed":{}"#), "B's second failure is what its state predicts")
        #expect(state.cameras["B"]?.status == .offline)
        #expect(try store.load().state == state, "the state file gives back what was committed")
    }

    @Test func theStateIsRebuiltFromTheJournalWhenTheStateFileIsLostOrDamaged() throws {
        let directory = TemporaryDirectory()
        let (store, state) = try storeWithSweeps(5, in: directory)
        try "{ not json".write(toFile: store.statePath, atomically: true, encoding: .utf8)
        #expect(try store.load().state.cameras == state.cameras)
        try FileManager.default.removeItem(atPath: store.statePath)
        let rebuilt = try store.load()
        #expect(rebuilt.state.cameras == state.cameras)
        #expect(rebuilt.state.sweeps == 5)
    }

    @Test func aFrozenFeedStaysFrozenWhenTheStateIsRebuiltWithoutItsHashes() throws {
        let directory = TemporaryDirectory()
        let store = MonitorStore(stateDirectory: directory.path, monitor: "test")
        let lock = try store.lock()
        var loaded = try store.load()
        func sweep(_ index: Int, hash: String) throws -> [Transition] {
            var state = loaded.state
            let (entry, transitions) = state.record(observations(["F": "o"], hashes: ["F": hash]), startedAt: time(index * 15),
                                                    finishedAt: time(index * 15 + 1), rules: StateRules(frozenAfter: 3))
            try store.commit(entry, state: state, after: &loaded)
            return transitions
        }
        for index in 0..<4 { _ = try sweep(index, hash: "same") }
        #expect(loaded.state.cameras["F"]?.frozen == true)
        try FileManager.default.removeItem(atPath: store.statePath)
        loaded = try store.load()
        #expect(loaded.state.snapshotHashes.isEmpty, "the journal keeps no hashes")
        #expect(try sweep(4, hash: "same").isEmpty, "no thaw and no second frozen alert after the rebuild")
        #expect(loaded.state.cameras["F"]?.frozen == true)
        #expect(try sweep(5, hash: "new").compactMap(\.alert) == [.recovered], "a new picture still thaws it")
        _ = lock
    }

    @Test func aStateFileBehindTheJournalIsCaughtUpFromTheLinesAfterIt() throws {
        let directory = TemporaryDirectory()
        let (store, _) = try storeWithSweeps(2, in: directory)
        let older = try Data(contentsOf: URL(fileURLWithPath: store.statePath))
        let (_, state) = try storeWithSweeps(2, in: directory)
        try older.write(to: URL(fileURLWithPath: store.statePath))
        let loaded = try store.load()
        #expect(loaded.state.sweeps == 4)
        #expect(loaded.state.cameras == state.cameras)
    }

    @Test func theFlaggedCamerasAloneAreTheSameFromACurrentOrAStaleStateFile() throws {
        let directory = TemporaryDirectory()
        let (store, _) = try storeWithSweeps(2, in: directory)
        let older = try Data(contentsOf: URL(fileURLWithPath: store.statePath))
        let (_, state) = try storeWithSweeps(4, in: directory)
        let offline: @Sendable (CameraState) -> Bool = { $0.status == .offline }
        let current = try store.cameras(where: offline)
        #expect(Array(current.cameras.keys) == ["B"], "B is offline after the last sweeps, A is not kept")
        #expect(current.cameras["B"] == state.cameras["B"])
        #expect(current.snapshotHashes.isEmpty)
        #expect(current.sweeps == 6)
        // The state file of the second sweep, when B was not yet offline: the journal decides.
        try older.write(to: URL(fileURLWithPath: store.statePath))
        #expect(try store.cameras(where: offline).cameras == current.cameras)
        try FileManager.default.removeItem(atPath: store.statePath)
        #expect(try store.cameras(where: offline).cameras == current.cameras)
    }

    @Test func aTornLastLineIsIgnoredAndCutOffBeforeTheNextAppend() throws {
        let directory = TemporaryDirectory()
        let (store, state) = try storeWithSweeps(3, in: directory)
        let whole = try Data(contentsOf: URL(fileURLWithPath: store.journalPath))
        // A crash in the middle of the next append: half a line, no newline; and the state file never written.
        let torn = #"{"sweep":{"changed":{"A":{"reason":"timeout","status":"off"#
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: store.journalPath))
        handle.seekToEndOfFile()
        handle.write(Data(torn.utf8))
        try handle.close()
        try FileManager.default.removeItem(atPath: store.statePath)

        var loaded = try store.load()
        #expect(loaded.state.cameras == state.cameras, "the torn sweep is lost, nothing else")
        #expect(loaded.journalBytes == whole.count)

        var next = loaded.state
        let (entry, _) = next.record(observations(["A": "o", "B": "o"]), startedAt: time(100), finishedAt: time(101), rules: StateRules())
        let lock = try store.lock()
        try store.commit(entry, state: next, after: &loaded)
        _ = lock
        let journal = try lines(store.journalPath)
        #expect(journal.count == 5)
        #expect(!journal.contains { $0.contains(#""status":"off"#) && !$0.contains("offline") }, "the torn bytes are gone")
        try FileManager.default.removeItem(atPath: store.statePath)
        #expect(try store.load().state.cameras["B"]?.status == .online)
    }

    @Test func aCompleteLineWithoutItsNewlineIsStillATornWrite() throws {
        let directory = TemporaryDirectory()
        let (store, _) = try storeWithSweeps(2, in: directory)
        var text = try String(contentsOfFile: store.journalPath, encoding: .utf8)
        let lastLine = text.split(separator: "\n").last!
        text += lastLine  // a whole record, but the newline (the end of the write) never made it
        try text.write(toFile: store.journalPath, atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: store.statePath)
        #expect(try store.load().state.sweeps == 2)
    }

    @Test func aDamagedLineInTheMiddleIsAnErrorWithItsLineNumber() throws {
        let directory = TemporaryDirectory()
        let (store, _) = try storeWithSweeps(4, in: directory)
        var journal = try lines(store.journalPath)
        journal[2] = "garbage"
        try (journal.joined(separator: "\n") + "\n").write(toFile: store.journalPath, atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: store.statePath)
        #expect(throws: MonitorStateError.corrupt(path: store.journalPath, line: 3, problem: "not a journal record")) { try store.load() }
    }

    @Test func compactionKeepsTheStatesAndDropsOldSweeps() throws {
        let directory = TemporaryDirectory()
        let (store, state) = try storeWithSweeps(10, in: directory, minutesApart: 60 * 24)
        let lock = try store.lock()
        let dropped = try store.compact(before: time(6 * 60 * 24))
        _ = lock
        #expect(dropped == 6)
        let journal = try lines(store.journalPath)
        #expect(journal.count == 1 + 1 + 4, "header, base, the four newest sweeps")
        #expect(journal[1].hasPrefix(#"{"base":"#))
        let loaded = try store.load()
        #expect(loaded.state.cameras == state.cameras)
        #expect(loaded.state.sweeps == 10)
        try FileManager.default.removeItem(atPath: store.statePath)
        #expect(try store.load().state.cameras == state.cameras, "the compacted journal alone rebuilds the same states")
        #expect(try store.compact(before: time(6 * 60 * 24)) == 0, "nothing older is left")
    }

    @Test func oneMonitorIsSweptByOneProcessAtATime() throws {
        let directory = TemporaryDirectory()
        let store = MonitorStore(stateDirectory: directory.path, monitor: "test")
        let held = try store.lock()
        #expect(throws: MonitorStateError.busy(monitor: "test", lockPath: store.directory + "/.lock")) { try store.lock() }
        _ = held
    }
}

@Suite struct StateFileTests {
    @Test func everyFieldSurvivesTheRoundTripIncludingAwkwardDetails() throws {
        var state = MonitorState()
        state.sweeps = 7
        state.lastStartedAt = time(90)
        state.lastFinishedAt = time(91)
        var camera = CameraState(since: time(15))
        camera.status = .offline
        camera.observed = .offline
        camera.reason = .protocolError
        camera.detail = "tab\there, newline\nthere, back\\slash, 中文, \r"
        camera.consecutiveFailures = 5
        camera.failingSince = time(16)
        camera.lastSuccess = nil
        camera.snapshotRepeats = 2
        camera.changeBits = 0xdead_beef_0000_0001
        camera.flapping = true
        camera.heldMedia = .lowFPS
        camera.heldPicture = [.tooDark, .lowContrast]
        state.cameras["A"] = camera
        state.cameras["B"] = CameraState(since: time(0))
        state.cameras["B"]?.heldPicture = []
        state.snapshotHashes["B"] = "0123456789abcdef"
        let file = StateFile(monitor: "name with\ttab", generation: "g-1", journalBytes: 12345, state: state)
        let decoded = try #require(StateFile.decode(file.encoded()))
        #expect(decoded.state == state)
        #expect(decoded.monitor == "name with\ttab" && decoded.generation == "g-1" && decoded.journalBytes == 12345)
    }

    @Test func aCutShortOrForeignFileIsRefusedNotMisread() throws {
        var state = MonitorState()
        state.cameras["A"] = CameraState(since: time(0))
        let bytes = StateFile(monitor: "m", generation: "g", journalBytes: 1, state: state).encoded()
        #expect(StateFile.decode(Array(bytes.dropLast())) == nil, "no final newline: cut short")
        #expect(StateFile.decode(Array("{\"schema\": \"xueliang.monitor-state/1\"}\n".utf8)) == nil)
        #expect(StateFile.decode(Array(bytes.prefix(bytes.count - 5)) + [10]) == nil, "a short last line")
        // Older files are left for the journal's replay: /3's snapshot hashes are FNV-1a, which no fingerprint
        // equals, and /4 has no held picture verdicts.
        for older in ["xueliang.monitor-state/3", "xueliang.monitor-state/4"] {
            let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: StateFile.schema, with: older)
            #expect(StateFile.decode(HostileNumberTests.resealed(text)) == nil, "\(older)")
        }
        #expect(StateFile.decode(HostileNumberTests.resealed(String(decoding: bytes, as: UTF8.self))) != nil, "the resealing itself is sound")
    }
}

/// Hostile numbers in the state file and the journal: read with bounds, never trapped on later.
@Suite struct HostileNumberTests {
    /// `text` with its checksum made right again: a well-formed file whose values are hostile, not a damaged one.
    static func resealed(_ text: String) -> [UInt8] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[0] = lines[0].replacing(/\tchecksum=[0-9a-f]{16}/, with: "")
        let unsealed = Array(lines.joined(separator: "\n").utf8)
        lines[0] += ChecksummedFile.checksumField + ChecksummedFile.hex(ChecksummedFile.checksum(unsealed))
        return Array(lines.joined(separator: "\n").utf8)
    }

    /// Replaces cell `cell` of camera B's line in a state file's text.
    static func withCell(_ text: String, _ cell: Int, _ value: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            guard line.hasPrefix("B\t") else { return String(line) }
            var cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            cells[cell] = value
            return cells.joined(separator: "\t")
        }.joined(separator: "\n")
    }

    static let hostileStateFiles: [(String, @Sendable (String) -> String)] = [
        ("sweeps at Int.max", { $0.replacing(/\tsweeps=[0-9]+/, with: "\tsweeps=9223372036854775807") }),
        ("sweeps past Int.max", { $0.replacing(/\tsweeps=[0-9]+/, with: "\tsweeps=99999999999999999999") }),
        ("a start past any date", { $0.replacing(/\tlast_started_at=[0-9]+/, with: "\tlast_started_at=9223372036854775807") }),
        ("consecutive failures at Int.max", { withCell($0, 5, "9223372036854775807") }),
        ("more failures than sweeps", { withCell($0, 5, "999999999999999999") }),
        ("snapshot repeats at Int.max", { withCell($0, 8, "9223372036854775807") }),
        ("since past any date", { withCell($0, 2, "9223372036854775807") }),
        ("a negative time", { withCell($0, 7, "-5") }),
        ("a held picture verdict that is not a picture finding", { withCell($0, 13, "timeout") }),
        ("a held picture verdict with an empty finding", { withCell($0, 13, "too-dark,") }),
    ]

    @Test(arguments: hostileStateFiles)
    func aStateFileWithAHugeOrImpossibleNumberIsRebuiltFromTheJournal(_ label: String, _ edit: @Sendable (String) -> String) throws {
        let directory = TemporaryDirectory()
        let (store, state) = try JournalTests().storeWithSweeps(4, in: directory)
        let text = try String(contentsOfFile: store.statePath, encoding: .utf8)
        let hostile = Self.resealed(edit(text))
        #expect(hostile != Array(text.utf8), "the edit changed the file (\(label))")
        try Data(hostile).write(to: URL(fileURLWithPath: store.statePath))
        var loaded = try store.load()
        #expect(loaded.state.cameras == state.cameras && loaded.state.sweeps == 4, "rebuilt from the journal (\(label))")
        // And the next sweep's arithmetic (counters + 1) and state file (times back to integers) do not trap.
        var next = loaded.state
        let (entry, _) = next.record(observations(["A": "o", "B": "x"]), startedAt: time(100), finishedAt: time(101), rules: StateRules())
        let lock = try store.lock()
        try store.commit(entry, state: next, after: &loaded)
        withExtendedLifetime(lock) {}
        #expect(try store.load().state.sweeps == 5)
    }

    static let hostileSweepLines = [
        #""rules":{"flapping_transitions":4,"flapping_window":10,"frozen_after":-9223372036854775808,"offline_after":2}"#,
        #""rules":{"flapping_transitions":4,"flapping_window":-1,"frozen_after":3,"offline_after":2}"#,
        #""rules":{"flapping_transitions":4,"flapping_window":10,"frozen_after":3,"offline_after":9223372036854775807}"#,
        #""rules":{"flapping_transitions":4,"flapping_window":10,"frozen_after":3,"offline_after":99999999999999999999}"#,
    ]

    @Test(arguments: hostileSweepLines)
    func aJournalLineWithImpossibleRulesIsDamageNotATrap(_ rules: String) throws {
        let directory = TemporaryDirectory()
        let (store, state) = try JournalTests().storeWithSweeps(3, in: directory)
        var lines = try String(contentsOfFile: store.journalPath, encoding: .utf8).split(separator: "\n").map(String.init)
        let hostile = lines[3].replacing(/"rules":\{[^}]*\}/, with: rules)
        #expect(hostile != lines[3])
        try FileManager.default.removeItem(atPath: store.statePath)
        // As the last line it reads as a write torn by a crash: the sweeps before it stand.
        try ((lines + [hostile]).joined(separator: "\n") + "\n").write(toFile: store.journalPath, atomically: true, encoding: .utf8)
        #expect(try store.load().state.cameras == state.cameras)
        // Before the last, it is damage, named with its line number.
        lines[2] = hostile
        try (lines.joined(separator: "\n") + "\n").write(toFile: store.journalPath, atomically: true, encoding: .utf8)
        #expect(throws: MonitorStateError.corrupt(path: store.journalPath, line: 3, problem: "not a journal record")) { try store.load() }
    }

    @Test func aBaseWithACounterAtIntMaxIsDamageNotATrap() throws {
        let directory = TemporaryDirectory()
        let (store, _) = try JournalTests().storeWithSweeps(6, in: directory, minutesApart: 60 * 24)
        let lock = try store.lock()
        #expect(try store.compact(before: time(4 * 60 * 24)) == 4)
        withExtendedLifetime(lock) {}
        var lines = try String(contentsOfFile: store.journalPath, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacing(/"consecutive_failures":[0-9]+/, with: #""consecutive_failures":9223372036854775807"#)
        try (lines.joined(separator: "\n") + "\n").write(toFile: store.journalPath, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: store.statePath)
        #expect(throws: MonitorStateError.corrupt(path: store.journalPath, line: 2, problem: "not a journal record")) { try store.load() }
    }
}
