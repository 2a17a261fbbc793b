import Foundation
import POSIXLayer

/// Per-camera reference data kept in the state directory, `STATE/references/ID.KIND`: what a camera
/// normally looks like (a reduced picture for the day and one for the night, for picture-quality diagnosis),
/// a few KB each. Written atomically, read bounded; names come only from camera ids (digits), so no
/// reference can be written outside its directory.
public struct ReferenceStore: Sendable {
    /// Which reference of a camera.
    public enum Kind: String, Sendable, CaseIterable {
        case day, night
    }

    public let directory: String
    /// The largest reference kept: a reduced 4K picture is about 100 KB.
    public static let maximumBytes = 1 << 20

    public init(stateDirectory: String) { directory = stateDirectory + "/references" }

    /// Replaces the camera's `kind` reference with `bytes`.
    public func save(_ bytes: [UInt8], camera id: String, kind: Kind) throws(StateError) {
        let path = try self.path(camera: id, kind: kind)
        guard bytes.count <= Self.maximumBytes else {
            throw .damaged(path: path, line: nil, reason: "a reference of \(bytes.count) bytes is larger than \(Self.maximumBytes >> 10) KB")
        }
        do {
            try Files.makeDirectories(directory)
            try Files.replace(path, with: bytes)
        } catch {
            throw .system(error)
        }
    }

    /// The camera's `kind` reference, or nil when none was recorded.
    public func load(camera id: String, kind: Kind) throws(StateError) -> [UInt8]? {
        let path = try self.path(camera: id, kind: kind)
        do {
            return try Files.read(path, limit: Self.maximumBytes)
        } catch {
            throw .system(error)
        }
    }

    public func remove(camera id: String, kind: Kind) throws(StateError) {
        Files.remove(try path(camera: id, kind: kind))
    }

    /// The ids of the cameras that have a reference of `kind`, sorted.
    public func cameras(kind: Kind) -> [String] {
        let suffix = "." + kind.rawValue
        let names = (try? Files.list(directory)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.map { String($0.dropLast(suffix.count)) }.filter(Self.isCameraID).sorted()
    }

    private func path(camera id: String, kind: Kind) throws(StateError) -> String {
        guard Self.isCameraID(id) else {
            throw .damaged(path: directory, line: nil, reason: "'\(id.prefix(40))' is not a camera id (20 digits)")
        }
        return directory + "/" + id + "." + kind.rawValue
    }

    /// GB/T 28181 device codes: 20 digits. Nothing else may name a file here.
    static func isCameraID(_ text: String) -> Bool {
        text.utf8.count == 20 && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}
