import Foundation
import Glibc
import Testing
import TestSupport
@testable import POSIXLayer

/// The one layer over POSIX file calls: what it refuses to read, what a full disk leaves, and that its
/// errors keep the real errno.
@Suite struct POSIXLayerTests {
    @Test func readsRegularFilesWithinTheirLimitAndNothingElse() throws {
        let directory = TemporaryDirectory()
        try directory.write("hello\n", to: "small")
        #expect(try Files.read(directory.file("small"), limit: 64) == Array("hello\n".utf8))
        #expect(try Files.read(directory.file("absent"), limit: 64) == nil)
        #expect(throws: SystemError.self) { try Files.read(directory.file("small"), limit: 3) }
        #expect(mkfifo(directory.file("fifo"), 0o600) == 0)
        // A FIFO would block a reader forever: refused before any read.
        #expect { try Files.read(directory.file("fifo"), limit: 64) } throws: { error in
            (error as? SystemError)?.operation == "read (not a regular file)"
        }
        #expect { try Files.read("/dev/zero", limit: 64) } throws: { error in (error as? SystemError)?.errno == EINVAL }
    }

    @Test func replaceAndAppendAreWholeOrNothing() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("log")
        try Files.append(Array("one\n".utf8), to: path)
        try Files.append(Array("two\n".utf8), to: path)
        #expect(try directory.read("log") == "one\ntwo\n")
        try Files.replace(path, with: Array("three\n".utf8))
        #expect(try directory.read("log") == "three\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["log"])
        try Files.makeDirectories(directory.file("a/b/c"))
        #expect(FileManager.default.fileExists(atPath: directory.file("a/b/c")))
    }

    @Test(.enabled(if: SmallDisk.isAvailable, "needs root to mount a small tmpfs"))
    func aFullDiskSaysSoAndLeavesNothingBehind() throws {
        let disk = try SmallDisk(kibibytes: 64)
        let log = disk.path + "/history.tsv"
        try Files.append(Array("kept\n".utf8), to: log)
        let big = [UInt8](repeating: 65, count: 256 << 10)
        #expect { try Files.append(big, to: log) } throws: { error in
            guard let error = error as? SystemError else { return false }
            return error.errno == ENOSPC && error.description == "\(log): cannot write: No space left on device"
        }
        // The half-written append was cut back.
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "kept\n")
        #expect { try Files.replace(disk.path + "/latest.tsv", with: big) } throws: { error in (error as? SystemError)?.errno == ENOSPC }
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path) == ["history.tsv"], "no temporary left")
    }
}
