/// Whether a place is a rural village (村) or an urban community (社区).
public enum VillageKind: String, Sendable, CaseIterable, Codable {
    case village
    case community
}

/// A point that must be watched (重点点位): a village entrance, a school gate, a main crossing.
public struct KeyPoint: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var latitude: Double?
    public var longitude: Double?

    public init(id: String, name: String, latitude: Double? = nil, longitude: Double? = nil) {
        self.id = id
        self.name = name
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// A village or community (村/社区) of the registry, with the key points its cameras must watch.
///
/// A value type; safe to share between threads.
public struct Village: Hashable, Sendable {
    public var code: VillageCode
    public var name: String
    public var kind: VillageKind
    public var township: String
    public var station: String
    public var keyPoints: [KeyPoint]

    public init(code: VillageCode, name: String, kind: VillageKind, township: String, station: String, keyPoints: [KeyPoint] = []) {
        self.code = code
        self.name = name
        self.kind = kind
        self.township = township
        self.station = station
        self.keyPoints = keyPoints
    }
}
