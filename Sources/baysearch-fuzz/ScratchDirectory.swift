import Foundation

/// Scratch directories, removed when the process exits normally. libFuzzer ends the process
/// with `exit`, so no deinit would run; `atexit` does.
enum ScratchDirectory {
    nonisolated(unsafe) private static var paths: [String] = []

    /// A new empty directory in the temporary directory (`TMPDIR`).
    static func make() throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("baysearch-fuzz-" + UUID().uuidString)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        if paths.isEmpty {
            atexit {
                for path in ScratchDirectory.paths {
                    try? FileManager.default.removeItem(atPath: path)
                }
            }
        }
        paths.append(path)
        return path
    }
}
