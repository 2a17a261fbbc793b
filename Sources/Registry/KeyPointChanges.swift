import Localization
/// Key points are places cameras are registered to watch (`covers`): a change to a village's key points
/// must not leave a camera covering one that no longer exists (the registry would end a command invalid).
extension Inventory {
    /// For each key point of the stored village that `changed` no longer has, the ids of the cameras not
    /// retired that cover it, sorted; empty when nothing would be left dangling.
    public func camerasCoveringRemovedKeyPoints(_ changed: Village) -> [(keyPoint: String, cameras: [String])] {
        guard let stored = villages[changed.code] else { return [] }
        let kept = Set(changed.keyPoints.map(\.id))
        return stored.keyPoints.map(\.id).filter { !kept.contains($0) }.compactMap { removed in
            let covering = cameras.filter { $0.village == changed.code && $0.status != .retired && $0.covers.contains(removed) }.map(\.id).sorted()
            return covering.isEmpty ? nil : (removed, covering)
        }
    }

    /// The refusal for what `camerasCoveringRemovedKeyPoints` found, one issue per key point.
    public static func removedKeyPointIssues(_ dangling: [(keyPoint: String, cameras: [String])], village: VillageCode, file: String,
                                             line: Int?) -> [InventoryIssue] {
        dangling.map { keyPoint, cameras in
            InventoryIssue(file: file, line: line, subject: "village \(village)", field: "keypoint",
                           message: cameras.count == 1
                               ? "key point \(keyPoint) is covered by 1 camera (\(cameras[0])); keep it, or move it with --reassign \(keyPoint)=NEW_ID"
                               : "key point \(keyPoint) is covered by \(cameras.count) cameras "
                                   + "(\(cameras.prefix(10).joined(separator: ", ") + (cameras.count > 10 ? ", …" : ""))); keep it, "
                                   + "or move them with --reassign \(keyPoint)=NEW_ID")
        }
    }

    /// Moves the `covers` of `village`'s cameras from each old key point id to its new one (each id kept once).
    /// Returns how many cameras changed.
    @discardableResult
    public mutating func reassignKeyPoints(in village: VillageCode, _ reassign: [String: String]) -> Int {
        guard !reassign.isEmpty else { return 0 }
        var changed = 0
        for camera in cameras where camera.village == village && camera.covers.contains(where: { reassign[$0] != nil }) {
            var moved = camera
            var seen = Set<String>()
            moved.covers = camera.covers.map { reassign[$0] ?? $0 }.filter { seen.insert($0).inserted }
            upsert(moved, origin: origin(ofCamera: camera.id) ?? RecordOrigin(file: "command line", line: 0))
            changed += 1
        }
        return changed
    }
}
