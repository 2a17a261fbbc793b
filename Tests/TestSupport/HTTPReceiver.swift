import Foundation
import Glibc
import Synchronization

/// A small HTTP server on 127.0.0.1 for tests that something was POSTed (alert webhooks): it records each
/// request's method, path and body, and answers with `status` (or, with `status == nil`, never answers).
public final class HTTPReceiver: Sendable {
    public struct Request: Sendable, Equatable {
        public var method: String
        public var path: String
        public var headers: [String: String]
        public var body: String
    }

    public let port: UInt16
    private let listener: Int32
    private final class Log: Sendable {
        let requests = Mutex<[Request]>([])
    }
    private let log = Log()

    /// - Parameter location: a `Location` header for the answer (a redirecting receiver).
    public init(status: Int?, location: String? = nil) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        guard bound == 0, listen(listener, 64) == 0 else { throw ProcessRunnerError(description: "cannot listen on 127.0.0.1: errno \(errno)") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        port = UInt16(bigEndian: address.sin_port)
        self.listener = listener
        let log = self.log
        Thread.detachNewThread {
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 { if errno == EINTR { continue } else { return } }
                guard let request = Self.read(connection) else { close(connection); continue }
                log.requests.withLock { $0.append(request) }
                if let status {
                    let reply = "HTTP/1.1 \(status) X\r\n" + (location.map { "Location: \($0)\r\n" } ?? "") + "Content-Length: 0\r\nConnection: close\r\n\r\n"
                    _ = reply.withCString { write(connection, $0, strlen($0)) }
                    close(connection)
                }
                // With no status the connection is left open and unanswered: the client's timeout must end it.
            }
        }
    }

    /// Stops accepting; connections left open are closed with the process.
    public func stop() { shutdown(listener, Int32(SHUT_RDWR)) }

    public var requests: [Request] { log.requests.withLock { $0 } }

    private static func read(_ connection: Int32) -> Request? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = Glibc.read(connection, &chunk, chunk.count)
            if count <= 0 { return nil }
            bytes += chunk[0..<count]
            guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { continue }
            let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
            let requestLine = head[0].split(separator: " ")
            var headers: [String: String] = [:]
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            if bytes.count - end.upperBound < length { continue }
            let body = String(decoding: bytes[end.upperBound..<(end.upperBound + length)], as: UTF8.self)
            return Request(method: String(requestLine.first ?? ""), path: String(requestLine.dropFirst().first ?? ""), headers: headers, body: body)
        }
    }
}
