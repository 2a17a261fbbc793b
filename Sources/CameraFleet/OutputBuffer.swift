import Glibc

/// A growable byte buffer that is cleared and reused for every response, so that building a response
/// allocates nothing once the buffer has grown to its working size.
struct OutputBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    mutating func append(contentsOf other: some Sequence<UInt8>) {
        bytes.append(contentsOf: other)
    }

    /// Appends a String's UTF-8 (for rare paths only: it may allocate).
    mutating func append(string: String) {
        bytes.append(contentsOf: string.utf8)
    }

    /// Replaces the byte at `index` (a length written after what it measures).
    mutating func overwrite(at index: Int, _ byte: UInt8) {
        bytes[index] = byte
    }

    mutating func appendLineEnd() {
        bytes.append(13)
        bytes.append(10)
    }

    /// Appends `value` in decimal, left-padded with zeros to at least `width` digits, without allocating.
    mutating func append(decimal value: Int, width: Int = 1) {
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for 20 digits
        withUnsafeMutableBytes(of: &digits) { scratch in
            var index = scratch.count
            repeat {
                index -= 1
                scratch[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            let length = scratch.count - index
            for _ in length..<max(length, width) { bytes.append(UInt8(ascii: "0")) }
            bytes.append(contentsOf: scratch[index...])
        }
    }

    /// Appends a byte as two lowercase hexadecimal digits.
    mutating func append(hexByte byte: UInt8) {
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { table in
            bytes.append(table[Int(byte >> 4)])
            bytes.append(table[Int(byte & 0x0F)])
        }
    }

    /// Calls `body` with the buffered bytes from `offset` on.
    func withUnsafeBytes<Result>(from offset: Int = 0, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
    }
}
