import Localization

/// What Excel does to a 20-digit device id in a cell formatted as General: it reads the id as a number, which
/// keeps 15 significant digits, and shows it in scientific notation (`4.50128E+19`), or, formatted as a
/// number, with the last five digits turned to zeros. Either way the id is lost in the sheet; these find it
/// out so the import can say so instead of "not a device code" or, worse, adding a camera that does not exist.
struct ExcelMangling {
    /// Every registry id by what Excel would make of it, per number of significant digits kept: built when
    /// first asked, as a sheet with a mangled column asks for every row.
    private var roundedIDs: [Int: [String: [String]]] = [:]
    private let ids: [String]

    init(ids: [String]) { self.ids = ids }

    /// Why `text`, given as a device id, is one Excel mangled, or nil when it does not look mangled.
    /// `known` says whether the id is that of a record (in the registry or elsewhere in the sheet).
    mutating func problem(id text: String, known: Bool) -> Message? {
        if let number = Self.scientific(text) {
            let candidates = number.exponent == 19 && number.digits.count <= 20
                ? matches(number.digits + String(repeating: "0", count: 20 - number.digits.count), significant: number.digits.count) : []
            // Six digits (what a General cell shows) fit a village's ids: a hint only when it is a few.
            if candidates.isEmpty || candidates.count > 3 {
                return "'\(text.clipped)' is a number, not an id: Excel read the 20-digit id as a number and kept \(number.digits.count) "
                    + "of its digits; format the column as Text (设置单元格格式→文本) and re-enter the ids, or export with xueliang export"
            }
            return "'\(text.clipped)' is a number, not an id: Excel read the 20-digit id as a number and kept \(number.digits.count) "
                + "of its digits (it may have been \(candidates.joined(separator: ", "))); format the column as Text "
                + "(设置单元格格式→文本) and re-enter the ids, or export with xueliang export"
        }
        guard !known, text.utf8.count == 20, text.hasSuffix("00000"), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let candidates = matches(text, significant: 15).filter { $0 != text }
        guard !candidates.isEmpty else { return nil }
        return "\(text) is in no record, but it is what Excel makes of \(candidates.joined(separator: ", ")) (a number keeps 15 digits; "
            + "the last 5 become zeros); format the column as Text (设置单元格格式→文本) and re-enter the ids, or export with xueliang export"
    }

    /// The registry ids that Excel, keeping `significant` digits, turns into `value`.
    private mutating func matches(_ value: String, significant: Int) -> [String] {
        guard (1...19).contains(significant) else { return [] }
        if roundedIDs[significant] == nil {
            var index: [String: [String]] = [:]
            for id in ids { if let rounded = Self.rounded(id, significant: significant) { index[rounded, default: []].append(id) } }
            roundedIDs[significant] = index
        }
        return (roundedIDs[significant]?[value] ?? []).sorted()
    }

    /// The significant digits and the exponent of a number in scientific notation (`4.305240100132E+019` is
    /// 4305240100132 and 19); nil for any other text.
    static func scientific(_ text: String) -> (digits: String, exponent: Int)? {
        // Every row's id is asked: most have no E at all.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }) else { return nil }
        let bytes = Array(text.utf8)
        guard let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }), e > 0 else { return nil }
        let isDigit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        let mantissa = bytes[..<e]
        guard isDigit(mantissa[0]) else { return nil }
        var digits = [mantissa[0]]
        if mantissa.count > 1 {
            guard mantissa[1] == UInt8(ascii: "."), mantissa.count > 2, mantissa.dropFirst(2).allSatisfy(isDigit) else { return nil }
            digits += mantissa.dropFirst(2)
        }
        var exponentBytes = bytes[(e + 1)...]
        if exponentBytes.first == UInt8(ascii: "+") || exponentBytes.first == UInt8(ascii: "-") { exponentBytes = exponentBytes.dropFirst() }
        guard !exponentBytes.isEmpty, exponentBytes.count <= 3, exponentBytes.allSatisfy(isDigit),
              let exponent = Int(String(decoding: exponentBytes, as: UTF8.self)) else { return nil }
        while digits.count > 1, digits.last == 0x30 { digits.removeLast() }
        return (String(decoding: digits, as: UTF8.self), bytes[e + 1] == UInt8(ascii: "-") ? -exponent : exponent)
    }

    /// A 20-digit id rounded to `significant` digits and padded back with zeros, as Excel stores it; nil for
    /// other text, and when rounding would carry into a 21st digit.
    static func rounded(_ id: String, significant: Int) -> String? {
        var digits = Array(id.utf8)
        guard digits.count == 20, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), digits[0] != 0x30 else { return nil }
        var roundsUp = digits[significant] >= 0x35
        for position in significant..<20 { digits[position] = 0x30 }
        var position = significant - 1
        while roundsUp {
            guard position >= 0 else { return nil }
            if digits[position] == 0x39 {
                digits[position] = 0x30
                position -= 1
            } else {
                digits[position] += 1
                roundsUp = false
            }
        }
        return String(decoding: digits, as: UTF8.self)
    }
}
