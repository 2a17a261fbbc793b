import Glibc
import POSIXLayer
import Registry

/// An append-only file of one record per line (a monitor's `journal.jsonl`). What a line holds is the
/// caller's (a decode function); this type owns how lines reach the disk and how they are read back:
///
/// - an append is one write at the committed length, then fsync (the commit point); on failure the file is
///   cut back to that length, so a half-written line never stays, and a torn line from an earlier crash
///   is cut off before the next append;
/// - reading goes through a buffer, so a long history is never in memory at once; a last line that is cut
///   short or unreadable is a write torn by a crash: it ends the file and is not an error; a bad line with
///   lines after it is damage, reported with its line number.
public enum JournalFile {
    /// Appends `bytes` (whole lines) at `committedLength`, fsynced. Returns the new committed length.
    public static func append(_ bytes: [UInt8], to path: String, at committedLength: Int) throws(MonitorStateError) -> Int {
        let journal = try MonitorFiles.io { () throws(SystemError) in try OpenFile(path, flags: O_WRONLY | O_CREAT) }
        Failpoint.hit("journal-before-append")
        try MonitorFiles.io { () throws(SystemError) in try journal.truncate(to: committedLength, operation: "cut a torn line") }
        do throws(SystemError) {
            try journal.writeAll(bytes, at: committedLength, operation: "append")
            try journal.synchronise()
        } catch {
            try? journal.truncate(to: committedLength)
            throw MonitorStateError(error)
        }
        Failpoint.hit("journal-after-append")
        return committedLength + bytes.count
    }

    /// Reads the lines of a journal in order, each through `decode`.
    public struct Reader<Record> {
        public let path: String
        private let file: OpenFile
        private let decode: ([UInt8]) -> Record?
        public let fileSize: Int
        /// Where the next line starts.
        public private(set) var offset = 0
        /// The end of the last whole record read.
        public private(set) var validBytes = 0
        private var buffer: [UInt8] = []
        private var bufferStart = 0

        public init(path: String, decode: @escaping ([UInt8]) -> Record?) throws(MonitorStateError) {
            self.path = path
            self.decode = decode
            let file = try MonitorFiles.io { () throws(SystemError) in try OpenFile(path, flags: O_RDONLY) }
            self.file = file
            fileSize = Int(try MonitorFiles.io { () throws(SystemError) in try file.status() }.st_size)
        }

        public mutating func seek(to position: Int) {
            offset = position
            validBytes = position
            buffer = []
            bufferStart = position
        }

        /// The next record and its line (without the newline); nil at the end or at a torn last line.
        public mutating func next(problem: String = "not a journal record") throws(MonitorStateError) -> (record: Record, bytes: [UInt8])? {
            while true {
                let start = offset - bufferStart
                if let newline = buffer[start...].firstIndex(of: 10) {
                    let line = Array(buffer[start..<newline])
                    let lineEnd = bufferStart + newline + 1
                    guard let record = decode(line) else {
                        if lineEnd >= fileSize { return nil }
                        throw .corrupt(path: path, line: try lineNumber(at: offset), problem: problem)
                    }
                    offset = lineEnd
                    validBytes = lineEnd
                    return (record, line)
                }
                // Keep the unread part and read more; at end of file, what is left has no newline: torn.
                buffer.removeFirst(start)
                bufferStart = offset
                guard try fill() else { return nil }
            }
        }

        private mutating func fill() throws(MonitorStateError) -> Bool {
            let end = bufferStart + buffer.count
            let read = try MonitorFiles.io { () throws(SystemError) in try file.read(upTo: 1 << 20, at: end) }
            buffer += read
            return !read.isEmpty
        }

        private func lineNumber(at position: Int) throws(MonitorStateError) -> Int {
            var reader = try Reader(path: path, decode: decode)
            while reader.bufferStart + reader.buffer.count < position, try reader.fill() {}
            return reader.buffer.prefix(position).count { $0 == 10 } + 1
        }
    }
}
