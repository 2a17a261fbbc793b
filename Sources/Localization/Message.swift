/// A sentence for a person, written in English at its call site (`"has \(n) fields"`) and rendered in the
/// reader's language when it is shown. The English text with `{}` for each interpolation is the key into the
/// Chinese catalogue (`ChineseCatalogue`), whose entries place the arguments with `{1}`, `{2}`, … (or `{}` in
/// order). Unknown keys fall back to English, and are noted where a test collects them.
public struct Message: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The English text with `{}` where each argument goes.
    public let key: String
    public let arguments: [String]

    public init(stringLiteral value: String) {
        key = value
        arguments = []
    }

    public init(stringInterpolation: StringInterpolation) {
        key = stringInterpolation.key
        arguments = stringInterpolation.arguments
    }

    /// A sentence known only at run time (a command's abstract, an option's help), looked up as it is.
    public init(english text: String) {
        key = text
        arguments = []
    }

    /// Text that is shown as it is in every language (a name, a path, libcurl's own words).
    public init(verbatim text: String) {
        key = "{}"
        arguments = [text]
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var key = ""
        var arguments: [String] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            key.reserveCapacity(literalCapacity + 2 * interpolationCount)
            arguments.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) { key += literal }

        /// An argument, rendered when the message is built: a nested `Message` or a localised name comes out
        /// in the language of the task building it.
        public mutating func appendInterpolation(_ value: some CustomStringConvertible) {
            key += "{}"
            arguments.append(value.description)
        }

        public mutating func appendInterpolation(_ value: String) {
            key += "{}"
            arguments.append(value)
        }
    }

    public var description: String { rendered(in: OutputLocale.current.language) }

    /// The message in `language`.
    public func rendered(in language: Language) -> String {
        if key == "{}" { return arguments.first ?? "" }
        if language == .chinese {
            if let template = ChineseCatalogue.entries[key] { return Self.fill(template, arguments) }
            OutputLocale.untranslated?.note(key)
        }
        return Self.fill(key, arguments)
    }

    /// Puts `arguments` into `template`: `{}` takes the next one, `{N}` the Nth (from 1).
    public static func fill(_ template: String, _ arguments: [String]) -> String {
        guard !arguments.isEmpty, template.contains("{") else { return template }
        var result = ""
        result.reserveCapacity(template.utf8.count + arguments.reduce(0) { $0 + $1.utf8.count })
        var next = 0
        var index = template.startIndex
        while index < template.endIndex {
            let character = template[index]
            if character == "{", let close = template[index...].firstIndex(of: "}") {
                let inside = template[template.index(after: index)..<close]
                if inside.isEmpty, next < arguments.count {
                    result += arguments[next]
                    next += 1
                    index = template.index(after: close)
                    continue
                }
                if let number = Int(inside), number >= 1, number <= arguments.count {
                    result += arguments[number - 1]
                    index = template.index(after: close)
                    continue
                }
            }
            result.append(character)
            index = template.index(after: index)
        }
        return result
    }
}

extension Message {
    /// The English key's arguments count, and the template's, agree (a catalogue test uses it).
    public static func placeholderCount(_ text: String) -> Int {
        var count = 0
        var index = text.startIndex
        while let open = text[index...].firstIndex(of: "{") {
            guard let close = text[open...].firstIndex(of: "}") else { break }
            let inside = text[text.index(after: open)..<close]
            if inside.isEmpty || Int(inside) != nil { count += 1 }
            index = text.index(after: close)
        }
        return count
    }
}

/// A value with a name for people in each language (a status, a reason, a kind of place).
public protocol LocalizedName {
    var englishName: String { get }
    var chineseName: String { get }
}

extension LocalizedName {
    /// The name in the reading task's language.
    public var localizedName: String {
        OutputLocale.current.language == .chinese ? chineseName : englishName
    }
}

extension Message: Comparable {
    /// Two parts of one sentence written on two lines (`"…" + "…"`): one key, the arguments in order.
    public static func + (lhs: Message, rhs: Message) -> Message {
        Message(key: lhs.key + rhs.key, arguments: lhs.arguments + rhs.arguments)
    }

    /// Equal when they read the same in English, however they were built (`"a \(1)"` equals `"a 1"`).
    public static func == (lhs: Message, rhs: Message) -> Bool {
        lhs.rendered(in: .english) == rhs.rendered(in: .english)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(rendered(in: .english)) }

    /// Orders by the English text, so sorted output is the same in every language.
    public static func < (lhs: Message, rhs: Message) -> Bool {
        lhs.rendered(in: .english) < rhs.rendered(in: .english)
    }

    init(key: String, arguments: [String]) {
        self.key = key
        self.arguments = arguments
    }
}
