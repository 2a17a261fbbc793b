import Foundation
import Testing
import TestSupport
@testable import Registry

/// The built binary, run as staff run it: concurrent writers, and a process killed mid-write.
@Suite(.serialized) struct ProcessTests {
    @Test func twoProcessesRegistering200CamerasEachBothLand() throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        let binary = ProcessRunner.product("xueliang")
        // Each writer is a shell loop of 200 separate `xueliang register` processes; both loops run at once.
        func script(_ writer: Int) -> String {
            """
            for i in $(seq 1 200); do
              serial=$(printf '%02d%04d' \(writer) $i)
              "\(binary)" register 450128010013200${serial:1} --village \(InventoryFixtures.villageCode) --name "cam-\(writer)-$i" \
                --source public --rtsp "rtsp://127.1.\(writer).1:8554/$i" || exit 1
            done
            """
        }
        try directory.write(script(1), to: "writer1.sh")
        try directory.write(script(2), to: "writer2.sh")
        let environment = ["XUELIANG_INVENTORY": inventory]
        // posix_spawn, not Foundation's Process (whose run() once crashed here while other tests spawned).
        let writers = try [1, 2].map { writer in
            try ChildProcess("/bin/bash", [directory.file("writer\(writer).sh")], environment: environment)
        }
        for writer in writers { writer.closeInput() }
        let statuses = writers.map { writer -> Int32 in
            _ = writer.readAll()
            return writer.wait().0
        }
        #expect(statuses == [0, 0])
        let loaded = try InventoryStore(directory: inventory).load()
        #expect(loaded.cameras.count == 4 + 400)
        #expect(Set(loaded.cameras.map(\.id)).count == 404)
        #expect(loaded.readIssues.isEmpty)
    }

    /// A 2,000-camera import killed (SIGKILL) at each step of its commit: the registry is wholly old or wholly new.
    @Test(arguments: [
        ("commit-before-manifest", false),
        ("commit-after-manifest", true),
        ("commit-mid-rename", true),
    ])
    func killedImportLeavesOldOrNewRegistry(failpoint: String, expectNew: Bool) throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        var villages = "code,name,township,station\n"
        var cameras = "id,name,village,source,snapshot\n"
        for village in 1...40 {
            let code = "450128101\(200 + village)"
            villages += "\(code),村\(village),青山镇,青山派出所\n"
            for camera in 1...50 {
                let serial = String(format: "%06d", village * 100 + camera)
                cameras += "45012801001321\(serial),点位\(camera),\(code),public,http://127.2.\(village).\(camera):8080/snapshot.jpg\n"
            }
        }
        try directory.write(villages, to: "villages.csv")
        try directory.write(cameras, to: "cameras.csv")
        let villagesImport = try ProcessRunner.xueliang(["import", "--villages", directory.file("villages.csv")], inventory: inventory)
        #expect(villagesImport.status == 0, "\(villagesImport.standardError)")
        let before = try snapshot(inventory)

        let killed = try ProcessRunner.xueliang(["import", directory.file("cameras.csv")], inventory: inventory,
                                                environment: ["XUELIANG_FAILPOINT": failpoint])
        #expect(killed.wasSignalled && killed.status == SIGKILL, "the failpoint killed the import")

        // The next command finds the registry whole: it completes a committed write or discards an uncommitted one.
        let loaded = try InventoryStore(directory: inventory).load()
        #expect(loaded.readIssues.isEmpty)
        #expect(loaded.cameras.count == (expectNew ? 4 + 2000 : 4))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: inventory + "/villages").filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        #expect(!FileManager.default.fileExists(atPath: inventory + "/.pending-commit"))
        if !expectNew { #expect(try snapshot(inventory) == before) }
    }

    private func snapshot(_ inventory: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: inventory + "/villages") {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: inventory + "/villages/" + name))
        }
        return files
    }

    @Test func exitCodesOfTheBuiltBinary() throws {
        let directory = TemporaryDirectory()
        let inventory = try makeFixtureInventory(directory)
        #expect(try ProcessRunner.xueliang(["validate"], inventory: inventory).status == 0)
        #expect(try ProcessRunner.xueliang(["show", "45012801001320000404"], inventory: inventory).status == 66)
        #expect(try ProcessRunner.xueliang(["list", "--bogus"], inventory: inventory).status == 64)
        let missingFile = try ProcessRunner.xueliang(["import", directory.file("absent.csv")], inventory: inventory)
        #expect(missingFile.status == 66)
        #expect(missingFile.standardError == "xueliang import: \(directory.file("absent.csv")): cannot open: No such file or directory\n")
    }
}
