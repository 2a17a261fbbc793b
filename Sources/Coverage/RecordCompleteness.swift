import Registry

/// Record completeness (一机一档合格率), the one definition every output uses: cameras in service whose record
/// has no gap and no error, over cameras in service (active; recorders, pending and retired records are not
/// counted). A gap is something missing (`InventoryIssue.isGap`): gaps are findings, so an incomplete record
/// is registered, swept and counted here as incomplete.
///
/// A value type; safe to share between threads.
public struct RecordCompleteness: Sendable, Equatable {
    public var complete: Int
    public var total: Int
    /// The incomplete records of each maintainer (their work to do), most first; `(none)` for records that
    /// name no maintainer.
    public var incompleteByMaintainer: [(maintainer: String, cameras: [String])]

    /// complete / total, or nil when there is nothing to count.
    public var rate: Double? { total == 0 ? nil : Double(complete) / Double(total) }

    /// Whether the figure counts `camera`.
    public static func counts(_ camera: CameraRecord) -> Bool { camera.isActiveCamera }

    /// The cameras whose record has a gap or an error.
    public static func incompleteCameras(_ issues: [InventoryIssue]) -> Set<String> {
        Set(issues.lazy.filter { $0.severity == .error || $0.isGap }.compactMap(\.cameraID))
    }

    /// Counts from the registry and the issues its validation found.
    public init(inventory: Inventory, issues: [InventoryIssue]) {
        let incomplete = Self.incompleteCameras(issues)
        var complete = 0
        var total = 0
        var byMaintainer: [String: [String]] = [:]
        for camera in inventory.cameras where Self.counts(camera) {
            total += 1
            if incomplete.contains(camera.id) {
                byMaintainer[camera.maintainer ?? "(none)", default: []].append(camera.id)
            } else {
                complete += 1
            }
        }
        self.complete = complete
        self.total = total
        incompleteByMaintainer = byMaintainer.map { ($0.key, $0.value.sorted()) }
            .sorted { ($1.cameras.count, $0.maintainer) < ($0.cameras.count, $1.maintainer) }
    }

    public static func == (lhs: RecordCompleteness, rhs: RecordCompleteness) -> Bool {
        lhs.complete == rhs.complete && lhs.total == rhs.total
            && lhs.incompleteByMaintainer.elementsEqual(rhs.incompleteByMaintainer) { $0.maintainer == $1.maintainer && $0.cameras == $1.cameras }
    }
}
