import ArgumentParser
import BaySearch
import Foundation

/// `baysearch remove`: removes documents from an index by id.
struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove documents from an index by id.",
        discussion: "An id the index does not hold is reported; the others are removed in one commit."
    )

    @OptionGroup var indexOption: IndexOption

    @Argument(help: "Ids of the documents to remove (as `search --json` shows them).")
    var ids: [String]

    func validate() throws {
        guard !ids.isEmpty else {
            throw ValidationError("give at least one ID to remove")
        }
    }

    func run() throws {
        let path = indexOption.index ?? IndexOption.defaultPath
        let removed: Int
        do {
            removed = try IndexBuilder().remove(ids: ids, from: path, warn: { Terminal.printError("warning: \($0)") })
        } catch {
            throw Terminal.fail(error)
        }
        Terminal.writeError("removed \(removed) of \(ids.count) documents from \(path)\n")
        guard removed == ids.count else {
            throw ExitCode(1)
        }
    }
}
