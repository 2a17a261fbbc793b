import Glibc

/// What /proc says about this process's descriptors, to check that a stopped fleet left none behind.
/// Other test suites run in the same process at the same time, so checks identify the fleet's own
/// descriptors (by port, by epoll registration) instead of comparing raw counts.
public enum DescriptorInspection {
    /// Every open descriptor and its link target (`socket:[123]`, `pipe:[456]`, `anon_inode:[eventpoll]`, a path).
    public static func openDescriptors() -> [Int32: String] {
        guard let directory = opendir("/proc/self/fd") else { return [:] }
        defer { closedir(directory) }
        let own = dirfd(directory)
        var result: [Int32: String] = [:]
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let descriptor = Int32(name), descriptor != own, let target = linkTarget("/proc/self/fd/\(name)") else { continue }
            result[descriptor] = target
        }
        return result
    }

    /// `socket:[inode]` targets of TCP sockets (IPv4 and IPv6 tables) whose local port is one of `ports`:
    /// a fleet's listeners and every connection it accepted.
    public static func socketTargets(localPorts ports: Set<UInt16>) -> Set<String> {
        socketTargets(column: 1, ports: ports)
    }

    /// `socket:[inode]` targets of TCP sockets connected to one of `ports`: a client's connections to a server.
    public static func socketTargets(remotePorts ports: Set<UInt16>) -> Set<String> {
        socketTargets(column: 2, ports: ports)
    }

    /// This process's open descriptors that are TCP connections to one of `ports`.
    public static func openConnections(toPorts ports: Set<UInt16>) -> Int {
        let targets = socketTargets(remotePorts: ports)
        return openDescriptors().values.filter { targets.contains($0) }.count
    }

    private static func socketTargets(column: Int, ports: Set<UInt16>) -> Set<String> {
        var targets: Set<String> = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            for line in readFile(table).split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 9, let colon = fields[column].lastIndex(of: ":"),
                      let port = UInt16(fields[column][fields[column].index(after: colon)...], radix: 16), ports.contains(port)
                else { continue }
                targets.insert("socket:[\(fields[9])]")
            }
        }
        return targets
    }

    /// The descriptors registered in the epoll instance `descriptor` (its fdinfo's `tfd:` lines).
    public static func epollRegistrations(_ descriptor: Int32) -> Set<Int32> {
        var registered: Set<Int32> = []
        for line in readFile("/proc/self/fdinfo/\(descriptor)").split(separator: "\n") where line.hasPrefix("tfd:") {
            if let value = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first, let number = Int32(value) {
                registered.insert(number)
            }
        }
        return registered
    }

    private static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length >= 0 else { return nil }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The whole of a (proc) file, read until EOF since proc files report no size.
    private static func readFile(_ path: String) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            data += chunk[0..<count]
        }
        return String(decoding: data, as: UTF8.self)
    }
}
