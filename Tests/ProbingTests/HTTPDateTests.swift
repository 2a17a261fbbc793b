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
        // The same 29 bytes as the usual form, so the positional reader sees them first; it must refuse them too.
        "Xyz, 24 Nov 2026 06:21:35 GMT", "Tue, 31 Nov 2026 06:21:35 GMT", "Tue, 24 Nov 2026 06:61:35 GMT", "Tue, 2x Nov 2026 06:21:35 GMT",
    ])
    func refuses(text: String) {
        #expect(HTTPDate.secondsSinceEpoch(text) == nil)
    }

    @Test func thePositionalReaderAgreesWithTheGeneralOne() {
        // A day of every month, odd hours, a leap day: the fast path's answer is the general path's.
        for text in ["Sat, 29 Feb 2020 23:59:59 GMT", "Mon, 01 Jan 2024 00:00:00 GMT", "Fri, 15 Aug 2025 12:34:56 GMT",
                     "Wed, 31 Dec 2036 07:08:09 GMT", "Sun, 30 Jun 2030 18:00:60 GMT"] {
            let fast = HTTPDate.imfFixdate(text)
            #expect(fast != nil, "\(text)")
            #expect(fast == HTTPDate.secondsSinceEpoch(text.replacingOccurrences(of: " GMT", with: " UTC")), "\(text)")
        }
    }

    @Test func clockOffsetIsHeaderMinusNow() {
        #expect(HTTPDate.clockOffsetSeconds(dateHeader: "Tue, 24 Nov 2026 06:26:35 GMT", now: Double(Fixtures.referenceSeconds)) == 300)
        #expect(HTTPDate.clockOffsetSeconds(dateHeader: Fixtures.referenceDateHeader, now: Double(Fixtures.referenceSeconds) + 0.5) == -0.5)
        #expect(HTTPDate.clockOffsetSeconds(dateHeader: nil, now: 0) == nil)
        #expect(HTTPDate.clockOffsetSeconds(dateHeader: "soon", now: 0) == nil)
    }
}
