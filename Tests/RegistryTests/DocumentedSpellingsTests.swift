import Foundation
import Testing
@testable import Registry

/// The "Accepted spellings" and "Column headers" tables of docs/inventory-format.md, read back and fed to the
/// parsers: every documented spelling reads as documented, and the parsers know no spelling the doc lacks.
@Suite struct DocumentedSpellingsTests {
    static let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/inventory-format.md").standardized.path

    /// The rows (cells, without the header and separator rows) of the first table after `heading`.
    static func table(after heading: String) throws -> [[String]] {
        let text = try String(contentsOfFile: document, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: heading), "docs/inventory-format.md has no '\(heading)'")
        let rows = lines[(start + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }
        return rows.dropFirst(2).map { line in
            line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    /// The `quoted` parts of a cell.
    static func quoted(_ cell: String) -> [String] {
        cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// What the registry stores for `text` of a kind, through the parser the import uses.
    static func parsed(_ kind: String, _ text: String) throws -> String {
        func field(_ field: CameraField) throws -> String {
            var record = CameraRecord(id: "45012801001320000001", name: "x", village: try VillageCode.parse("450128101201").get())
            try record.set(field, text: text)
            return try #require(record.text(of: field))
        }
        switch kind {
        case "source": return try field(.source)
        case "status": return try field(.status)
        case "direction": return try field(.direction)
        case "yes/no": return try field(.signage)
        case "consent scope": return try field(.consentScope)
        case "date": return try field(.installedOn)
        case "village kind":
            guard let kind = Spellings.lookUp(text, in: Spellings.villageKind) else { throw FieldProblem("not a kind") }
            return kind.rawValue
        case "coordinates":
            guard let system = CoordinateSystem(text: text) else { throw FieldProblem("not a coordinate system") }
            return system.rawValue
        case "phone":
            guard let phone = PhoneNumber.canonical(text) else { throw FieldProblem("not a phone") }
            // What the import stores is that one form.
            #expect(try field(.phone) == phone)
            return phone
        default:
            Issue.record("the doc has a kind '\(kind)' no test reads")
            return ""
        }
    }

    @Test func everyDocumentedSpellingReadsAsDocumented() throws {
        let rows = try Self.table(after: "### Accepted spellings")
        #expect(rows.count > 30, "the table was found")
        for row in rows {
            let (kind, spellings, stored) = (row[0], Self.quoted(row[1]), row[2])
            #expect(!spellings.isEmpty, "\(row)")
            for spelling in spellings {
                if stored.hasPrefix("refused") {
                    do {
                        let value = try Self.parsed(kind, spelling)
                        Issue.record("\(kind) '\(spelling)' is documented as refused but reads as \(value)")
                    } catch let problem as FieldProblem {
                        if let reason = Self.quoted(stored).first {
                            #expect(problem.message.rendered(in: .english).contains(reason), "\(kind) '\(spelling)': \(problem)")
                        }
                    }
                } else {
                    #expect(try Self.parsed(kind, spelling) == Self.quoted(stored).first, "\(kind) '\(spelling)'")
                    // Case and surrounding spaces make no difference.
                    #expect(try Self.parsed(kind, " \(spelling.uppercased()) ") == Self.quoted(stored).first, "\(kind) ' \(spelling.uppercased()) '")
                }
            }
        }
    }

    @Test func theParsersKnowNoUndocumentedSpelling() throws {
        let rows = try Self.table(after: "### Accepted spellings")
        func documented(_ kind: String) -> [String] { rows.filter { $0[0] == kind }.flatMap { Self.quoted($0[1]) }.sorted() }
        #expect(documented("source") == Spellings.source.map(\.spelling).sorted())
        #expect(documented("status") == Spellings.status.map(\.spelling).sorted())
        #expect(documented("village kind") == Spellings.villageKind.map(\.spelling).sorted())
        #expect(documented("direction") == Spellings.direction.map(\.spelling).sorted())
        #expect(documented("yes/no") == Spellings.boolean.map(\.spelling).sorted())
        #expect(documented("consent scope") == Spellings.consentScope.map(\.spelling).sorted())
        #expect(documented("coordinates") == Spellings.coordinateSystem.map(\.spelling).sorted())
    }

    @Test func everyDocumentedHeaderNamesItsColumnAndNoOtherIsRead() throws {
        let rows = try Self.table(after: "### Column headers")
        var documented: [String] = []
        for row in rows {
            let headers = Self.quoted(row[1])
            #expect(!headers.isEmpty, "\(row)")
            guard let column = Self.quoted(row[0]).first else {
                // The ignored ones.
                for header in headers { #expect(SpreadsheetImport.cameraColumn(named: header) == nil, "\(header) is read") }
                continue
            }
            for header in headers {
                documented.append(header)
                #expect(SpreadsheetImport.cameraColumn(named: header)?.key == column, "\(header) → \(column)")
                // As templates and hand-typed headers write them.
                #expect(SpreadsheetImport.cameraColumn(named: " \(header.uppercased().replacingOccurrences(of: "(", with: "（"))* ")?.key == column)
            }
        }
        #expect(documented.sorted() == SpreadsheetImport.cameraHeaders.map(\.header).sorted())
        let normalised = SpreadsheetImport.cameraHeaders.map { SpreadsheetImport.normalisedHeader($0.header) }
        #expect(Set(normalised).count == normalised.count, "no header names two columns")
    }
}
