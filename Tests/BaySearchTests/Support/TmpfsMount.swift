import Foundation

/// A tmpfs of a given size, mounted for one test and unmounted when released.
final class TmpfsMount {
    let path: String

    init(at path: String, bytes: Int) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        self.path = path
        guard try TmpfsMount.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(bytes)", "tmpfs", path]) == 0 else {
            throw MountFailed()
        }
    }

    deinit {
        _ = try? TmpfsMount.run("/bin/umount", ["-l", path])
    }

    struct MountFailed: Error {}

    /// Whether this process may mount a tmpfs (root, outside a locked-down container).
    static let isAvailable: Bool = {
        guard geteuid() == 0, let directory = try? TemporaryDirectory() else {
            return false
        }
        return (try? TmpfsMount(at: directory.path + "/probe", bytes: 1 << 20)) != nil
    }()

    /// Runs `command` quietly and returns its exit status.
    private static func run(_ command: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
