import Localization
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The registry on disk: `DIR/villages/CODE.village`, one file per village or community.
///
/// Readers take a shared lock, writers an exclusive one. A write that touches several files is one
/// commit: new files are written and fsynced beside the old ones, a manifest naming them is renamed into
/// place (the commit point), then each file is renamed over its old version. A process killed before
/// the manifest leaves the old registry; one killed after it leaves a manifest that the next command
/// completes. Either way the registry is wholly old or wholly new.
///
/// A value type holding only a path; safe to share between threads.
public struct InventoryStore: Sendable {
    public let directory: String
    public var villagesDirectory: String { directory + "/villages" }
    private var manifestPath: String { directory + "/.pending-commit" }

    public init(directory: String) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    /// Creates an empty inventory (idempotent).
    public func initialize() throws(InventoryError) {
        try FileSystem.makeDirectory(directory)
        try FileSystem.makeDirectory(villagesDirectory)
        let ignore = directory + "/.gitignore"
        if !FileSystem.exists(ignore) {
            try FileSystem.replaceAtomically(ignore, with: Array("credentials.json\n.lock\n.pending-commit\n.xueliang-tmp-*\nvillages/.xueliang-tmp-*\n".utf8))
        }
    }

    /// Reads the whole registry under a shared lock.
    public func load() throws(InventoryError) -> Inventory {
        try checkIsInventory()
        while true {
            try recoverIfNeeded()
            let lock = try InventoryLock(directory: directory, exclusive: false)
            // A writer may have died mid-commit while this reader waited for the lock: finish its commit first.
            if FileSystem.exists(manifestPath) { continue }
            defer { withExtendedLifetime(lock) {} }
            return try readAll()
        }
    }

    /// Applies `change` to the current registry under the exclusive lock and commits every village it
    /// touched, unless `change` throws or `dryRun` is set. Returns what `change` returned.
    public func update<Value>(dryRun: Bool = false, _ change: (inout Inventory) throws(InventoryError) -> Value) throws(InventoryError) -> Value {
        try checkIsInventory()
        let lock = try InventoryLock(directory: directory, exclusive: true)
        defer { withExtendedLifetime(lock) {} }
        try recoverLocked()
        var inventory = try readAll()
        // Kept only when some file misread: the copy costs a pass over the registry's arrays.
        let misread = inventory.readIssues.isEmpty ? nil : inventory
        let result = try change(&inventory)
        if let misread { try refuseRewritingMisreadFiles(loaded: misread, changed: inventory) }
        if !dryRun { try commit(inventory) }
        return result
    }

    /// A write renders each village file it touches anew from what was understood of it, so a line that was
    /// not understood (a hand edit gone wrong, a newer format) would silently vanish when another record of
    /// that file changes. Such a file is never rewritten: the write is refused with the file's own problems.
    private func refuseRewritingMisreadFiles(loaded: Inventory, changed: Inventory) throws(InventoryError) {
        let villages = changed.changedVillages
        guard !villages.isEmpty else { return }
        var touched = Set(villages.map { path(of: $0) })
        // A village's records may have been read from another file too (one whose code is not its name's).
        for code in villages { if let origin = loaded.villageOrigins[code] { touched.insert(origin.file) } }
        for (camera, origin) in zip(loaded.cameras, loaded.origins) where villages.contains(camera.village) { touched.insert(origin.file) }
        let blocking = loaded.readIssues.filter { touched.contains($0.file) }
        guard !blocking.isEmpty else { return }
        let refusals = Set(blocking.map(\.file)).sorted().map { file in
            InventoryIssue(file: file, line: nil, message: "not rewritten: it has lines that were not understood (listed above), and a write "
                + "would drop them; fix the file by hand ('xueliang validate' lists every problem), then try again")
        }
        throw .invalid(blocking.sorted() + refusals)
    }

    /// The path of a village's file.
    public func path(of code: VillageCode) -> String { villagesDirectory + "/\(code.digits).\(VillageFile.fileExtension)" }

    private func checkIsInventory() throws(InventoryError) {
        guard FileSystem.isDirectory(directory) else {
            throw .notAnInventory(path: directory, reason: FileSystem.exists(directory) ? "not a directory" : "no such directory")
        }
        guard FileSystem.isDirectory(villagesDirectory) else {
            throw .notAnInventory(path: directory, reason: "it has no villages/ folder")
        }
    }

    private func readAll() throws(InventoryError) -> Inventory {
        let suffix = "." + VillageFile.fileExtension
        let names = try FileSystem.listDirectory(villagesDirectory).filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }
        let paths = names.map { villagesDirectory + "/" + $0 }
        // Files are independent, so they are read and parsed on every core.
        let results = parallelMap(paths) { path -> Swift.Result<VillageFile.Contents, InventoryError> in
            do throws(InventoryError) {
                let bytes = try FileSystem.readFile(path, limit: VillageFile.maximumFileBytes)
                let code = String(FileSystem.baseName(of: path).dropLast(suffix.count))
                return .success(VillageFile.parse(bytes: bytes, path: path, expectedCode: code))
            } catch {
                // A link, a special file or an oversized one is a finding about that file (and blocks writes to
                // it); the rest of the registry is still read.
                guard let problem = error.fileProblem else { return .failure(error) }
                return .success(VillageFile.Contents(village: nil, villageLine: 0, cameras: [], origins: [], issues: [
                    InventoryIssue(file: path, line: nil, message: Message(verbatim: problem)),
                ]))
            }
        }
        var villages: [VillageCode: Village] = [:]
        var villageOrigins: [VillageCode: RecordOrigin] = [:]
        var cameras: [CameraRecord] = []
        var origins: [RecordOrigin] = []
        var issues: [InventoryIssue] = []
        for (path, result) in zip(paths, results) {
            let contents = try result.get()
            issues += contents.issues
            if let village = contents.village {
                villages[village.code] = village
                villageOrigins[village.code] = RecordOrigin(file: path, line: contents.villageLine)
            }
            cameras += contents.cameras
            origins += contents.origins
        }
        return Inventory(villages: villages, villageOrigins: villageOrigins, cameras: cameras, origins: origins, readIssues: issues)
    }

    private func commit(_ inventory: Inventory) throws(InventoryError) {
        let changed = inventory.changedVillages.sorted()
        guard !changed.isEmpty else { return }
        var camerasByVillage: [VillageCode: [CameraRecord]] = [:]
        for camera in inventory.cameras where inventory.changedVillages.contains(camera.village) {
            camerasByVillage[camera.village, default: []].append(camera)
        }
        for code in changed where inventory.villages[code] == nil {
            throw .invalid([InventoryIssue(file: path(of: code), line: nil, subject: "village \(code)", message: "is not in the registry; add it first with 'xueliang villages add'")])
        }
        var renames: [(temporary: String, final: String)] = []
        do throws(InventoryError) {
            for code in changed {
                let final = path(of: code)
                let temporary = villagesDirectory + "/" + FileSystem.temporaryPrefix + FileSystem.baseName(of: final)
                renames.append((temporary, final))
                let text = VillageFile.render(inventory.villages[code]!, cameras: camerasByVillage[code] ?? [])
                try FileSystem.writeDurably(Array(text.utf8), to: temporary, shownPath: final)
            }
            try FileSystem.syncDirectory(villagesDirectory)
            Failpoint.hit("commit-before-manifest")
            let manifest = renames.map { "\(FileSystem.baseName(of: $0.temporary))\t\(FileSystem.baseName(of: $0.final))\n" }.joined()
            try FileSystem.replaceAtomically(manifestPath, with: Array(manifest.utf8), failpointBeforeRename: "commit-manifest-unrenamed")
        } catch {
            // Before the commit point the old registry stands; what was written of the new one (a full disk
            // stops a write half way) is removed at once rather than left for the next command.
            for rename in renames { FileSystem.remove(rename.temporary) }
            throw error
        }
        Failpoint.hit("commit-after-manifest")
        try applyManifest(renames)
    }

    private func applyManifest(_ renames: [(temporary: String, final: String)]) throws(InventoryError) {
        for (index, rename) in renames.enumerated() {
            if FileSystem.exists(rename.temporary) { try FileSystem.rename(rename.temporary, to: rename.final) }
            if index == 0 { Failpoint.hit("commit-mid-rename") }
        }
        try FileSystem.syncDirectory(villagesDirectory)
        FileSystem.remove(manifestPath)
        try FileSystem.syncDirectory(directory)
    }

    /// Completes or discards an interrupted commit, taking the exclusive lock only when there is one.
    private func recoverIfNeeded() throws(InventoryError) {
        guard FileSystem.exists(manifestPath) || hasTemporaryFiles() else { return }
        let lock = try InventoryLock(directory: directory, exclusive: true)
        defer { withExtendedLifetime(lock) {} }
        try recoverLocked()
    }

    private func hasTemporaryFiles() -> Bool {
        ((try? FileSystem.listDirectory(villagesDirectory)) ?? []).contains { $0.hasPrefix(FileSystem.temporaryPrefix) }
    }

    private func recoverLocked() throws(InventoryError) {
        if FileSystem.exists(manifestPath) { try applyManifest(try readManifest()) }
        // Anything left is from a write that never reached its commit point: discard it.
        for name in try FileSystem.listDirectory(villagesDirectory) where name.hasPrefix(FileSystem.temporaryPrefix) {
            FileSystem.remove(villagesDirectory + "/" + name)
        }
        // A process killed between writing and renaming the manifest left its temporary here. This runs under
        // the exclusive lock, so no commit is writing one now; a live process's temporary is left alone.
        for name in try FileSystem.listDirectory(directory) {
            guard let owner = FileSystem.ownerOfTemporary(name), !FileSystem.isAlive(owner) else { continue }
            FileSystem.remove(directory + "/" + name)
        }
    }

    /// The renames an interrupted commit's manifest names. Only a commit's own kind of pair is accepted,
    /// `.xueliang-tmp-CODE.village` onto `CODE.village` in villages/: a planted manifest naming anything
    /// else is refused whole, before any rename, so a reader never renames a file that is not a temporary.
    private func readManifest() throws(InventoryError) -> [(temporary: String, final: String)] {
        let bytes = try FileSystem.readFile(manifestPath, limit: Self.maximumManifestBytes)
        var renames: [(temporary: String, final: String)] = []
        for (index, line) in bytes.split(separator: 10, omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let names = line.split(separator: 9, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            guard names.count == 2, Self.isVillageFileName(names[1]), names[0] == FileSystem.temporaryPrefix + names[1] else {
                throw .invalid([InventoryIssue(file: manifestPath, line: index + 1, message: "names a file that is not a temporary "
                    + "village file of a commit; nothing was renamed. Check villages/, then remove \(manifestPath) by hand")])
            }
            renames.append((villagesDirectory + "/" + names[0], villagesDirectory + "/" + names[1]))
        }
        return renames
    }

    /// A manifest names one pair of files per village of a commit: a few hundred bytes each.
    private static let maximumManifestBytes = 1 << 20

    /// `CODE.village` with a 12-digit code: the only kind of file a commit renames into place.
    private static func isVillageFileName(_ name: String) -> Bool {
        let suffix = "." + VillageFile.fileExtension
        let code = name.utf8.dropLast(suffix.utf8.count)
        return name.hasSuffix(suffix) && code.count == 12 && code.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}

/// Maps `items` on every core, keeping order. For CPU-bound work outside Swift concurrency.
///
/// Runs on threads of its own with an 8 MiB stack: libdispatch's worker threads have small stacks, and
/// a debug build of the inventory parser overflowed one (seen as a crash at a guard page).
func parallelMap<Item: Sendable, Output: Sendable>(_ items: [Item], _ transform: @escaping @Sendable (Item) -> Output) -> [Output] {
    guard items.count > 1 else { return items.map(transform) }
    let workers = max(1, min(items.count, ProcessInfo.processInfo.activeProcessorCount))
    let buffer = UnsafeMutableBufferPointer<Output?>.allocate(capacity: items.count)
    buffer.initialize(repeating: nil)
    defer {
        _ = buffer.deinitialize()
        buffer.deallocate()
    }
    // Worker w fills indices w, w + workers, …: no index is written by two threads, and the buffer is
    // read only after every worker has signalled.
    nonisolated(unsafe) let slots = buffer
    let done = DispatchSemaphore(value: 0)
    for worker in 0..<workers {
        let thread = Thread {
            var index = worker
            while index < items.count {
                slots[index] = transform(items[index])
                index += workers
            }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
    for _ in 0..<workers { done.wait() }
    return buffer.map { $0! }
}
