import Foundation
import Glibc
import POSIXLayer
import Testing
import TestSupport
@testable import StateStore

/// The monitor files' primitives, below what a monitor records in them: the journal's lines (torn, damaged,
/// appended after a torn line), the checksummed state file, the outbox's stage/publish/settle, the lock.
@Suite struct MonitorDirectoryTests {
    static func decodeDigits(_ line: [UInt8]) -> Int? {
        line.isEmpty ? nil : ChecksummedFile.number(line[...], in: 0...Int.max)
    }

    static func readAll(_ path: String) throws -> [Int] {
        var reader = try JournalFile.Reader(path: path, decode: decodeDigits)
        var records: [Int] = []
        while let (record, _) = try reader.next() { records.append(record) }
        return records
    }

    @Test func aTornLastLineEndsTheJournalAndTheNextAppendCutsItOff() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("journal")
        var length = try JournalFile.append(Array("1\n2\n".utf8), to: path, at: 0)
        #expect(length == 4)
        try Data("1\n2\n3".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try Self.readAll(path) == [1, 2], "a line without its newline is a torn write")
        try Data("1\n2\nx3\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try Self.readAll(path) == [1, 2], "an unreadable last line too")
        length = try JournalFile.append(Array("4\n".utf8), to: path, at: length)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "1\n2\n4\n")
        #expect(length == 6)
    }

    @Test func aDamagedLineBeforeTheLastIsReportedWithItsNumber() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("journal")
        try Data("1\n2\nbad\n4\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: MonitorStateError.corrupt(path: path, line: 3, problem: "not a journal record")) { try Self.readAll(path) }
    }

    @Test func readingResumesAtACommittedLength() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("journal")
        let first = try JournalFile.append(Array("10\n".utf8), to: path, at: 0)
        _ = try JournalFile.append(Array("20\n30\n".utf8), to: path, at: first)
        var reader = try JournalFile.Reader(path: path, decode: Self.decodeDigits)
        reader.seek(to: first)
        #expect(try reader.next()?.record == 20)
        #expect(reader.validBytes == 6)
    }

    @Test func aChecksummedFileRefusesAnyChange() throws {
        let sealed = ChecksummedFile.sealed(Array("schema\tx=1\nline\tone\n".utf8))
        let text = String(decoding: sealed, as: UTF8.self)
        #expect(text.hasPrefix("schema\tx=1\tchecksum="))
        #expect(ChecksummedFile.verified(sealed) == Array("schema\tx=1\nline\tone\n".utf8))
        var flipped = sealed
        flipped[flipped.count - 2] ^= 1
        #expect(ChecksummedFile.verified(flipped) == nil)
        #expect(ChecksummedFile.verified(Array(text.uppercased().utf8)) == nil, "the digits as written, not as parsed")
        #expect(ChecksummedFile.verified(Array("schema\tx=1\nline\n".utf8)) == nil, "no checksum: not verified")
        #expect(ChecksummedFile.number("99999999999999999999"[...].utf8.map { $0 }[...], in: 0...Int.max) == nil, "overflow is refused")
    }

    @Test func anOutboxPublishesCommittedBatchesAndDiscardsTheOthers() throws {
        let directory = TemporaryDirectory()
        let monitor = MonitorDirectory(stateDirectory: directory.path, monitor: "m")
        let outbox = monitor.outbox
        let committed = try outbox.stage(Array("one".utf8), sweepNumber: 1)
        _ = try outbox.stage(Array("two".utf8), sweepNumber: 2)
        #expect(outbox.published().isEmpty, "a staged batch is not delivered")
        try outbox.settle(committedSweeps: 1)
        let published = outbox.published()
        #expect(published.map(\.path) == [directory.file("monitors/m/outbox/0000000001.json")])
        #expect(published.first?.bytes == Array("one".utf8))
        #expect(!FileManager.default.fileExists(atPath: committed))
        #expect(try Files.list(outbox.path) == ["0000000001.json"], "the uncommitted sweep's batch is gone")
    }

    @Test func aMonitorIsListedOnceItHasAJournalAndItsLockIsExclusive() throws {
        let directory = TemporaryDirectory()
        let monitor = MonitorDirectory(stateDirectory: directory.path, monitor: "village-cameras")
        let lock = try monitor.lock()
        #expect(MonitorDirectory.monitors(stateDirectory: directory.path).isEmpty)
        _ = try JournalFile.append(Array("1\n".utf8), to: monitor.journalPath, at: 0)
        #expect(MonitorDirectory.monitors(stateDirectory: directory.path) == ["village-cameras"])
        #expect(throws: MonitorStateError.busy(monitor: "village-cameras", lockPath: monitor.path + "/.lock")) { try monitor.lock() }
        withExtendedLifetime(lock) {}
        #expect(monitor.outbox.claim() != nil, "delivery has its own lock")
    }
}
