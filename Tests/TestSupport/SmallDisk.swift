import Foundation
import Glibc

/// A tiny tmpfs mounted for one test, to see what a full disk does; unmounted when released.
/// Needs root (CAP_SYS_ADMIN): tests that use it are enabled only where `isAvailable`.
public final class SmallDisk {
    public let path: String
    private let directory: TemporaryDirectory

    /// Whether a tmpfs can be mounted here (as root, with mount(8)); tried once with a real mount.
    public static let isAvailable: Bool = (try? SmallDisk(kibibytes: 64)) != nil

    public init(kibibytes: Int) throws {
        directory = TemporaryDirectory("xueliang-small-disk")
        path = directory.file("disk")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        guard getuid() == 0 else { throw ProcessRunnerError(description: "mounting a tmpfs needs root") }
        let mounted = try ProcessRunner.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kibibytes)k,mode=0755", "tmpfs", path])
        guard mounted.status == 0 else { throw ProcessRunnerError(description: "mount: \(mounted.standardError)") }
    }

    deinit { _ = try? ProcessRunner.run("/bin/umount", [path]) }
}
