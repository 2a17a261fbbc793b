import Glibc

/// One HTTP or RTSP request found at the start of a byte buffer, as ranges into that buffer, so that
/// parsing allocates nothing. Valid only while the buffer it was parsed from is.
struct Request {
    /// The bytes from the start of the request line to the end of the body.
    private(set) var bytes: UnsafeRawBufferPointer
    let method: Range<Int>
    let target: Range<Int>
    let version: Range<Int>
    /// Where the header block ends (just past the blank line) and the body starts.
    let headLength: Int
    var contentLength = 0
    var cSeq: Range<Int>?
    var authorization: Range<Int>?
    var connection: Range<Int>?

    /// Head plus body: how many bytes this request occupies in the buffer.
    var totalLength: Int { headLength + contentLength }
    var body: Range<Int> { headLength..<(headLength + contentLength) }

    /// The biggest header block accepted; real probes send a few hundred bytes.
    static let maximumHeadLength = 16 * 1024
    /// The biggest body accepted (ONVIF SOAP requests are a few kilobytes).
    static let maximumBodyLength = 1024 * 1024

    enum ParseResult {
        /// More bytes are needed.
        case incomplete
        /// Not a request this fleet understands; answer 400 and close.
        case malformed
        case complete(Request)
    }

    /// Parses the request at the start of `buffer`: `METHOD target VERSION`, headers, then a body of
    /// Content-Length bytes. Only the headers the responders need are kept.
    static func parse(_ buffer: UnsafeRawBufferPointer) -> ParseResult {
        guard let base = buffer.baseAddress, buffer.count >= 4 else { return .incomplete }
        guard let terminator = find("\r\n\r\n", in: UnsafeRawBufferPointer(start: base, count: min(buffer.count, maximumHeadLength + 4))) else {
            return buffer.count > maximumHeadLength ? .malformed : .incomplete
        }
        let headLength = terminator + 4
        guard headLength <= maximumHeadLength else { return .malformed }

        // Request line: three fields separated by single spaces.
        let lineEnd = firstIndex(of: 13, in: buffer, from: 0, before: headLength)!
        guard let firstSpace = firstIndex(of: 32, in: buffer, from: 0, before: lineEnd),
              let secondSpace = firstIndex(of: 32, in: buffer, from: firstSpace + 1, before: lineEnd),
              firstSpace > 0, secondSpace > firstSpace + 1, secondSpace + 1 < lineEnd
        else { return .malformed }
        var request = Request(
            bytes: buffer, method: 0..<firstSpace, target: (firstSpace + 1)..<secondSpace,
            version: (secondSpace + 1)..<lineEnd, headLength: headLength)

        // Header lines up to the blank line.
        var lineStart = lineEnd + 2
        while lineStart < headLength - 2 {
            let end = firstIndex(of: 13, in: buffer, from: lineStart, before: headLength)!
            if let colon = firstIndex(of: UInt8(ascii: ":"), in: buffer, from: lineStart, before: end) {
                let name = lineStart..<colon
                var valueStart = colon + 1
                var valueEnd = end
                while valueStart < valueEnd, buffer[valueStart] == 32 || buffer[valueStart] == 9 { valueStart += 1 }
                while valueEnd > valueStart, buffer[valueEnd - 1] == 32 || buffer[valueEnd - 1] == 9 { valueEnd -= 1 }
                let value = valueStart..<valueEnd
                if request.equalsIgnoringCase(name, "content-length") {
                    guard let length = request.decimal(value), length <= maximumBodyLength else { return .malformed }
                    request.contentLength = length
                } else if request.equalsIgnoringCase(name, "cseq") {
                    request.cSeq = value
                } else if request.equalsIgnoringCase(name, "authorization") {
                    request.authorization = value
                } else if request.equalsIgnoringCase(name, "connection") {
                    request.connection = value
                }
            }
            lineStart = end + 2
        }
        guard buffer.count >= request.totalLength else { return .incomplete }
        request.bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<request.totalLength])
        return .complete(request)
    }

    private init(
        bytes: UnsafeRawBufferPointer, method: Range<Int>, target: Range<Int>, version: Range<Int>, headLength: Int
    ) {
        self.bytes = bytes
        self.method = method
        self.target = target
        self.version = version
        self.headLength = headLength
    }

    private static func firstIndex(of byte: UInt8, in buffer: UnsafeRawBufferPointer, from start: Int, before end: Int) -> Int? {
        var index = start
        while index < end {
            if buffer[index] == byte { return index }
            index += 1
        }
        return nil
    }

    // MARK: Comparisons that do not allocate

    func equals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { expected in
            guard expected.count == range.count else { return false }
            return memcmp(bytes.baseAddress! + range.lowerBound, expected.baseAddress!, expected.count) == 0
        }
    }

    /// Compares with a lowercase ASCII literal, ignoring the case of the request's bytes.
    func equalsIgnoringCase(_ range: Range<Int>, _ lowercase: StaticString) -> Bool {
        lowercase.withUTF8Buffer { expected in
            guard expected.count == range.count else { return false }
            for offset in 0..<expected.count where Self.lowercased(bytes[range.lowerBound + offset]) != expected[offset] {
                return false
            }
            return true
        }
    }

    func hasPrefixIgnoringCase(_ range: Range<Int>, _ lowercase: StaticString) -> Bool {
        lowercase.withUTF8Buffer { expected in
            guard expected.count <= range.count else { return false }
            return equalsIgnoringCase(range.lowerBound..<(range.lowerBound + expected.count), lowercase)
        }
    }

    func hasSuffixIgnoringCase(_ range: Range<Int>, _ lowercase: StaticString) -> Bool {
        lowercase.withUTF8Buffer { expected in
            guard expected.count <= range.count else { return false }
            return equalsIgnoringCase((range.upperBound - expected.count)..<range.upperBound, lowercase)
        }
    }

    func contains(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard !range.isEmpty else { return false }
        return Self.find(literal, in: UnsafeRawBufferPointer(rebasing: bytes[range])) != nil
    }

    /// The offset of the first occurrence of `needle` in `haystack` (memchr for its first byte, then
    /// memcmp; glibc's memmem is a GNU extension Swift's Glibc module does not export).
    static func find(_ needle: StaticString, in haystack: UnsafeRawBufferPointer) -> Int? {
        needle.withUTF8Buffer { needle -> Int? in
            guard let start = haystack.baseAddress, needle.count > 0, haystack.count >= needle.count else { return nil }
            let first = Int32(needle[0])
            var offset = 0
            let lastStart = haystack.count - needle.count
            while offset <= lastStart {
                guard let hit = memchr(start + offset, first, lastStart - offset + 1) else { return nil }
                let position = start.distance(to: UnsafeRawPointer(hit))
                if memcmp(start + position, needle.baseAddress!, needle.count) == 0 { return position }
                offset = position + 1
            }
            return nil
        }
    }

    /// A non-negative decimal number, or nil.
    func decimal(_ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var value = 0
        for index in range {
            let digit = bytes[index]
            guard digit >= 48, digit <= 57 else { return nil }
            value = value * 10 + Int(digit - 48)
        }
        return value
    }

    /// The request target without its query string.
    var path: Range<Int> {
        var end = target.lowerBound
        while end < target.upperBound, bytes[end] != UInt8(ascii: "?") { end += 1 }
        return target.lowerBound..<end
    }

    /// Whether the client asked for the connection to close (`Connection: close`, or HTTP/1.0 without keep-alive).
    var wantsClose: Bool {
        if let connection {
            if contains(connection, "close") || contains(connection, "Close") { return true }
            if contains(connection, "eep-") { return false }  // keep-alive, Keep-Alive
        }
        return equals(version, "HTTP/1.0")
    }

    /// The bytes of a range as a String (for rare paths: allocates).
    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
    }
}
