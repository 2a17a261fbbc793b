import Foundation
import Glibc
import Testing
import TestSupport
@testable import Registry

/// Hand-edited, planted and special files in the inventory: never a crash, never a silent loss, never a leak.
@Suite struct HostileFileTests {
    static let first = "45012801001320000001"
    static let second = "45012801001320000002"
    static let newcomer = "45012801001320000003"

    /// A village of two cameras whose second section is edited by `edit`; returns the store and the file.
    func inventory(_ directory: TemporaryDirectory, edit: (String) -> String) throws -> (InventoryStore, String) {
        let text = InventoryFixtures.villageFile(cameras: InventoryFixtures.publicCamera(id: Self.first) + "\n"
            + InventoryFixtures.publicCamera(id: Self.second))
        let root = try InventoryFixtures.makeInventory(in: directory, files: [InventoryFixtures.villageCode: edit(text)])
        let store = InventoryStore(directory: root)
        return (store, store.path(of: try VillageCode.parse(InventoryFixtures.villageCode).get()))
    }

    /// Registers a new camera in the village: a write that renders the whole village file anew.
    func registerNewcomer(_ store: InventoryStore) throws {
        try store.update { (inventory: inout Inventory) throws(InventoryError) in
            var camera = CameraRecord(id: Self.newcomer, name: "新点", village: try! VillageCode.parse(InventoryFixtures.villageCode).get(),
                                      source: .public, status: .pending)
            camera.endpoints.rtsp = "rtsp://127.0.0.3/s"
            inventory.upsert(camera, origin: RecordOrigin(file: "command line", line: 0))
        }
    }

    static let secondSection = "[camera 45012801001320000002]\n"

    /// Each edit, and the problem `validate` and the refused write must name.
    static let edits: [(String, @Sendable (String) -> String, String)] = [
        ("an unclosed section header", { $0 + "\n[camera 45012801001320000009\nname = 半截\n" }, "does not end with ]"),
        ("a status that is not one", { $0.replacingOccurrences(of: secondSection + "name = 村口球机\nsource = public\nstatus = active",
                                                               with: secondSection + "name = 村口球机\nsource = public\nstatus = активный") },
         "status: 'активный' is not a status"),
        ("latitude = nan", { $0.replacingOccurrences(of: secondSection + "name = 村口球机\nsource = public\nstatus = active\nlatitude = 22.8",
                                                     with: secondSection + "name = 村口球机\nsource = public\nstatus = active\nlatitude = nan") },
         "latitude: 'nan' is not a number"),
        ("latitude = 0x10", { $0.replacingOccurrences(of: secondSection + "name = 村口球机\nsource = public\nstatus = active\nlatitude = 22.8",
                                                      with: secondSection + "name = 村口球机\nsource = public\nstatus = active\nlatitude = 0x10") },
         "latitude: '0x10' is not a number"),
        ("a NUL byte", { $0.replacingOccurrences(of: secondSection + "name = 村口球机", with: secondSection + "name = 村口\u{0}球机") },
         "the line contains a NUL byte"),
        ("an unknown key", { $0 + "colour = red\n" }, "colour: unknown key"),
        ("a 10 MB line", { $0 + "address = " + String(repeating: "长", count: 3_500_000) + "\n" }, "bytes long; at most 4096 are read"),
        ("a future format", { $0.replacingOccurrences(of: "format = xueliang.village/1", with: "format = xueliang.village/2") },
         "'xueliang.village/2' is not a format this version reads"),
    ]

    @Test(arguments: 0..<edits.count)
    func aFileThatDoesNotReadCleanlyIsNeverRewritten(edit index: Int) throws {
        let (name, edit, expected) = Self.edits[index]
        let directory = TemporaryDirectory()
        let (store, file) = try inventory(directory, edit: edit)
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        let validation = Validator(today: InventoryFixtures.today).validate(try store.load())
        #expect(validation.contains { $0.severity == .error && $0.file == file && $0.line != nil && $0.description.contains(expected) },
                "\(name): \(validation)")
        do {
            try registerNewcomer(store)
            Issue.record("\(name): the write was not refused")
        } catch {
            guard case .invalid(let issues)? = error as? InventoryError else { Issue.record("\(name): \(error)"); return }
            #expect(issues.contains { $0.file == file && ($0.line ?? 0) > 0 && $0.description.contains(expected) }, "\(name): \(issues)")
            #expect(issues.contains { $0.message.description.hasPrefix("not rewritten") })
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before, "\(name): the file was rewritten")
    }

    @Test func linesThatAreNotUTF8AreNamed() throws {
        var bytes = Array(InventoryFixtures.villageFile(cameras: InventoryFixtures.publicCamera()).utf8)
        bytes += Array("address = ".utf8) + [0xD0, 0xC2, 0xB5, 0xE3, 10]
        let contents = VillageFile.parse(bytes: bytes, path: "v", expectedCode: InventoryFixtures.villageCode)
        let lastLine = bytes.count { $0 == 10 }
        #expect(contents.issues.map(\.description) == ["v:\(lastLine): the line is not UTF-8 text; a village file is UTF-8"])
    }

    @Test func aCleanFileIsStillWritten() throws {
        let directory = TemporaryDirectory()
        let (store, _) = try inventory(directory) { $0 }
        try registerNewcomer(store)
        #expect(try store.load().cameras.count == 3)
    }

    @Test func aFileWhoseCodeIsAnotherVillagesBlocksWritesToThatVillage() throws {
        let directory = TemporaryDirectory()
        let root = try InventoryFixtures.makeInventory(in: directory, files: [
            InventoryFixtures.villageCode: InventoryFixtures.villageFile(cameras: InventoryFixtures.publicCamera(id: Self.first)),
            "450128101299": InventoryFixtures.villageFile(cameras: InventoryFixtures.publicCamera(id: Self.second)),
        ])
        let store = InventoryStore(directory: root)
        #expect(throws: InventoryError.self) { try registerNewcomer(store) }
        #expect(FileManager.default.fileExists(atPath: root + "/villages/450128101299.village"))
    }

    // MARK: files that are not village files

    @Test func aLinkToTheCredentialsIsRefusedAndNeverQuoted() throws {
        let directory = TemporaryDirectory()
        let (store, _) = try inventory(directory) { $0 }
        let password = "Planted-Pa55word-7731"
        try "{\"schema\": \"xueliang.credentials/1\", \"profiles\": {\"a\": {\"username\": \"u\", \"password\": \"\(password)\"}}}\n"
            .write(toFile: store.directory + "/credentials.json", atomically: true, encoding: .utf8)
        let link = store.villagesDirectory + "/450128101202.village"
        #expect(symlink("../credentials.json", link) == 0)
        let copy = store.villagesDirectory + "/450128101203.village"
        try FileManager.default.copyItem(atPath: store.directory + "/credentials.json", toPath: copy)
        let issues = Validator(today: InventoryFixtures.today).validate(try store.load())
        let text = issues.map(\.description).joined(separator: "\n")
        #expect(!text.contains(password))
        #expect(!text.contains("password"))
        #expect(text.contains("\(link): is a symbolic link; only regular files are read here"))
        #expect(text.contains("\(copy):1: format: missing 'format = xueliang.village/1' at the top; this is not a village file"))
    }

    @Test func specialFilesAreRefusedWithoutReadingThem() throws {
        let directory = TemporaryDirectory()
        let (store, _) = try inventory(directory) { $0 }
        let fifo = store.villagesDirectory + "/450128101204.village"
        #expect(mkfifo(fifo, 0o644) == 0)
        let zero = store.villagesDirectory + "/450128101205.village"
        #expect(symlink("/dev/zero", zero) == 0)
        let folder = store.villagesDirectory + "/450128101206.village"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let huge = store.villagesDirectory + "/450128101207.village"
        #expect(FileManager.default.createFile(atPath: huge, contents: nil))
        #expect(truncate(huge, off_t(VillageFile.maximumFileBytes + 1)) == 0, "a sparse file: no disk is used")
        let inventory = try store.load()
        #expect(inventory.cameras.count == 2, "the rest of the registry is read")
        let messages = inventory.readIssues.map(\.description)
        #expect(messages.contains("\(fifo): is a FIFO (named pipe), not a regular file"))
        #expect(messages.contains("\(zero): is a symbolic link; only regular files are read here"))
        #expect(messages.contains("\(folder): is a directory, not a regular file"))
        #expect(messages.contains("\(huge): is \(VillageFile.maximumFileBytes + 1) bytes or more; at most 67108864 bytes (64 MiB) are read from such a file"))
    }

    // MARK: interrupted commits

    @Test(arguments: [
        "450128001001.village\t450128101201.village\n",
        ".xueliang-tmp-x.village\t../credentials.json\n",
        "../credentials.json\t450128101201.village\n",
        ".xueliang-tmp-450128101201.village\t450128101201.village\nfoo\tbar\n",
    ])
    func aPlantedManifestIsRefusedAndRenamesNothing(manifest: String) throws {
        let directory = TemporaryDirectory()
        let root = try InventoryFixtures.makeInventory(in: directory, files: [
            InventoryFixtures.villageCode: InventoryFixtures.villageFile(cameras: InventoryFixtures.publicCamera()),
            InventoryFixtures.otherVillageCode: InventoryFixtures.villageFile(code: InventoryFixtures.otherVillageCode, name: "东门社区"),
        ])
        try "{}".write(toFile: root + "/credentials.json", atomically: true, encoding: .utf8)
        try "planted\n".write(toFile: root + "/villages/.xueliang-tmp-450128101201.village", atomically: true, encoding: .utf8)
        try manifest.write(toFile: root + "/.pending-commit", atomically: true, encoding: .utf8)
        let names = try FileManager.default.contentsOfDirectory(atPath: root + "/villages").sorted()
        #expect {
            try InventoryStore(directory: root).load()
        } throws: { error in
            (error as? InventoryError)?.description.contains("\(root)/.pending-commit:") == true
                && (error as? InventoryError)?.description.contains("is not a temporary village file of a commit; nothing was renamed") == true
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/villages").sorted() == names, "nothing was renamed")
        #expect(try String(contentsOfFile: root + "/villages/450128101201.village", encoding: .utf8).contains("[camera "))
        #expect(FileManager.default.fileExists(atPath: root + "/credentials.json"))
    }

    @Test func temporariesOfDeadProcessesAreRemovedAtTheNextWrite() throws {
        let directory = TemporaryDirectory()
        let (store, _) = try inventory(directory) { $0 }
        // A process that has exited: its id names no process any more.
        let child = try ChildProcess("/bin/true", [])
        child.closeInput()
        child.terminate()
        let dead = store.directory + "/.xueliang-tmp-\(child.pid)-.pending-commit"
        let live = store.directory + "/.xueliang-tmp-\(getpid())-report.html"
        let unrelated = store.directory + "/.xueliang-tmp-notes.txt"
        for path in [dead, live, unrelated] { #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8))) }
        try registerNewcomer(store)
        #expect(!FileManager.default.fileExists(atPath: dead), "the dead writer's temporary is gone")
        #expect(FileManager.default.fileExists(atPath: live), "a live process's temporary is left alone")
        #expect(FileManager.default.fileExists(atPath: unrelated), "a name without a process id is left alone")
    }
}

/// A full disk: the error says so, and no temporary file is left behind.
@Suite(.enabled(if: SmallDisk.isAvailable, "needs root to mount a 64 KiB tmpfs")) struct FullDiskTests {
    @Test func atomicWritesRemoveTheirTemporaryWhenTheDiskIsFull() throws {
        let disk = try SmallDisk(kibibytes: 64)
        let big = String(repeating: "满", count: 100_000)
        #expect {
            try AtomicWrite.write(big, to: disk.path + "/report.html")
        } throws: { error in
            "\(error)" == "\(disk.path)/report.html: cannot write: No space left on device"
        }
        #expect {
            try AtomicWrite.stream(to: disk.path + "/report.csv") { write in for _ in 0..<100 { write(String(repeating: "x", count: 4096)) } }
        } throws: { error in
            "\(error)".hasSuffix("cannot write: No space left on device")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path) == [])
    }
}

@Suite struct SpreadsheetFileTests {
    @Test func aSpreadsheetThatIsAFIFOOrTooLargeIsRefusedWithoutReadingIt() throws {
        let directory = TemporaryDirectory()
        let fifo = directory.file("cameras.csv")
        #expect(mkfifo(fifo, 0o644) == 0)
        #expect {
            try CSVTable.read(path: fifo)
        } throws: { error in
            "\(error)" == "\(fifo): is a FIFO (named pipe), not a regular file"
        }
        let huge = directory.file("huge.csv")
        #expect(FileManager.default.createFile(atPath: huge, contents: nil))
        #expect(truncate(huge, off_t(CSVTable.maximumFileBytes + 1)) == 0, "a sparse file: no disk is used")
        #expect {
            try CSVTable.read(path: huge)
        } throws: { error in
            "\(error)" == "\(huge): is \(CSVTable.maximumFileBytes + 1) bytes or more; at most 268435456 bytes (256 MiB) are read from such a file"
        }
    }
}
