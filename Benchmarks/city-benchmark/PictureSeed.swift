import Foundation
import Monitoring
import PictureQuality
import Probing

/// Puts a picture-share monitor in the state of one a full period old (`picture-benchmark.sh` with SHARE):
/// after its first sweep, which diagnosed only the cameras whose turn came, every camera gets a normal held
/// picture and a signature, recorded as a sweep one interval ago. The monitor's next sweep then diagnoses
/// its share against a full state, as every sweep after the first period does: every held verdict to carry
/// into the kept sweep, every signature to read and write.
struct PictureSeed {
    var stateDirectory: String
    var monitorPath: String

    func run() throws {
        let monitor = try MonitorDefinition.load(path: monitorPath)
        let store = MonitorStore(stateDirectory: stateDirectory, monitor: monitor.name)
        let lock = try store.lock()
        defer { withExtendedLifetime(lock) {} }
        var loaded = try store.load()
        var state = loaded.state
        guard let signature = state.pictureSignatures.values.first else {
            FileHandle.standardError.write(Data("seed-pictures: the monitor has no picture signature yet: run its first sweep\n".utf8))
            exit(65)
        }
        var observations: [String: (observation: Observation, snapshotHash: String?)] = [:]
        var pictures: [String: PictureSignature] = [:]
        for id in state.cameras.keys {
            var observation = Observation(status: .online, reason: .ok)
            observation.picture = []
            observations[id] = (observation, nil)
            pictures[id] = signature
        }
        let finished = Date().addingTimeInterval(-monitor.everySeconds)
        let (entry, _) = state.record(observations, startedAt: finished.addingTimeInterval(-1), finishedAt: finished,
                                      rules: StateRules(monitor), intervalSeconds: monitor.everySeconds, pictures: pictures)
        _ = try store.commit(entry, state: state, after: &loaded)
        print("seeded \(observations.count) cameras with a normal held picture and a signature")
    }
}
