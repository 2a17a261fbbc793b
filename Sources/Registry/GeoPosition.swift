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
