import Foundation

/// A position on the WGS-84 ellipsoid, as the registry keeps it, with the checks and conversions that
/// need more than a range: distance, "in China", and GCJ-02 (what Chinese map apps show) to WGS-84.
///
/// A value type; safe to share between threads.
public struct GeoPosition: Sendable, Equatable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// The great-circle distance in metres (haversine, on a sphere of the Earth's mean radius: within 0.5%,
    /// plenty for "is this camera in its village").
    public func distance(to other: GeoPosition) -> Double {
        let radians = Double.pi / 180
        let deltaLatitude = (other.latitude - latitude) * radians
        let deltaLongitude = (other.longitude - longitude) * radians
        let a = sin(deltaLatitude / 2) * sin(deltaLatitude / 2)
            + cos(latitude * radians) * cos(other.latitude * radians) * sin(deltaLongitude / 2) * sin(deltaLongitude / 2)
        return 2 * 6_371_008.8 * asin(min(1, sqrt(a)))
    }

    /// Within China's bounding box (latitude 3.8–53.6, longitude 73.5–135.1). Coarse on purpose: it catches
    /// swapped coordinates, a sign lost and a position from another country, not a wrong province.
    public var isInChina: Bool { (3.8...53.6).contains(latitude) && (73.5...135.1).contains(longitude) }

    /// The middle of `positions`: the median latitude and the median longitude, so that one camera placed
    /// wrongly does not move it. Nil with fewer than three positions (no majority to compare with).
    public static func middle(of positions: [GeoPosition]) -> GeoPosition? {
        guard positions.count >= 3 else { return nil }
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        return GeoPosition(latitude: median(positions.map(\.latitude)), longitude: median(positions.map(\.longitude)))
    }
}

extension Inventory {
    /// The middle of each village's camera positions (`GeoPosition.middle`), for the villages given or all.
    public func villageMiddles(_ villages: Set<VillageCode>? = nil) -> [VillageCode: GeoPosition] {
        var positions: [VillageCode: [GeoPosition]] = [:]
        for camera in cameras where villages?.contains(camera.village) ?? true {
            guard let latitude = camera.latitude, let longitude = camera.longitude, latitude != 0 || longitude != 0 else { continue }
            positions[camera.village, default: []].append(GeoPosition(latitude: latitude, longitude: longitude))
        }
        return positions.compactMapValues(GeoPosition.middle)
    }
}

/// The coordinate system a sheet's positions are in (column `coordinates` / `坐标系`). The registry keeps
/// WGS-84 (GPS, GB/T 28181 catalogs); map apps in China (Amap/Gaode, Tencent, Google China) show GCJ-02,
/// which is 300-500 m off in most of the country.
public enum CoordinateSystem: String, Sendable, CaseIterable {
    case wgs84
    case gcj02

    /// Accepts the spellings of `Spellings.coordinateSystem` (spaces ignored); an empty cell is WGS-84; nil otherwise.
    public init?(text: String) {
        let key = text.replacingOccurrences(of: " ", with: "")
        if key.isEmpty {
            self = .wgs84
            return
        }
        guard let system = Spellings.lookUp(key, in: Spellings.coordinateSystem) else { return nil }
        self = system
    }
}

extension GeoPosition {
    /// GCJ-02's offset (the Krasovsky ellipsoid and the polynomial-and-sine offsets of the published
    /// GCJ-02 algorithm, as in the open transforms that map apps agree with) for a WGS-84 position in
    /// China; unchanged outside the box, where GCJ-02 is not applied.
    public var gcj02: GeoPosition {
        guard isInChina else { return self }
        let semiMajorAxis = 6_378_245.0
        let eccentricitySquared = 0.006_693_421_622_965_943_23
        let x = longitude - 105, y = latitude - 35
        let pi = Double.pi
        let periodic = (20 * sin(6 * pi * x) + 20 * sin(2 * pi * x)) * 2 / 3
        var latitudeOffset = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x)) + periodic
            + (20 * sin(pi * y) + 40 * sin(pi * y / 3)) * 2 / 3 + (160 * sin(pi * y / 12) + 320 * sin(pi * y / 30)) * 2 / 3
        var longitudeOffset = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x)) + periodic
            + (20 * sin(pi * x) + 40 * sin(pi * x / 3)) * 2 / 3 + (150 * sin(pi * x / 12) + 300 * sin(pi * x / 30)) * 2 / 3
        let radians = latitude * pi / 180
        let magic = 1 - eccentricitySquared * sin(radians) * sin(radians)
        latitudeOffset = latitudeOffset * 180 / ((semiMajorAxis * (1 - eccentricitySquared)) / (magic * sqrt(magic)) * pi)
        longitudeOffset = longitudeOffset * 180 / (semiMajorAxis / sqrt(magic) * cos(radians) * pi)
        return GeoPosition(latitude: latitude + latitudeOffset, longitude: longitude + longitudeOffset)
    }

    /// The WGS-84 position whose GCJ-02 is this one. GCJ-02 has no closed inverse: this iterates the forward
    /// transform until it lands within 1e-9 degrees (a tenth of a millimetre), where the usual one-step
    /// reversal is off by up to a metre or two.
    public var wgs84FromGCJ02: GeoPosition {
        var estimate = self
        for _ in 0..<30 {
            let forward = estimate.gcj02
            let error = (forward.latitude - latitude, forward.longitude - longitude)
            if abs(error.0) < 1e-9 && abs(error.1) < 1e-9 { break }
            estimate = GeoPosition(latitude: estimate.latitude - error.0, longitude: estimate.longitude - error.1)
        }
        return estimate
    }
}
