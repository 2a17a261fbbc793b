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
          --username NAME     credentials auth-basic and auth-digest cameras accept (default admin)
          --password TEXT     (default fleet)
          --ready-file PATH   write 'httpPort rtspPort' there once listening
          --help              this text

        behaviours: healthy blackhole reset garbage auth-basic auth-digest server-error rtsp-404 html
          truncated-jpeg endless no-video clock-skew[:SECONDS] slow[:MILLISECONDS] frozen bad-cseq bad-playlist
          large-snapshot redirect-scheme redirect-host redirect-same endless-headers slowloris huge-length never-reads
          media-none media-stall media-no-keyframe media-low-fps media-channel
        RTSP SETUP and PLAY start synthetic H.264 RTP (640x360, 25 fps, a keyframe every 50 frames) on the connection.
        Stops cleanly on SIGINT or SIGTERM.
        """

    /// An empty command line: a healthy fleet on ephemeral ports.
    public init() {}

    /// Parses `arguments` (without the program name); `--option value` and `--option=value` both work.
    /// `readFile` loads the map file, so that parsing stays testable.
    public static func parse(_ arguments: [String], readFile: (String) throws -> String) throws -> FleetCommandLine {
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
                    text = try readFile(path)
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
        return result
    }

    private static func port(_ text: String, option: String) throws -> UInt16 {
        guard let port = UInt16(text) else { throw FleetError.invalidArgument("\(option) wants a port number 0...65535, not '\(text)'") }
        return port
    }
}
