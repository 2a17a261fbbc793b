import Localization
import Probing
import Registry
import Testing

@Suite struct LocalizedNameTests {
    private func chinese<T>(_ body: () -> T) -> T {
        OutputLocale.$current.withValue(OutputLocale(language: .chinese)) { body() }
    }

    /// A reason a sweep can report must have a Chinese name: the officer reads 超时, not timeout.
    @Test(arguments: ReasonCode.allCases)
    func everyReasonHasAChineseName(reason: ReasonCode) {
        let collector = UntranslatedMessages()
        let name = OutputLocale.$untranslated.withValue(collector) { chinese { reason.localizedName } }
        #expect(collector.keys.isEmpty, "no Chinese name for reason \(reason.rawValue)")
        #expect(name.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "\(reason.rawValue) → \(name)")
    }

    @Test func namesAreDistinct() {
        let names = chinese { ReasonCode.allCases.map(\.localizedName) }
        #expect(Set(names).count == names.count)
    }

    @Test func everyOtherValueHasAChineseName() {
        let collector = UntranslatedMessages()
        let names = OutputLocale.$untranslated.withValue(collector) {
            chinese {
                HealthStatus.allCases.map(\.localizedName) + CheckKind.allCases.map(\.localizedName)
                    + CameraStatus.allCases.map(\.localizedName) + CameraSource.allCases.map(\.localizedName)
                    + VillageKind.allCases.map(\.localizedName)
            }
        }
        #expect(collector.keys.isEmpty)
        #expect(chinese { HealthStatus.allCases.map(\.localizedName) } == ["在线", "异常", "离线"])
        #expect(names.count == 3 + CheckKind.allCases.count + 3 + 2 + 2)
    }

    @Test func englishKeepsTheIdentifiers() {
        #expect(ReasonCode.connectionRefused.localizedName == "connection-refused")
        #expect(HealthStatus.degraded.localizedName == "degraded")
    }
}
