import Localization

/// A pull scanner of the XML inside an Office package: start tags, end tags and text, one event at a time,
/// with names compared without their namespace prefix (`x:c` is `c`; writers differ in prefixes, never in
/// local names).
///
/// Written for a sheet of a million cells: an event allocates nothing; names and attributes are ranges of the
/// input until asked for. Comments, processing instructions and a DOCTYPE are skipped (its entities never
/// defined, so no entity bomb); CDATA is text. Catalog's `MarkupScanner` serves platforms' messages, which are
/// small and quirky; this one serves machine-written parts, large and regular. Not thread-safe: one scanner
/// per part.
struct XMLScanner {
    enum Event: Equatable {
        case start
        /// `<name/>`: a start immediately followed by its end, which is not reported separately.
        case empty
        case end
        case text
    }

    private let bytes: [UInt8]
    private let part: String
    private var index = 0
    /// The local name of the tag just scanned.
    private var name: Range<Int> = 0..<0
    /// The attributes of the start tag just scanned: local names and raw values (entities unresolved).
    private var attributes: [(name: Range<Int>, value: Range<Int>)] = []
    /// The text just scanned, raw; `textIsCDATA` when it came from a CDATA section (taken literally).
    private var textRange: Range<Int> = 0..<0
    private var textIsCDATA = false

    init(bytes: [UInt8], part: String) {
        self.bytes = bytes
        self.part = part
    }

    /// The next event, nil at the end of the part.
    mutating func next() throws(WorkbookError) -> Event? {
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                let start = index
                while index < bytes.count && bytes[index] != UInt8(ascii: "<") { index += 1 }
                textRange = start..<index
                textIsCDATA = false
                return .text
            }
            guard index + 1 < bytes.count else { throw cutOff }
            switch bytes[index + 1] {
            case UInt8(ascii: "/"):
                index += 2
                name = scanName()
                skipSpaces()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { throw malformed("an end tag is not closed") }
                index += 1
                return .end
            case UInt8(ascii: "?"):
                try skip(past: "?>")
            case UInt8(ascii: "!"):
                if starts(with: "<![CDATA[") {
                    let start = index + 9
                    try skip(past: "]]>")
                    textRange = start..<(index - 3)
                    textIsCDATA = true
                    return .text
                }
                if starts(with: "<!--") { try skip(past: "-->") } else { try skipDeclaration() }
            default:
                index += 1
                return try startTag()
            }
        }
        return nil
    }

    private mutating func startTag() throws(WorkbookError) -> Event {
        name = scanName()
        guard !name.isEmpty else { throw malformed("a '<' that starts no tag") }
        attributes.removeAll(keepingCapacity: true)
        while true {
            skipSpaces()
            guard index < bytes.count else { throw cutOff }
            switch bytes[index] {
            case UInt8(ascii: ">"):
                index += 1
                return .start
            case UInt8(ascii: "/"):
                guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else { throw malformed("a '/' inside a tag") }
                index += 2
                return .empty
            default:
                let attribute = scanName()
                guard !attribute.isEmpty else { throw malformed("an unexpected character inside a tag") }
                skipSpaces()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw malformed("an attribute without a value") }
                index += 1
                skipSpaces()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                    throw malformed("an attribute value without quotes")
                }
                let quote = bytes[index]
                let start = index + 1
                index = start
                while index < bytes.count && bytes[index] != quote { index += 1 }
                guard index < bytes.count else { throw cutOff }
                attributes.append((attribute, start..<index))
                index += 1
            }
        }
    }

    // MARK: what was scanned

    /// Whether the tag just scanned has this local name.
    func isNamed(_ local: StaticString) -> Bool { equals(name, local) }

    /// The value of the start tag's attribute of that local name, entities resolved.
    func attribute(_ local: StaticString) -> String? {
        guard let found = attributes.first(where: { equals($0.name, local) }) else { return nil }
        return String(decoding: XMLEntities.resolving(bytes[found.value]), as: UTF8.self)
    }

    /// The attribute's raw bytes (no entities resolved): for numbers and cell references, which have none.
    func rawAttribute(_ local: StaticString) -> ArraySlice<UInt8>? {
        attributes.first(where: { equals($0.name, local) }).map { bytes[$0.value] }
    }

    /// The text just scanned, entities resolved.
    var text: [UInt8] { textIsCDATA ? Array(bytes[textRange]) : XMLEntities.resolving(bytes[textRange]) }

    /// Appends the text just scanned, entities resolved, without a copy of its own when it has none.
    func appendText(to target: inout [UInt8]) {
        let raw = bytes[textRange]
        if textIsCDATA || !raw.contains(UInt8(ascii: "&")) { target.append(contentsOf: raw) } else { target += XMLEntities.resolving(raw) }
    }

    /// The text just scanned, raw: for values that are numbers.
    var rawText: ArraySlice<UInt8> { bytes[textRange] }

    // MARK: scanning

    /// A name; its namespace prefix, when it has one, is left out of the range.
    private mutating func scanName() -> Range<Int> {
        var start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") {
                start = index + 1
            } else if Self.isSpace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
                        || byte == UInt8(ascii: "<") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                break
            }
            index += 1
        }
        return start..<index
    }

    private mutating func skipSpaces() {
        while index < bytes.count && Self.isSpace(bytes[index]) { index += 1 }
    }

    private func starts(with literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { pattern in (0..<count).allSatisfy { bytes[index + $0] == pattern[$0] } }
    }

    private mutating func skip(past terminator: StaticString) throws(WorkbookError) {
        while index < bytes.count {
            if starts(with: terminator) {
                index += terminator.utf8CodeUnitCount
                return
            }
            index += 1
        }
        throw cutOff
    }

    /// `<!DOCTYPE ...>` with any internal subset in brackets, skipped whole.
    private mutating func skipDeclaration() throws(WorkbookError) {
        var depth = 0
        index += 2
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "[") { depth += 1 }
            if byte == UInt8(ascii: "]") { depth -= 1 }
            if byte == UInt8(ascii: ">") && depth <= 0 { return }
        }
        throw cutOff
    }

    private func equals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        return literal.withUTF8Buffer { pattern in
            var position = range.lowerBound
            for byte in pattern {
                if bytes[position] != byte { return false }
                position += 1
            }
            return true
        }
    }

    private var cutOff: WorkbookError { .damaged(part: part, "ends in the middle of a tag (the file is cut off?)") }

    private func malformed(_ what: Message) -> WorkbookError { .damaged(part: part, "is not well-formed XML: \(what)") }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }
}
