/// A text file whose first line ends with `checksum=`: the FNV-1a 64 hash (16 lowercase hex digits) of the
/// whole file without that field, so that damage (a flipped bit, a cut, an edit) is caught and the file is
/// treated as missing rather than read wrong. Used for caches that can be rebuilt (a monitor's
/// `state.tsv`); what the lines hold is the caller's.
public enum ChecksummedFile {
    public static let checksumField = "\tchecksum="
    /// The bytes `sealed` adds: reserve them beforehand and sealing a large file moves it in place, not to a copy.
    public static let sealingBytes = checksumField.utf8.count + 16

    /// `bytes` (a first line, then the rest) with the checksum field added at the end of the first line.
    public static func sealed(_ bytes: consuming [UInt8]) -> [UInt8] {
        var bytes = bytes
        let headerEnd = bytes.firstIndex(of: 10) ?? bytes.count
        bytes.insert(contentsOf: Array((checksumField + hex(checksum(bytes))).utf8), at: headerEnd)
        return bytes
    }

    /// The file without its checksum field, when the checksum matches; nil when it is missing or wrong.
    public static func verified(_ bytes: [UInt8]) -> [UInt8]? {
        var bytes = bytes
        return removeVerifiedChecksum(&bytes) ? bytes : nil
    }

    /// Takes the checksum field out of `bytes` in place when it matches (no copy of a city's 20 MB file);
    /// false, and `bytes` unchanged, when it is missing or wrong.
    public static func removeVerifiedChecksum(_ bytes: inout [UInt8]) -> Bool {
        guard let headerEnd = bytes.firstIndex(of: 10) else { return false }
        let field = Array(checksumField.utf8)
        let fieldStart = headerEnd - field.count - 16
        guard fieldStart >= 0, bytes[fieldStart..<(fieldStart + field.count)].elementsEqual(field) else { return false }
        let sum = checksum(bytes[headerEnd...], continuing: checksum(bytes[..<fieldStart]))
        // Compared as written (lowercase, 16 digits): "ABC…" or "+…" would parse to the same number, and a
        // changed file must never pass.
        guard bytes[(fieldStart + field.count)..<headerEnd].elementsEqual(hex(sum).utf8) else { return false }
        bytes.removeSubrange(fieldStart..<headerEnd)
        return true
    }

    /// FNV-1a, 64 bits: cheap over a city's 20 MB, and any damage short of a deliberate forgery changes it.
    /// `continuing` carries the hash of bytes that come before these.
    public static func checksum<Bytes: Sequence>(_ bytes: Bytes, continuing start: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64
        where Bytes.Element == UInt8 {
        var hash = start
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    public static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// A decimal number in `range`, or nil for an empty, malformed or out-of-range cell (checked as it is
    /// read: no digit string overflows).
    public static func number(_ bytes: ArraySlice<UInt8>, in range: ClosedRange<Int>) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 48 && byte <= 57 else { return nil }
            let (shifted, overflowed) = value.multipliedReportingOverflow(by: 10)
            guard !overflowed, shifted <= range.upperBound - Int(byte - 48) else { return nil }
            value = shifted + Int(byte - 48)
        }
        return range.contains(value) ? value : nil
    }
}
