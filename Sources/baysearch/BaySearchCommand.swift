import ArgumentParser
import Foundation

/// `baysearch`: index and search Chinese documents across Traditional and Simplified script.
@main
struct BaySearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baysearch",
        abstract: "Full-text search for Chinese documents that mix Traditional and Simplified script.",
        subcommands: [IndexCommand.self, AddCommand.self, RemoveCommand.self, SearchCommand.self, BenchCommand.self],
        defaultSubcommand: SearchCommand.self
    )

    /// Runs the command; every error, the argument parser's included, leaves as one line on
    /// stderr and a non-zero exit. `--help` prints in full as usual.
    static func main() {
        // Past a file size limit (ulimit -f) a write should fail with EFBIG and be reported
        // like a full disk, not kill the process mid-build without a word.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot(SearchCommand.joiningQueryWords(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch {
            let code = exitCode(for: error)
            guard code != .success else {
                exit(withError: error)
            }
            let message = message(for: error)
                .split(whereSeparator: \.isNewline).first
                .map { String($0).replacingOccurrences(of: "Error: ", with: "") } ?? ""
            if !message.isEmpty {
                Terminal.printError("error: \(message)")
            }
            Foundation.exit(code.rawValue)
        }
    }
}

/// Options shared by the subcommands.
struct IndexOption: ParsableArguments {
    @Option(name: .long, help: "The index directory (default: ./.baysearch).")
    var index: String?

    static let defaultPath = ".baysearch"
}
