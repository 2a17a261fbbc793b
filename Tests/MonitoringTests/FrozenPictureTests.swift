import Foundation
import PictureQuality
import Synchronization
import Probing
import StateStore
import Testing
import TestSupport
@testable import Monitoring

/// Snapshots made by real encoders for the frozen-picture rule: a frozen sensor whose on-screen clock still
/// ticks (cjpeg, and the same frame re-encoded at another quality), a live camera on a still scene (fresh
/// sensor noise each sweep), and a moving scene (GStreamer's videotestsrc scrolling its test card).
enum FrozenCorpus {
    static let width = 640
    static let height = 360
    static let directory = TemporaryDirectory("frozen-pictures")

    /// A street by day: sky, houses, a road, with sensor noise from `noise` (the same seed is the same frame).
    static func scene(x: Int, y: Int, noise: UInt64) -> (UInt8, UInt8, UInt8) {
        var hash = (UInt64(x) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(y) &* 0xC2B2_AE3D_27D4_EB4F) ^ (noise &* 0x1656_67B1_9E37_79F9)
        hash ^= hash >> 29
        hash = hash &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 32
        let grain = Int(hash & 0x1F) - 16
        let base: (Int, Int, Int)
        if y < height / 3 {
            base = (120 + y / 4, 160 + y / 6, 220)
        } else if y < height * 2 / 3 {
            base = (x / 40 % 2 == 0 ? 170 : 110, 90 + x % 80, 70)
        } else {
            base = (90, 90, 95 + (x / 64 % 2) * 20)
        }
        return (UInt8(clamping: base.0 + grain), UInt8(clamping: base.1 + grain), UInt8(clamping: base.2 + grain))
    }

    /// Seven-segment digits of `time` (`HH:MM:SS`), white on a black box in the top left corner, as OSD clocks are.
    static func clock(x: Int, y: Int, time: String) -> Bool? {
        guard (8..<30).contains(y), (8..<(8 + 14 * time.count)).contains(x) else { return nil }
        let character = Array(time)[(x - 8) / 14]
        let (column, row) = ((x - 8) % 14, y - 8)
        let segments: [Character: [Int]] = ["0": [0, 1, 2, 4, 5, 6], "1": [2, 5], "2": [0, 2, 3, 4, 6], "3": [0, 2, 3, 5, 6],
                                            "4": [1, 2, 3, 5], "5": [0, 1, 3, 5, 6], "6": [0, 1, 3, 4, 5, 6], "7": [0, 2, 5],
                                            "8": [0, 1, 2, 3, 4, 5, 6], "9": [0, 1, 2, 3, 5, 6]]
        guard let lit = segments[character] else { return character == ":" && (5...6).contains(column) && (row == 6 || row == 14) }
        // Segments: 0 top, 1 upper left, 2 upper right, 3 middle, 4 lower left, 5 lower right, 6 bottom.
        let on: [Int: Bool] = [0: row < 2 && (2...9).contains(column), 1: column < 2 && (1...10).contains(row),
                               2: (10...11).contains(column) && (1...10).contains(row), 3: (10...11).contains(row) && (2...9).contains(column),
                               4: column < 2 && (11...20).contains(row), 5: (10...11).contains(column) && (11...20).contains(row),
                               6: row >= 20 && (2...9).contains(column)]
        return lit.contains { on[$0] == true }
    }

    /// The scene's pixels (RGB) for a noise seed, made once.
    static func frame(noise: UInt64) -> [UInt8] {
        frames.withLock { frames in
            if let frame = frames[noise] { return frame }
            var rgb = [UInt8](repeating: 0, count: width * height * 3)
            for y in 0..<height {
                for x in 0..<width {
                    let (r, g, b) = scene(x: x, y: y, noise: noise)
                    rgb[(y * width + x) * 3] = r
                    rgb[(y * width + x) * 3 + 1] = g
                    rgb[(y * width + x) * 3 + 2] = b
                }
            }
            frames[noise] = rgb
            return rgb
        }
    }

    private static let frames = Mutex<[UInt64: [UInt8]]>([:])
    private static let encoded = Mutex<[String: [UInt8]]>([:])

    /// The scene of `noise` with the clock showing `time`, encoded by cjpeg at `quality` (each once).
    static func encode(noise: UInt64, time: String, quality: Int) throws -> [UInt8] {
        let name = "scene-\(noise)-\(time.replacingOccurrences(of: ":", with: ""))-q\(quality)"
        let rgb = frame(noise: noise)
        // Under the lock: two tests asking for one picture at once would write one file together.
        return try encoded.withLock { (encoded) throws -> [UInt8] in
            if let bytes = encoded[name] { return bytes }
            let bytes = try encode(rgb, time: time, quality: quality, name: name)
            encoded[name] = bytes
            return bytes
        }
    }

    private static func encode(_ frame: [UInt8], time: String, quality: Int, name: String) throws -> [UInt8] {
        var rgb = frame
        for y in 8..<30 {
            for x in 8..<(8 + 14 * time.count) {
                guard let lit = clock(x: x, y: y, time: time) else { continue }
                for channel in 0..<3 { rgb[(y * width + x) * 3 + channel] = lit ? 255 : 0 }
            }
        }
        let source = directory.file("\(name).ppm"), output = directory.file("\(name).jpg")
        try Data(Array("P6\n\(width) \(height)\n255\n".utf8) + rgb).write(to: URL(fileURLWithPath: source))
        let run = try ProcessRunner.run("/usr/bin/cjpeg", ["-quality", String(quality), "-outfile", output, source])
        guard run.status == 0 else { throw CJPEG.Failure.encoderFailed(run.status) }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    static func time(_ sweep: Int) -> String {
        let seconds = 7 * 3600 + sweep * 900 + 17
        return String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
    }

    /// Sweep `sweep`'s snapshot of a frozen sensor: one frame, the clock drawn anew.
    static func frozen(_ sweep: Int, quality: Int = 85) throws -> [UInt8] {
        try encode(noise: 1, time: time(sweep), quality: quality)
    }

    /// A live camera on a still scene: the same street, fresh sensor noise, the clock.
    static func stillLive(_ sweep: Int) throws -> [UInt8] {
        try encode(noise: UInt64(100 + sweep), time: time(sweep), quality: 85)
    }

    /// A moving scene: videotestsrc's test card scrolling 40 pixels a frame, one frame a sweep.
    static let moving: [[UInt8]] = {
        let pattern = directory.file("moving-%d.jpg")
        let run = try? ProcessRunner.run("/usr/bin/gst-launch-1.0", ["-q", "videotestsrc", "pattern=smpte", "horizontal-speed=40", "num-buffers=8", "!",
                                                                     "video/x-raw,width=\(width),height=\(height)", "!", "videoconvert", "!",
                                                                     "video/x-raw,format=I420", "!", "jpegenc", "quality=80", "!",
                                                                     "multifilesink", "location=\(pattern)"])
        precondition(run?.status == 0, "gst-launch-1.0 failed: \(run?.standardError ?? "not run")")
        return (0..<8).map { [UInt8](FileManager.default.contents(atPath: directory.file("moving-\($0).jpg")) ?? Data()) }
    }()
}

@Suite struct FrozenPictureTests {
    /// One sweep's observations and signatures of pictures, every camera online.
    static func sweep(_ state: inout MonitorState, _ number: Int, pictures: [String: [UInt8]],
                      rules: StateRules = StateRules(frozenAfter: 3)) throws -> [Transition] {
        var observations: [String: (observation: Observation, snapshotHash: String?)] = [:]
        var signatures: [String: PictureSignature] = [:]
        for (id, bytes) in pictures {
            observations[id] = (Observation(status: .online, reason: .ok), ContentHash.fingerprintHex(bytes))
            signatures[id] = PictureSignature(try JPEGDCDecoder.decode(bytes))
        }
        return state.record(observations, startedAt: time(number * 15), finishedAt: time(number * 15 + 1), rules: rules,
                            pictures: signatures).transitions
    }

    @Test func aFrozenSensorWithATickingClockIsFrozenAndLiveCamerasAreNot() throws {
        var state = MonitorState()
        var alerts: [String: [Transition.Alert]] = [:]
        var previous: [String: [UInt8]] = [:]
        for number in 0..<5 {
            let pictures = ["frozen": try FrozenCorpus.frozen(number),
                            "frozen-requantised": try FrozenCorpus.frozen(number, quality: number % 2 == 0 ? 85 : 70),
                            "still-live": try FrozenCorpus.stillLive(number), "moving": FrozenCorpus.moving[number]]
            // The clock changes the bytes every sweep: the hash alone never sees these pictures repeat.
            #expect(pictures.allSatisfy { previous[$0.key] != $0.value })
            previous = pictures
            for transition in try Self.sweep(&state, number, pictures: pictures) {
                if let alert = transition.alert { alerts[transition.cameraID, default: []].append(alert) }
            }
            let frozen = Set(state.cameras.filter { $0.value.frozen }.keys)
            #expect(frozen == (number >= 2 ? ["frozen", "frozen-requantised"] : []), "sweep \(number)")
        }
        #expect(alerts["frozen"] == [.frozen] && alerts["frozen-requantised"] == [.frozen])
        #expect(alerts["still-live"] == nil && alerts["moving"] == nil)
        #expect(state.cameras["frozen"]?.status == .degraded && state.cameras["frozen"]?.detail == "snapshot unchanged over 3 sweeps")
        #expect(state.cameras["still-live"]?.status == .online && state.cameras["moving"]?.status == .online)
    }

    @Test func whenTheWholeFleetStandsStillNoPictureCountsAsFrozen() throws {
        var state = MonitorState()
        // A still night: every camera's picture repeats (a second frozen sensor, and one more), so the fleet did
        // not move and no repeat is evidence.
        for number in 0..<4 {
            _ = try Self.sweep(&state, number, pictures: ["frozen": try FrozenCorpus.frozen(number),
                                                          "also-still": try FrozenCorpus.frozen(number, quality: 70)])
            #expect(state.cameras.values.allSatisfy { !$0.frozen && $0.snapshotRepeats == 0 }, "night sweep \(number)")
        }
        // Morning: the fleet moves again, and the frozen sensor's run starts from there.
        var frozenAt: Int?
        for number in 4..<8 {
            _ = try Self.sweep(&state, number, pictures: ["frozen": try FrozenCorpus.frozen(number), "moving": FrozenCorpus.moving[number],
                                                          "still-live": try FrozenCorpus.stillLive(number)])
            if frozenAt == nil, state.cameras["frozen"]?.frozen == true { frozenAt = number }
        }
        #expect(frozenAt == 6, "the first morning sweep compares only the frozen sensor (the others are new), so it is held; then two repeats")
    }

    @Test func aFrozenFeedStaysFrozenThroughAStillNight() throws {
        var state = MonitorState()
        for number in 0..<3 {
            _ = try Self.sweep(&state, number, pictures: ["frozen": try FrozenCorpus.frozen(number), "moving": FrozenCorpus.moving[number]])
        }
        #expect(state.cameras["frozen"]?.frozen == true)
        // The moving camera goes dark for the night (its last picture repeats byte for byte: frozen too, by
        // its hash); the frozen one's repeats are held, so it neither thaws nor is announced again.
        var night: [Transition] = []
        for number in 3..<5 {
            night += try Self.sweep(&state, number, pictures: ["frozen": try FrozenCorpus.frozen(number),
                                                               "moving": FrozenCorpus.moving[2], "other-still": FrozenCorpus.moving[2]])
        }
        #expect(state.cameras["frozen"]?.frozen == true)
        #expect(!night.contains { $0.cameraID == "frozen" && $0.alert != nil })
    }

    @Test func signaturesSurviveInTheirOwnFileAndALostFileHoldsTheRun() throws {
        let directory = TemporaryDirectory("frozen-store")
        let store = MonitorStore(stateDirectory: directory.path, monitor: "pictures")
        var loaded = try store.load()
        for number in 0..<3 {
            var state = loaded.state
            let entry = try Self.recordedEntry(&state, number)
            try store.commit(entry, state: state, after: &loaded)
            loaded = try store.load()
        }
        #expect(loaded.state.pictureSignatures.count == 2, "read back from pictures.bin")
        #expect(loaded.state.cameras["frozen"]?.frozen == true)
        // The journal says which repeats were held; a sweep with every picture the same holds them.
        let journal = String(decoding: try #require(FileManager.default.contents(atPath: store.journalPath)), as: UTF8.self)
        #expect(journal.contains("\"same_snapshot\":true"))

        // Damaged: no signatures at all, and the frozen feed is held (not thawed) for the sweep after.
        var bytes = try #require(FileManager.default.contents(atPath: store.files.picturesPath))
        bytes[bytes.count - 3] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: store.files.picturesPath))
        loaded = try store.load()
        #expect(loaded.state.pictureSignatures.isEmpty)
        var state = loaded.state
        let entry = try Self.recordedEntry(&state, 3)
        #expect(entry.changed["frozen"]?.pictureHeld == true)
        #expect(state.cameras["frozen"]?.frozen == true)
        try store.commit(entry, state: state, after: &loaded)
        #expect(try store.load().state.pictureSignatures.count == 2, "written again")
        // Replaying the journal alone gives the same camera states.
        var replayed = MonitorState()
        try store.sweeps { replayed.apply($0) }
        #expect(replayed.cameras == state.cameras)
    }

    static func recordedEntry(_ state: inout MonitorState, _ number: Int) throws -> SweepEntry {
        var observations: [String: (observation: Observation, snapshotHash: String?)] = [:]
        var signatures: [String: PictureSignature] = [:]
        for (id, bytes) in ["frozen": try FrozenCorpus.frozen(number), "moving": FrozenCorpus.moving[number]] {
            observations[id] = (Observation(status: .online, reason: .ok), ContentHash.fingerprintHex(bytes))
            signatures[id] = PictureSignature(try JPEGDCDecoder.decode(bytes))
        }
        return state.record(observations, startedAt: time(number * 15), finishedAt: time(number * 15 + 1), rules: StateRules(frozenAfter: 3),
                            pictures: signatures).entry
    }
}
