import Registry

/// The arguments of the `camera-fleet` executable, parsed into a configuration.
public struct FleetCommandLine: Sendable {
    /// The fleet to run.
    public var configuration = FleetConfiguration()
    /// Where to write `httpPort rtspPort\n` once both sockets listen, so scripts need not sleep.
    public var readyFile: String?
    /// `--help` was given: print `usage` and exit.
    public var showHelp = false

    /// The help text.
    public static let usage = """
        usage: camera-fleet [options]
          Serves fake cameras on every address of 127.0.0.0/8: HTTP (snapshot, HLS, ONVIF) and RTSP.

          --http-port N       HTTP port (default 0: the kernel chooses; see --ready-file)
          --rtsp-port N       RTSP port (default 0)
          --default NAME      behaviour of addresses not otherwise given (default healthy)
          --map FILE          one camera per line: '127.1.2.3 behaviour', '#' starts a comment
          --inventory DIR     behaviours from a xueliang inventory's 'sim:NAME' camera tags
          --pattern TEXT      weighted mix for unmapped addresses, e.g. healthy=85,blackhole=10,reset=5
          --snapshot FILE     the JPEG healthy cameras serve (default: a built-in 320x240 test card)
          --picture NAME=FILE the JPEG 'picture:NAME' cameras serve (a dark or covered scene, say); repeatable
          --username NAME     credentials auth-basic and auth-digest cameras accept (default admin)
          --password TEXT     (default fleet)
          --ready-file PATH   write 'httpPort rtspPort' there once listening
          --help              this text

        behaviours: healthy blackhole reset garbage auth-basic auth-digest server-error rtsp-404 html
          truncated-jpeg endless no-video clock-skew[:SECONDS] slow[:MILLISECONDS] frozen bad-cseq bad-playlist
          large-snapshot redirect-scheme redirect-host redirect-same endless-headers slowloris huge-length never-reads
          media-none media-stall media-no-keyframe media-low-fps media-channel picture:NAME
        Every live snapshot carries a frame counter in a comment segment, so that no two are the same bytes.
        RTSP SETUP and PLAY start synthetic H.264 RTP (640x360, 25 fps, a keyframe every 50 frames) on the connection.
        Stops cleanly on SIGINT or SIGTERM.
        """

    /// An empty command line: a healthy fleet on ephemeral ports.
    public init() {}

    /// Parses `arguments` (without the program name); `--option value` and `--option=value` both work.
    /// `readFile` loads the map file and the pictures, so that parsing stays testable.
    public static func parse(_ arguments: [String], readFile: (String) throws -> [UInt8]) throws -> FleetCommandLine {
        var result = FleetCommandLine()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            var option = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                option = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() throws -> String {
                if let inlineValue { return inlineValue }
                guard let next = remaining.popFirst() else { throw FleetError.invalidArgument("\(option) needs a value") }
                return next
            }
            switch option {
            case "--help", "-h":
                result.showHelp = true
            case "--http-port":
                result.configuration.httpPort = try port(try value(), option: option)
            case "--rtsp-port":
                result.configuration.rtspPort = try port(try value(), option: option)
            case "--default":
                let name = try value()
                guard let behaviour = CameraBehaviour(name: name) else { throw FleetError.unknownBehaviour(name) }
                result.configuration.defaultBehaviour = behaviour
            case "--map":
                let path = try value()
                let text: String
                do {
                    text = String(decoding: try readFile(path), as: UTF8.self)
                } catch {
                    throw FleetError.invalidArgument("cannot read map file \(path): \(error)")
                }
                result.configuration.behaviours.merge(try FleetConfiguration.parseMap(text)) { _, later in later }
            case "--inventory":
                let directory = try value()
                let inventory: Inventory
                do {
                    inventory = try InventoryStore(directory: directory).load()
                } catch {
                    throw FleetError.invalidArgument("cannot read inventory \(directory): \(error)")
                }
                result.configuration.behaviours.merge(try InventoryBehaviours.table(from: inventory)) { _, later in later }
            case "--pattern":
                result.configuration.pattern = try BehaviourPattern.parse(try value())
            case "--snapshot":
                result.configuration.snapshot = try picture(at: try value(), readFile: readFile)
            case "--picture":
                let assignment = try value()
                guard let equals = assignment.firstIndex(of: "="), CameraBehaviour.isPictureName(assignment[..<equals]) else {
                    throw FleetError.invalidArgument("--picture wants NAME=FILE with a NAME of letters, digits, '-' and '_', not '\(assignment)'")
                }
                let path = String(assignment[assignment.index(after: equals)...])
                result.configuration.pictures[String(assignment[..<equals])] = try picture(at: path, readFile: readFile)
            case "--username":
                result.configuration.username = try value()
            case "--password":
                result.configuration.password = try value()
            case "--ready-file":
                result.readyFile = try value()
            default:
                throw FleetError.invalidArgument("unknown option \(argument) (see --help)")
            }
        }
        try result.configuration.checkPictures()
        return result
    }

    private static func picture(at path: String, readFile: (String) throws -> [UInt8]) throws -> [UInt8] {
        do {
            return try readFile(path)
        } catch {
            throw FleetError.invalidArgument("cannot read picture \(path): \(error)")
        }
    }

    private static func port(_ text: String, option: String) throws -> UInt16 {
        guard let port = UInt16(text) else { throw FleetError.invalidArgument("\(option) wants a port number 0...65535, not '\(text)'") }
        return port
    }
}
