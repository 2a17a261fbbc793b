import Foundation
import Glibc
import Probing
import StateStore
import Testing
import TestSupport
@testable import Monitoring

/// A monitor's files on a full disk (a small tmpfs): the real errno, the journal as it was, no temporary.
@Suite(.enabled(if: SmallFilesystem.available, "needs root to mount a tmpfs; skipped here"))
struct FullDiskTests {
    /// A store on a fresh 256 KiB tmpfs, with one sweep of cameras A and B committed.
    func storeWithOneSweep() throws -> (SmallFilesystem, MonitorStore, MonitorStore.Loaded) {
        let disk = try #require(SmallFilesystem(kilobytes: 256))
        let store = MonitorStore(stateDirectory: disk.path, monitor: "full")
        var loaded = try store.load()
        var state = loaded.state
        let (entry, _) = state.record(observations(["A": "o", "B": "o"]), startedAt: time(0), finishedAt: time(1), rules: StateRules())
        try store.commit(entry, state: state, after: &loaded)
        return (disk, store, loaded)
    }

    /// A sweep whose line cannot fit in what the journal's last page has left: 200 cameras failing with long details.
    func bigSweep(_ loaded: MonitorStore.Loaded) -> (SweepEntry, MonitorState, [Transition]) {
        var seen = observations(["A": "x", "B": "x"])
        for index in 0..<200 {
            seen[String(format: "C%03d", index)] = (Observation(status: .offline, reason: .timeout, detail: String(repeating: "timed out ", count: 10)), nil)
        }
        var state = loaded.state
        let (entry, transitions) = state.record(seen, startedAt: time(15), finishedAt: time(16), rules: StateRules(offlineAfter: 1))
        return (entry, state, transitions)
    }

    func temporaries(_ disk: SmallFilesystem) -> [String] {
        disk.allNames().filter { $0.split(separator: "/").last?.hasPrefix(".xueliang-tmp-") == true || $0.hasSuffix(".pending") }
    }

    @Test func aJournalAppendOnAFullDiskSaysSoAndLeavesTheJournalAsItWas() throws {
        let (disk, store, committed) = try storeWithOneSweep()
        let journal = try Data(contentsOf: URL(fileURLWithPath: store.journalPath))
        try disk.fill()
        var loaded = committed
        let (entry, state, _) = bigSweep(loaded)
        #expect(throws: MonitorStateError.io(path: store.journalPath, operation: "append", errno: ENOSPC)) {
            try store.commit(entry, state: state, after: &loaded)
        }
        #expect(String(describing: MonitorStateError.io(path: store.journalPath, operation: "append", errno: ENOSPC))
            .hasSuffix("journal.jsonl: cannot append: No space left on device"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.journalPath)) == journal, "no half line left in the journal")
        #expect(temporaries(disk).isEmpty)
        #expect(try store.load().state == committed.state)
    }

    @Test func alertsThatCannotBeStagedOnAFullDiskLeaveNothingCommitted() throws {
        let (disk, store, committed) = try storeWithOneSweep()
        let journal = try Data(contentsOf: URL(fileURLWithPath: store.journalPath))
        try disk.fill()
        var loaded = committed
        let (entry, state, transitions) = bigSweep(loaded)
        let events = transitions.filter { $0.alert != nil }.map { AlertEvent($0, monitor: "full", camera: nil, village: nil) }
        #expect(events.count == 202)
        let staged = AlertOutbox(store: store).directory + "/0000000002.pending"
        #expect(throws: MonitorStateError.io(path: staged, operation: "write", errno: ENOSPC)) {
            try store.commit(entry, state: state, alerts: events, after: &loaded)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.journalPath)) == journal)
        #expect(temporaries(disk).isEmpty, "\(temporaries(disk))")
        #expect(AlertOutbox(store: store).pending().isEmpty)
    }

    @Test func aStateFileThatCannotBeRewrittenLeavesTheSweepWhollyCommitted() throws {
        let (disk, store, committed) = try storeWithOneSweep()
        try disk.fill()
        // A small line still fits in the journal's last page; the state file's temporary needs a page of its own.
        var loaded = committed
        var state = loaded.state
        let (entry, _) = state.record(observations(["A": "o", "B": "o"]), startedAt: time(15), finishedAt: time(16), rules: StateRules())
        #expect(throws: MonitorStateError.io(path: store.statePath, operation: "write", errno: ENOSPC)) {
            try store.commit(entry, state: state, after: &loaded)
        }
        #expect(temporaries(disk).isEmpty, "\(temporaries(disk))")
        let reloaded = try store.load()
        #expect(reloaded.state.sweeps == 2, "the journal holds the sweep: the state behind it is caught up from it")
        #expect(reloaded.state.cameras == state.cameras)
    }
}
