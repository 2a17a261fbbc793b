import Foundation
import Glibc
import Testing
import TestSupport
@testable import POSIXLayer

/// The one lock type: flock locks belong to an open file description, so two `FileLock` values in one
/// process contend as two processes would.
@Suite struct FileLockTests {
    @Test func anExclusiveLockKeepsOutEveryOtherUntilReleased() throws {
        let directory = TemporaryDirectory()
        let path = directory.file(".lock")
        var held: FileLock? = try FileLock.acquire(path, mode: .exclusive)
        #expect(held?.isHeld == true)
        #expect(try FileLock.attempt(path, mode: .exclusive) == nil, "busy, not an error")
        #expect(try FileLock.attempt(path, mode: .shared) == nil)
        held = nil
        #expect(try FileLock.attempt(path, mode: .exclusive) != nil, "released with its descriptor")
    }

    @Test func sharedLocksCoexistAndKeepOutAWriter() throws {
        let directory = TemporaryDirectory()
        let path = directory.file(".lock")
        let first = try FileLock.acquire(path, mode: .shared)
        let second = try FileLock.acquire(path, mode: .shared)
        #expect(first.isHeld && second.isHeld)
        #expect(try FileLock.attempt(path, mode: .exclusive) == nil)
    }

    @Test func aSharedLockNeedsNoWriteAccessToAnExistingLockFile() throws {
        let directory = TemporaryDirectory()
        let path = directory.file(".lock")
        _ = try FileLock.acquire(path, mode: .exclusive)
        #expect(chmod(path, 0o444) == 0)
        let reader = try FileLock.acquire(path, mode: .shared)
        #expect(reader.isHeld)
    }

    @Test func aFailedLockSaysWhichFileAndWhy() throws {
        let directory = TemporaryDirectory()
        #expect(throws: SystemError(path: directory.file("absent/.lock"), operation: "open the lock file", errno: ENOENT)) {
            try FileLock.acquire(directory.file("absent/.lock"), mode: .exclusive)
        }
        // A symbolic link is never followed to a lock file elsewhere.
        #expect(symlink(directory.file("elsewhere"), directory.file("link")) == 0)
        #expect(throws: SystemError(path: directory.file("link"), operation: "open the lock file", errno: ELOOP)) {
            try FileLock.acquire(directory.file("link"), mode: .exclusive)
        }
    }

    @Test(.enabled(if: SmallDisk.isAvailable, "needs root to mount a read-only tmpfs"))
    func whereNoLockFileCanBeMadeAReaderGoesOnAndAWriterIsRefused() throws {
        let directory = TemporaryDirectory()
        let mounted = try ProcessRunner.run("/bin/mount", ["-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", directory.path])
        try #require(mounted.status == 0, "mount: \(mounted.standardError)")
        defer { _ = try? ProcessRunner.run("/bin/umount", [directory.path]) }
        let path = directory.file(".lock")
        let reader = try FileLock.acquire(path, mode: .shared)
        #expect(!reader.isHeld, "a read-only copy: nobody can write there either")
        #expect(throws: SystemError(path: path, operation: "open the lock file", errno: EROFS)) {
            try FileLock.acquire(path, mode: .exclusive)
        }
    }
}

/// Writes that write everything, and what they say when they cannot.
@Suite struct WriteAllTests {
    @Test func writesEverythingThroughShortWritesToAPipe() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        // A pipe takes 64 KiB at a time: the writer sees short writes while this thread drains it.
        let reader = ends[0]
        final class Received: @unchecked Sendable { var bytes: [UInt8] = [] }
        let received = Received()
        let finished = DispatchSemaphore(value: 0)
        Thread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                received.bytes += buffer[..<count]
            }
            finished.signal()
        }.start()
        try Descriptors.writeAll(payload, to: ends[1], path: "the pipe")
        close(ends[1])
        finished.wait()
        close(reader)
        #expect(received.bytes == payload)
    }

    @Test func aReaderThatWentAwayIsEPIPE() throws {
        signal(SIGPIPE, SIG_IGN)
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        close(ends[0])
        defer { close(ends[1]) }
        #expect(throws: SystemError(path: "standard output", operation: "write", errno: EPIPE)) {
            try Descriptors.writeAll(Array("lost\n".utf8), to: ends[1])
        }
    }

    @Test func positionedWritesLeaveTheRestOfTheFile() throws {
        let directory = TemporaryDirectory()
        let file = try OpenFile(directory.file("journal"), flags: O_RDWR | O_CREAT)
        try file.writeAll(Array("header\nfirst\n".utf8))
        try file.writeAll(Array("other\n".utf8), at: 7)
        try file.truncate(to: 13)
        #expect(try directory.read("journal") == "header\nother\n")
        #expect(try file.read(upTo: 5, at: 7) == Array("other".utf8))
        try file.close()
        try file.close()
        #expect(file.descriptor == -1, "closed once; deinit does not close again")
    }

    @Test func aStreamedReplacementIsWholeOrAbsent() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("report.html")
        try directory.write("old\n", to: "report.html")
        let abandoned = try AtomicReplacement(path)
        try abandoned.write(Array("half".utf8))
        abandoned.abandon()
        #expect(try directory.read("report.html") == "old\n")
        let replacement = try AtomicReplacement(path)
        for piece in ["new ", "text\n"] { try replacement.write(Array(piece.utf8)) }
        #expect(try directory.read("report.html") == "old\n", "nothing shows before the commit")
        try replacement.commit()
        #expect(try directory.read("report.html") == "new text\n")
        #expect(try Files.list(directory.path) == ["report.html"], "no temporary left")
        try Files.renameDurably(path, to: directory.file("kept.html"))
        #expect(try Files.list(directory.path) == ["kept.html"])
        #expect(throws: SystemError(path: directory.file("absent"), operation: "list", errno: ENOENT)) {
            try Files.list(directory.file("absent"))
        }
    }

    @Test(.enabled(if: SmallDisk.isAvailable, "needs root to mount a small tmpfs"))
    func aFullDiskNamesTheFileMeantAndLeavesNoTemporary() throws {
        let disk = try SmallDisk(kibibytes: 64)
        let path = disk.path + "/report.html"
        let big = [UInt8](repeating: 65, count: 256 << 10)
        #expect(throws: SystemError(path: path, operation: "write", errno: ENOSPC)) {
            let replacement = try AtomicReplacement(path)
            try replacement.write(big)
            try replacement.commit()
        }
        #expect(try Files.list(disk.path) == [])
        let journal = try OpenFile(disk.path + "/journal.jsonl", flags: O_WRONLY | O_CREAT)
        #expect(throws: SystemError(path: disk.path + "/journal.jsonl", operation: "append", errno: ENOSPC)) {
            try journal.writeAll(big, at: 0, operation: "append")
        }
    }
}

@Suite struct ProcessesTests {
    @Test func waitingForAChildGivesItsStatusAndForNoChildAnError() throws {
        var pid: pid_t = 0
        var arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup("exit 3"), nil]
        defer { arguments.forEach { free($0) } }
        try #require(posix_spawn(&pid, "/bin/sh", nil, nil, &arguments, environ) == 0)
        let status = try Processes.waitForExit(pid)
        #expect((status >> 8) & 0xff == 3)
        #expect(throws: SystemError(path: "process \(pid)", operation: "wait", errno: ECHILD)) { try Processes.waitForExit(pid) }
    }
}
