import ArgumentParser

/// `baysearch`: index and search Chinese documents across Traditional and Simplified script.
@main
struct BaySearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baysearch",
        abstract: "Full-text search for Chinese documents that mix Traditional and Simplified script.",
        subcommands: [IndexCommand.self, SearchCommand.self, BenchCommand.self],
        defaultSubcommand: SearchCommand.self
    )
}

/// Options shared by the subcommands.
struct IndexOption: ParsableArguments {
    @Option(name: .long, help: "The index directory (default: ./.baysearch).")
    var index: String?

    static let defaultPath = ".baysearch"
}
