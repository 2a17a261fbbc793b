import Testing
@testable import Reports

@Suite struct PrometheusTests {
    @Test(arguments: [("plain", "plain"), ("a\"b", "a\\\"b"), ("back\\slash", "back\\\\slash"), ("two\nlines", "two\\nlines"), ("青山村", "青山村")])
    func labelValuesAreEscapedPerTheExpositionFormat(raw: String, escaped: String) {
        #expect(PrometheusReport.escape(raw) == escaped)
    }

    @Test func numbersAreWrittenPlainly() {
        #expect(PrometheusReport.format(1) == "1")
        #expect(PrometheusReport.format(0.75) == "0.75")
        #expect(PrometheusReport.format(1_795_000_000) == "1795000000")
    }
}
