import Registry
import Testing
import TestSupport
@testable import Probing

/// Consent is obeyed where cameras are touched: the transport never sees a camera without consent in
/// force, and a playback-only camera gets a TCP connect to its device and nothing else.
@Suite struct ConsentTests {
    static func citizen(_ serial: Int, scope: [ConsentScope], until: String?) -> CameraRecord {
        var camera = SweepRunnerTests.camera(serial, snapshot: "http://127.0.0.\(serial):8080/snapshot.jpg", rtsp: "rtsp://127.0.0.\(serial)/live")
        camera.source = .citizen
        camera.citizen.consentScope = scope
        camera.citizen.consentUntil = until.flatMap(CalendarDate.init(text:))
        return camera
    }

    @Test func theAllowanceFollowsScopeAndDate() {
        let today = InventoryFixtures.today
        #expect(SweepRunnerTests.camera(1).probeAllowance(on: today) == .everything, "public cameras")
        #expect(Self.citizen(2, scope: [.live, .playback], until: "2027-01-01").probeAllowance(on: today) == .everything)
        #expect(Self.citizen(3, scope: [.playback], until: "2027-01-01").probeAllowance(on: today) == .reachabilityOnly)
        #expect(Self.citizen(4, scope: [.live], until: "2026-11-24").probeAllowance(on: today) == .everything, "the last day still counts")
        #expect(Self.citizen(5, scope: [.live], until: "2026-11-23").probeAllowance(on: today) == .nothing(reason: "consent expired on 2026-11-23"))
        #expect(Self.citizen(6, scope: [.live], until: nil).probeAllowance(on: today) == .nothing(reason: "no consent end date on record"))
        #expect(Self.citizen(7, scope: [], until: "2027-01-01").probeAllowance(on: today) == .nothing(reason: "no consent scope on record"))
    }

    @Test func camerasWithoutConsentAreNeverTouchedAndPlaybackOnlyOnesOnlyReached() async {
        let live = Self.citizen(2, scope: [.live], until: "2027-01-01")
        let playback = Self.citizen(3, scope: [.playback], until: "2027-01-01")
        let expired = Self.citizen(5, scope: [.live], until: "2026-01-31")
        let transport = ScriptedTransport([
            "rtsp://127.0.0.2/live": .reply(SweepRunnerTests.sdp),
            "http://127.0.0.2:8080/snapshot.jpg": .reply(SweepRunnerTests.jpeg),
            "http://127.0.0.3:554/": .reply(SweepRunnerTests.open),
        ])
        let outcome = await SweepRunner(transport: transport, probers: ProberTable.all, clock: transport.clock)
            .run(SweepPlan(cameras: [live, playback, expired], credentials: CredentialStore(profiles: [:]), settings: SweepSettings(),
                           today: InventoryFixtures.today))
        let urls = Set(transport.requests.map(\.url))
        #expect(!urls.contains { $0.contains("127.0.0.5") }, "the expired camera was not touched: \(urls)")
        #expect(urls.filter { $0.contains("127.0.0.3") } == ["http://127.0.0.3:554/"], "a connect to the device, no picture, no stream")
        #expect(transport.requests.first { $0.url.contains("127.0.0.3") }?.operation == .connect)
        #expect(outcome.withheld.map(\.camera.id) == [expired.id])
        #expect(outcome.withheld.first?.reason == .noConsent)
        #expect(outcome.withheld.first?.detail == "consent expired on 2026-01-31")
        let byID = Dictionary(uniqueKeysWithValues: outcome.outcomes.map { ($0.camera.id, $0) })
        #expect(byID[live.id]?.status == .online)
        #expect(byID[playback.id]?.status == .online)
        #expect(byID[playback.id]?.checks.map(\.kind) == [.tcp])
        #expect(outcome.total == 2, "withheld cameras are not in the sweep's total")
    }
}
