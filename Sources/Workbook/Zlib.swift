import CZlib
import Localization

/// zlib, the one place that calls it: raw DEFLATE (RFC 1951) both ways, as ZIP entries hold it, and CRC-32.
/// Every zlib stream lives and ends inside one call. Pure functions; safe to call from any thread.
enum Zlib {
    /// Why compressed data could not be inflated within the limits.
    struct Failure: Error, Equatable {
        let message: Message
    }

    /// The bytes `input` inflates to, refused as soon as they pass `limit` or `maximumRatio` times the input
    /// (beyond the first MiB): the sizes an archive declares are not trusted while inflating.
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int, maximumRatio: Int, expectedCount: Int) throws(Failure) -> [UInt8] {
        var failure: Failure?
        let output: [UInt8] = input.withUnsafeBufferPointer { compressed in
            var stream = z_stream()
            guard xl_inflate_init_raw(&stream) == Z_OK else {
                failure = Failure(message: "zlib could not start inflating")
                return []
            }
            defer { inflateEnd(&stream) }
            stream.next_in = UnsafeMutablePointer(mutating: compressed.baseAddress)
            stream.avail_in = UInt32(compressed.count)
            var output: [UInt8] = []
            output.reserveCapacity(min(expectedCount, limit))
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output += chunk[0..<produced]
                if output.count > limit {
                    failure = Failure(message: "inflates to more than \(limit) bytes, the most read from one part (a zip bomb?)")
                    return []
                }
                let consumed = compressed.count - Int(stream.avail_in)
                if output.count > 1 << 20, output.count / max(consumed, 1) > maximumRatio {
                    failure = Failure(message: "inflates more than \(maximumRatio) times its size, which no spreadsheet does (a zip bomb?)")
                    return []
                }
                switch status {
                case Z_STREAM_END:
                    return output
                case Z_OK where produced > 0 || stream.avail_in > 0:
                    continue
                case Z_OK, Z_BUF_ERROR:
                    failure = Failure(message: "the compressed data is cut off (the file is truncated?)")
                    return []
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    failure = Failure(message: "the compressed data is damaged (\(reason))")
                    return []
                }
            }
        }
        if let failure { throw failure }
        return output
    }

    /// `input` deflated at zlib's default level.
    static func deflate(_ input: [UInt8]) -> [UInt8] { deflate([input]) }

    /// The pieces deflated as one stream, one after another, without joining them first.
    static func deflate(_ pieces: [[UInt8]]) -> [UInt8] {
        var stream = z_stream()
        precondition(xl_deflate_init_raw(&stream, Z_DEFAULT_COMPRESSION) == Z_OK, "zlib could not start deflating")
        defer { deflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        for (index, piece) in pieces.enumerated() {
            let flush = index == pieces.count - 1 ? Z_FINISH : Z_NO_FLUSH
            piece.withUnsafeBufferPointer { source in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = UInt32(source.count)
                var status = Z_OK
                // Until zlib has taken the whole piece (and, for the last, finished the stream).
                repeat {
                    status = chunk.withUnsafeMutableBufferPointer { target in
                        stream.next_out = target.baseAddress
                        stream.avail_out = UInt32(target.count)
                        return CZlib.deflate(&stream, flush)
                    }
                    precondition(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR, "zlib could not deflate (\(status))")
                    output += chunk[0..<(chunk.count - Int(stream.avail_out))]
                } while stream.avail_out == 0 || (flush == Z_FINISH && status != Z_STREAM_END)
            }
        }
        if pieces.isEmpty { return deflate([[]]) }
        return output
    }

    /// The CRC-32 ZIP keeps of each entry; `continuing` the CRC of what came before.
    static func crc32(_ bytes: [UInt8], continuing previous: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in UInt32(CZlib.crc32(uLong(previous), buffer.baseAddress, uInt(buffer.count))) }
    }
}
