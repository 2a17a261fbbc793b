import Testing
@testable import Registry

/// Distances, China's bounding box and a village's middle, against numbers worked out by hand.
@Suite struct GeoPositionTests {
    /// Known distances: one minute of latitude is a nautical mile (1,852 m, by definition close to it on the
    /// sphere); Nanning to Beijing is about 2,050 km.
    @Test func knownDistances() {
        #expect(abs(GeoPosition(latitude: 22, longitude: 108).distance(to: GeoPosition(latitude: 22 + 1.0 / 60, longitude: 108)) - 1853.2) < 1)
        #expect(abs(GeoPosition(latitude: 22.817, longitude: 108.366).distance(to: GeoPosition(latitude: 39.904, longitude: 116.407)) / 1000 - 2050) < 15)
        #expect(GeoPosition(latitude: 22.8, longitude: 108.3).distance(to: GeoPosition(latitude: 22.8, longitude: 108.3)) == 0)
    }

    @Test func theBoxCatchesSwappedCoordinatesAndLostSigns() {
        #expect(GeoPosition(latitude: 22.8, longitude: 108.3).isInChina)
        #expect(!GeoPosition(latitude: 108.3, longitude: 22.8).isInChina)
        #expect(!GeoPosition(latitude: 22.8, longitude: -108.3).isInChina)
        #expect(GeoPosition(latitude: 53.5, longitude: 122.3).isInChina, "Mohe, the north")
    }

    @Test func theMiddleIsTheMedianSoOneStrayPositionDoesNotMoveIt() {
        let village = [GeoPosition(latitude: 22.80, longitude: 108.30), GeoPosition(latitude: 22.81, longitude: 108.31),
                       GeoPosition(latitude: 39.90, longitude: 116.40)]
        #expect(GeoPosition.middle(of: village) == GeoPosition(latitude: 22.81, longitude: 108.31))
        #expect(GeoPosition.middle(of: Array(village.prefix(2))) == nil, "two positions have no majority")
    }
}
