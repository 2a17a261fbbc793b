import Registry

/// Record completeness (一机一档合格率): cameras whose record passes every validation rule, over all
/// cameras in service or awaiting review. Retired cameras and recorders (NVR/DVR) are not counted.
///
/// A value type; safe to share between threads.
public struct RecordCompleteness: Sendable, Equatable {
    public var complete: Int
    public var total: Int

    /// complete / total, or 1 when there is nothing to count.
    public var rate: Double { total == 0 ? 1 : Double(complete) / Double(total) }

    /// Counts from the registry and the issues its validation found.
    public init(inventory: Inventory, issues: [InventoryIssue]) {
        let failing = Set(issues.lazy.filter { $0.severity == .error }.compactMap(\.cameraID))
        var complete = 0
        var total = 0
        for camera in inventory.cameras where camera.status != .retired && !camera.isRecorder {
            total += 1
            if !failing.contains(camera.id) { complete += 1 }
        }
        self.complete = complete
        self.total = total
    }
}
