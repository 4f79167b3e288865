import ArgumentParser
import BaySearch
import Foundation

/// `baysearch add`: adds or re-indexes documents, keeping every other one.
struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add new and changed documents to an index, keeping the others.",
        discussion: """
            SOURCE is read as by `baysearch index`. A document whose id the index holds is \\
            re-indexed if its title or text changed; documents no SOURCE names stay.
            """
    )

    @OptionGroup var indexOption: IndexOption
    @OptionGroup var threadsOption: ThreadsOption

    @Argument(help: "Directories, .txt/.md files or .jsonl files to add.")
    var sources: [String]

    func validate() throws {
        guard !sources.isEmpty else {
            throw ValidationError("give at least one SOURCE to add")
        }
    }

    func run() throws {
        do {
            try IndexCommand.build(
                sources: sources, into: indexOption.index ?? IndexOption.defaultPath, mode: .add,
                threads: threadsOption.threads)
        } catch {
            throw Terminal.fail(error)
        }
    }
}
