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

/// The state the journal lines of `entries` rebuild, each written as JSON and read back.
func replayedThroughJSON(_ entries: [SweepEntry]) throws -> MonitorState {
    var replayed = MonitorState()
    for entry in entries {
        let line = JournalRecord.encode(.sweep(entry))
        guard case .sweep(let decoded) = try #require(JournalRecord.decode(Array(line.dropLast()))) else {
            Issue.record("not a sweep")
            continue
        }
        replayed.apply(decoded)
    }
    return replayed
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
        // Three changes in ten sweeps are not flapping.
        #expect(run("oxoxxxxxxx", rules: rules).0.cameras["C"]?.flapping == false)
    }

    @Test func whenFlappingStopsTheStateItSettledInIsAnnounced() {
        let rules = StateRules(offlineAfter: 1, flappingTransitions: 4, flappingWindow: 10)
        // Last announced: offline; it settles online: "recovered" once the changes age out of the window.
        let (calm, calmTransitions) = run("oxoxo" + String(repeating: "o", count: 10), rules: rules)
        #expect(calm.cameras["C"]?.flapping == false)
        #expect(calmTransitions.compactMap(\.alert) == [.offline, .recovered, .offline, .flapping, .recovered])
        // Default debounce: never flagged before it flapped, then settles offline: "offline" once it stops flapping.
        let (down, downTransitions) = run("oxoxo" + String(repeating: "x", count: 20))
        #expect(down.cameras["C"]?.status == .offline && down.cameras["C"]?.flapping == false)
        #expect(downTransitions.compactMap(\.alert) == [.flapping, .offline])
        #expect(downTransitions.last?.since == time(5 * 15 + 1), "offline since its first failed sweep after the flapping")
        // Settles where it was last announced (offline): nothing more to say.
        #expect(run("oxoxo" + String(repeating: "x", count: 20), rules: rules).1.compactMap(\.alert) == [.offline, .recovered, .offline, .flapping])
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
        // A new picture thaws it, and that is announced.
        let (thawed, thawedTransitions) = run("oooo", rules: rules, hashes: ["aa", "aa", "aa", "bb"])
        #expect(thawed.cameras["C"]?.status == .online && thawed.cameras["C"]?.reason == .ok)
        #expect(thawedTransitions.compactMap(\.alert) == [.frozen, .recovered])
        // One sweep that reaches no camera neither thaws the picture nor announces anything.
        let (missed, missedTransitions) = run("oooxo", rules: rules, hashes: ["aa", "aa", "aa", nil, "aa"])
        #expect(missed.cameras["C"]?.frozen == true)
        #expect(missedTransitions.compactMap(\.alert) == [.frozen], "no false recovered, no second frozen")
        // Frozen, then offline long enough to be flagged, then back with a moving picture.
        let (back, backTransitions) = run("oooxxxo", rules: rules, hashes: ["aa", "aa", "aa", nil, nil, nil, "bb"])
        #expect(back.cameras["C"]?.status == .online)
        #expect(backTransitions.compactMap(\.alert) == [.frozen, .offline, .recovered])
        // Changing pictures never freeze.
        #expect(run("oooo", rules: rules, hashes: ["a", "b", "c", "d"]).0.cameras["C"]?.status == .online)
    }

    /// A media share plays a camera once a period: its media failure holds over the cheap sweeps in between
    /// (which would otherwise say online), until its next turn.
    @Test func aMediaFailureHoldsUntilTheCamerasNextMediaCheck() throws {
        var state = MonitorState()
        var entries: [SweepEntry] = []
        var alerts: [Transition.Alert] = []
        func sweep(_ number: Int, _ observation: Observation) {
            let (entry, transitions) = state.record(["C": (observation, nil)], startedAt: time(number * 15), finishedAt: time(number * 15 + 1),
                                                    rules: StateRules(offlineAfter: 2, heldChecks: [.media]))
            entries.append(entry)
            alerts += transitions.compactMap(\.alert)
        }
        var played = Observation(status: .online, reason: .ok)
        played.media = .ok
        sweep(0, played)
        var silent = Observation(status: .offline, reason: .noMedia, detail: "media: PLAY: no RTP within 3 s")
        silent.media = .noMedia
        sweep(1, silent)
        #expect(state.cameras["C"]?.heldMedia == .noMedia && state.cameras["C"]?.status == .online, "one failure is soft")
        // The cheap checks pass: the held verdict stands, and the second failure flags it.
        sweep(2, Observation(status: .online, reason: .ok))
        let flagged = try #require(state.cameras["C"])
        #expect(flagged.status == .offline && flagged.reason == .noMedia && flagged.detail == "media: PLAY: no RTP within 3 s")
        #expect(flagged.since == time(16), "since the media check that found it")
        sweep(3, Observation(status: .online, reason: .ok))
        #expect(state.cameras["C"]?.status == .offline && alerts == [.offline])
        // A cheap check that fails replaces it; when it passes again the held verdict is back.
        sweep(4, Observation(status: .offline, reason: .timeout, detail: "rtsp: timed out"))
        #expect(state.cameras["C"]?.reason == .timeout)
        sweep(5, Observation(status: .online, reason: .ok))
        #expect(state.cameras["C"]?.reason == .noMedia && state.cameras["C"]?.detail == "media: no-media at its last media check, which holds until its next turn")
        // Its next turn finds video: recovered.
        sweep(6, played)
        #expect(state.cameras["C"]?.status == .online && state.cameras["C"]?.heldMedia == nil && alerts == [.offline, .recovered])
        // Poor video (degraded) holds over online, never over worse.
        var slow = Observation(status: .degraded, reason: .lowFPS)
        slow.media = .lowFPS
        sweep(7, slow)
        sweep(8, Observation(status: .online, reason: .ok))
        #expect(state.cameras["C"]?.observed == .degraded && state.cameras["C"]?.reason == .lowFPS)
        sweep(9, Observation(status: .degraded, reason: .clockSkew))
        #expect(state.cameras["C"]?.reason == .clockSkew)

        // The journal rebuilds it, through JSON, and lists a repeated verdict only when it changes something.
        #expect(try replayedThroughJSON(entries).cameras == state.cameras)
        #expect(entries[6].changed["C"]?.media == .ok && entries[0].changed["C"]?.media == nil, "ok over nothing held is no change")
        // And the state file keeps it.
        let file = StateFile(monitor: "m", generation: "g", journalBytes: 1, state: state)
        #expect(StateFile.decode(file.encoded())?.state.cameras == state.cameras)
    }

    /// A picture share diagnoses a camera once a period: its finding holds over the snapshot-only sweeps in
    /// between, as degraded, and only over an online verdict (an offline camera took no picture).
    @Test func aPictureFindingHoldsUntilTheCamerasNextDiagnosis() throws {
        var state = MonitorState()
        var entries: [SweepEntry] = []
        let rules = StateRules(heldChecks: [.picture])
        func sweep(_ number: Int, _ observation: Observation, rules: StateRules = rules) {
            entries.append(state.record(["C": (observation, nil)], startedAt: time(number * 15), finishedAt: time(number * 15 + 1), rules: rules).entry)
        }
        func diagnosed(_ findings: [ReasonCode]) -> Observation {
            var observation = findings.first.map { Observation(status: .degraded, reason: $0, detail: "picture: findings: \($0.rawValue)") }
                ?? Observation(status: .online, reason: .ok)
            observation.picture = findings
            return observation
        }
        sweep(0, diagnosed([]))
        #expect(state.cameras["C"]?.heldPicture == [] && state.cameras["C"]?.status == .online)
        sweep(1, diagnosed([.tooDark, .lowContrast]))
        sweep(2, Observation(status: .online, reason: .ok))
        var camera = try #require(state.cameras["C"])
        #expect(camera.status == .degraded && camera.reason == .tooDark && camera.heldPicture == [.tooDark, .lowContrast])
        #expect(camera.detail == "picture: findings: too-dark", "the detail of the diagnosis that found it")
        // The snapshot fails: offline, not the held finding; when it answers again the finding is back.
        sweep(3, Observation(status: .offline, reason: .timeout, detail: "snapshot: timed out"))
        #expect(state.cameras["C"]?.observed == .offline && state.cameras["C"]?.reason == .timeout)
        sweep(4, Observation(status: .online, reason: .ok))
        camera = try #require(state.cameras["C"])
        #expect(camera.reason == .tooDark && camera.detail == "picture: too-dark at its last picture check, which holds until its next turn")
        // A worse verdict of another check stands; a degraded one is not replaced either.
        sweep(5, Observation(status: .degraded, reason: .clockSkew))
        #expect(state.cameras["C"]?.reason == .clockSkew)
        // Its next diagnosis finds the picture normal: online.
        sweep(6, diagnosed([]))
        sweep(7, Observation(status: .online, reason: .ok))
        #expect(state.cameras["C"]?.status == .online && state.cameras["C"]?.heldPicture == [])

        // The journal lists a diagnosis only when it changes what is held, and rebuilds the same state.
        #expect(entries[1].changed["C"]?.picture == [.tooDark, .lowContrast] && entries[2].changed["C"] == nil)
        #expect(entries[6].changed["C"]?.picture == [])
        #expect(try replayedThroughJSON(entries).cameras == state.cameras)
        let file = StateFile(monitor: "m", generation: "g", journalBytes: 1, state: state)
        #expect(StateFile.decode(file.encoded())?.state.cameras == state.cameras)

        // A monitor that stops sharing the check holds nothing: the finding is gone with the next sweep.
        sweep(8, diagnosed([.blur]))
        sweep(9, Observation(status: .online, reason: .ok))
        #expect(state.cameras["C"]?.reason == .blur)
        sweep(10, diagnosed([.blur]), rules: StateRules())
        #expect(state.cameras["C"]?.heldPicture == nil)
        #expect(entries[10].changed["C"] == nil, "an unshared check's verdicts are not journaled")
        sweep(11, Observation(status: .online, reason: .ok), rules: StateRules())
        #expect(state.cameras["C"]?.status == .online)
    }

    /// Journal lines from before `held_checks` held media verdicts whatever the monitor: they replay so.
    @Test func olderJournalRulesHoldMediaAsTheyDid() throws {
        let rules = try JSONDecoder().decode(StateRules.self, from: Data(#"{"offline_after": 2, "frozen_after": 3, "flapping_transitions": 4, "flapping_window": 10}"#.utf8))
        #expect(rules.holds(.media) && !rules.holds(.picture))
        let shared = StateRules(heldChecks: [.media, .picture])
        #expect(try JSONDecoder().decode(StateRules.self, from: JSONEncoder().encode(shared)) == shared)
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

    /// A reference for the delta encoding: every observation applied to its camera directly, with the
    /// snapshot comparison done here, no journal involved.
    struct DirectStates {
        var cameras: [String: CameraState] = [:]
        var hashes: [String: String] = [:]

        mutating func sweep(_ observations: [String: (observation: Observation, snapshotHash: String?)], at: Date, rules: StateRules) {
            for id in cameras.keys where observations[id] == nil {
                cameras[id] = nil
                hashes[id] = nil
            }
            for (id, seen) in observations {
                var observation = seen.observation
                observation.sameSnapshot = seen.snapshotHash != nil && seen.snapshotHash == hashes[id]
                var state = cameras[id] ?? CameraState(since: at)
                _ = state.apply(observation, at: at, rules: rules, cameraID: id)
                cameras[id] = state
                if seen.snapshotHash != nil || seen.observation.status != .offline { hashes[id] = seen.snapshotHash }
            }
        }
    }

    @Test(arguments: 1...10)
    func theJournalThroughJSONRebuildsWhatApplyingEverySweepDirectlyGives(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let sharing = StateRules(offlineAfter: 2, frozenAfter: 3, flappingTransitions: 3, flappingWindow: 8, heldChecks: [.media, .picture])
        var live = MonitorState()
        var direct = DirectStates()
        var seenHeld = false
        var lines: [[UInt8]] = []
        let ids = (0..<25).map { "C\($0)" }
        var seenFrozen = false, seenFlapping = false, seenOffline = false
        for sweep in 0..<60 {
            // The monitor shares its media and picture checks, and for a stretch stops sharing one or both.
            var rules = sharing
            if (35..<45).contains(sweep) { rules.heldChecks = [[], [.media], [.picture]][Int(seed % 3)] }
            var observations: [String: (observation: Observation, snapshotHash: String?)] = [:]
            for id in ids where random.next() % 20 != 0 || sweep < 5 {  // now and then a camera leaves the scope
                let roll = random.next() % 10
                var observation = roll < 6 ? Observation(status: .online, reason: .ok)
                    : roll < 7 ? Observation(status: .degraded, reason: .clockSkew, detail: "clock \(random.next() % 3)")
                    : Observation(status: .offline, reason: roll < 9 ? .timeout : .connectionRefused, detail: "try \(sweep)")
                // Now and then a camera's turn: its media or picture verdict.
                if random.next() % 4 == 0 { observation.media = [.ok, .noMedia, .lowFPS][Int(random.next() % 3)] }
                if observation.status != .offline && random.next() % 4 == 0 { observation.picture = [[], [.tooDark], [.blur, .occlusion]][Int(random.next() % 3)] }
                // Some cameras show one picture for long stretches.
                let hash = observation.status == .offline ? nil : (id.hasSuffix("3") || random.next() % 4 == 0 ? "still" : "h\(random.next())")
                observations[id] = (observation, hash)
            }
            let at = time(sweep * 15)
            let (entry, _) = live.record(observations, startedAt: at, finishedAt: at, rules: rules)
            direct.sweep(observations, at: at, rules: rules)
            lines.append(JournalRecord.encode(.sweep(entry)))
            seenFrozen = seenFrozen || live.cameras.values.contains { $0.frozen }
            seenHeld = seenHeld || live.cameras.values.contains { $0.reason.isPictureFinding && $0.heldPicture?.isEmpty == false }
            seenFlapping = seenFlapping || live.cameras.values.contains { $0.flapping }
            seenOffline = seenOffline || live.cameras.values.contains { $0.status == .offline }
        }
        let differing = direct.cameras.keys.filter { live.cameras[$0] != direct.cameras[$0] }.sorted()
        #expect(differing.isEmpty, "the live state, built from deltas, equals applying every observation; differing: \(differing.prefix(3).map { "\($0): live \(String(describing: live.cameras[$0])) direct \(String(describing: direct.cameras[$0]))" })")
        #expect(live.cameras.count == direct.cameras.count)
        var rebuilt = MonitorState()
        for line in lines {
            guard case .sweep(let entry) = try #require(JournalRecord.decode(Array(line.dropLast()))) else { Issue.record("not a sweep"); return }
            rebuilt.apply(entry)
        }
        #expect(rebuilt.cameras == direct.cameras, "replaying the JSON journal gives the same states")
        #expect(seenFrozen && seenFlapping && seenOffline && seenHeld, "the run went through frozen, flapping, offline and held states")
        let file = StateFile(monitor: "m", generation: "g", journalBytes: 0, state: live)
        #expect(StateFile.decode(file.encoded())?.state == live, "and the state file keeps it whole")
    }
}

/// A small deterministic generator (SplitMix64), so a failing seed can be replayed.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
