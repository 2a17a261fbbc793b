import Localization
import Coverage
import Reports
import Registry

struct ValidateCommand: Command {
    static let name = "validate"
    static let abstract = "Check every record (一机一档) and list every problem with its file, line and field. Exits 1 on errors."
    static let usage = "[--json] [--strict]"
    static let options: [OptionSpec] = [.flag("--json", "print a xueliang.validation/1 document"), CommandContext.strictOption]

    let json: Bool
    let strict: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        _ = try Self.positionals(arguments)
        json = arguments.has("--json")
        strict = arguments.has("--strict")
    }

    func run(_ context: CommandContext) throws -> Int32 {
        let inventory = try context.store.load()
        // Refusing to read an exposed credentials file is itself a finding, not a reason to stop.
        let validatorResult = Result { () throws(InventoryError) in try context.validator(strict: strict) }
        var issues: [InventoryIssue] = []
        if case .failure(let error) = validatorResult {
            issues.append(InventoryIssue(file: context.credentialsPath, line: nil, message: Message(verbatim: error.description)))
        }
        let validator = (try? validatorResult.get()) ?? Validator(today: context.today, strict: strict)
        issues = (issues + validator.validate(inventory)).sorted()
        let completeness = RecordCompleteness(inventory: inventory, issues: issues)
        let errors = issues.count { $0.severity == .error }
        if json {
            context.output.write(JSONDocument.encode(ValidationDocument(inventory: inventory, issues: issues, completeness: completeness)))
        } else {
            for issue in issues { context.print(issue.description) }
            let warnings = issues.count - errors
            for (maintainer, cameras) in completeness.incompleteByMaintainer {
                context.say("incomplete records of \(maintainer): \(cameras.count) (\(cameras.prefix(5).joined(separator: ", "))\(cameras.count > 5 ? ", …" : ""))")
            }
            let gaps = issues.count(where: \.isGap)
            let counts = localized("\(inventory.villages.count) villages, \(inventory.cameras.count) cameras: ")
                + (errors == 1 ? localized("1 error, ") : localized("\(errors) errors, "))
                + (warnings == 1 ? localized("1 warning") : localized("\(warnings) warnings"))
                + (gaps == 1 ? localized(" (1 gap)") : localized(" (\(gaps) gaps)"))
            context.print(counts + localized("; record completeness \(completeness.rate.map(Percent.text) ?? "-") "
                + "(\(completeness.complete)/\(completeness.total) active cameras)"))
        }
        return errors == 0 ? ExitCode.success : ExitCode.problemsFound
    }
}
