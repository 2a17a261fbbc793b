// Decodes JPEG files with PictureQuality's DC decoder on one thread and prints the throughput, for
// Benchmarks/jpeg-benchmark.sh to set beside djpeg's: `jpeg-benchmark ROUNDS FILE...`.
import Foundation
import PictureQuality

let arguments = CommandLine.arguments.dropFirst()
guard let rounds = arguments.first.flatMap(Int.init), rounds > 0, arguments.count > 1 else {
    FileHandle.standardError.write(Data("usage: jpeg-benchmark ROUNDS FILE...\n".utf8))
    exit(64)
}
let files = arguments.dropFirst().map { path -> [UInt8] in
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("jpeg-benchmark: cannot read \(path)\n".utf8))
        exit(66)
    }
    return [UInt8](data)
}
let totalBytes = files.reduce(0) { $0 + $1.count }
var checksum = 0
// One untimed round first: page faults and the allocator's first growth are not the decoder's cost.
for file in files { checksum &+= (try? JPEGDCDecoder.decode(file).components.count) ?? 0 }
// Process CPU time, not wall time: the machine is shared, and a decoder waiting for a core is not slower.
func cpuSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
let started = cpuSeconds()
for _ in 0..<rounds {
    for file in files {
        do {
            // The RGB picture too: djpeg's figure includes its colour conversion at 1/8 scale.
            checksum &+= Int(try JPEGDCDecoder.decode(file).rgbPlane()[0])
        } catch {
            FileHandle.standardError.write(Data("jpeg-benchmark: \(error)\n".utf8))
            exit(65)
        }
    }
}
let seconds = cpuSeconds() - started
let megabytes = Double(totalBytes * rounds) / 1_000_000
// Machine-readable for the script: files, bytes per round, rounds, seconds, MB/s; the checksum keeps the
// decoding from being optimised away.
print("files=\(files.count) bytes=\(totalBytes) rounds=\(rounds) seconds=\(seconds) megabytes_per_second=\(megabytes / seconds) checksum=\(checksum)")
