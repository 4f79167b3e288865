import Foundation

/// One fuzz target: runs an input through part of BaySearch and traps when a promise breaks.
///
/// Errors BaySearch reports for bad input are expected and pass; a crash, a hang or a failed
/// `precondition` is a bug. The same targets run under libFuzzer (`Fuzzer.swift`) and in the
/// replayer of saved inputs (`Replayer.swift`).
protocol FuzzTarget {
    func run(_ input: [UInt8])
}

/// The targets by name, and the `--target=NAME` argument that chooses one.
enum FuzzTargets {
    static let names = ["query-parser", "analysis", "segment-reader"]

    static let usage = """
        usage: baysearch-fuzz --target=NAME [libFuzzer options] [CORPUS_DIR...]   (fuzzing build)
               baysearch-fuzz --target=NAME FILE_OR_DIR...                          (replayer)
        NAME is one of: \(names.joined(separator: ", ")). See Tests/Fuzz/run.sh.
        """

    /// The target `--target=NAME` among `arguments` names, set up for its first input.
    /// Exits with the usage when there is none, and with status 1 when its set-up fails.
    static func target(chosenBy arguments: [String]) -> FuzzTarget {
        guard let name = arguments.last(where: { $0.hasPrefix("--target=") })?.dropFirst("--target=".count) else {
            exit(printing: usage)
        }
        do {
            switch name {
            case "query-parser": return try QueryParserTarget()
            case "analysis": return try AnalysisTarget()
            case "segment-reader": return try SegmentReaderTarget()
            default: exit(printing: "baysearch-fuzz: no target \(name)\n" + usage)
            }
        } catch {
            exit(printing: "baysearch-fuzz: cannot set up \(name): \(error)", status: 1)
        }
    }

    /// Prints `message` on stderr and exits.
    static func exit(printing message: String, status: Int32 = 2) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(status)
    }
}
