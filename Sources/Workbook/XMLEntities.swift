/// XML's character references, for the hand-written scanners (the workbook's parts, GB/T 28181 catalogs).
public enum XMLEntities {
    /// Text with `&amp; &lt; &gt; &quot; &apos;` and `&#N;`/`&#xH;` resolved. An `&` that starts none of them is
    /// kept as it is: WVP writes names such as `A&B` unescaped, and a lenient reader keeps them.
    public static func resolving(_ text: ArraySlice<UInt8>) -> [UInt8] {
        guard text.contains(UInt8(ascii: "&")) else { return Array(text) }
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        var position = text.startIndex
        while position < text.endIndex {
            let byte = text[position]
            guard byte == UInt8(ascii: "&"),
                  let semicolon = text[position..<min(text.endIndex, position + 12)].firstIndex(of: UInt8(ascii: ";")),
                  let resolved = entity(text[(position + 1)..<semicolon]) else {
                result.append(byte)
                position += 1
                continue
            }
            result += resolved
            position = semicolon + 1
        }
        return result
    }

    /// The UTF-8 of one entity's body (between `&` and `;`), nil when it is none.
    private static func entity(_ body: ArraySlice<UInt8>) -> [UInt8]? {
        switch String(decoding: body, as: UTF8.self) {
        case "amp": return [UInt8(ascii: "&")]
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        default: break
        }
        guard body.first == UInt8(ascii: "#"), body.count >= 2 else { return nil }
        let digits = body.dropFirst()
        let hexadecimal = digits.first == UInt8(ascii: "x") || digits.first == UInt8(ascii: "X")
        let number = hexadecimal ? digits.dropFirst() : digits
        guard !number.isEmpty, let value = UInt32(String(decoding: number, as: UTF8.self), radix: hexadecimal ? 16 : 10),
              value != 0, let scalar = Unicode.Scalar(value) else { return nil }
        return Array(String(Character(scalar)).utf8)
    }
}
