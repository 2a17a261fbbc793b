import Foundation

/// A secret that never prints: `description`, `debugDescription` and interpolation all show `<redacted>`.
///
/// A value type; safe to share between threads. Read the value only where it is handed to a transport.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    private let storage: String
    public init(_ value: String) { storage = value }
    /// The secret itself, for the one place that must send it.
    public var revealed: String { storage }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}

/// A named username/password pair that camera records refer to by name.
public struct CredentialProfile: Sendable, Hashable {
    public var name: String
    public var username: String
    public var password: Secret

    public init(name: String, username: String, password: Secret) {
        self.name = name
        self.username = username
        self.password = password
    }
}

/// The credentials file (`credentials.json`, git-ignored, mode 600): profiles by name.
///
/// ```json
/// { "schema": "xueliang.credentials/1",
///   "profiles": { "hik-admin": { "username": "admin", "password": "…" } } }
/// ```
public struct CredentialStore: Sendable {
    public var profiles: [String: CredentialProfile]

    public init(profiles: [String: CredentialProfile] = [:]) { self.profiles = profiles }

    /// The largest credentials file read: thousands of profiles fit in far less.
    public static let maximumFileBytes = 1 << 20

    /// Reads the file; nil when it does not exist. Refuses a file that others can read.
    public static func load(path: String) throws(InventoryError) -> CredentialStore? {
        guard let mode = FileSystem.mode(of: path) else { return nil }
        if mode & 0o077 != 0 { throw .credentialsExposed(path: path, mode: UInt32(mode)) }
        // `--credentials` may name a link to a file kept elsewhere (e.g. /etc): links are followed here.
        let bytes = try FileSystem.readFile(path, limit: maximumFileBytes, followLinks: true)
        struct File: Decodable {
            struct Profile: Decodable { var username: String; var password: String }
            var schema: String
            var profiles: [String: Profile]
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(bytes))
        } catch {
            // The decoder's message could quote a password; say only where the shape is wrong.
            throw .credentialsMalformed(path: path, reason: "not a credentials file (expected {\"schema\": \"xueliang.credentials/1\", \"profiles\": {NAME: {\"username\", \"password\"}}})")
        }
        guard file.schema == "xueliang.credentials/1" else {
            throw .credentialsMalformed(path: path, reason: "schema '\(file.schema.clipped)' is not xueliang.credentials/1")
        }
        var profiles: [String: CredentialProfile] = [:]
        for (name, profile) in file.profiles {
            profiles[name] = CredentialProfile(name: name, username: profile.username, password: Secret(profile.password))
        }
        return CredentialStore(profiles: profiles)
    }
}
