/// Phone numbers of owners and maintainers: read as people write them, stored in one form, masked in every
/// output unless asked for.
public enum PhoneNumber {
    /// A mainland mobile number (11 digits, `13907398888`) or a landline with its area code (`0771-1234567`).
    public static func isValid(_ text: String) -> Bool { canonical(text) != nil }

    /// The one form the registry stores: a mobile number as its 11 digits, a landline as `AREA-NUMBER`
    /// (`010`/`02x` and `0xxx` area codes, 7- or 8-digit numbers); nil when `text` is not a phone number.
    ///
    /// Accepts what spreadsheets hold: `+86 139 0739 8888`, `0086-13907398888`, `139-0739-8888`,
    /// `(0771)1234567`, `+86 771 1234567` (the area code without its 0) and full-width digits.
    public static func canonical(_ text: String) -> String? {
        var digits: [UInt8] = []
        var plus = false
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39: digits.append(UInt8(scalar.value - 0x30))
            case 0xFF10...0xFF19: digits.append(UInt8(scalar.value - 0xFF10))
            case 0x2B, 0xFF0B: // + and its full-width form, only in front
                guard digits.isEmpty, !plus else { return nil }
                plus = true
            case 0x20, 0x3000, 0x09, 0x2D, 0xFF0D, 0x2010...0x2015, 0x28, 0x29, 0xFF08, 0xFF09:
                continue // spaces, hyphens and dashes, brackets around an area code
            default:
                return nil
            }
        }
        // The country code: +86, 0086, or a bare 86 in front of a mobile number.
        var international = plus
        if plus {
            guard digits.starts(with: [8, 6]) else { return nil }
            digits.removeFirst(2)
        } else if digits.starts(with: [0, 0, 8, 6]) {
            digits.removeFirst(4)
            international = true
        } else if digits.count == 13, digits.starts(with: [8, 6, 1]) {
            digits.removeFirst(2)
        }
        // After a country code a landline's area code loses its 0 (+86 771 …, +86 10 …).
        let isMobile = digits.count == 11 && digits.first == 1
        if international, !isMobile, digits.first != 0 { digits.insert(0, at: 0) }
        let text = String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
        if digits.count == 11, digits[0] == 1, (3...9).contains(digits[1]) { return text }
        guard digits.first == 0, digits.count > 1, digits[1] != 0 else { return nil }
        let areaLength = digits[1] == 1 || digits[1] == 2 ? 3 : 4
        let numberLength = digits.count - areaLength
        guard (7...8).contains(numberLength), digits[areaLength] != 0 else { return nil }
        return String(text.prefix(areaLength)) + "-" + String(text.dropFirst(areaLength))
    }

    /// `13812345678` becomes `138****5678`; anything shorter keeps only its last two characters.
    public static func masked(_ text: String) -> String {
        let characters = Array(text)
        if characters.count >= 11 {
            return String(characters.prefix(3)) + String(repeating: "*", count: characters.count - 7) + String(characters.suffix(4))
        }
        return String(repeating: "*", count: max(0, characters.count - 2)) + String(characters.suffix(2))
    }
}
