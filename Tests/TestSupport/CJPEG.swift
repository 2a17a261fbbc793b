import Foundation

/// Pictures encoded by a real encoder, libjpeg-turbo's `cjpeg` (Debian `libjpeg-turbo-progs`, installed by
/// `scripts/setup.sh --test`), from a pixel function: what the picture tests feed the decoder and the checks.
public enum CJPEG {
    public enum Failure: Error { case encoderFailed(Int32) }

    /// A greyscale picture, written to `path` and returned.
    @discardableResult
    public static func grey(width: Int, height: Int, to path: String, _ pixel: (Int, Int) -> UInt8) throws -> [UInt8] {
        var pgm = Array("P5\n\(width) \(height)\n255\n".utf8)
        for y in 0..<height { for x in 0..<width { pgm.append(pixel(x, y)) } }
        return try encode(pgm, to: path)
    }

    /// A colour picture, written to `path` and returned.
    @discardableResult
    public static func colour(width: Int, height: Int, to path: String, _ pixel: (Int, Int) -> (UInt8, UInt8, UInt8)) throws -> [UInt8] {
        var ppm = Array("P6\n\(width) \(height)\n255\n".utf8)
        for y in 0..<height { for x in 0..<width { let (r, g, b) = pixel(x, y); ppm += [r, g, b] } }
        return try encode(ppm, to: path)
    }

    private static func encode(_ netpbm: [UInt8], to path: String) throws -> [UInt8] {
        try Data(netpbm).write(to: URL(fileURLWithPath: path + ".pnm"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/cjpeg")
        process.arguments = ["-quality", "85", "-outfile", path, path + ".pnm"]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure.encoderFailed(process.terminationStatus) }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
