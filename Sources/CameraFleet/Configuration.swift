/// What a fleet listens on and how each camera address behaves.
public struct FleetConfiguration: Sendable {
    /// The HTTP port every camera address answers on; 0 lets the kernel choose (see `CameraFleet.start()`).
    public var httpPort: UInt16
    /// The RTSP port every camera address answers on; 0 lets the kernel choose.
    public var rtspPort: UInt16
    /// The behaviour of addresses neither the table nor the pattern decides.
    public var defaultBehaviour: CameraBehaviour
    /// Explicit behaviours by IPv4 address in host byte order (127.1.2.3 is 0x7F01_0203); checked first.
    public var behaviours: [UInt32: CameraBehaviour]
    /// The weighted mix for addresses missing from `behaviours`; checked second.
    public var pattern: BehaviourPattern?
    /// The user name `auth-basic` and `auth-digest` cameras accept.
    public var username: String
    /// The password `auth-basic` and `auth-digest` cameras accept.
    public var password: String
    /// The realm in `WWW-Authenticate` challenges and in the Digest hash.
    public var realm: String
    /// The listen(2) backlog of both listening sockets (the kernel caps it at net.core.somaxconn).
    public var listenBacklog: Int32
    /// The JPEG healthy cameras serve as their snapshot (`--snapshot`); nil serves the built-in 320x240 test card.
    public var snapshot: [UInt8]?
    /// The JPEGs `picture:NAME` cameras serve (`--picture NAME=FILE`), by name.
    public var pictures: [String: [UInt8]]

    /// A fleet whose every camera is `defaultBehaviour` unless `behaviours` or `pattern` say otherwise.
    public init(
        httpPort: UInt16 = 0,
        rtspPort: UInt16 = 0,
        defaultBehaviour: CameraBehaviour = .healthy,
        behaviours: [UInt32: CameraBehaviour] = [:],
        pattern: BehaviourPattern? = nil,
        username: String = "admin",
        password: String = "fleet",
        realm: String = "fleet",
        listenBacklog: Int32 = 4096,
        snapshot: [UInt8]? = nil,
        pictures: [String: [UInt8]] = [:]
    ) {
        self.httpPort = httpPort
        self.rtspPort = rtspPort
        self.defaultBehaviour = defaultBehaviour
        self.behaviours = behaviours
        self.pattern = pattern
        self.username = username
        self.password = password
        self.realm = realm
        self.listenBacklog = listenBacklog
        self.snapshot = snapshot
        self.pictures = pictures
    }

    /// Throws `FleetError.invalidPicture` for a picture that is not a servable JPEG, and for a `picture:NAME`
    /// behaviour (default, table or pattern) whose name has no picture.
    public func checkPictures() throws(FleetError) {
        if let snapshot { try SnapshotPicture.validate(snapshot, name: "--snapshot") }
        for (name, bytes) in pictures.sorted(by: { $0.key < $1.key }) {
            try SnapshotPicture.validate(bytes, name: "'\(name)'")
        }
        let used = [defaultBehaviour] + behaviours.values + (pattern?.weights.map(\.behaviour) ?? [])
        let missing = Set(used.compactMap { behaviour -> String? in
            if case .picture(let name) = behaviour, pictures[name] == nil { return name }
            return nil
        })
        if let name = missing.sorted().first {
            throw .invalidPicture("'\(name)'", reason: "cameras are given 'picture:\(name)', but no --picture \(name)=FILE says what it is")
        }
    }

    /// The behaviour of the camera at `address` (host byte order): the table, else the pattern, else the default.
    public func behaviour(for address: UInt32) -> CameraBehaviour {
        if let explicit = behaviours[address] { return explicit }
        if let pattern, let patterned = pattern.behaviour(for: address) { return patterned }
        return defaultBehaviour
    }

    /// Parses a map file: one camera per line as `127.1.2.3 behaviour`, blank lines and `#` comments ignored
    /// (also after an entry). Addresses must lie in 127.0.0.0/8, since that is all the fleet can serve.
    public static func parseMap(_ text: String) throws(FleetError) -> [UInt32: CameraBehaviour] {
        var table: [UInt32: CameraBehaviour] = [:]
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            let line = String(rawLine).trimmingSpaces()
            guard fields.count == 2 else {
                throw .invalidMapLine(lineNumber: lineNumber, line: line, reason: "expected 'address behaviour'")
            }
            guard let address = FleetAddress.parse(String(fields[0])) else {
                throw .invalidMapLine(lineNumber: lineNumber, line: line, reason: "'\(fields[0])' is not an IPv4 address")
            }
            guard FleetAddress.isLoopback(address) else {
                throw .invalidMapLine(lineNumber: lineNumber, line: line, reason: "address is outside 127.0.0.0/8")
            }
            guard let behaviour = CameraBehaviour(name: String(fields[1])) else {
                throw .invalidMapLine(lineNumber: lineNumber, line: line, reason: "unknown behaviour '\(fields[1])'")
            }
            table[address] = behaviour
        }
        return table
    }
}

/// Dotted-quad IPv4 text and host-byte-order integers, without Foundation or inet_pton's leniency.
public enum FleetAddress {
    /// `127.1.2.3` as 0x7F01_0203; nil unless exactly four decimal octets of 0...255.
    public static func parse(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var address: UInt32 = 0
        for octet in octets {
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = UInt32(octet), value <= 255
            else { return nil }
            address = address << 8 | value
        }
        return address
    }

    /// 0x7F01_0203 as `127.1.2.3`.
    public static func format(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)"
    }

    /// Whether the address lies in 127.0.0.0/8, the only range the fleet serves.
    public static func isLoopback(_ address: UInt32) -> Bool {
        address >> 24 == 127
    }
}
