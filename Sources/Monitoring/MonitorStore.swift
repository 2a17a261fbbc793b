import Foundation
import POSIXLayer
import Registry
import StateStore

/// A monitor's recorded state: the journal's records (a header, after compaction a base of every camera's
/// state, then one entry per sweep), the state file that caches their replay, and each sweep's alerts in the
/// outbox; and how a sweep is committed across the three. Where the files live and how bytes reach the
/// disk (durable appends, torn lines, checksums, the lock) is `MonitorDirectory`'s, in StateStore.
public struct MonitorStore: Sendable {
    /// Where the files are and how they reach the disk (the StateStore module owns that).
    public let files: MonitorDirectory
    public var monitor: String { files.monitor }
    public var directory: String { files.path }
    public var journalPath: String { files.journalPath }
    public var statePath: String { files.statePath }

    public init(stateDirectory: String, monitor: String) {
        files = MonitorDirectory(stateDirectory: stateDirectory, monitor: monitor)
    }

    /// The monitors that have state under `stateDirectory`, by name.
    public static func monitors(stateDirectory: String) -> [String] {
        MonitorDirectory.monitors(stateDirectory: stateDirectory)
    }

    /// Takes the monitor's write lock without waiting.
    public func lock() throws(MonitorStateError) -> MonitorLock { try files.lock() }

    // MARK: Loading

    /// The state as the last committed sweep left it, with where the next entry goes.
    public struct Loaded: Sendable {
        public var state: MonitorState
        /// Bytes of the journal that hold whole records; anything after is a torn write.
        public var journalBytes: Int
        public var generation: String?
    }

    /// Reads the state file and the journal lines after it; rebuilds from the whole journal when the state
    /// file is missing, damaged or from another generation of the journal. No journal: an empty state. The
    /// picture signatures come from `pictures.bin` when it was written with this state (same sweep count).
    public func load() throws(MonitorStateError) -> Loaded {
        var loaded = try loadFromJournal()
        if loaded.state.sweeps > 0 {
            loaded.state.pictureSignatures = PictureSignatureFile.read(path: files.picturesPath, monitor: monitor, sweeps: loaded.state.sweeps)
        }
        return loaded
    }

    private func loadFromJournal() throws(MonitorStateError) -> Loaded {
        // The state file first: a commit in between then only adds journal lines to replay, where the other
        // order could pair an old journal length with a newer state file and force a full rebuild.
        let stateFile = StateFile.read(path: statePath)
        guard files.hasJournal else {
            return Loaded(state: MonitorState(), journalBytes: 0, generation: nil)
        }
        var reader = try JournalReader(path: journalPath)
        guard let header = try reader.header() else {
            return Loaded(state: MonitorState(), journalBytes: 0, generation: nil)
        }
        if let snapshot = stateFile, snapshot.generation == header.generation,
           snapshot.journalBytes <= reader.fileSize, snapshot.journalBytes >= reader.offset {
            var state = snapshot.state
            var caughtUp = true
            do throws(MonitorStateError) {
                reader.seek(to: snapshot.journalBytes)
                while let record = try reader.next() { Self.replay(record, into: &state) }
            } catch .corrupt {
                // Not a line boundary of this journal after all, or damage after it: the whole journal decides.
                caughtUp = false
            }
            if caughtUp { return Loaded(state: state, journalBytes: reader.validBytes, generation: header.generation) }
            reader.seek(to: 0)
            _ = try reader.header()
        }
        var state = MonitorState()
        while let record = try reader.next() { Self.replay(record, into: &state) }
        return Loaded(state: state, journalBytes: reader.validBytes, generation: header.generation)
    }

    /// The current state with only the cameras `keep` selects (and no snapshot hashes): what `offline` needs
    /// of a city, without holding every camera's state. Read from the state file alone when it covers the
    /// whole journal; otherwise the journal is replayed as by `load` and the result filtered.
    public func cameras(where keep: @escaping (CameraState) -> Bool) throws(MonitorStateError) -> MonitorState {
        if let snapshot = StateFile.read(path: statePath, keeping: keep), files.hasJournal {
            var reader = try JournalReader(path: journalPath)
            if let header = try reader.header(), header.generation == snapshot.generation, snapshot.journalBytes == reader.fileSize {
                return snapshot.state
            }
        }
        var state = try load().state
        state.cameras = state.cameras.filter { keep($0.value) }
        state.snapshotHashes = [:]
        state.pictureSignatures = [:]
        return state
    }

    static func replay(_ record: JournalRecord, into state: inout MonitorState) {
        switch record.kind {
        case .base(let base):
            state = MonitorState()
            state.cameras = base.cameras
            state.sweeps = base.sweeps
            state.lastStartedAt = base.lastStartedAt
            state.lastFinishedAt = base.lastFinishedAt
        case .sweep(let entry):
            state.apply(entry)
        case .header:
            break
        }
    }

    /// What the journal holds, in order: a compacted journal's base (every camera's state when it was
    /// compacted), then one entry per sweep.
    public enum Entry: Sendable {
        case base(cameras: [String: CameraState])
        case sweep(SweepEntry)
    }

    /// Every entry of the journal, oldest first.
    public func entries(_ visit: (Entry) -> Void) throws(MonitorStateError) {
        try records { record in
            switch record {
            case .header: break
            case .base(let base): visit(.base(cameras: base.cameras))
            case .sweep(let entry): visit(.sweep(entry))
            }
        }
    }

    /// Every sweep entry of the journal, oldest first (a compacted journal starts after its base).
    public func sweeps(_ visit: (SweepEntry) -> Void) throws(MonitorStateError) {
        try records { record in
            if case .sweep(let entry) = record { visit(entry) }
        }
    }

    /// Reads the whole journal in order, handing each record after the header to `visit`.
    func records(_ visit: (JournalRecord.Kind) -> Void) throws(MonitorStateError) {
        guard files.hasJournal else { throw .noState(monitor: monitor, directory: directory) }
        var reader = try JournalReader(path: journalPath)
        _ = try reader.header()
        while let record = try reader.next() { visit(record.kind) }
    }

    // MARK: Writing

    /// Commits a sweep, in this order: its alerts staged in the outbox (fsynced), its journal line appended
    /// with one write and fsynced (the commit point), the staged alerts published for delivery, the state
    /// file rewritten. A kill at any step leaves either an uncommitted sweep, whose staged alerts the next
    /// run discards, or a committed one, whose alerts the next run delivers (see `AlertOutbox.settle`). A
    /// failed append (a full disk) leaves the journal as it was and no staged alerts. A torn last line
    /// from an earlier crash is cut off first. Returns the published batch, nil without alerts. Call with
    /// the lock held, after `AlertOutbox.settle`.
    @discardableResult
    public func commit(_ entry: SweepEntry, state: MonitorState, alerts: [AlertEvent] = [],
                       after loaded: inout Loaded) throws(MonitorStateError) -> AlertOutbox.Batch? {
        try files.create()
        let outbox = AlertOutbox(store: self)
        var staged: AlertOutbox.Batch?
        if !alerts.isEmpty {
            Failpoint.hit("outbox-before-write")
            staged = try outbox.stage(alerts, sweepNumber: state.sweeps)
            Failpoint.hit("outbox-after-write")
        }
        do throws(MonitorStateError) {
            try append(entry, after: &loaded)
        } catch {
            if let staged { outbox.discard(staged) }
            throw error
        }
        loaded.state = state
        var published: AlertOutbox.Batch?
        if let staged {
            published = try outbox.publish(staged)
            Failpoint.hit("outbox-after-publish")
        }
        Failpoint.hit("state-before-rewrite")
        try writeStateFile(loaded)
        Failpoint.hit("state-after-rewrite")
        return published
    }

    /// Appends the entry's line (after a new journal's header) and fsyncs it. On failure the journal is cut
    /// back to its committed length, so a half-written line never stays.
    private func append(_ entry: SweepEntry, after loaded: inout Loaded) throws(MonitorStateError) {
        var bytes: [UInt8] = []
        var generation = loaded.generation
        let start = generation == nil ? 0 : loaded.journalBytes
        if generation == nil {
            let header = JournalHeader(monitor: monitor, generation: UUID().uuidString.lowercased(), createdAt: entry.startedAt)
            bytes += JournalRecord.encode(.header(header))
            generation = header.generation
        }
        bytes += JournalRecord.encode(.sweep(entry))
        loaded.journalBytes = try JournalFile.append(bytes, to: journalPath, at: start)
        loaded.generation = generation
    }

    /// Rewrites the state file, then the pictures file beside it (removed when no camera has a signature).
    private func writeStateFile(_ loaded: Loaded) throws(MonitorStateError) {
        let file = StateFile(monitor: monitor, generation: loaded.generation ?? "", journalBytes: loaded.journalBytes, state: loaded.state)
        try MonitorFiles.replace(statePath, with: file.encoded())
        if loaded.state.pictureSignatures.isEmpty {
            Files.remove(files.picturesPath)
        } else {
            try MonitorFiles.replace(files.picturesPath, with: PictureSignatureFile.encoded(
                monitor: monitor, sweeps: loaded.state.sweeps, signatures: loaded.state.pictureSignatures))
        }
    }

    /// Rewrites the journal without the sweeps that finished before `cutoff`: their net effect becomes a
    /// base record, so the states are unchanged. Atomic: a crash leaves the old journal or the new one.
    /// Returns how many sweep entries were dropped. Call with the lock held.
    public func compact(before cutoff: Date) throws(MonitorStateError) -> Int {
        guard files.hasJournal else { throw .noState(monitor: monitor, directory: directory) }
        var current = try load()
        var reader = try JournalReader(path: journalPath)
        guard let oldHeader = try reader.header() else { throw .noState(monitor: monitor, directory: directory) }
        var state = MonitorState()
        var kept: [[UInt8]] = []
        var dropped = 0
        while let record = try reader.next() {
            if case .sweep(let entry) = record.kind, entry.finishedAt >= cutoff || !kept.isEmpty {
                kept.append(record.bytes)
                continue
            }
            if case .sweep = record.kind { dropped += 1 }
            Self.replay(record, into: &state)
        }
        guard dropped > 0 else { return 0 }
        let header = JournalHeader(monitor: monitor, generation: UUID().uuidString.lowercased(), createdAt: oldHeader.createdAt)
        let base = JournalBase(cameras: state.cameras, sweeps: state.sweeps, lastStartedAt: state.lastStartedAt,
                               lastFinishedAt: state.lastFinishedAt)
        var bytes = JournalRecord.encode(.header(header)) + JournalRecord.encode(.base(base))
        for line in kept { bytes += line + [10] }
        try MonitorFiles.replace(journalPath, with: bytes)
        Failpoint.hit("compact-after-rename")
        // The states are unchanged; the state file is rewritten at once for the new generation and length,
        // so no reader has to rebuild from the journal. A crash before this leaves a state file of the old
        // generation, which readers ignore (they rebuild, slower but right).
        current.generation = header.generation
        current.journalBytes = bytes.count
        try writeStateFile(current)
        return dropped
    }
}
