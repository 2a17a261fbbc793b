/// The registry in memory: villages and their cameras, with where each record came from.
///
/// A value type; safe to share between threads. Changes are made on a copy inside
/// ``InventoryStore/update(_:)``, which writes the villages they touched.
public struct Inventory: Sendable {
    public private(set) var villages: [VillageCode: Village]
    public private(set) var cameras: [CameraRecord]
    /// Where each camera came from, index for index with `cameras`.
    public private(set) var origins: [RecordOrigin]
    /// Where each village came from (its `[village]` line).
    public private(set) var villageOrigins: [VillageCode: RecordOrigin]
    /// Problems met while reading files (syntax, unknown keys, values that do not parse).
    public internal(set) var readIssues: [InventoryIssue]
    /// Villages whose file must be written because something in them changed.
    public private(set) var changedVillages: Set<VillageCode> = []
    /// Cameras added or changed since loading.
    public private(set) var changedCameraIDs: Set<String> = []
    private var indexByID: [String: Int]

    public init() {
        villages = [:]
        cameras = []
        origins = []
        villageOrigins = [:]
        readIssues = []
        indexByID = [:]
    }

    init(villages: [VillageCode: Village], villageOrigins: [VillageCode: RecordOrigin], cameras: [CameraRecord],
         origins: [RecordOrigin], readIssues: [InventoryIssue]) {
        self.villages = villages
        self.villageOrigins = villageOrigins
        self.cameras = cameras
        self.origins = origins
        self.readIssues = readIssues
        var index: [String: Int] = [:]
        index.reserveCapacity(cameras.count)
        // The first record wins the index; the validator reports the duplicates.
        for (position, camera) in cameras.enumerated() where index[camera.id] == nil { index[camera.id] = position }
        self.indexByID = index
    }

    /// The camera with this id.
    public func camera(id: String) -> CameraRecord? { indexByID[id].map { cameras[$0] } }

    /// Where the camera with this id came from.
    public func origin(ofCamera id: String) -> RecordOrigin? { indexByID[id].map { origins[$0] } }

    /// Villages sorted by code.
    public var sortedVillages: [Village] { villages.values.sorted { $0.code < $1.code } }

    /// Adds a camera, or replaces the one with the same id (moving it if its village changed).
    /// Returns whether anything changed.
    @discardableResult
    public mutating func upsert(_ camera: CameraRecord, origin: RecordOrigin) -> Bool {
        if let position = indexByID[camera.id] {
            let previous = cameras[position]
            guard previous != camera else { return false }
            changedVillages.insert(previous.village)
            cameras[position] = camera
            origins[position] = origin
        } else {
            indexByID[camera.id] = cameras.count
            cameras.append(camera)
            origins.append(origin)
        }
        changedVillages.insert(camera.village)
        changedCameraIDs.insert(camera.id)
        return true
    }

    /// Adds a village, or replaces the one with the same code. Returns whether anything changed.
    @discardableResult
    public mutating func upsert(_ village: Village, origin: RecordOrigin) -> Bool {
        guard villages[village.code] != village else { return false }
        villages[village.code] = village
        villageOrigins[village.code] = origin
        changedVillages.insert(village.code)
        return true
    }
}
