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

/// GCJ-02 against the pair published with the open coordtransform libraries (WGS-84 116.404 E, 39.915 N is
/// GCJ-02 116.41024449916938 E, 39.91640428150164 N), and back.
@Suite struct GCJ02Tests {
    @Test func theForwardTransformMatchesThePublishedPair() {
        let gcj = GeoPosition(latitude: 39.915, longitude: 116.404).gcj02
        #expect(abs(gcj.longitude - 116.41024449916938) < 1e-9 && abs(gcj.latitude - 39.91640428150164) < 1e-9, "\(gcj)")
    }

    @Test func theInverseReturnsTheWGS84PositionToATenthOfAMillimetre() {
        let wgs = GeoPosition(latitude: 39.91640428150164, longitude: 116.41024449916938).wgs84FromGCJ02
        #expect(wgs.distance(to: GeoPosition(latitude: 39.915, longitude: 116.404)) < 1e-4, "\(wgs)")
        // Nanning: the offset is a few hundred metres, and the round trip closes.
        let nanning = GeoPosition(latitude: 22.817, longitude: 108.366)
        let shifted = nanning.gcj02
        #expect((200...700).contains(nanning.distance(to: shifted)), "\(nanning.distance(to: shifted)) m")
        #expect(shifted.wgs84FromGCJ02.distance(to: nanning) < 1e-4)
        #expect(GeoPosition(latitude: 35.7, longitude: 139.7).gcj02 == GeoPosition(latitude: 35.7, longitude: 139.7), "not applied outside China")
    }

    @Test(arguments: [("gcj02", CoordinateSystem.gcj02), ("GCJ-02", .gcj02), ("火星坐标", .gcj02), ("WGS-84", .wgs84), ("gps", .wgs84), ("", .wgs84)])
    func spellings(_ text: String, _ system: CoordinateSystem) {
        #expect(CoordinateSystem(text: text) == system)
    }
}
