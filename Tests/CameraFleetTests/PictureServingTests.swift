import CameraFleet
import Testing
import TestSupport

/// `--snapshot` and `--picture NAME=FILE`: the fleet serves real encoders' pictures, live (a frame counter in a
/// comment segment, the rest byte for byte the file), and refuses files it could not serve.
@Suite("Pictures the fleet serves")
struct PictureServingTests {
    /// The body with the fleet's frame-counter comment segment (FF FE, after APP0 or SOI) taken out.
    static func withoutFrameComment(_ body: [UInt8]) -> [UInt8]? {
        var position = 2
        while position + 4 <= body.count, body[position] == 0xFF {
            let length = Int(body[position + 2]) << 8 | Int(body[position + 3])
            if body[position + 1] == 0xFE {
                return Array(body[..<position]) + body[(position + 2 + length)...]
            }
            position += 2 + length
        }
        return nil
    }

    @Test func healthyCamerasServeTheSnapshotAndPictureCamerasTheirPicture() throws {
        let directory = TemporaryDirectory("fleet-pictures")
        let scene = try CJPEG.colour(width: 1920, height: 1080, to: directory.file("scene.jpg")) { x, y in
            (UInt8(x % 256), UInt8(y % 256), UInt8((x + y) % 256))
        }
        let dark = try CJPEG.grey(width: 640, height: 360, to: directory.file("dark.jpg")) { x, _ in UInt8(x % 16) }
        let configuration = FleetConfiguration(behaviours: [FleetAddress.parse("127.0.5.2")!: .picture(name: "dark"),
                                                            FleetAddress.parse("127.0.5.3")!: .frozen],
                                               snapshot: scene, pictures: ["dark": dark])
        try withFleet(configuration) { fleet throws in
            let first = try fleet.get("127.0.5.1", "/snapshot.jpg")
            let second = try fleet.get("127.0.5.1", "/snapshot.jpg")
            #expect(first.header("Content-Length") == String(first.body.count))
            let structure = try #require(jpegStructure(first.body))
            #expect(structure.width == 1920 && structure.height == 1080)
            #expect(first.body != second.body, "each live snapshot has its own frame number")
            #expect(Self.withoutFrameComment(first.body) == scene)
            #expect(Self.withoutFrameComment(second.body) == scene)

            let picture = try fleet.get("127.0.5.2", "/snapshot.jpg")
            #expect(Self.withoutFrameComment(picture.body) == dark)
            #expect(try fleet.get("127.0.5.3", "/snapshot.jpg").body == scene, "frozen sends the snapshot as it is")
        }
    }

    @Test func pictureBehaviourNamesRoundTrip() {
        #expect(CameraBehaviour(name: "picture:dark-1_b") == .picture(name: "dark-1_b"))
        #expect(CameraBehaviour.picture(name: "dark").name == "picture:dark")
        for bad in ["picture:", "picture:a b", "picture:a=b", "picture:暗"] {
            #expect(CameraBehaviour(name: bad) == nil, "\(bad)")
        }
        let pattern = try? BehaviourPattern.parse("healthy=8,picture:dark=2")
        #expect(pattern?.weights.map(\.behaviour) == [.healthy, .picture(name: "dark")])
    }

    @Test func theCommandLineReadsPicturesAndRefusesWhatItCannotServe() throws {
        let directory = TemporaryDirectory("fleet-picture-options")
        let dark = try CJPEG.grey(width: 64, height: 64, to: directory.file("dark.jpg")) { _, _ in 10 }
        let files: [String: [UInt8]] = [
            "dark.jpg": dark, "page.html": Array("<html></html>".utf8), "cut.jpg": Array(dark.prefix(dark.count - 2)),
            "map": Array("127.0.0.9 picture:dark\n".utf8), "bad-map": Array("127.0.0.9 picture:night\n".utf8),
        ]
        func parse(_ arguments: [String]) throws -> FleetCommandLine {
            try FleetCommandLine.parse(arguments) { path in
                guard let bytes = files[path] else { throw FleetError.invalidArgument("no such file \(path)") }
                return bytes
            }
        }
        let parsed = try parse(["--snapshot", "dark.jpg", "--picture", "dark=dark.jpg", "--map", "map"])
        #expect(parsed.configuration.snapshot == dark)
        #expect(parsed.configuration.pictures == ["dark": dark])
        #expect(parsed.configuration.behaviours == [0x7F00_0009: .picture(name: "dark")])

        let refusals: [([String], String)] = [
            (["--snapshot", "page.html"], "picture --snapshot: not a JPEG (it does not start with SOI, FF D8)"),
            (["--picture", "cut=cut.jpg"], "picture 'cut': the JPEG does not end with EOI (FF D9)"),
            (["--picture", "dark"], "--picture wants NAME=FILE with a NAME of letters, digits, '-' and '_', not 'dark'"),
            (["--map", "bad-map"], "picture 'night': cameras are given 'picture:night', but no --picture night=FILE says what it is"),
            (["--default", "picture:night", "--picture", "dark=dark.jpg"],
             "picture 'night': cameras are given 'picture:night', but no --picture night=FILE says what it is"),
            (["--snapshot", "gone.jpg"], "cannot read picture gone.jpg: no such file gone.jpg"),
        ]
        for (arguments, message) in refusals {
            #expect(throws: FleetError.self, "\(arguments)") { try parse(arguments) }
            do { _ = try parse(arguments) } catch { #expect("\(error)" == message) }
        }
        let huge = [UInt8](repeating: 0, count: SnapshotPicture.maximumBytes + 1)
        #expect(throws: FleetError.invalidPicture("x", reason: "\(huge.count) bytes is more than the \(SnapshotPicture.maximumBytes) a snapshot may have")) {
            try SnapshotPicture.validate(huge, name: "x")
        }
    }
}
