import Foundation

/// What a finished child process left.
public struct ProcessOutcome: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
    /// True when the process was ended by a signal (`status` is then the signal number).
    public var wasSignalled: Bool
}

/// Runs the built executables (`xueliang`, `camera-fleet`) the way a user would.
public enum ProcessRunner {
    /// The path of a built product, e.g. `xueliang`.
    public static func product(_ name: String) -> String { Repository.productsDirectory + "/" + name }

    /// Runs `executable` with `arguments`, waits, and returns what it printed.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           currentDirectory: String? = nil, input: String? = nil) throws -> ProcessOutcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        let inputPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        process.standardInput = inputPipe
        try process.run()
        if let input { inputPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inputPipe.fileHandleForWriting.close()
        // Read both pipes to their ends before waiting, so a chatty child never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = errorPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = outputPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessOutcome(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                              standardError: String(decoding: errorData, as: UTF8.self),
                              wasSignalled: process.terminationReason == .uncaughtSignal)
    }

    /// Runs `xueliang` against an inventory.
    @discardableResult
    public static func xueliang(_ arguments: [String], inventory: String, environment: [String: String] = [:]) throws -> ProcessOutcome {
        var environment = environment
        environment["XUELIANG_INVENTORY"] = inventory
        if environment["XUELIANG_TODAY"] == nil { environment["XUELIANG_TODAY"] = "2026-11-24" }
        return try run(product("xueliang"), arguments, environment: environment)
    }
}
