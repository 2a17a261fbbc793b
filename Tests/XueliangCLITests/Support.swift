import Localization
import Foundation
import Synchronization
import Testing
import TestSupport
@testable import XueliangCLI

/// Collects what a command writes.
final class CapturedOutput: CommandOutput {
    private let streams = Mutex<(output: String, error: String)>(("", ""))
    var standardOutput: String { streams.withLock { $0.output } }
    var standardError: String { streams.withLock { $0.error } }
    func write(_ text: String) { streams.withLock { $0.output += text } }
    func writeError(_ text: String) { streams.withLock { $0.error += text } }
}

struct CommandResult {
    var status: Int32
    var output: String
    var error: String
}

/// Runs a command line in-process against `inventory`, on the fixtures' day.
func xueliang(_ arguments: [String], inventory: String, environment: [String: String] = [:]) async -> CommandResult {
    let output = CapturedOutput()
    var environment = environment
    environment["XUELIANG_INVENTORY"] = inventory
    environment["XUELIANG_TODAY"] = environment["XUELIANG_TODAY"] ?? "2026-11-24"
    // Golden files must not depend on the machine's zone: UTC unless a test names another.
    environment["TZ"] = environment["TZ"] ?? "UTC"
    // A test that runs in Chinese (`OutputLocale.$current.withValue`) runs the command in Chinese.
    if environment["LANG"] == nil && OutputLocale.current.language == .chinese { environment["LANG"] = "zh_CN.UTF-8" }
    let status = await XueliangCLI.run(arguments: arguments, environment: environment, output: output)
    return CommandResult(status: status, output: output.standardOutput, error: output.standardError)
}

/// Compares `text` with a golden file; `XUELIANG_RECORD_GOLDEN=1` writes it anew instead.
func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Golden/" + name
    if ProcessInfo.processInfo.environment["XUELIANG_RECORD_GOLDEN"] == "1" {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text == expected, "output differs from Golden/\(name); re-record with XUELIANG_RECORD_GOLDEN=1 if the change is intended",
            sourceLocation: sourceLocation)
}

/// A fixture inventory: one village with a complete public camera, a citizen camera and an NVR channel.
func makeFixtureInventory(_ directory: TemporaryDirectory, extraCameras: String = "") throws -> String {
    let nvr = InventoryFixtures.publicCamera(id: "45012801001181000009", host: "127.0.0.9")
        .replacingOccurrences(of: "installed = 2024-05-01\n", with: "")
        .replacingOccurrences(of: "covers = entrance\n", with: "")
    let channel = InventoryFixtures.publicCamera(id: "45012801001320000002", host: "127.0.0.9", extra: "parent = 45012801001181000009")
    let cameras = [InventoryFixtures.publicCamera(extra: "credential = hik-admin"), InventoryFixtures.citizenCamera(), nvr, channel, extraCameras]
        .joined(separator: "\n")
    return try InventoryFixtures.makeInventory(in: directory, files: [
        InventoryFixtures.villageCode: InventoryFixtures.villageFile(cameras: cameras),
        InventoryFixtures.otherVillageCode: InventoryFixtures.villageFile(code: InventoryFixtures.otherVillageCode, name: "东门社区"),
    ])
}

/// Writes a credentials file with the given mode.
func writeCredentials(_ inventory: String, password: String, mode: Int) throws {
    let path = inventory + "/credentials.json"
    try """
    {"schema": "xueliang.credentials/1", "profiles": {"hik-admin": {"username": "admin", "password": "\(password)"}}}
    """.write(toFile: path, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
}
