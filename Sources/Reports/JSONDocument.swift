import Foundation

/// Deterministic JSON for every document the tool writes: sorted keys, ISO-8601 dates, no escaped
/// slashes, a trailing newline; so outputs diff cleanly and golden files stay stable.
public enum JSONDocument {
    public static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Every document type here is plain data; encoding cannot fail.
        let data = try! encoder.encode(value)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
