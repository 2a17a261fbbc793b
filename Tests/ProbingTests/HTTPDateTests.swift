import Testing
@testable import Probing
import Registry

@Suite struct HTTPDateTests {
    @Test(arguments: [
        ("Tue, 24 Nov 2026 06:21:35 GMT", Fixtures.referenceSeconds),
        ("Tuesday, 24-Nov-26 06:21:35 GMT", Fixtures.referenceSeconds),
        ("Tue Nov 24 06:21:35 2026", Fixtures.referenceSeconds),
        ("Tue Nov  4 06:21:35 2026", 1_793_773_295),
        // Hikvision's RTSP servers put the month before the day.
        ("Tue, Nov 24 2026 06:21:35 GMT", Fixtures.referenceSeconds),
        ("Tue, 24 Nov 2026 14:21:35 +0800", Fixtures.referenceSeconds),
        ("tue, 24 nov 2026 06:21:35 utc", Fixtures.referenceSeconds),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0),
    ])
    func parses(text: String, seconds: Int) {
        #expect(HTTPDate.secondsSinceEpoch(text) == seconds)
    }

    @Test(arguments: [
        "", "yesterday", "Tue, 24 Nov 2026 GMT", "Tue, 24 Nov 2026 06:21:35 CST", "Tue, 31 Feb 2026 06:21:35 GMT",
        "Tue, 24 Nov 2026 25:00:00 GMT", "Tue, 24 Foo 2026 06:21:35 GMT", "Tue, 24 Nov 2026 06:21 GMT", "1795501295",
    ])
    func refuses(text: String) {
        #expect(HTTPDate.secondsSinceEpoch(text) == nil)
    }

    @Test func clockOffsetIsHeaderMinusNow() {
        #expect(HTTPDate.clockOffsetSeconds(dateHeader: "Tue, 24 Nov 2026 06:26:35 GMT", now: Double(Fixtures.referenceSeconds)) == 300)
        #expect(HTTPDate.clockOffsetSeconds(dateHeader: Fixtures.referenceDateHeader, now: Double(Fixtures.referenceSeconds) + 0.5) == -0.5)
        #expect(HTTPDate.clockOffsetSeconds(dateHeader: nil, now: 0) == nil)
        #expect(HTTPDate.clockOffsetSeconds(dateHeader: "soon", now: 0) == nil)
    }
}
