/// The Chinese text of every message, by its English key (see `Message`). One catalogue for the whole tool,
/// kept in one file per area under `Catalogue/` so that each area's sentences sit together;
/// `MessageTests` checks that every entry places as many arguments as its key has and that no key is given
/// two different texts.
public enum ChineseCatalogue {
    /// Every area's entries, merged once.
    public static let entries: [String: String] = merged.entries

    /// Keys that two areas translate differently (a test keeps this empty).
    public static let conflicts: [String] = merged.conflicts

    private static let areas: [[String: String]] = [
        vocabularyEntries, registryEntries, validationEntries, importEntries, reportEntries, reportFileEntries, commandEntries, helpEntries, workbookEntries, pictureEntries, usageEntries, catalogEntries, errorEntries,
    ]

    private static let merged: (entries: [String: String], conflicts: [String]) = {
        var entries: [String: String] = [:]
        var conflicts: [String] = []
        for area in areas {
            for (key, text) in area {
                if let existing = entries[key], existing != text { conflicts.append(key) }
                entries[key] = text
            }
        }
        return (entries, conflicts.sorted())
    }()
}
