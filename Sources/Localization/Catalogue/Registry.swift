extension ChineseCatalogue {
    /// The registry's messages: validation, village files, imports.
    static let registryEntries: [String: String] = [
        "unknown column (column {}); see docs/inventory-format.md for the camera columns": "未知列（第{}列）；相机的列见 docs/inventory-format.md",
    ]
}
