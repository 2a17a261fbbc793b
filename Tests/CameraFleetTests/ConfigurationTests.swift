import CameraFleet
import Testing

@Suite("Behaviour names, patterns, map files and the command line")
struct ConfigurationTests {
    @Test("every behaviour's name parses back to it", arguments: CameraBehaviour.catalogue)
    func nameRoundTrips(behaviour: CameraBehaviour) {
        #expect(CameraBehaviour(name: behaviour.name) == behaviour)
    }

    @Test func namesTheBriefSpells() {
        let expected: [String: CameraBehaviour] = [
            "healthy": .healthy, "blackhole": .blackhole, "reset": .reset, "garbage": .garbage,
            "auth-basic": .authBasic, "auth-digest": .authDigest, "server-error": .serverError,
            "rtsp-404": .rtspNotFound, "html": .htmlInsteadOfJPEG, "truncated-jpeg": .truncatedJPEG,
            "endless": .endlessBody, "no-video": .sdpWithoutVideo, "clock-skew": .clockSkew(seconds: 300),
            "clock-skew:-45": .clockSkew(seconds: -45), "slow": .slow(milliseconds: 1500),
            "slow:250": .slow(milliseconds: 250), "frozen": .frozen, "bad-cseq": .badCSeq, "bad-playlist": .badPlaylist,
        ]
        for (name, behaviour) in expected {
            #expect(CameraBehaviour(name: name) == behaviour, "\(name)")
        }
        #expect(CameraBehaviour.clockSkew(seconds: 300).name == "clock-skew:300")
        #expect(CameraBehaviour.slow(milliseconds: 1500).name == "slow:1500")
    }

    @Test(arguments: ["", "nope", "Healthy", "slow:", "slow:-1", "slow:abc", "healthy:3", "clock-skew:1.5", "auth_basic"])
    func rejectsBadNames(name: String) {
        #expect(CameraBehaviour(name: name) == nil)
    }

    @Test func patternIsDeterministicAndFollowsTheWeights() throws {
        let pattern = try BehaviourPattern.parse(" healthy=85, blackhole=10 ,reset=5,slow:250=0")
        #expect(pattern.totalWeight == 100)
        #expect(pattern.description == "healthy=85,blackhole=10,reset=5")
        var counts: [CameraBehaviour: Int] = [:]
        let base: UInt32 = 0x7F01_0000
        for offset in 0..<20_000 as Range<UInt32> {
            let behaviour = try #require(pattern.behaviour(for: base + offset))
            counts[behaviour, default: 0] += 1
            #expect(pattern.behaviour(for: base + offset) == behaviour)
        }
        #expect((16_400...17_600).contains(counts[.healthy] ?? 0))
        #expect((1_700...2_300).contains(counts[.blackhole] ?? 0))
        #expect((800...1_200).contains(counts[.reset] ?? 0))
        #expect(counts[.slow(milliseconds: 250)] == nil)
        // A second pattern with the same text chooses identically: no per-process hash seed.
        let again = try BehaviourPattern.parse("healthy=85,blackhole=10,reset=5")
        for offset in 0..<1_000 as Range<UInt32> {
            #expect(again.behaviour(for: base + offset) == pattern.behaviour(for: base + offset))
        }
    }

    @Test(arguments: ["", "healthy", "healthy=x", "healthy=-1", "nope=3", "healthy=0,reset=0"])
    func rejectsBadPatterns(text: String) {
        #expect(throws: FleetError.self) { try BehaviourPattern.parse(text) }
    }

    @Test func tableThenPatternThenDefault() throws {
        let pattern = BehaviourPattern(weights: [(.frozen, 1)])
        let configuration = FleetConfiguration(
            defaultBehaviour: .serverError, behaviours: [0x7F00_0001: .garbage], pattern: pattern)
        #expect(configuration.behaviour(for: 0x7F00_0001) == .garbage)
        #expect(configuration.behaviour(for: 0x7F00_0002) == .frozen)
        let withoutPattern = FleetConfiguration(defaultBehaviour: .serverError, behaviours: [0x7F00_0001: .garbage])
        #expect(withoutPattern.behaviour(for: 0x7F00_0002) == .serverError)
    }

    @Test func mapFile() throws {
        let table = try FleetConfiguration.parseMap("""
            # the north villages
            127.1.2.3 blackhole
              127.1.2.4\tslow:250   # a comment after an entry

            127.1.2.5 clock-skew
            """)
        #expect(table == [0x7F01_0203: .blackhole, 0x7F01_0204: .slow(milliseconds: 250), 0x7F01_0205: .clockSkew(seconds: 300)])
    }

    @Test func mapFileErrorsNameTheLine() {
        #expect(throws: FleetError.invalidMapLine(lineNumber: 2, line: "127.0.0.9 nope", reason: "unknown behaviour 'nope'")) {
            try FleetConfiguration.parseMap("127.0.0.8 healthy\n127.0.0.9 nope\n")
        }
        #expect(throws: FleetError.self) { try FleetConfiguration.parseMap("10.0.0.1 healthy") }
        #expect(throws: FleetError.self) { try FleetConfiguration.parseMap("127.0.0.256 healthy") }
        #expect(throws: FleetError.self) { try FleetConfiguration.parseMap("127.0.0.1 healthy extra") }
    }

    @Test func addresses() {
        #expect(FleetAddress.parse("127.1.2.3") == 0x7F01_0203)
        #expect(FleetAddress.format(0x7F01_0203) == "127.1.2.3")
        for text in ["127.1.2", "127.1.2.3.4", "127.01.2.3x", "a.b.c.d", "127..2.3", "1277.0.0.1"] {
            #expect(FleetAddress.parse(text) == nil, "\(text)")
        }
        #expect(FleetAddress.isLoopback(0x7FFF_FFFE))
        #expect(!FleetAddress.isLoopback(0x0A00_0001))
    }

    @Test func commandLine() throws {
        let parsed = try FleetCommandLine.parse(
            ["--http-port", "8080", "--rtsp-port=8554", "--default", "frozen", "--map", "cameras.map",
             "--pattern", "healthy=9,reset=1", "--username", "operator", "--password", "s3cret", "--ready-file", "/tmp/ready"]
        ) { path in
            #expect(path == "cameras.map")
            return Array("127.0.0.2 blackhole\n".utf8)
        }
        #expect(parsed.configuration.httpPort == 8080)
        #expect(parsed.configuration.rtspPort == 8554)
        #expect(parsed.configuration.defaultBehaviour == .frozen)
        #expect(parsed.configuration.behaviours == [0x7F00_0002: .blackhole])
        #expect(parsed.configuration.pattern?.description == "healthy=9,reset=1")
        #expect(parsed.configuration.username == "operator")
        #expect(parsed.configuration.password == "s3cret")
        #expect(parsed.readyFile == "/tmp/ready")
        #expect(!parsed.showHelp)
        #expect(try FleetCommandLine.parse(["--help"]) { _ in [] }.showHelp)
        for bad in [["--http-port", "70000"], ["--default", "nope"], ["--bogus"], ["--map"]] {
            #expect(throws: FleetError.self, "\(bad)") { try FleetCommandLine.parse(bad) { _ in [] } }
        }
    }

    @Test func invalidConfigurationsAreRefused() {
        #expect(throws: FleetError.self) { try CameraFleet(configuration: FleetConfiguration(httpPort: 9000, rtspPort: 9000)) }
        #expect(throws: FleetError.self) { try CameraFleet(configuration: FleetConfiguration(username: "a:b")) }
    }
}
