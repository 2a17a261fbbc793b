/// Names of the tool's fixed values (statuses, reasons, check kinds, kinds of place) for people: the stable
/// English identifier in English, the catalogue's `domain:identifier` entry in Chinese.
public enum Vocabulary {
    /// The name of `identifier` in `domain` (`reason`, `status`, …) in the reading task's language.
    public static func name(_ domain: String, _ identifier: String) -> String {
        name(domain, identifier, in: OutputLocale.current.language)
    }

    public static func name(_ domain: String, _ identifier: String, in language: Language) -> String {
        guard language == .chinese else { return identifier }
        let key = domain + ":" + identifier
        if let text = ChineseCatalogue.entries[key] { return text }
        OutputLocale.untranslated?.note(key)
        return identifier
    }
}

/// A message in the reading task's language, as a `String` (for building text).
public func localized(_ message: Message) -> String { message.description }
