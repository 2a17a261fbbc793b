import Testing
@testable import Reports

@Suite struct TextTableTests {
    @Test(arguments: [("abc", 3), ("青山村", 6), ("东门社区 A", 10), ("é", 1), ("e\u{301}", 1), ("", 0), ("１２", 4)])
    func displayWidth(text: String, width: Int) {
        #expect(TextTable.displayWidth(text) == width)
    }

    @Test func columnsStayAlignedWithChineseNames() {
        var table = TextTable(headers: ["NAME", "RATE"], alignments: [.left, .right])
        table.append(["青山村", "97.5%"])
        table.append(["Dongmen community", "100.0%"])
        table.append(["龙泉镇水口村", "5.0%"])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines == [
            "NAME                 RATE",
            "青山村              97.5%",
            "Dongmen community  100.0%",
            "龙泉镇水口村         5.0%",
        ])
        #expect(Set(lines.map(TextTable.displayWidth)).count == 1, "every line takes the same number of columns")
    }

    @Test(arguments: [(0.0, "0.0%"), (1.0, "100.0%"), (0.9999, "99.9%"), (0.7688, "76.9%"), (0.5, "50.0%")])
    func percentages(rate: Double, text: String) {
        #expect(Percent.text(rate) == text)
    }
}
