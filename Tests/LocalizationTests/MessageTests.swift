import Foundation
import Localization
import Testing

@Suite struct MessageTests {
    @Test func englishFillsArgumentsInOrder() {
        let message: Message = "has \(3) fields; the header has \(5)"
        #expect(message.key == "has {} fields; the header has {}")
        #expect(message.rendered(in: .english) == "has 3 fields; the header has 5")
    }

    @Test func positionalPlaceholdersReorder() {
        #expect(Message.fill("第{2}行，共{1}", ["9", "4"]) == "第4行，共9")
        #expect(Message.fill("{}、{}", ["a", "b"]) == "a、b")
        // A brace that is not a placeholder stays as it is.
        #expect(Message.fill("{x} {}", ["a"]) == "{x} a")
    }

    @Test func unknownKeysFallBackToEnglishAndAreNoted() {
        let collector = UntranslatedMessages()
        let text = OutputLocale.$untranslated.withValue(collector) {
            Message("no such sentence \(1) in the catalogue").rendered(in: .chinese)
        }
        #expect(text == "no such sentence 1 in the catalogue")
        #expect(collector.keys == ["no such sentence {} in the catalogue"])
    }

    @Test func verbatimTextIsNeverLookedUp() {
        let collector = UntranslatedMessages()
        let text = OutputLocale.$untranslated.withValue(collector) { Message(verbatim: "Couldn't connect").rendered(in: .chinese) }
        #expect(text == "Couldn't connect")
        #expect(collector.keys.isEmpty)
    }

    @Test func everyCatalogueEntryPlacesEveryArgument() {
        for (key, template) in ChineseCatalogue.entries {
            #expect(Message.placeholderCount(key) == Message.placeholderCount(template), "\(key) → \(template)")
        }
    }

    @Test func noKeyHasTwoTexts() {
        #expect(ChineseCatalogue.conflicts.isEmpty)
    }

    @Test(arguments: [
        (["LANG": "zh_CN.UTF-8"], Language.chinese), (["LANG": "en_US.UTF-8"], .english), ([:], .english),
        (["LANG": "zh_CN.UTF-8", "LC_ALL": "C"], .english), (["LC_MESSAGES": "zh_TW.UTF-8", "LANG": "C"], .chinese),
        (["LC_ALL": "", "LANG": "zh_CN.GB18030"], .chinese),
    ])
    func localeDecidesTheLanguage(environment: [String: String], expected: Language) {
        #expect(Language.fromLocale(environment) == expected)
    }

    @Test func localTimesCarryTheZone() throws {
        let shanghai = try #require(OutputLocale.timeZone(environment: ["TZ": "Asia/Shanghai"]))
        let locale = OutputLocale(language: .chinese, timeZone: shanghai)
        let moment = try #require(ISO8601DateFormatter().date(from: "2026-12-02T16:30:05Z"))
        // After 16:00 UTC the Beijing date is the next day.
        #expect(locale.second(moment) == "2026-12-03 00:30:05")
        #expect(locale.day(moment) == "2026-12-03")
        #expect(locale.zoneNote(at: moment) == "Asia/Shanghai, UTC+08:00")
        #expect(OutputLocale.timeZone(environment: ["TZ": ":Asia/Shanghai"])?.identifier == "Asia/Shanghai")
        #expect(OutputLocale.timeZone(environment: ["TZ": "Nowhere/Else"]) == nil)
    }
}
