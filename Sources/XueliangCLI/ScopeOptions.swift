import Registry

/// The `--village`/`--township`/`--county`/`--source` options that choose cameras, shared by commands.
enum ScopeOptions {
    static let specs: [OptionSpec] = [
        .value("--village", "CODE", "only this village or community (12-digit code)"),
        .value("--township", "CODE", "only this township (9-digit code)"),
        .value("--county", "CODE", "only this county (6-digit code)"),
        .value("--source", "public|citizen", "only public (雪亮) or citizen (守望) cameras"),
    ]

    static func scope(_ arguments: ParsedArguments, command: String) throws(UsageError) -> CameraScope {
        var scope = CameraScope()
        let places = [("--village", 12), ("--township", 9), ("--county", 6)].filter { arguments.value($0.0) != nil }
        if places.count > 1 {
            throw UsageError(message: "give only one of --village, --township, --county", command: command)
        }
        if let (option, digits) = places.first {
            do {
                scope.placePrefix = try CameraScope.placeCode(arguments.value(option)!, digits: digits)
            } catch {
                throw UsageError(message: "\(option): \(error.message)", command: command)
            }
        }
        if let source = arguments.value("--source") {
            guard let value = CameraSource(rawValue: source) else {
                throw UsageError(message: "--source: '\(source)' is not public or citizen", command: command)
            }
            scope.source = value
        }
        return scope
    }
}
