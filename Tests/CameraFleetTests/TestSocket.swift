import CameraFleet
import Foundation  // response-head splitting and trimming only
import Glibc

/// Why a test socket operation failed.
enum TestSocketError: Error, CustomStringConvertible {
    case system(String, errno: Int32)
    case ended(afterBytes: Int)
    case malformedResponse(String)

    var description: String {
        switch self {
        case .system(let call, let code): "\(call): \(String(cString: strerror(code)))"
        case .ended(let count): "the connection ended after \(count) bytes, before a whole response"
        case .malformedResponse(let head): "not a response head: \(head)"
        }
    }
}

/// How one read ended.
enum ReadOutcome: Equatable {
    case bytes([UInt8])
    /// The server closed its side (read returned 0).
    case endOfStream
    /// ECONNRESET: the server reset the connection.
    case reset
    /// Nothing arrived within the receive timeout (SO_RCVTIMEO).
    case timedOut
    case failed(Int32)
}

/// A parsed HTTP or RTSP response.
struct TestResponse {
    let statusLine: String
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    /// The number in the status line (`HTTP/1.1 200 OK` -> 200).
    var statusCode: Int { Int(statusLine.split(separator: " ")[1]) ?? -1 }
    var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The first header of that name, ignoring case.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A blocking TCP client for talking to the fleet byte by byte. Every read has a receive timeout, so
/// that a broken fleet fails a test instead of hanging it; no test uses the timeout to wait for work.
final class TestSocket {
    let descriptor: Int32
    /// Bytes read past the end of the last parsed response (pipelined or streamed data).
    private var buffered: [UInt8] = []

    /// Connects to `host` (dotted quad) on `port`.
    init(_ host: String, port: UInt16, receiveTimeoutMilliseconds: Int = 5000) throws {
        guard let address = FleetAddress.parse(host) else { throw TestSocketError.system("address \(host)", errno: EINVAL) }
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw TestSocketError.system("socket", errno: errno) }
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = port.bigEndian
        target.sin_addr.s_addr = address.bigEndian
        let result = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw TestSocketError.system("connect \(host):\(port)", errno: code)
        }
        setReceiveTimeout(milliseconds: receiveTimeoutMilliseconds)
    }

    deinit {
        close(descriptor)
    }

    func setReceiveTimeout(milliseconds: Int) {
        var timeout = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw TestSocketError.system("send", errno: errno) }
            offset += sent
        }
    }

    /// One read: leftover bytes from earlier first, else whatever the socket gives.
    func readSome(maximum: Int = 64 * 1024) -> ReadOutcome {
        if !buffered.isEmpty {
            defer { buffered = [] }
            return .bytes(buffered)
        }
        var chunk = [UInt8](repeating: 0, count: maximum)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 { return .bytes(Array(chunk[0..<count])) }
        if count == 0 { return .endOfStream }
        switch errno {
        case EAGAIN, EWOULDBLOCK: return .timedOut
        case ECONNRESET: return .reset
        default: return .failed(errno)
        }
    }

    /// Reads until the connection ends (or `limit` bytes, or a timeout); returns the bytes and how it ended.
    func readToEnd(limit: Int = 16 * 1024 * 1024) -> (bytes: [UInt8], ending: ReadOutcome) {
        var collected: [UInt8] = []
        while collected.count < limit {
            switch readSome() {
            case .bytes(let bytes): collected += bytes
            case let ending: return (collected, ending)
            }
        }
        return (collected, .bytes([]))
    }

    /// Reads exactly `count` bytes.
    func readExactly(_ count: Int) throws -> [UInt8] {
        var collected: [UInt8] = []
        while collected.count < count {
            switch readSome(maximum: count - collected.count) {
            case .bytes(let bytes): collected += bytes
            case .timedOut: throw TestSocketError.system("recv", errno: EAGAIN)
            default: throw TestSocketError.ended(afterBytes: collected.count)
            }
        }
        if collected.count > count {
            buffered = Array(collected[count...]) + buffered
            collected.removeLast(collected.count - count)
        }
        return collected
    }

    /// Reads one response: the head, then `Content-Length` bytes of body (none if `expectBody` is false
    /// or there is no Content-Length). Bytes beyond it stay buffered for the next read.
    func readResponse(expectBody: Bool = true) throws -> TestResponse {
        var data: [UInt8] = []
        var headEnd: Int?
        while headEnd == nil {
            switch readSome() {
            case .bytes(let bytes): data += bytes
            case .timedOut: throw TestSocketError.system("recv", errno: EAGAIN)
            default: throw TestSocketError.ended(afterBytes: data.count)
            }
            headEnd = Self.endOfHead(in: data)
        }
        let head = String(decoding: data[0..<headEnd!], as: UTF8.self)
        buffered = Array(data[(headEnd! + 4)...])
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        guard statusLine.split(separator: " ").count >= 2 else { throw TestSocketError.malformedResponse(head) }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) }
        let body = expectBody && length != nil ? try readExactly(length!) : []
        return TestResponse(statusLine: statusLine, headers: headers, body: body)
    }

    private static func endOfHead(in data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for index in 0...(data.count - 4) where data[index] == 13 && data[index + 1] == 10 && data[index + 2] == 13 && data[index + 3] == 10 {
            return index
        }
        return nil
    }
}
