/// The Chinese text of every message, by its English key (see `Message`). One catalogue for the whole tool;
/// `LocalizationTests` checks that every entry places as many arguments as its key has.
public enum ChineseCatalogue {
    public static let entries: [String: String] = [
        "unknown column (column {}); see docs/inventory-format.md for the camera columns": "未知列（第{}列）；相机的列见 docs/inventory-format.md",
    ]
}
