/// Writes JSON byte for byte as Foundation's `JSONEncoder` does with `.sortedKeys` and
/// `.withoutEscapingSlashes` (and `.prettyPrinted` when asked), but straight into a byte buffer: the sweep
/// document writes 200,000 camera entries, and one encoder call per entry cost more than the sweep.
///
/// The caller gives keys in sorted order and skips absent optionals, as the synthesised `Codable`
/// conformances do; `SweepDocumentTests` compares the two writers on random entries.
struct JSONEmitter {
    var bytes: [UInt8] = []
    let pretty: Bool
    /// Written at the start of every line (pretty only): the depth the emitted values sit at in a larger
    /// document. Foundation's blank line inside an empty container gets it too, as the old writer did.
    let linePrefix: [UInt8]
    private var depth = 0
    private var needsComma = false

    init(pretty: Bool, linePrefix: String = "") {
        self.pretty = pretty
        self.linePrefix = Array(linePrefix.utf8)
        bytes.reserveCapacity(1 << 16)
    }

    // MARK: containers

    mutating func openObject() { open(UInt8(ascii: "{")) }
    mutating func closeObject() { close(UInt8(ascii: "}")) }
    mutating func openArray() { open(UInt8(ascii: "[")) }
    mutating func closeArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        depth += 1
        needsComma = false
        emptySoFar = true
    }

    /// Whether the innermost open container has had no member yet.
    private var emptySoFar = false

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if pretty {
            if emptySoFar {
                // Foundation writes an empty container as an open line, a blank line and the close.
                bytes.append(10)
                bytes.append(contentsOf: linePrefix)
            }
            newline()
        }
        bytes.append(bracket)
        needsComma = true
        emptySoFar = false
    }

    private mutating func newline() {
        bytes.append(10)
        bytes.append(contentsOf: linePrefix)
        for _ in 0..<depth { bytes.append(32); bytes.append(32) }
    }

    /// Starts the next member of the innermost container: the comma, and in pretty output the new line.
    private mutating func member() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        if pretty { newline() }
        needsComma = false
        emptySoFar = false
    }

    /// `"name" : ` (pretty) or `"name":`; the value follows.
    mutating func key(_ name: StaticString) {
        member()
        bytes.append(34)
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(34)
        if pretty { bytes.append(contentsOf: [32, 58, 32]) } else { bytes.append(58) }
    }

    /// A key that is only known at run time (a dictionary's), escaped like a string.
    mutating func key(_ name: String) {
        member()
        appendQuoted(name)
        if pretty { bytes.append(contentsOf: [32, 58, 32]) } else { bytes.append(58) }
    }

    /// Starts an array element (the value follows).
    mutating func element() { member() }

    // MARK: values

    mutating func value(_ text: String) {
        appendQuoted(text)
        needsComma = true
    }

    mutating func value(_ number: Int) {
        appendDecimal(number)
        needsComma = true
    }

    mutating func value(_ flag: Bool) {
        bytes.append(contentsOf: flag ? Array("true".utf8) : Array("false".utf8))
        needsComma = true
    }

    mutating func value(_ number: Double) {
        // Swift's shortest round-trip form is Foundation's (1e-05, 1.5e+300, 0.30000000000000004), except
        // that Foundation writes whole numbers without the ".0".
        let text = number.description.utf8
        bytes.append(contentsOf: text.count > 2 && text.suffix(2).elementsEqual([46, 48]) ? text.dropLast(2) : text[...])
        needsComma = true
    }

    private mutating func appendDecimal(_ number: Int) {
        if number == 0 {
            bytes.append(48)
            return
        }
        var magnitude = number.magnitude
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[count] = UInt8(48 + magnitude % 10)
                magnitude /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func appendQuoted(_ text: String) {
        bytes.append(34)
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 32 || byte == 34 || byte == 92 else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                bytes.append(92)
                switch byte {
                case 34: bytes.append(34)
                case 92: bytes.append(92)
                case 10: bytes.append(UInt8(ascii: "n"))
                case 13: bytes.append(UInt8(ascii: "r"))
                case 9: bytes.append(UInt8(ascii: "t"))
                case 8: bytes.append(UInt8(ascii: "b"))
                case 12: bytes.append(UInt8(ascii: "f"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), 48, 48, Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 15)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(34)
    }
}
