import Foundation
import Glibc
import Testing
import TestSupport
@testable import Registry
@testable import XueliangCLI

/// Hostile inventories through the commands staff run: a misread file is not rewritten, a kill or a full
/// disk leaves no debris, and read-only users can read.
@Suite(.serialized) struct HostileInventoryTests {
    @Test func updatingACameraOfAMisreadFileIsRefusedWithTheFilesProblems() async throws {
        let directory = TemporaryDirectory()
        let broken = InventoryFixtures.publicCamera(id: "45012801001320000005").replacingOccurrences(of: "status = active", with: "status = активный")
        let inventory = try makeFixtureInventory(directory, extraCameras: broken)
        let file = inventory + "/villages/\(InventoryFixtures.villageCode).village"
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        let update = await xueliang(["update", "45012801001320000001", "--name", "改名"], inventory: inventory)
        #expect(update.status == ExitCode.invalidData)
        #expect(update.error.contains("\(file):"), "\(update.error)")
        #expect(update.error.contains(": camera 45012801001320000005: status: 'активный' is not a status"), "\(update.error)")
        #expect(update.error.contains("\(file): not rewritten: it has lines that were not understood"))
        #expect(update.error.hasSuffix("nothing was written\n"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before)
        let validate = await xueliang(["validate"], inventory: inventory)
        #expect(validate.status == ExitCode.problemsFound)
        #expect(validate.output.contains("status: 'активный' is not a status"))
        // The other village's file reads cleanly: writes to it go on.
        let other = await xueliang(["villages", "add", InventoryFixtures.otherVillageCode, "--station", "东门派出所"], inventory: inventory)
        #expect(other.status == 0, "\(other.error)")
    }

    @Test func aKillBetweenWritingAndRenamingTheManifestLeavesNothingBehindAfterTheNextWrite() throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        try directory.write("id,name,village,source,rtsp\n45012801001320000031,一号,450128101201,public,rtsp://127.0.0.31/s\n", to: "new.csv")
        let killed = try ProcessRunner.xueliang(["import", directory.file("new.csv")], inventory: inventory,
                                                environment: ["XUELIANG_FAILPOINT": "commit-manifest-unrenamed"])
        #expect(killed.wasSignalled && killed.status == SIGKILL, "the failpoint killed the import")
        let debris = try FileManager.default.contentsOfDirectory(atPath: inventory).filter { $0.hasPrefix(".xueliang-tmp-") }
        #expect(debris.count == 1 && debris[0].hasSuffix("-.pending-commit"), "\(debris)")

        let next = try ProcessRunner.xueliang(["retire", "45012801001320000002"], inventory: inventory)
        #expect(next.status == 0, "\(next.standardError)")
        for folder in [inventory, inventory + "/villages"] {
            let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".xueliang-tmp-") || $0 == ".pending-commit" }
            #expect(left.isEmpty, "\(folder): \(left)")
        }
        let loaded = try InventoryStore(directory: inventory).load()
        #expect(loaded.camera(id: "45012801001320000031") == nil, "the killed import never reached its commit point")
        #expect(loaded.camera(id: "45012801001320000002")?.status == .retired)
    }

    static let canDropPrivileges = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    /// Runs the built binary as nobody (uid 65534), which cannot write anything of the test's.
    func asNobody(_ arguments: [String], inventory: String, state: String) throws -> ProcessOutcome {
        try ProcessRunner.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", ProcessRunner.product("xueliang")] + arguments,
                              environment: ["XUELIANG_INVENTORY": inventory, "XUELIANG_STATE": state, "XUELIANG_TODAY": "2026-11-24"])
    }

    @Test(.enabled(if: canDropPrivileges, "needs root and setpriv(1) (util-linux) to run as an unprivileged user; root bypasses permissions"))
    func aReadOnlyUserCanReadTheInventory() throws {
        let directory = TemporaryDirectory()
        chmod(directory.path, 0o755)
        let inventory = try makeFixtureInventory(directory)
        let results = directory.file("sweep.json")
        let fixtures = TemporaryDirectory()
        try String(contentsOfFile: try CoverageCommandTests().setUp(fixtures).results, encoding: .utf8)
            .write(toFile: results, atomically: true, encoding: .utf8)
        #expect(try ProcessRunner.xueliang(["list"], inventory: inventory).status == 0, "root's first read makes the .lock")
        // Read-only for everyone: directories r-x, files r--.
        for path in [inventory, inventory + "/villages"] + (try FileManager.default.subpathsOfDirectory(atPath: inventory)).map({ inventory + "/" + $0 }) {
            chmod(path, FileSystemProbe.isDirectory(path) ? 0o555 : 0o444)
        }
        defer { chmod(inventory, 0o755); chmod(inventory + "/villages", 0o755) }
        let state = directory.file("State")
        for arguments in [["list"], ["list", "--json"], ["show", "45012801001320000001"], ["validate"], ["villages", "list"],
                          ["coverage", "--results", results]] {
            let outcome = try asNobody(arguments, inventory: inventory, state: state)
            #expect(outcome.status == ExitCode.success, "\(arguments): \(outcome.standardError)")
            #expect(!outcome.standardError.contains("lock"), "\(arguments): \(outcome.standardError)")
        }
        // With no .lock at all, and none that nobody could make, reading still works.
        chmod(inventory, 0o755)
        #expect(unlink(inventory + "/.lock") == 0)
        chmod(inventory, 0o555)
        let unlocked = try asNobody(["list"], inventory: inventory, state: state)
        #expect(unlocked.status == ExitCode.success, "\(unlocked.standardError)")
        #expect(!FileManager.default.fileExists(atPath: inventory + "/.lock"))
        let write = try asNobody(["retire", "45012801001320000001"], inventory: inventory, state: state)
        #expect(write.status == ExitCode.ioError, "a write still needs write access: \(write.standardError)")
        #expect(write.standardError.contains("Permission denied"))
    }

    @Test(.enabled(if: canDropPrivileges, "needs root and setpriv(1) (util-linux) to run as an unprivileged user; root bypasses permissions"))
    func aReadOnlyUserCanReadMonitorsToo() async throws {
        let setup = try SweepCommandTests.Setup(blackholes: 0)
        defer { setup.fleet.stop() }
        chmod(setup.directory.path, 0o755)
        let monitor = setup.directory.file("m.json")
        try """
        {"schema": "xueliang.monitor/1", "name": "m", "every": "15m", "checks": ["rtsp"], "timeout": "2s",
         "connect_timeout": "500ms", "thresholds": {}, "alerts": []}
        """.write(toFile: monitor, atomically: true, encoding: .utf8)
        for _ in 0..<2 {
            let sweep = await xueliang(["sweep", "--monitor", monitor], inventory: setup.inventory, environment: ["XUELIANG_STATE": setup.state])
            #expect(sweep.status == 0, "\(sweep.error)")
        }
        for root in [setup.inventory, setup.state] {
            for path in [root] + (try FileManager.default.subpathsOfDirectory(atPath: root)).map({ root + "/" + $0 }) {
                chmod(path, FileSystemProbe.isDirectory(path) ? 0o555 : 0o444)
            }
        }
        defer {
            for root in [setup.inventory, setup.state] {
                for path in [root] + ((try? FileManager.default.subpathsOfDirectory(atPath: root)) ?? []).map({ root + "/" + $0 })
                where FileSystemProbe.isDirectory(path) { chmod(path, 0o755) }
            }
        }
        for arguments in [["list"], ["validate"], ["coverage", "--monitor", "m"], ["offline"], ["history", "45012801001320000001"],
                          ["check", "--monitor", "m"]] {
            let outcome = try asNobody(arguments, inventory: setup.inventory, state: setup.state)
            // validate also reports that nobody may not read root's credentials file: exit 1, not a failure to read.
            #expect(outcome.status == (arguments == ["validate"] ? ExitCode.problemsFound : ExitCode.success),
                    "\(arguments): \(outcome.standardOutput) \(outcome.standardError)")
            #expect(!(outcome.standardOutput + outcome.standardError).contains(".lock"), "\(arguments): \(outcome.standardError)")
        }
    }

    @Test(.enabled(if: SmallDisk.isAvailable, "needs root to mount a 64 KiB tmpfs"))
    func anImportIntoAFullDiskSaysSoAndLeavesTheInventoryAsItWas() throws {
        let disk = try SmallDisk(kibibytes: 64)
        let inventory = disk.path + "/Inventory"
        #expect(try ProcessRunner.xueliang(["init"], inventory: inventory).status == 0)
        let directory = TemporaryDirectory()
        try directory.write("code,name,township,station\n450128101201,青山村,青山镇,青山派出所\n", to: "villages.csv")
        #expect(try ProcessRunner.xueliang(["import", "--villages", directory.file("villages.csv")], inventory: inventory).status == 0)
        let file = inventory + "/villages/450128101201.village"
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        var cameras = "id,name,village,source,address,rtsp\n"
        for index in 1...1000 {
            cameras += "45012801001320\(String(format: "%06d", index)),点位\(index),450128101201,public,青山村主街\(index)号,rtsp://127.3.0.1/\(index)\n"
        }
        try directory.write(cameras, to: "cameras.csv")
        let full = try ProcessRunner.xueliang(["import", directory.file("cameras.csv")], inventory: inventory)
        #expect(full.status == ExitCode.ioError, "\(full.standardError)")
        #expect(full.standardError.contains("\(file): cannot write: No space left on device"), "\(full.standardError)")
        #expect(!full.standardError.contains(".xueliang-tmp-"), "the message names the file, not its temporary")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before)
        for folder in [inventory, inventory + "/villages"] {
            let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".xueliang-tmp-") || $0 == ".pending-commit" }
            #expect(left.isEmpty, "\(folder): \(left)")
        }
        #expect(try ProcessRunner.xueliang(["list"], inventory: inventory).standardOutput.hasSuffix("0 cameras\n"))
    }
}

/// `stat` for the test's chmod loop.
enum FileSystemProbe {
    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }
}
