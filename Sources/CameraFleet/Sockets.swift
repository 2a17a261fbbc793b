import Glibc

/// Small Glibc socket and descriptor helpers shared by the fleet's loop.
enum Sockets {
    /// A nonblocking TCP listener on 0.0.0.0:`port` (0 = ephemeral) and the port it got.
    /// INADDR_ANY rather than 127.0.0.1, because one socket must take connections for every 127.x.y.z.
    static func listen(port: UInt16, backlog: Int32) throws(FleetError) -> (descriptor: Int32, port: UInt16) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .systemCall("socket", errno: errno) }
        var reuse: Int32 = 1
        // A restarted fleet must be able to rebind while old connections sit in TIME_WAIT.
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = INADDR_ANY
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let code = errno
            close(descriptor)
            throw .systemCall("bind to port \(port)", errno: code)
        }
        guard Glibc.listen(descriptor, backlog) == 0 else {
            let code = errno
            close(descriptor)
            throw .systemCall("listen", errno: code)
        }
        guard let local = localEndpoint(descriptor) else {
            let code = errno
            close(descriptor)
            throw .systemCall("getsockname", errno: code)
        }
        return (descriptor, local.port)
    }

    /// The local (destination) IPv4 address in host byte order and port of a socket.
    static func localEndpoint(_ descriptor: Int32) -> (address: UInt32, port: UInt16)? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0, address.sin_family == sa_family_t(AF_INET) else { return nil }
        return (UInt32(bigEndian: address.sin_addr.s_addr), UInt16(bigEndian: address.sin_port))
    }

    /// Closes with SO_LINGER {on, 0 s}: the kernel drops the connection with an RST instead of a FIN.
    static func resetAndClose(_ descriptor: Int32) {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        close(descriptor)
    }

    /// A pipe whose ends are nonblocking and close-on-exec; `stop()` writes a byte to wake the loop.
    static func wakePipe() throws(FleetError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw .systemCall("pipe", errno: errno) }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        return (ends[0], ends[1])
    }

    /// Milliseconds on the monotonic clock, for timers that must not jump with the wall clock.
    static func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
