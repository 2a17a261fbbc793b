import Foundation
import Glibc
import Testing
import TestSupport
@testable import XueliangCLI

/// A recognisable password planted everywhere it could leak from, then every command that reads the
/// inventory run over it: no output, error or written file may contain it.
@Suite(.serialized) struct SecretPlantingTests {
    typealias Setup = SweepCommandTests.Setup
    /// The fleet's password: the credentials file carries it, and a digest-auth camera is swept with it.
    static let password = SweepCommandTests.password

    /// Plants the password in the inventory and returns the files that now hold it on purpose.
    func plant(_ setup: Setup) throws -> Set<String> {
        let villages = setup.inventory + "/villages"
        // A village file that is a link to the credentials, and one that is a copy of them.
        #expect(symlink("../credentials.json", villages + "/450128101299.village") == 0)
        try FileManager.default.copyItem(atPath: setup.inventory + "/credentials.json", toPath: villages + "/450128101298.village")
        // A hand-edited village whose records carry the password in URLs, in a line without '=' and in an unknown key.
        let url = "rtsp://admin:\(Self.password)@127.8.0.7:\(setup.ports.rtspPort)/stream"
        let planted = InventoryFixtures.villageFile(code: InventoryFixtures.otherVillageCode, name: "东门社区",
            cameras: InventoryFixtures.publicCamera(id: "45012800101132000077", host: "127.8.0.7")
                .replacingOccurrences(of: "rtsp://127.8.0.7:8554/stream", with: url)
                + "snapshot = http://admin:\(Self.password)@127.8.0.7:\(setup.ports.httpPort)/snapshot.jpg\n"
                + "\(url)\nmirror_url = \(url)\n")
        try planted.write(toFile: villages + "/\(InventoryFixtures.otherVillageCode).village", atomically: true, encoding: .utf8)
        return [setup.inventory + "/credentials.json", villages + "/450128101298.village", villages + "/\(InventoryFixtures.otherVillageCode).village"]
    }

    @Test func noCommandPrintsOrWritesAPlantedPassword() async throws {
        let setup = try Setup(blackholes: 0)
        defer { setup.fleet.stop() }
        let plantedFiles = try plant(setup)
        let directory = setup.directory
        try directory.write("""
            id,name,village,source,rtsp
            45012801001320000041,新点,450128101201,public,rtsp://127.8.0.41:\(setup.ports.rtspPort)/stream
            45012801001320000042,带密码,450128101201,public,rtsp://admin:\(Self.password)@127.8.0.42:\(setup.ports.rtspPort)/stream

            """, to: "rows.csv")
        let monitor = directory.file("m.json")
        try """
        {"schema": "xueliang.monitor/1", "name": "m", "every": "15m", "checks": ["rtsp", "snapshot"], "timeout": "2s",
         "connect_timeout": "500ms", "thresholds": {}, "alerts": []}
        """.write(toFile: monitor, atomically: true, encoding: .utf8)
        let reports = ["--html": directory.file("report.html"), "--csv": directory.file("villages.csv"),
                       "--work-orders": directory.file("orders.csv"), "--prometheus": directory.file("metrics.prom")]
        let sweepOptions = ["--checks", "rtsp,snapshot", "--timeout", "2", "--connect-timeout", "0.5"]
        let commands: [[String]] = [
            ["list"], ["list", "--json"], ["list", "--show-phone"],
            ["show", "45012801001320000003"], ["show", "45012801001320000003", "--json"],
            ["show", "45012800101132000077"], ["show", "45012800101132000077", "--json"],
            ["validate"], ["validate", "--json"], ["villages", "list"], ["villages", "list", "--json"],
            ["import", directory.file("rows.csv"), "--dry-run"], ["import", directory.file("rows.csv"), "--skip-invalid"],
            ["register", "45012801001320000043", "--village", InventoryFixtures.villageCode, "--name", "x", "--source", "public",
             "--rtsp", "rtsp://admin:\(Self.password)@127.8.0.43/s"],
            ["update", "45012801001320000001", "--snapshot", "http://admin:\(Self.password)@127.8.0.1/snapshot.jpg"],
            ["update", "45012800101132000077", "--name", "改名"],
            ["sweep"] + sweepOptions, ["sweep", "--json", "--output", directory.file("sweep.json")] + sweepOptions,
            ["check"] + sweepOptions,
            ["sweep", "--monitor", monitor], ["sweep", "--monitor", monitor],
            ["offline"], ["offline", "--json"], ["check", "--monitor", monitor],
            ["history", "45012801001320000003"], ["history", "45012801001320000003", "--json"],
            ["coverage"], ["coverage", "--json"], ["coverage", "--monitor", "m", "--by", "village"],
            ["report"] + reports.flatMap { [$0.key, $0.value] },
        ]
        var statuses: [String: Int32] = [:]
        for arguments in commands {
            let result = await xueliang(arguments, inventory: setup.inventory, environment: ["XUELIANG_STATE": setup.state])
            statuses[arguments.joined(separator: " ")] = result.status
            for (stream, text) in [("stdout", result.output), ("stderr", result.error)] {
                #expect(!text.contains(Self.password), "\(arguments.joined(separator: " ")) \(stream): \(text)")
            }
        }
        // The commands did run: the reads succeeded, the planted links were reported, the refusals refused.
        #expect(statuses["list"] == 0 && statuses["sweep --monitor \(monitor)"] == 0 && statuses["offline"] == 0, "\(statuses)")
        #expect(statuses["validate"] == ExitCode.problemsFound)
        #expect(statuses["register 45012801001320000043 --village 450128101201 --name x --source public --rtsp rtsp://admin:\(Self.password)@127.8.0.43/s"]
                == ExitCode.invalidData)
        let validate = await xueliang(["validate"], inventory: setup.inventory)
        #expect(validate.output.contains("450128101299.village: is a symbolic link"))
        #expect(validate.output.contains("450128101298.village:1: format: missing"))

        // Every file a command wrote: the state directory, the reports, the sweep, the rejects, the village files.
        var written = Set(reports.values) .union([directory.file("sweep.json"), directory.file("rows.rejected.csv")])
        for root in [setup.state, setup.inventory] {
            for path in try FileManager.default.subpathsOfDirectory(atPath: root) { written.insert(root + "/" + path) }
        }
        #expect(written.contains(directory.file("rows.rejected.csv")) && FileManager.default.fileExists(atPath: directory.file("rows.rejected.csv")))
        var checked = 0
        for path in written.subtracting(plantedFiles).sorted() {
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(!String(decoding: bytes, as: UTF8.self).contains(Self.password), "\(path) holds the password")
            checked += 1
        }
        #expect(checked >= 10, "the commands wrote the files this test reads")
    }
}
