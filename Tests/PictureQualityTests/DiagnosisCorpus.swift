import Foundation

/// Pictures for the diagnosis tests, made at test time by real encoders: normal scenes, and the same
/// scenes darkened, brightened, fogged, colour-shifted, turned grey (infrared night), blurred (GStreamer's
/// gaussianblur), turned upside down (a knocked camera), plus solid screens from videotestsrc.
enum DiagnosisCorpus {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let path: String
        /// The camera's reference picture for this case, if the case compares with one.
        let referencePath: String?
        let expected: Set<String>
        var description: String { name }
    }

    static let width = 640
    static let height = 360
    static var directory: String { TestCorpus.directory.path }

    /// A scene through a per-pixel transform, written as PPM and encoded by cjpeg with `options`.
    static func encode(_ name: String, seed: UInt64, options: [String] = [], transform: (inout [UInt8]) -> Void = { _ in }) -> String {
        var rgb = Scene.render(width: width, height: height, seed: seed)
        transform(&rgb)
        let source = directory + "/\(name).ppm"
        TestCorpus.writePPM(rgb, width: width, height: height, to: source)
        // The same pixels headerless, for GStreamer's rawvideoparse.
        _ = FileManager.default.createFile(atPath: directory + "/\(name).rgb", contents: Data(rgb))
        let output = directory + "/\(name).jpg"
        TestCorpus.mustRun(TestCorpus.cjpeg, options + ["-outfile", output, source])
        return output
    }

    /// A GStreamer pipeline ending in jpegenc; `source` is the pipeline's head.
    /// `format` I420 by default: handed RGB, jpegenc writes an RGB JPEG, which cameras never do.
    static func gstreamer(_ name: String, _ source: [String], format: String = "I420") -> String {
        let output = directory + "/\(name).jpg"
        TestCorpus.mustRun(TestCorpus.gstLaunch, ["-q"] + source + ["!", "videoconvert", "!", "video/x-raw,format=\(format)", "!",
                                                                   "jpegenc", "quality=80", "!",
                                                                   "filesink", "location=\(output)"])
        return output
    }

    /// The head of a pipeline that reads back the raw pixels `encode` wrote for `name`.
    static func rawSource(_ name: String) -> [String] {
        ["filesrc", "location=\(directory)/\(name).rgb", "!", "rawvideoparse", "format=rgb",
         "width=\(width)", "height=\(height)"]
    }

    /// The scene `encode` wrote as `source`, blurred by GStreamer's gaussianblur, then encoded by cjpeg as a
    /// progressive file.
    static func blurredProgressive(_ name: String, of source: String) -> String {
        let blurred = directory + "/\(name).ppm"
        TestCorpus.mustRun(TestCorpus.gstLaunch, ["-q"] + rawSource(source) + ["!", "videoconvert", "!", "gaussianblur", "sigma=6", "!",
                                                                             "videoconvert", "!", "video/x-raw,format=RGB", "!", "pnmenc", "!",
                                                                             "filesink", "location=\(blurred)"])
        let output = directory + "/\(name).jpg"
        TestCorpus.mustRun(TestCorpus.cjpeg, ["-progressive", "-outfile", output, blurred])
        return output
    }

    static func solid(_ name: String, pattern: String) -> String {
        gstreamer(name, ["videotestsrc", "num-buffers=1", "pattern=\(pattern)", "!",
                         "video/x-raw,width=\(width),height=\(height)"])
    }

    static func map(_ rgb: inout [UInt8], _ channel: (Int, Int) -> Int) {
        for index in rgb.indices { rgb[index] = UInt8(clamping: channel(index % 3, Int(rgb[index]))) }
    }

    /// What an infrared night picture is: luma only, in a colour file.
    static func makeGrey(_ rgb: inout [UInt8]) {
        for index in stride(from: 0, to: rgb.count, by: 3) {
            let weighted = Int(rgb[index]) * 77 + Int(rgb[index + 1]) * 150 + Int(rgb[index + 2]) * 29
            let grey = UInt8(weighted >> 8)
            rgb[index] = grey
            rgb[index + 1] = grey
            rgb[index + 2] = grey
        }
    }

    /// A failing white balance: red up, blue down.
    static func castOrange(_ rgb: inout [UInt8]) {
        map(&rgb) { channel, value in
            if channel == 0 { return value + 60 }
            return channel == 1 ? value : value * 45 / 100
        }
    }

    /// A cloth over the left 45% of the lens: flat grey there.
    static func coverLeftPart(_ rgb: inout [UInt8]) {
        for y in 0..<height {
            for x in 0..<(width * 45 / 100) {
                let index = (y * width + x) * 3
                rgb[index] = 120
                rgb[index + 1] = 118
                rgb[index + 2] = 110
            }
        }
    }

    /// An on-screen clock: a 96x16 strip in the top left corner whose cells show `second`'s bits.
    static func drawClock(_ rgb: inout [UInt8], second: Int) {
        for y in 8..<24 {
            for x in 8..<104 {
                let lit = (second >> ((x - 8) / 8)) & 1 == 1
                let index = (y * width + x) * 3
                rgb[index] = lit ? 255 : 0
                rgb[index + 1] = lit ? 255 : 0
                rgb[index + 2] = lit ? 255 : 0
            }
        }
    }

    /// Snapshots for the frozen-picture measure: the same frame twice with the clock moved on (a frozen
    /// encoder), and the same scene with fresh sensor noise (a live camera watching a still scene).
    static let frozenPair: (first: String, second: String) = (
        encode("frozen-first", seed: 40) { drawClock(&$0, second: 1) },
        encode("frozen-second", seed: 40) { drawClock(&$0, second: 2) })
    /// The frozen frame re-encoded at another quality (an encoder whose rate control moves): every block's
    /// DC may move by a quantisation step, but the cells' means barely.
    static let requantisedFrozenPair: (first: String, second: String) = (
        encode("frozen-q85", seed: 40, options: ["-quality", "85"]) { drawClock(&$0, second: 1) },
        encode("frozen-q70", seed: 40, options: ["-quality", "70"]) { drawClock(&$0, second: 3) })
    static let livePair: (first: String, second: String) = (
        encode("live-first", seed: 41) { drawClock(&$0, second: 1) },
        encode("live-second", seed: 42) { drawClock(&$0, second: 2) })

    static func turnUpsideDown(_ rgb: inout [UInt8]) {
        let row = width * 3
        var flipped = rgb
        for y in 0..<height {
            flipped[(y * row)..<((y + 1) * row)] = rgb[((height - 1 - y) * row)..<((height - y) * row)]
        }
        rgb = flipped
    }

    /// Normal pictures, each with a reference of the same scene from another encoder setting: nothing may be found.
    static let normal: [Case] = {
        var cases: [Case] = []
        for seed in UInt64(1)...4 {
            let reference = encode("normal-\(seed)-reference", seed: seed + 10, options: ["-quality", "85"])
            cases.append(Case(name: "normal-\(seed)-q75", path: encode("normal-\(seed)-q75", seed: seed),
                              referencePath: reference, expected: []))
            // A camera's snapshot settings do not change between sweeps: a progressive camera, a progressive reference.
            let progressiveReference = encode("normal-\(seed)-progressive-reference", seed: seed + 10, options: ["-progressive"])
            cases.append(Case(name: "normal-\(seed)-progressive", path: encode("normal-\(seed)-progressive", seed: seed, options: ["-progressive"]),
                              referencePath: progressiveReference, expected: []))
        }
        let reference = encode("normal-reference", seed: 20)
        cases.append(Case(name: "normal-jpegenc", path: gstreamer("normal-jpegenc", rawSource("normal-reference")),
                          referencePath: reference, expected: []))
        cases.append(Case(name: "normal-jpegenc-rgb", path: gstreamer("normal-jpegenc-rgb", rawSource("normal-reference"), format: "RGB"),
                          referencePath: reference, expected: []))
        // A night picture from an infrared camera: grey, normal otherwise.
        cases.append(Case(name: "normal-infrared-grey", path: encode("normal-infrared-grey", seed: 5, transform: makeGrey),
                          referencePath: nil, expected: []))
        return cases
    }()

    /// One picture per fault, each expected to raise exactly its finding.
    static let faults: [Case] = {
        let reference = encode("fault-reference", seed: 30)
        let progressiveReference = encode("fault-progressive-reference", seed: 30, options: ["-progressive"])
        return [
            Case(name: "black-screen", path: solid("black-screen", pattern: "black"), referencePath: nil, expected: ["signal-loss"]),
            Case(name: "blue-no-video", path: solid("blue-no-video", pattern: "blue"), referencePath: nil, expected: ["signal-loss"]),
            Case(name: "white-screen", path: solid("white-screen", pattern: "white"), referencePath: nil, expected: ["signal-loss"]),
            Case(name: "too-dark", path: encode("too-dark", seed: 31) { map(&$0) { $1 * 12 / 100 } },
                 referencePath: nil, expected: ["too-dark"]),
            Case(name: "too-bright", path: encode("too-bright", seed: 32) { map(&$0) { 255 - (255 - $1) * 15 / 100 } },
                 referencePath: nil, expected: ["too-bright"]),
            Case(name: "fog", path: encode("fog", seed: 33) { map(&$0) { 150 + ($1 - 128) * 15 / 100 } },
                 referencePath: nil, expected: ["low-contrast"]),
            Case(name: "colour-cast", path: encode("colour-cast", seed: 34, transform: castOrange),
                 referencePath: nil, expected: ["colour-cast"]),
            Case(name: "blur", path: gstreamer("blur", rawSource("fault-reference") + ["!", "videoconvert", "!", "gaussianblur", "sigma=6"]),
                 referencePath: reference, expected: ["blur"]),
            Case(name: "blur-progressive", path: blurredProgressive("blur-progressive", of: "fault-progressive-reference"),
                 referencePath: progressiveReference, expected: ["blur"]),
            Case(name: "lens-partly-covered", path: encode("lens-partly-covered", seed: 36, transform: coverLeftPart),
                 referencePath: reference, expected: ["occlusion"]),
            Case(name: "camera-knocked-upside-down", path: encode("upside-down", seed: 35, transform: turnUpsideDown),
                 referencePath: reference, expected: ["scene-change"]),
        ]
    }()
}
