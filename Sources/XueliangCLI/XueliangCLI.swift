import Localization
import Catalog
import CurlTransport
import Foundation
import Monitoring
import POSIXLayer
import Registry
import StateStore
import Reports

/// The command-line interface: finds the command, parses its options, runs it, and turns errors into
/// one readable line and a documented exit code (see README).
public enum XueliangCLI {
    public static let version = "0.1.0"

    nonisolated(unsafe) static let commands: [any Command.Type] = [
        InitCommand.self, RegisterCommand.self, UpdateCommand.self, RetireCommand.self,
        ListCommand.self, ShowCommand.self, ValidateCommand.self, SweepCommand.self, CoverageCommand.self, ReportCommand.self,
        WatchCommand.self, OfflineCommand.self, HistoryCommand.self, HistoryCompactCommand.self, CheckCommand.self,
        VillagesAddCommand.self, VillagesListCommand.self, ImportCommand.self, ExportCommand.self,
        CatalogImportCommand.self, CatalogDiffCommand.self, InspectCommand.self, ReferenceCommand.self,
    ]

    static let globalOptions: [OptionSpec] = [
        .value("--inventory", "DIR", "the inventory (default ./Inventory, or $XUELIANG_INVENTORY)"),
        .value("--credentials", "FILE", "credential profiles (default DIR/credentials.json, or $XUELIANG_CREDENTIALS)"),
        .value("--state", "DIR", "where sweeps and monitors' journals are kept (default ./State, or $XUELIANG_STATE)"),
        .value("--lang", "en|zh", "the language of human output (default: zh when LC_ALL, LC_MESSAGES or LANG names zh, else en)"),
    ]

    /// Process-wide malloc settings, made before any other thread exists (the executable calls this first,
    /// synchronously): one arena for the commands that sweep (`ProcessLimits.useOneMallocArena`), fixed
    /// thresholds for the others, which read a city's files and free large buffers early
    /// (`ProcessLimits.returnFreedMemoryEarly`; a sweep's snapshot buffers would then be mapped one by one).
    public static func prepareProcess(arguments: [String]) {
        if arguments.contains(where: { ["sweep", "watch", "check"].contains($0) }) {
            ProcessLimits.useOneMallocArena()
        } else {
            ProcessLimits.returnFreedMemoryEarly()
        }
    }

    /// Runs one command line and returns the exit code.
    public static func run(arguments: [String], environment: [String: String], output: CommandOutput) async -> Int32 {
        var inventoryPath = environment["XUELIANG_INVENTORY"] ?? "Inventory"
        var credentialsPath = environment["XUELIANG_CREDENTIALS"]
        var statePath = environment["XUELIANG_STATE"] ?? "State"
        var language = Language.fromLocale(environment)
        var rest: [String] = []
        var index = 0
        // Global options may stand anywhere; take them out before the command parses its own.
        while index < arguments.count {
            let argument = arguments[index]
            let (name, inline) = splitOption(argument)
            if name == "--inventory" || name == "--credentials" || name == "--state" || name == "--lang" {
                let value: String?
                if let inline { value = inline } else { index += 1; value = index < arguments.count ? arguments[index] : nil }
                guard let value else {
                    output.writeError("xueliang: \(name) needs a value\n")
                    return ExitCode.usage
                }
                switch name {
                case "--inventory": inventoryPath = value
                case "--credentials": credentialsPath = value
                case "--lang":
                    guard let chosen = Language(option: value) else {
                        output.writeError("xueliang: --lang: '\(value)' is not a language; use en or zh\n")
                        return ExitCode.usage
                    }
                    language = chosen
                default: statePath = value
                }
            } else {
                rest.append(argument)
            }
            index += 1
        }

        let locale = OutputLocale(language: language, timeZone: OutputLocale.timeZone(environment: environment) ?? .current)
        // For translators: XUELIANG_UNTRANSLATED=FILE appends the English keys this run showed without Chinese text.
        let collector = environment["XUELIANG_UNTRANSLATED"].map { _ in UntranslatedMessages() } ?? OutputLocale.untranslated
        let code = await OutputLocale.$untranslated.withValue(collector) {
            await OutputLocale.$current.withValue(locale) {
                await run(command: rest, inventoryPath: inventoryPath, credentialsPath: credentialsPath, statePath: statePath,
                          environment: environment, output: output)
            }
        }
        if let collector, let path = environment["XUELIANG_UNTRANSLATED"], !collector.keys.isEmpty,
           let file = fopen(path, "a") {
            for key in collector.keys { fputs(key + "\n", file) }
            fclose(file)
        }
        return code
    }

    /// Runs the command line left once the global options are taken out, in the task's output locale.
    static func run(command rest: [String], inventoryPath: String, credentialsPath: String?, statePath: String,
                    environment: [String: String], output: CommandOutput) async -> Int32 {
        guard let first = rest.first, first != "help", first != "--help", first != "-h" else {
            output.write(overview())
            return rest.isEmpty ? ExitCode.usage : ExitCode.success
        }
        if first == "--version" {
            output.write("xueliang \(version)\n")
            return ExitCode.success
        }
        var nameWords = [first]
        if rest.count > 1, commands.contains(where: { $0.name == "\(first) \(rest[1])" }) { nameWords.append(rest[1]) }
        let name = nameWords.joined(separator: " ")
        guard let command = commands.first(where: { $0.name == name }) else {
            let group = commands.filter { $0.name.hasPrefix(first + " ") }.map { $0.name }
            let hint = group.isEmpty ? localized("see 'xueliang help'") : localized("did you mean: \(group.joined(separator: ", "))?")
            output.writeError("xueliang: " + localized("unknown command '\(name)'") + "\n\(hint)\n")
            return ExitCode.usage
        }
        let commandArguments = Array(rest.dropFirst(nameWords.count))
        if commandArguments.contains("--help") || commandArguments.contains("-h") {
            output.write(ArgumentParser.help(command: command.name, usage: command.usage, abstract: command.abstract,
                                             options: command.options + globalOptions))
            return ExitCode.success
        }
        let today = environment["XUELIANG_TODAY"].flatMap(CalendarDate.init(text:)) ?? systemToday(OutputLocale.current.timeZone)
        let store = InventoryStore(directory: inventoryPath)
        let context = CommandContext(store: store, credentialsPath: credentialsPath ?? store.directory + "/credentials.json",
                                     statePath: statePath, output: output, today: today, environment: environment)
        let instance: any Command
        switch makeCommand(command, arguments: commandArguments) {
        case .success(let made): instance = made
        case .failure(let error):
            return command.reportUsageError(error, to: output)
        }
        do {
            return try await instance.run(context)
        } catch let error as InventoryError {
            output.writeError(errorText(error, command: command.name))
            return exitCode(for: error)
        } catch let error as MonitorStateError {
            output.writeError("xueliang \(command.name): \(error)\n")
            return exitCode(for: error)
        } catch let error as StateError {
            output.writeError("xueliang \(command.name): \(error)\n")
            return exitCode(for: error)
        } catch let error as CatalogError {
            output.writeError("xueliang \(command.name): \(error)\n")
            return exitCode(for: error)
        } catch let error as SystemError {
            output.writeError("xueliang \(command.name): " + localized(systemFailure(path: error.path, operation: error.operation, errno: error.errno)) + "\n")
            return error.isMissing ? ExitCode.notFound : ExitCode.ioError
        } catch {
            output.writeError("xueliang \(command.name): \(error)\n")
            return ExitCode.internalError
        }
    }

    static func exitCode(for error: MonitorStateError) -> Int32 {
        switch error {
        case .corrupt: ExitCode.invalidData
        case .io(_, _, let code): code == ENOENT ? ExitCode.notFound : ExitCode.ioError
        case .busy: ExitCode.busy
        case .noState: ExitCode.notFound
        }
    }

    static func exitCode(for error: StateError) -> Int32 {
        switch error {
        case .system(let error): error.isMissing ? ExitCode.notFound : ExitCode.ioError
        case .damaged: ExitCode.invalidData
        case .nothingYet: ExitCode.notFound
        }
    }

    static func makeCommand(_ type: any Command.Type, arguments: [String]) -> Result<any Command, UsageError> {
        Result { () throws(UsageError) -> any Command in
            let parsed = try ArgumentParser.parse(arguments, options: type.options, command: type.name)
            return try type.init(parsed)
        }
    }

    static func errorText(_ error: InventoryError, command: String) -> String {
        if case .invalid(let issues) = error {
            let errors = issues.filter { $0.severity == .error }
            return error.description + "\nxueliang \(command): "
                + (errors.count == 1 ? localized("refused: 1 problem; nothing was written") : localized("refused: \(errors.count) problems; nothing was written")) + "\n"
        }
        return "xueliang \(command): \(error)\n"
    }

    static func exitCode(for error: InventoryError) -> Int32 {
        switch error {
        case .invalid, .unreadableInput, .credentialsMalformed, .refused, .tooLarge: ExitCode.invalidData
        case .notAnInventory, .notFound, .missing: ExitCode.notFound
        case .io(_, _, let code): code == ENOENT ? ExitCode.notFound : ExitCode.ioError
        case .credentialsExposed: ExitCode.permission
        }
    }

    static func splitOption(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    /// Today in `timeZone` (`TZ`): after 16:00 UTC it is already tomorrow in Beijing.
    static func systemToday(_ timeZone: TimeZone) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    static func overview() -> String {
        var text = localized("xueliang: the camera registry and health of a county's video network (雪亮工程).") + "\n\n"
            + localized("Usage:") + " xueliang COMMAND [options]\n\n" + localized("Commands:") + "\n"
        let width = (commands.map { $0.name.count }.max() ?? 0) + 2
        for command in commands {
            text += "  \(command.name)\(String(repeating: " ", count: width - command.name.count))\(Message(english: command.abstract))\n"
        }
        text += "\n" + localized("Global options:") + "\n" + ArgumentParser.optionLines(globalOptions)
        text += "\n" + localized("'xueliang COMMAND --help' describes a command's options.") + "\n"
        return text
    }
}
