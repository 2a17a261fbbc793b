/// Plain decimal numbers as people write them in a file, a spreadsheet or a flag: `22.815`, `-0.5`, `108`.
///
/// `Double(_:)` alone also takes `0x10` (16), `nan`, `inf` and `1e2`, none of which a person writing a
/// coordinate means; such text is refused rather than read as something else.
public enum DecimalNumber {
    /// The value of `text` when it is an optional sign, digits, and optionally a point and more digits.
    public static func parse(_ text: String) -> Double? {
        let isDigit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        var rest = text.utf8[...]
        guard rest.count <= 32 else { return nil }
        if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { rest = rest.dropFirst() }
        let whole = rest.prefix(while: isDigit)
        guard !whole.isEmpty else { return nil }
        rest = rest.dropFirst(whole.count)
        if rest.first == UInt8(ascii: ".") {
            let fraction = rest.dropFirst().prefix(while: isDigit)
            guard !fraction.isEmpty else { return nil }
            rest = rest.dropFirst(1 + fraction.count)
        }
        guard rest.isEmpty else { return nil }
        return Double(text)
    }
}
