import Foundation
import Glibc

/// Text in the encodings Chinese Windows saves spreadsheets in, made by the system's iconv.
public enum LegacyEncoding {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `text` in GB18030, as Excel on a Chinese Windows saves a CSV.
    public static func gb18030(_ text: String) throws -> [UInt8] {
        let converter = iconv_open("GB18030", "UTF-8")
        guard converter != iconv_t(bitPattern: -1) else { throw Failure(description: "iconv cannot convert to GB18030") }
        defer { iconv_close(converter) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        let produced = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                var inputPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inputBuffer.baseAddress!).bindMemory(to: CChar.self, capacity: inputBuffer.count)
                var inputLeft = inputBuffer.count
                var outputPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outputBuffer.baseAddress!).bindMemory(to: CChar.self, capacity: outputBuffer.count)
                var outputLeft = outputBuffer.count
                return iconv(converter, &inputPointer, &inputLeft, &outputPointer, &outputLeft) == -1 ? -1 : outputBuffer.count - outputLeft
            }
        }
        guard produced > 0 else { throw Failure(description: "iconv could not convert the text to GB18030") }
        return Array(output[0..<produced])
    }
}
