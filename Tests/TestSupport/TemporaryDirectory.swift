import Foundation

/// A fresh directory under the system's temporary folder, removed when the value is released.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "xueliang-test") {
        let template = NSTemporaryDirectory() + "\(label)-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { fatalError("mkdtemp failed for \(template)") }
        path = String(cString: made)
    }

    public func file(_ name: String) -> String { path + "/" + name }

    public func write(_ text: String, to name: String) throws {
        try text.write(toFile: file(name), atomically: true, encoding: .utf8)
    }

    public func read(_ name: String) throws -> String { try String(contentsOfFile: file(name), encoding: .utf8) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The repository's own folders, for tests that read shipped data (the demo inventory, fixtures).
public enum Repository {
    /// The package root, found from this source file's place in Tests/TestSupport/.
    public static let root: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The folder of built products (`.build/debug`), where the test bundle itself lives.
    public static var productsDirectory: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
    }
}

/// Waits until `condition` holds, looking every millisecond (a yield would spin, taking a pool thread the awaited
/// work needs); fails (throws) after `seconds` instead of hanging.
/// The bound only ends a test that would otherwise hang: what a test waits for is an order of events, not a
/// time. It is long because the test process has one pool thread per core, and on a 2-core machine the
/// synchronous suites (fuzzers, child processes) hold both for tens of seconds while an awaited task waits.
public func waitUntil(seconds: Double = 180, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimeout(seconds: seconds) }
        try await Task.sleep(for: .milliseconds(1))
    }
}

public struct WaitTimeout: Error, CustomStringConvertible {
    public var seconds: Double
    public var description: String { "the condition did not hold within \(seconds) s" }
}
