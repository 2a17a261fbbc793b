import Localization
import Foundation
import Glibc
import POSIXLayer
import Registry
import StateStore
import Reports

/// Exit codes, documented in the README: sysexits where one fits.
public enum ExitCode {
    public static let success: Int32 = 0
    /// `validate` found errors; later, a check that failed.
    public static let problemsFound: Int32 = 1
    public static let usage: Int32 = 64
    /// Input or records refused.
    public static let invalidData: Int32 = 65
    /// A file, the inventory, or a named camera/village is missing.
    public static let notFound: Int32 = 66
    public static let internalError: Int32 = 70
    public static let ioError: Int32 = 74
    /// Another process is sweeping the same monitor (sysexits' EX_TEMPFAIL: try again later).
    public static let busy: Int32 = 75
    /// The credentials file is readable by others.
    public static let permission: Int32 = 77
    /// A sweep stopped by Ctrl-C (128 + SIGINT); its partial results were still reported.
    public static let interrupted: Int32 = 130
}

/// Where a command writes. The real one writes to the process's stdout and stderr; tests capture.
/// Sendable: a sweep's progress line is written from the sweep's task.
public protocol CommandOutput: AnyObject, Sendable {
    func write(_ text: String)
    func writeError(_ text: String)
}

/// The process's standard output and error. Stateless; safe to share between threads.
public final class StandardOutput: CommandOutput {
    public init() {}
    public func write(_ text: String) { Self.write(text, to: STDOUT_FILENO) }
    public func writeError(_ text: String) { Self.write(text, to: STDERR_FILENO) }

    /// Writes all of `text`; a reader that went away (`xueliang sweep | head`) ends the process quietly
    /// with 141, as SIGPIPE would have, since SIGPIPE is ignored for libcurl's sake.
    private static func write(_ text: String, to descriptor: Int32) {
        do throws(SystemError) {
            try Descriptors.writeAll(Array(text.utf8), to: descriptor)
        } catch where error.errno == EPIPE {
            _exit(141)
        } catch {
            // Nowhere left to say that output cannot be written.
        }
    }
}

/// What every command gets: the inventory, the environment, where to write, what day it is.
final class CommandContext: Sendable {
    let store: InventoryStore
    let credentialsPath: String
    /// Where sweeps are kept.
    let statePath: String
    let output: CommandOutput
    let today: CalendarDate
    /// The moment durations are measured to (`XUELIANG_NOW`, ISO 8601, for tests and reproducible reports).
    let now: Date
    let environment: [String: String]

    init(store: InventoryStore, credentialsPath: String, statePath: String, output: CommandOutput, today: CalendarDate,
         environment: [String: String]) {
        self.store = store
        self.credentialsPath = credentialsPath
        self.statePath = statePath
        self.output = output
        self.today = today
        now = environment["XUELIANG_NOW"].flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date()
        self.environment = environment
    }

    /// Today's date as a long-running command sees it each time it asks: `XUELIANG_TODAY` when set (tests),
    /// else the local date in `TZ`'s zone.
    var currentDay: @Sendable () -> CalendarDate {
        let fixed = environment["XUELIANG_TODAY"].flatMap(CalendarDate.init(text:))
        // Captured now: the closure may be called where the command's task-local locale is not in scope.
        let timeZone = OutputLocale.current.timeZone
        return { fixed ?? XueliangCLI.systemToday(timeZone) }
    }

    /// Keeps `value` until the process exits, which reclaims it at once: a one-shot command freeing a city's
    /// registry and readings object by object spent a tenth of its time doing so.
    func keepUntilExit(_ value: any Sendable) {
        ProcessLeftovers.values.withLock { $0.append(value) }
    }

    /// A validator that knows the credential profile names when the file can be read; `strict` when the
    /// command line says `--strict` (gaps refused too).
    func validator(strict: Bool = false) throws(InventoryError) -> Validator {
        let profiles = try CredentialStore.load(path: credentialsPath).map { Set($0.profiles.keys) }
        return Validator(today: today, credentialProfiles: profiles, strict: strict)
    }

    /// `--strict`, for the commands that validate records.
    static let strictOption = OptionSpec.flag("--strict", "refuse records with gaps (missing fields of 一机一档) too, not only wrong ones")

    func print(_ text: String) { output.write(text.hasSuffix("\n") ? text : text + "\n") }

    /// Prints a sentence in the reader's language.
    func say(_ message: Message) { print(message.description) }

    /// The readings of the sweep document at `resultsPath`, or of the latest sweep kept in the state directory
    /// (or in the monitor's, when `monitor` is given), with the kept thumbnails when `thumbnails` (a document
    /// carries its own).
    func latestSweep(resultsPath: String?, monitor: MonitorDirectory? = nil, latencies: Bool = false, thumbnails: Bool = false) throws -> SweepReadings {
        if let resultsPath { return try SweepReadings.load(path: resultsPath) }
        let store = monitor?.sweeps ?? SweepStore(stateDirectory: statePath)
        if let record = try store.latest() {
            var readings = SweepReadings(record, latencies: latencies)
            if thumbnails { readings.thumbnails = try store.thumbnails(of: record) }
            return readings
        }
        // What an earlier version kept: a whole document behind a latest.json link.
        let legacy = (monitor?.path ?? statePath) + "/latest.json"
        if FileManager.default.fileExists(atPath: legacy) { return try SweepReadings.load(path: legacy) }
        throw StateError.nothingYet(path: store.latestPath, hint: monitor == nil
            ? "run 'xueliang sweep' first, give --results FILE, or --monitor NAME for a watched monitor's latest sweep"
            : "the monitor keeps its sweeps when run without --no-save")
    }
}

/// One subcommand: its name, help, options, and what it does.
protocol Command {
    static var name: String { get }
    static var abstract: String { get }
    /// Positional arguments, for the help line: `ID`, `FILE.csv`.
    static var usage: String { get }
    static var options: [OptionSpec] { get }
    init(_ arguments: ParsedArguments) throws(UsageError)
    func run(_ context: CommandContext) async throws -> Int32
    /// Reports options that do not parse; returns the exit code.
    static func reportUsageError(_ error: UsageError, to output: CommandOutput) -> Int32
}

extension Command {
    /// One line on standard error, exit 64.
    static func reportUsageError(_ error: UsageError, to output: CommandOutput) -> Int32 {
        output.writeError("xueliang \(name): \(error)\n")
        return ExitCode.usage
    }

    static func usageError(_ message: Message) -> UsageError { UsageError(message: message, command: name) }

    /// Exactly `count` positional arguments, named for the error message.
    static func positionals(_ arguments: ParsedArguments, _ names: String...) throws(UsageError) -> [String] {
        guard arguments.positionals.count == names.count else {
            if arguments.positionals.count < names.count {
                throw usageError("missing \(names[arguments.positionals.count])")
            }
            throw usageError("unexpected argument '\(arguments.positionals[names.count])'")
        }
        return arguments.positionals
    }
}

import Synchronization

/// What `keepUntilExit` holds.
enum ProcessLeftovers {
    static let values = Mutex<[any Sendable]>([])
}
