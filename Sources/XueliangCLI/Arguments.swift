import Localization
/// One option a command accepts.
struct OptionSpec: Sendable {
    enum Kind: Sendable {
        /// `--name VALUE`; the last one given wins.
        case value(String)
        /// `--name VALUE`, may be given several times.
        case repeated(String)
        /// `--name`, no value.
        case flag
    }

    var name: String
    var kind: Kind
    var help: String

    static func value(_ name: String, _ valueName: String, _ help: String) -> OptionSpec { OptionSpec(name: name, kind: .value(valueName), help: help) }
    static func repeated(_ name: String, _ valueName: String, _ help: String) -> OptionSpec { OptionSpec(name: name, kind: .repeated(valueName), help: help) }
    static func flag(_ name: String, _ help: String) -> OptionSpec { OptionSpec(name: name, kind: .flag, help: help) }
}

/// A command line that has been checked against a command's options.
struct ParsedArguments: Sendable {
    var positionals: [String] = []
    /// Values by option name (with its dashes), in the order given.
    var values: [String: [String]] = [:]
    var flags: Set<String> = []

    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func has(_ name: String) -> Bool { flags.contains(name) || values[name] != nil }
}

/// Bad usage: printed as one line with a hint, exit 64.
struct UsageError: Error, CustomStringConvertible {
    var message: Message
    var command: String
    var description: String { "\(message)\n" + localized("see 'xueliang \(command) --help'") }
}

enum ArgumentParser {
    /// Splits `arguments` by `options`. `--name=value` and `--name value` both work; `--` ends options.
    static func parse(_ arguments: [String], options: [OptionSpec], command: String) throws(UsageError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || !argument.hasPrefix("--") || argument == "-" {
                if !optionsEnded && argument.hasPrefix("-") && argument.count > 1 && argument != "-" && Double(argument) == nil {
                    throw UsageError(message: "unknown option \(argument)", command: command)
                }
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard let spec = options.first(where: { $0.name == name }) else {
                throw UsageError(message: "unknown option \(name) for 'xueliang \(command)'", command: command)
            }
            switch spec.kind {
            case .flag:
                if inlineValue != nil { throw UsageError(message: "\(name) takes no value", command: command) }
                parsed.flags.insert(name)
            case .value(let valueName), .repeated(let valueName):
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count else { throw UsageError(message: "\(name) needs a value (\(valueName))", command: command) }
                    value = arguments[index]
                    index += 1
                }
                parsed.values[name, default: []].append(value)
            }
        }
        return parsed
    }

    /// The help text of a command, generated from the same declarations that parse it.
    static func help(command: String, usage: String, abstract: String, options: [OptionSpec]) -> String {
        var text = "\(Message(english: abstract))\n\n" + localized("Usage:") + " xueliang \(command)\(usage.isEmpty ? "" : " " + usage)\n"
        if !options.isEmpty { text += "\n" + localized("Options:") + "\n" + optionLines(options) }
        return text
    }

    /// One aligned line per option: `  --name VALUE  help`.
    static func optionLines(_ options: [OptionSpec]) -> String {
        let labels = options.map { spec -> String in
            switch spec.kind {
            case .flag: spec.name
            case .value(let valueName): "\(spec.name) \(valueName)"
            case .repeated(let valueName): "\(spec.name) \(valueName)..."
            }
        }
        let width = min(34, (labels.map(\.count).max() ?? 0) + 2)
        var text = ""
        for (label, spec) in zip(labels, options) {
            let padding = String(repeating: " ", count: max(2, width - label.count))
            text += "  \(label)\(padding)\(Message(english: spec.help))\n"
        }
        return text
    }
}
