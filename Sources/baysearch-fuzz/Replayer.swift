#if !BAYSEARCH_FUZZING
import Foundation

/// The plain build's `main`: runs a target on saved inputs, so that a crash libFuzzer found
/// reproduces (with the Swift runtime's own backtrace) without the fuzzing toolchain.
///
///     swift run baysearch-fuzz --target=query-parser Tests/Fuzz/seeds/query-parser
@main
enum Replayer {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let paths = arguments.filter { !$0.hasPrefix("--target=") }
        guard !paths.isEmpty, !paths.contains(where: { $0.hasPrefix("-") }) else {
            FuzzTargets.exit(printing: FuzzTargets.usage)
        }
        let target = FuzzTargets.target(chosenBy: arguments)
        var count = 0
        for file in paths.flatMap(files(at:)) {
            guard let input = FileManager.default.contents(atPath: file) else {
                FuzzTargets.exit(printing: "baysearch-fuzz: cannot read \(file)", status: 1)
            }
            // Named before it runs, unbuffered: if it crashes, this is the last line printed.
            FileHandle.standardError.write(Data((file + "\n").utf8))
            target.run(Array(input))
            count += 1
        }
        print("replayed \(count) inputs, no failure")
    }

    /// The path itself, or every file below it when it is a directory, in name order.
    private static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            FuzzTargets.exit(printing: "baysearch-fuzz: no file or directory \(path)", status: 1)
        }
        guard isDirectory.boolValue else {
            return [path]
        }
        let names = (try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }.filter { file in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }
}
#endif
