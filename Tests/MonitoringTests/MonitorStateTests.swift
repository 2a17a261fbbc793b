import Foundation
import Probing
import Testing
@testable import Monitoring

/// A sweep's observations in shorthand: "o" online, "d" degraded (clock skew), "x" offline (timeout).
func observations(_ statuses: [String: String], hashes: [String: String] = [:]) -> [String: (observation: Observation, snapshotHash: String?)] {
    var result: [String: (observation: Observation, snapshotHash: String?)] = [:]
    for (id, code) in statuses {
        let observation = switch code {
        case "o": Observation(status: .online, reason: .ok)
        case "d": Observation(status: .degraded, reason: .clockSkew, detail: "onvif: camera clock is 90 s ahead")
        default: Observation(status: .offline, reason: .timeout, detail: "rtsp OPTIONS: timed out")
        }
        result[id] = (observation, hashes[id])
    }
    return result
}

func time(_ minutes: Int) -> Date { Date(timeIntervalSince1970: 1_795_000_000 + Double(minutes) * 60) }

/// Runs sweeps of one camera "C" given as a string of codes, 15 minutes apart; returns the state and
/// every transition.
func run(_ codes: String, rules: StateRules = StateRules(), hashes: [String?] = []) -> (MonitorState, [Transition]) {
    var state = MonitorState()
    var all: [Transition] = []
    for (index, code) in codes.enumerated() {
        let hash = index < hashes.count ? hashes[index] : nil
        let (_, transitions) = state.record(observations(["C": String(code)], hashes: hash.map { ["C": $0] } ?? [:]),
                                            startedAt: time(index * 15), finishedAt: time(index * 15 + 1), rules: rules)
        all += transitions
    }
    return (state, all)
}

@Suite struct MonitorStateTests {
    @Test func oneFailedSweepIsSoftAndTheSecondFlagsTheCameraOffline() {
        let (soft, softTransitions) = run("ox")
        #expect(soft.cameras["C"]?.status == .online, "one miss pages no one")
        #expect(soft.cameras["C"]?.consecutiveFailures == 1)
        #expect(soft.counts.failing == 1 && soft.counts.offline == 0)
        #expect(softTransitions.compactMap(\.alert).isEmpty)

        let (hard, transitions) = run("oxx")
        let camera = hard.cameras["C"]!
        #expect(camera.status == .offline)
        #expect(camera.since == time(16), "offline since the first failed sweep, not the sweep that flagged it")
        #expect(camera.lastSuccess == time(1))
        #expect(camera.reason == .timeout && camera.detail == "rtsp OPTIONS: timed out")
        #expect(transitions.compactMap(\.alert) == [.offline])
        #expect(transitions.last?.since == time(16) && transitions.last?.at == time(31))
    }

    @Test func aFlaggedCameraRecoversOnTheFirstSuccess() {
        let (state, transitions) = run("oxxxo")
        #expect(state.cameras["C"]?.status == .online)
        #expect(state.cameras["C"]?.since == time(61))
        #expect(state.cameras["C"]?.consecutiveFailures == 0)
        #expect(transitions.compactMap(\.alert) == [.offline, .recovered])
        #expect(transitions.map(\.to) == [.online, .offline, .online], "unknown → online, online → offline, offline → online")
    }

    @Test func theThresholdIsTheMonitors() {
        #expect(run("ox", rules: StateRules(offlineAfter: 1)).0.cameras["C"]?.status == .offline)
        #expect(run("oxxx", rules: StateRules(offlineAfter: 4)).0.cameras["C"]?.status == .online)
        #expect(run("oxxxx", rules: StateRules(offlineAfter: 4)).0.cameras["C"]?.status == .offline)
    }

    @Test func aNewCameraThatNeverWorkedStaysUnknownUntilFlagged() {
        let (state, transitions) = run("x")
        #expect(state.cameras["C"]?.status == .unknown)
        #expect(state.counts.unknown == 1)
        #expect(transitions.isEmpty)
        #expect(run("xx").1.compactMap(\.alert) == [.offline])
    }

    @Test func flappingIsItsOwnFlagAndStandsInForOfflineAlerts() {
        let rules = StateRules(offlineAfter: 1, flappingTransitions: 4, flappingWindow: 10)
        let (state, transitions) = run("oxoxo", rules: rules)
        #expect(state.cameras["C"]?.flapping == true)
        #expect(state.cameras["C"]?.flapCount(window: 10) == 4)
        #expect(transitions.compactMap(\.alert) == [.offline, .recovered, .offline, .flapping],
                "the fourth change raises flapping instead of a fourth offline/recovered alert")
        // Steady for a window's length: the changes age out and the flag drops.
        let (calm, calmTransitions) = run("oxoxo" + String(repeating: "o", count: 10), rules: rules)
        #expect(calm.cameras["C"]?.flapping == false)
        #expect(calm.cameras["C"]?.flapCount(window: 10) == 0)
        #expect(calmTransitions.compactMap(\.alert) == [.offline, .recovered, .offline, .flapping])
        // Three changes in ten sweeps are not flapping.
        #expect(run("oxoxxxxxxx", rules: rules).0.cameras["C"]?.flapping == false)
    }

    @Test func aSnapshotUnchangedOverNSweepsIsFrozen() {
        let rules = StateRules(frozenAfter: 3)
        let (two, _) = run("oo", rules: rules, hashes: ["aa", "aa"])
        #expect(two.cameras["C"]?.status == .online, "two sweeps with one picture are not yet frozen")
        let (state, transitions) = run("ooo", rules: rules, hashes: ["aa", "aa", "aa"])
        let camera = state.cameras["C"]!
        #expect(camera.status == .degraded && camera.reason == .frozen && camera.frozen)
        #expect(camera.detail == "snapshot unchanged over 3 sweeps")
        #expect(transitions.compactMap(\.alert) == [.frozen])
        #expect(state.counts.frozen == 1 && state.counts.working == 1, "frozen is degraded, not offline")
        // A new picture thaws it.
        let (thawed, _) = run("oooo", rules: rules, hashes: ["aa", "aa", "aa", "bb"])
        #expect(thawed.cameras["C"]?.status == .online && thawed.cameras["C"]?.reason == .ok)
        // Changing pictures never freeze.
        #expect(run("oooo", rules: rules, hashes: ["a", "b", "c", "d"]).0.cameras["C"]?.status == .online)
    }

    @Test func theJournalEntryListsOnlyCamerasWhoseObservationChanged() {
        var state = MonitorState()
        let rules = StateRules()
        let first = state.record(observations(["A": "o", "B": "o", "C": "x"]), startedAt: time(0), finishedAt: time(1), rules: rules).entry
        #expect(first.changed.keys.sorted() == ["A", "B", "C"], "every camera is new")
        let second = state.record(observations(["A": "o", "B": "x", "C": "x"]), startedAt: time(15), finishedAt: time(16), rules: rules).entry
        #expect(second.changed.keys.sorted() == ["B"])
        #expect(second.counts.cameras == 3 && second.counts.working == 1 && second.counts.offline == 1)
        let third = state.record(observations(["A": "o", "B": "x"]), startedAt: time(30), finishedAt: time(31), rules: rules).entry
        #expect(third.changed.isEmpty)
        #expect(third.dropped == ["C"], "a camera no longer in scope leaves the state")
        #expect(state.cameras["C"] == nil)
        #expect(state.cameras["B"]?.status == .offline, "continued failures still count towards the flag")
    }

    @Test func replayingTheEntriesGivesTheSameStates() {
        var live = MonitorState()
        var entries: [SweepEntry] = []
        let rules = StateRules(offlineAfter: 2, frozenAfter: 3, flappingTransitions: 3, flappingWindow: 6)
        let script = ["A": "ooxxxooxoxo", "B": "xxxxooooooo", "C": "ododdxxoooo", "D": "ooooooooooo"]
        for sweep in 0..<11 {
            let codes = script.mapValues { String(Array($0)[sweep]) }
            let (entry, _) = live.record(observations(codes, hashes: ["D": "same"]), startedAt: time(sweep * 15),
                                         finishedAt: time(sweep * 15 + 2), rules: rules)
            entries.append(entry)
        }
        var rebuilt = MonitorState()
        for entry in entries { rebuilt.apply(entry) }
        #expect(rebuilt.cameras == live.cameras)
        #expect(rebuilt.sweeps == 11 && rebuilt.lastFinishedAt == time(152))
        #expect(live.cameras["D"]?.frozen == true)
        #expect(live.cameras["A"]?.flapping == true)
    }
}
