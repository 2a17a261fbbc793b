/// Fingerprints of reply bodies, to notice a picture that stops changing between sweeps.
///
/// FNV-1a is not a cryptographic hash: it only has to tell "same bytes as last time" cheaply, for
/// bodies of a few hundred kilobytes on every sweep of every camera.
public enum ContentHash {
    private static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// The 64-bit FNV-1a hash of `bytes`.
    public static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        var hash = offsetBasis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* prime
        }
        return hash
    }

    /// The 64-bit FNV-1a hash of `bytes` as 16 lowercase hex digits (leading zeros kept, so that
    /// hashes compare as text).
    public static func fnv1a64Hex(_ bytes: [UInt8]) -> String {
        hex(fnv1a64(bytes))
    }

    /// `value` as 16 lowercase hex digits.
    static func hex(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { text in
            var remaining = value
            for index in stride(from: 15, through: 0, by: -1) {
                let digit = UInt8(remaining & 0xF)
                text[index] = digit < 10 ? 48 + digit : 87 + digit
                remaining >>= 4
            }
            return 16
        }
    }
}
