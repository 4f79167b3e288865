import ArgumentParser
import BaySearch
import Foundation

/// `baysearch index`: builds an index from directories, text files and JSONL files.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build an index from directories, .txt/.md files and .jsonl files.",
        discussion: """
            A directory contributes every *.txt and *.md file below it (id = path relative to it, \
            title = first non-empty line); a .txt/.md file contributes itself (id = file name); \
            a .jsonl file contributes one {"id", "title", "text"} object per line. The new index \
            replaces the old one only once it is complete.
            """
    )

    @OptionGroup var indexOption: IndexOption

    @Option(name: .long, help: "Threads that analyse documents (default: one per core).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Argument(help: "Directories, .txt/.md files or .jsonl files to index.")
    var sources: [String]

    func validate() throws {
        guard !sources.isEmpty else {
            throw ValidationError("give at least one SOURCE to index")
        }
        guard (1...IndexBuilder.maximumWorkerCount).contains(threads) else {
            throw ValidationError("--threads must be from 1 to \(IndexBuilder.maximumWorkerCount)")
        }
    }

    func run() throws {
        do {
            try IndexCommand.build(sources: sources, into: indexOption.index ?? IndexOption.defaultPath, threads: threads)
        } catch {
            throw Terminal.fail(error)
        }
    }

    /// Builds the index, showing progress on a terminal and a summary line at the end.
    static func build(sources: [String], into path: String, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let showProgress = Terminal.standardErrorIsTerminal
        let summary: IndexBuilder.Progress
        do {
            summary = try IndexBuilder(workerCount: threads).build(
                sources: sources, into: path,
                warn: { Terminal.printError("warning: \($0)") },
                progress: { progress in
                    if showProgress {
                        Terminal.writeError("\rindexing: \(describe(progress))\u{1B}[K")
                    }
                })
        } catch {
            if showProgress {
                Terminal.writeError("\r\u{1B}[K")
            }
            throw explained(error, indexPath: path)
        }
        if showProgress {
            Terminal.writeError("\r\u{1B}[K")
        }
        Terminal.writeError("indexed \(describe(summary)) into \(path)\n")
    }

    /// `error`, with the remedy added when a write failed for want of space: the builder's
    /// own message names the file, not what to do.
    private static func explained(_ error: Error, indexPath: String) -> Error {
        guard case IndexError.unwritable(let file, let reason) = error, let remedy = outOfSpace[reason] else {
            return error
        }
        return CommandError("cannot write \(file): \(reason); the index at \(indexPath) is unchanged; \(remedy) and build again")
    }

    /// The remedy for each system reason a write fails for want of space: a full disk, a
    /// quota, a file size limit.
    private static let outOfSpace: [String: String] = [
        String(cString: strerror(ENOSPC)): "free some space",
        String(cString: strerror(EDQUOT)): "free some space or raise the quota",
        String(cString: strerror(EFBIG)): "raise the file size limit (ulimit -f)",
    ]

    private static func describe(_ progress: IndexBuilder.Progress) -> String {
        let megabytes = Double(progress.bytesIndexed) / 1_000_000
        let rate = progress.seconds > 0 ? megabytes / progress.seconds : 0
        var text = "\(progress.documentsIndexed) of \(progress.documentsRead) documents read, "
            + String(format: "%.1f MB in %.1f s (%.1f MB/s)", megabytes, progress.seconds, rate)
        if progress.documentsSkipped > 0 {
            text += ", \(progress.documentsSkipped) skipped"
        }
        return text
    }
}
