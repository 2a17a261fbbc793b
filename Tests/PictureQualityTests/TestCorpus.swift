import Foundation
import TestSupport

/// Runs blocking work (a long decode loop) on a thread of its own and awaits it, so that it does not hold
/// one of the test process's pool threads (one per core), which other suites' timers need. Expectations stay
/// with the caller: an issue recorded on another thread belongs to no test.
func offThePool<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: work()) }
    }
}

/// Test pictures made at test time by real encoders (libjpeg-turbo's cjpeg, GStreamer's jpegenc) from
/// synthesised scenes, with what libjpeg-turbo's own 1/8-scale decode (`djpeg -scale 1/8`) makes of them.
/// Built once per test process, in a temporary directory kept until the process ends; the tests name them
/// in their arguments, so that they are made while the tests are planned, not on a pool thread mid-run.
enum TestCorpus {
    /// One encoded file and how it was made.
    struct Picture: Sendable, CustomStringConvertible {
        let name: String
        let path: String
        let width: Int
        let height: Int
        let isGreyscale: Bool
        /// 4:4:4 (or greyscale): the files whose RGB djpeg computes from DC values alone.
        let isFullChroma: Bool
        /// What `djpeg -scale 1/8` made of the file: its grey plane (`-grayscale`) and its RGB picture.
        let djpegLuma: PNM
        let djpegRGB: PNM
        var description: String { name }
        var bytes: [UInt8] { [UInt8](FileManager.default.contents(atPath: path) ?? Data()) }
    }

    /// A decoded PGM or PPM: size and samples.
    struct PNM: Sendable {
        let width: Int
        let height: Int
        let samples: [UInt8]
    }

    static let directory = TemporaryDirectory("picture-quality-corpus")

    static let cjpeg = "/usr/bin/cjpeg"
    static let djpeg = "/usr/bin/djpeg"
    static let gstLaunch = "/usr/bin/gst-launch-1.0"

    /// cjpeg runs: a scene size, then the options. Sizes from 320x240 to 1920x1080, odd sizes for the edges
    /// of partial MCUs, every sampling, progressive, restarts, greyscale, 16-bit tables (quality 5 makes
    /// quantisation steps over 255, and cjpeg then writes SOF1), optimised tables.
    static let cjpegRuns: [(name: String, width: Int, height: Int, options: [String])] = [
        ("baseline-420-q75-320x240", 320, 240, []),
        ("baseline-444-q90-640x480", 640, 480, ["-sample", "1x1", "-quality", "90"]),
        ("baseline-422-q75-333x251", 333, 251, ["-sample", "2x1"]),
        ("baseline-440-q75-333x251", 333, 251, ["-sample", "1x2"]),
        ("baseline-420-optimize-1280x720", 1280, 720, ["-optimize"]),
        ("baseline-420-q95-1920x1080", 1920, 1080, ["-quality", "95"]),
        ("restart-rows-420-1920x1080", 1920, 1080, ["-restart", "1"]),
        ("restart-blocks-444-641x479", 641, 479, ["-restart", "7B", "-sample", "1x1"]),
        ("grayscale-q75-1280x720", 1280, 720, ["-grayscale"]),
        ("extended-16bit-q5-640x480", 640, 480, ["-quality", "5"]),
        ("q100-444-320x240", 320, 240, ["-quality", "100", "-sample", "1x1"]),
        ("progressive-420-1920x1080", 1920, 1080, ["-progressive"]),
        ("progressive-444-q90-333x251", 333, 251, ["-progressive", "-sample", "1x1", "-quality", "90"]),
        ("progressive-422-restart-640x480", 640, 480, ["-progressive", "-sample", "2x1", "-restart", "3B"]),
        ("progressive-grayscale-1280x720", 1280, 720, ["-progressive", "-grayscale"]),
        ("progressive-16bit-q10-320x240", 320, 240, ["-progressive", "-quality", "10"]),
        // Scan scripts: a sequential file with one scan per component, and a progressive one without
        // successive approximation (each AC band in one pass, no refinement scans).
        ("sequential-one-scan-per-component-640x480", 640, 480, ["-scans", scanScript("one-per-component", "0;\n1;\n2;\n")]),
        ("progressive-no-refinement-640x480", 640, 480,
         ["-progressive", "-scans", scanScript("no-refinement", "0 1 2: 0 0 0 0;\n0: 1 9 0 0;\n0: 10 63 0 0;\n1: 1 63 0 0;\n2: 1 63 0 0;\n")]),
    ]

    /// Writes a cjpeg scan script (`-scans`) and returns its path.
    static func scanScript(_ name: String, _ text: String) -> String {
        let path = directory.file("scans-\(name).txt")
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    /// GStreamer runs: videotestsrc pattern, size, raw format (which sets the chroma sampling), quality.
    static let gstreamerRuns: [(name: String, pattern: String, width: Int, height: Int, format: String, quality: Int)] = [
        ("jpegenc-smpte-I420-3840x2160", "smpte", 3840, 2160, "I420", 85),
        ("jpegenc-zoneplate-Y42B-1920x1080", "zone-plate", 1920, 1080, "Y42B", 70),
        ("jpegenc-ball-Y444-800x600", "ball", 800, 600, "Y444", 90),
        ("jpegenc-smpte-I420-640x360", "smpte", 640, 360, "I420", 80),
        // Handed RGB, jpegenc writes an RGB JPEG (Adobe transform 0): djpeg converts it to grey itself.
        ("jpegenc-pinwheel-RGB-480x272", "pinwheel", 480, 272, "RGB", 85),
        ("jpegenc-snow-GRAY8-640x480", "snow", 640, 480, "GRAY8", 50),
    ]

    /// Every picture, encoded on first use.
    static let pictures: [Picture] = {
        var made: [Picture] = []
        for run in cjpegRuns {
            let source = directory.file("\(run.name).ppm")
            writePPM(Scene.render(width: run.width, height: run.height, seed: UInt64(made.count + 1)),
                     width: run.width, height: run.height, to: source)
            let output = directory.file("\(run.name).jpg")
            mustRun(cjpeg, run.options + ["-outfile", output, source])
            let greyscale = run.options.contains("-grayscale")
            let fullChroma = greyscale || run.options.contains("1x1")
            made.append(Picture(name: run.name, path: output, width: run.width, height: run.height,
                                isGreyscale: greyscale, isFullChroma: fullChroma,
                                djpegLuma: djpegScaled(output, greyscale: true), djpegRGB: djpegScaled(output, greyscale: false)))
        }
        for run in gstreamerRuns {
            let output = directory.file("\(run.name).jpg")
            mustRun(gstLaunch, ["-q", "videotestsrc", "num-buffers=1", "pattern=\(run.pattern)", "!",
                                "video/x-raw,format=\(run.format),width=\(run.width),height=\(run.height)", "!",
                                "jpegenc", "quality=\(run.quality)", "!", "filesink", "location=\(output)"])
            made.append(Picture(name: run.name, path: output, width: run.width, height: run.height,
                                isGreyscale: run.format == "GRAY8", isFullChroma: ["Y444", "GRAY8", "RGB"].contains(run.format),
                                djpegLuma: djpegScaled(output, greyscale: true), djpegRGB: djpegScaled(output, greyscale: false)))
        }
        return made
    }()

    /// Small files for the fuzz tests, one per kind of coding: fast to decode thousands of times.
    static let fuzzSeeds: [[UInt8]] = {
        let runs: [(name: String, options: [String])] = [
            ("seed-baseline", []), ("seed-progressive", ["-progressive"]), ("seed-restart", ["-restart", "1B"]),
            ("seed-grayscale", ["-grayscale"]), ("seed-444-16bit", ["-sample", "1x1", "-quality", "5"]),
            ("seed-progressive-restart", ["-progressive", "-restart", "2B", "-sample", "2x1"]),
            ("seed-chroma-finer-than-luma", ["-sample", "1x1,2x2,2x2"]),
            ("seed-progressive-440-restart", ["-progressive", "-restart", "1B", "-sample", "1x2"]),
        ]
        return runs.map { run in
            let source = directory.file("\(run.name).ppm")
            writePPM(Scene.render(width: 40, height: 32, seed: 99), width: 40, height: 32, to: source)
            let output = directory.file("\(run.name).jpg")
            mustRun(cjpeg, run.options + ["-outfile", output, source])
            return [UInt8](FileManager.default.contents(atPath: output) ?? Data())
        }
    }()

    /// A synthesised scene encoded by cjpeg with `options`, as bytes.
    static func encodeScene(_ name: String, width: Int, height: Int, options: [String]) -> [UInt8] {
        let source = directory.file("\(name).ppm")
        writePPM(Scene.render(width: width, height: height, seed: 7), width: width, height: height, to: source)
        let output = directory.file("\(name).jpg")
        mustRun(cjpeg, options + ["-outfile", output, source])
        return [UInt8](FileManager.default.contents(atPath: output) ?? Data())
    }

    /// What `djpeg -scale 1/8` writes for the JPEG at `path`: the grey plane (`-grayscale`, PGM) or RGB (PPM).
    static func djpegScaled(_ path: String, greyscale: Bool) -> PNM {
        let output = path + (greyscale ? ".pgm" : ".ppm")
        mustRun(djpeg, ["-scale", "1/8"] + (greyscale ? ["-grayscale"] : []) + ["-pnm", "-outfile", output, path])
        return readPNM([UInt8](FileManager.default.contents(atPath: output) ?? Data()))
    }

    static func mustRun(_ executable: String, _ arguments: [String]) {
        do {
            let outcome = try ProcessRunner.run(executable, arguments)
            guard outcome.status == 0, !outcome.wasSignalled else {
                fatalError("\(executable) \(arguments.joined(separator: " ")) failed: \(outcome.standardError)")
            }
        } catch {
            fatalError("\(executable): \(error)")
        }
    }

    static func writePPM(_ rgb: [UInt8], width: Int, height: Int, to path: String) {
        let header = Array("P6\n\(width) \(height)\n255\n".utf8)
        _ = FileManager.default.createFile(atPath: path, contents: Data(header + rgb))
    }

    /// Reads a binary PGM (P5) or PPM (P6) with a maxval of 255.
    static func readPNM(_ bytes: [UInt8]) -> PNM {
        var fields: [Int] = []
        var index = 2
        while fields.count < 3 {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A { index += 1 }
            var number = 0
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                number = number * 10 + Int(bytes[index] - 0x30)
                index += 1
            }
            fields.append(number)
        }
        return PNM(width: fields[0], height: fields[1], samples: Array(bytes[(index + 1)...]))
    }
}

/// Synthesised camera-like scenes: a sky gradient, a ground texture of deterministic noise (so the encoder
/// writes many AC symbols, long codes among them), coloured boxes with sharp edges, a disc.
enum Scene {
    static func render(width: Int, height: Int, seed: UInt64) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        let horizon = height * 2 / 5
        var noise = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        rgb.withUnsafeMutableBufferPointer { pixels in
            for y in 0..<height {
                for x in 0..<width {
                    let index = (y * width + x) * 3
                    var red: Int
                    var green: Int
                    var blue: Int
                    if y < horizon {
                        red = 90 + 80 * y / horizon
                        green = 140 + 60 * y / horizon
                        blue = 230 - 30 * y / horizon
                    } else {
                        noise ^= noise << 13
                        noise ^= noise >> 7
                        noise ^= noise << 17
                        let grain = Int(noise & 0x3F) - 32
                        red = 110 + grain + (x / 7 % 5) * 6
                        green = 100 + grain + (y / 5 % 3) * 8
                        blue = 70 + grain / 2
                    }
                    if (x / (width / 8 + 1)) % 3 == 1, y > height / 2, y < height * 3 / 4 {
                        red = 200; green = 40 + (x % 64); blue = 40
                    }
                    let dx = x - width * 3 / 4
                    let dy = y - height / 4
                    if dx * dx + dy * dy < (height / 8) * (height / 8) {
                        red = 250; green = 220; blue = 60
                    }
                    pixels[index] = UInt8(clamping: red)
                    pixels[index + 1] = UInt8(clamping: green)
                    pixels[index + 2] = UInt8(clamping: blue)
                }
            }
        }
        return rgb
    }
}
