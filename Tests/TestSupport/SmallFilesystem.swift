import Foundation
import Glibc

/// A small tmpfs mounted on a fresh directory, for tests of what a full disk does. Unmounted and removed
/// when released. Needs root (the test machine's engineers are); `available` tells whether it can be made.
public final class SmallFilesystem: Sendable {
    public let path: String

    /// Mounts a tmpfs of `kilobytes`; nil when mounting is not allowed here.
    public init?(kilobytes: Int) {
        let template = NSTemporaryDirectory() + "xueliang-tmpfs-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { return nil }
        path = String(cString: made)
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(kilobytes)k,mode=0755") == 0 else {
            rmdir(path)
            return nil
        }
    }

    /// Whether a tmpfs can be mounted here (root, and mount(2) allowed).
    public static let available: Bool = SmallFilesystem(kilobytes: 64) != nil

    public func file(_ name: String) -> String { path + "/" + name }

    /// Fills what space is left with a file (`filler`), until the kernel says ENOSPC.
    public func fill() throws {
        let descriptor = open(file("filler"), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SmallFilesystemError(problem: "open filler: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let chunk = [UInt8](repeating: 0x78, count: 4096)
        var size = chunk.count
        // Whole pages first, then single bytes, so that nothing is left for even a small write.
        while size > 0 {
            if write(descriptor, chunk, size) < 0 {
                guard errno == ENOSPC else { throw SmallFilesystemError(problem: "fill: \(String(cString: strerror(errno)))") }
                size /= 2
            }
        }
    }

    /// Every file name under the filesystem, recursively (to look for temporaries left behind).
    public func allNames() -> [String] {
        (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
    }

    deinit {
        umount2(path, Int32(MNT_DETACH))
        rmdir(path)
    }
}

public struct SmallFilesystemError: Error, CustomStringConvertible {
    public var problem: String
    public var description: String { problem }
}
