import Localization
import Registry

struct InitCommand: Command {
    static let name = "init"
    static let abstract = "Create an empty inventory (villages/ folder and its .gitignore)."
    static let usage = ""
    static let options: [OptionSpec] = []

    init(_ arguments: ParsedArguments) throws(UsageError) { _ = try Self.positionals(arguments) }

    func run(_ context: CommandContext) throws -> Int32 {
        try context.store.initialize()
        context.say("initialised inventory in \(context.store.directory)")
        return ExitCode.success
    }
}
