import Workbook
/// One piece of markup: a start tag, an end tag, or text (entities and CDATA already resolved).
enum MarkupToken: Equatable {
    /// `<name ...>` or `<name .../>`; the name in ASCII lower case, since platforms differ (`<item>`).
    case start(name: String, attributes: [String: String], selfClosing: Bool, line: Int)
    case end(name: String, line: Int)
    case text([UInt8])
}

/// A tolerant, bounded scanner of the XML that GB/T 28181 platforms send, written by hand so that reading a
/// catalog needs nothing at run time (FoundationXML would need libxml2).
///
/// Tolerated: a bare `&` that starts no entity (WVP does not escape `Name`), a `<` that starts no tag, the
/// five named entities and numeric ones, CDATA, comments, processing instructions, and a DOCTYPE, which is
/// skipped and never expanded (so no entity bomb). Refused, with the line: anything cut off, and names or
/// attribute lists longer than any MANSCDP message has. Not thread-safe: one scanner per reader.
struct MarkupScanner {
    private let bytes: [UInt8]
    private let path: String
    private var index = 0
    /// The 1-based line of `index`.
    private(set) var line = 1

    /// No MANSCDP element or attribute name is near this long.
    static let maximumNameBytes = 128
    static let maximumAttributes = 32

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    /// The next token, nil at the end of the input.
    mutating func next() throws(CatalogError) -> MarkupToken? {
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "<"), index + 1 < bytes.count {
            let following = bytes[index + 1]
            if following == UInt8(ascii: "/") { return try endTag() }
            if following == UInt8(ascii: "?") {
                try skip(past: Array("?>".utf8), what: "processing instruction")
                return try next()
            }
            if following == UInt8(ascii: "!") { return try declaration() }
            if Self.isNameStart(following) { return try startTag() }
        }
        return text()
    }

    // MARK: tokens

    private mutating func text() -> MarkupToken {
        let start = index
        // A '<' that starts no tag is text (tolerated, as a bare '&' is).
        index += 1
        while index < bytes.count && bytes[index] != UInt8(ascii: "<") { index += 1 }
        countLines(start..<index)
        return .text(XMLEntities.resolving(bytes[start..<index]))
    }

    private mutating func startTag() throws(CatalogError) -> MarkupToken {
        let tagLine = line
        index += 1
        let name = try self.name(in: "a tag", openedOn: tagLine)
        var attributes: [String: String] = [:]
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw truncated("the tag <\(name)>", openedOn: tagLine) }
            let byte = bytes[index]
            if byte == UInt8(ascii: ">") {
                index += 1
                return .start(name: name, attributes: attributes, selfClosing: false, line: tagLine)
            }
            if byte == UInt8(ascii: "/") {
                guard index + 1 < bytes.count else { throw truncated("the tag <\(name)>", openedOn: tagLine) }
                guard bytes[index + 1] == UInt8(ascii: ">") else { throw malformed("a '/' inside the tag <\(name)> that does not end it") }
                index += 2
                return .start(name: name, attributes: attributes, selfClosing: true, line: tagLine)
            }
            guard Self.isNameStart(byte) else {
                throw malformed("unexpected character '\(Self.shown(byte))' inside the tag <\(name)>")
            }
            guard attributes.count < Self.maximumAttributes else {
                throw malformed("the tag <\(name)> has more than \(Self.maximumAttributes) attributes")
            }
            let attribute = try self.name(in: "the tag <\(name)>", openedOn: tagLine)
            skipWhitespace()
            guard index < bytes.count else { throw truncated("the tag <\(name)>", openedOn: tagLine) }
            // An attribute without a value is tolerated; MANSCDP has none, so its value is empty.
            guard bytes[index] == UInt8(ascii: "=") else {
                attributes[attribute] = ""
                continue
            }
            index += 1
            skipWhitespace()
            guard index < bytes.count else { throw truncated("the tag <\(name)>", openedOn: tagLine) }
            let quote = bytes[index]
            let valueStart: Int
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                index += 1
                valueStart = index
                while index < bytes.count && bytes[index] != quote { index += 1 }
                guard index < bytes.count else {
                    countLines(valueStart..<index)
                    throw truncated("the tag <\(name)>", openedOn: tagLine)
                }
                countLines(valueStart..<index)
                attributes[attribute] = String(decoding: XMLEntities.resolving(bytes[valueStart..<index]), as: UTF8.self)
                index += 1
            } else {
                // Unquoted values are tolerated up to a space or the tag's end.
                valueStart = index
                while index < bytes.count && !Self.isWhitespace(bytes[index]) && bytes[index] != UInt8(ascii: ">")
                    && bytes[index] != UInt8(ascii: "/") { index += 1 }
                attributes[attribute] = String(decoding: XMLEntities.resolving(bytes[valueStart..<index]), as: UTF8.self)
            }
        }
    }

    private mutating func endTag() throws(CatalogError) -> MarkupToken {
        let tagLine = line
        index += 2
        guard index < bytes.count else { throw truncated("an end tag", openedOn: tagLine) }
        guard Self.isNameStart(bytes[index]) else { throw malformed("'</' is not followed by an element name") }
        let name = try self.name(in: "an end tag", openedOn: tagLine)
        skipWhitespace()
        guard index < bytes.count else { throw truncated("the end tag </\(name)>", openedOn: tagLine) }
        guard bytes[index] == UInt8(ascii: ">") else {
            throw malformed("unexpected character '\(Self.shown(bytes[index]))' in the end tag </\(name)>")
        }
        index += 1
        return .end(name: name, line: tagLine)
    }

    /// `<!-- -->`, `<![CDATA[ ]]>` or `<!DOCTYPE ...>`; only CDATA yields a token.
    private mutating func declaration() throws(CatalogError) -> MarkupToken? {
        if starts(with: "<!--") {
            try skip(past: Array("-->".utf8), what: "comment")
            return try next()
        }
        if starts(with: "<![CDATA[") {
            let openedOn = line
            index += 9
            let start = index
            guard let end = find(Array("]]>".utf8)) else {
                countLines(start..<bytes.count)
                index = bytes.count
                throw truncated("a CDATA section", openedOn: openedOn)
            }
            countLines(start..<end)
            index = end + 3
            return .text(Array(bytes[start..<end]))
        }
        // A DOCTYPE (with any internal subset in brackets) is skipped whole; its entities are never defined.
        let openedOn = line
        let start = index
        var brackets = 0
        var quote: UInt8?
        index += 2
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "[") {
                brackets += 1
            } else if byte == UInt8(ascii: "]") {
                brackets -= 1
            } else if byte == UInt8(ascii: ">") && brackets <= 0 {
                countLines(start..<index)
                return try next()
            }
        }
        countLines(start..<index)
        throw truncated("a '<!' declaration", openedOn: openedOn)
    }

    // MARK: pieces

    private mutating func name(in place: String, openedOn tagLine: Int) throws(CatalogError) -> String {
        let start = index
        while index < bytes.count && Self.isNameByte(bytes[index]) {
            index += 1
            guard index - start <= Self.maximumNameBytes else {
                throw malformed("a name in \(place) is longer than \(Self.maximumNameBytes) bytes")
            }
        }
        return String(decoding: bytes[start..<index].map(Self.lowercased), as: UTF8.self)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count && Self.isWhitespace(bytes[index]) {
            if bytes[index] == 10 { line += 1 }
            index += 1
        }
    }

    private mutating func skip(past terminator: [UInt8], what: String) throws(CatalogError) {
        let openedOn = line
        let start = index
        guard let end = find(terminator) else {
            countLines(start..<bytes.count)
            index = bytes.count
            throw truncated("a \(what)", openedOn: openedOn)
        }
        index = end + terminator.count
        countLines(start..<index)
    }

    private func starts(with text: String) -> Bool {
        let prefix = Array(text.utf8)
        return index + prefix.count <= bytes.count && bytes[index..<(index + prefix.count)].elementsEqual(prefix)
    }

    /// Where `pattern` next occurs from `index`.
    private func find(_ pattern: [UInt8]) -> Int? {
        guard let first = pattern.first, pattern.count <= bytes.count else { return nil }
        var position = index
        while position + pattern.count <= bytes.count {
            if bytes[position] == first && bytes[position..<(position + pattern.count)].elementsEqual(pattern) { return position }
            position += 1
        }
        return nil
    }

    private mutating func countLines(_ range: Range<Int>) {
        for position in range where bytes[position] == 10 { line += 1 }
    }

    private func truncated(_ what: String, openedOn: Int) -> CatalogError {
        .malformed(path: path, line: openedOn, message: "\(what) opened here is cut off at the end of the file (truncated?)")
    }

    private func malformed(_ message: String) -> CatalogError { .malformed(path: path, line: line, message: message) }

    // MARK: bytes

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }

    static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }

    /// A byte as an error message may show it: printable ASCII as itself, anything else in hex.
    static func shown(_ byte: UInt8) -> String {
        byte >= 33 && byte < 127 ? String(UnicodeScalar(byte)) : "0x" + String(byte, radix: 16, uppercase: true)
    }

}
