import ArgumentParser
import BaySearch
import Foundation

/// `baysearch index`: makes an index hold exactly the documents of its sources.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build or update an index from directories, .txt/.md files and .jsonl files.",
        discussion: """
            A directory contributes every *.txt and *.md file below it (id = path relative to it, \
            title = first non-empty line); a .txt/.md file contributes itself (id = file name); \
            a .jsonl file contributes one {"id", "title", "text"} object per line. On an existing \
            index, new and changed documents are indexed, unchanged ones kept and ones no source \
            holds removed. Every change is committed whole or not at all.
            """
    )

    @OptionGroup var indexOption: IndexOption
    @OptionGroup var threadsOption: ThreadsOption

    @Flag(name: .long, help: "Build the index afresh instead of updating it.")
    var rebuild = false

    @Argument(help: "Directories, .txt/.md files or .jsonl files to index.")
    var sources: [String]

    func validate() throws {
        guard !sources.isEmpty else {
            throw ValidationError("give at least one SOURCE to index")
        }
    }

    func run() throws {
        do {
            try IndexCommand.build(
                sources: sources, into: indexOption.index ?? IndexOption.defaultPath,
                mode: rebuild ? .rebuild : .mirror, threads: threadsOption.threads)
        } catch {
            throw Terminal.fail(error)
        }
    }

    /// Builds or updates the index, showing progress on a terminal and a summary line at the end.
    static func build(
        sources: [String], into path: String, mode: IndexBuilder.Mode = .mirror,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws {
        let showProgress = Terminal.standardErrorIsTerminal
        let summary: IndexBuilder.Progress
        do {
            summary = try IndexBuilder(workerCount: threads).build(
                sources: sources, into: path, mode: mode,
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

    static func describe(_ progress: IndexBuilder.Progress) -> String {
        let megabytes = Double(progress.bytesIndexed) / 1_000_000
        let rate = progress.seconds > 0 ? megabytes / progress.seconds : 0
        var text = "\(progress.documentsIndexed) of \(progress.documentsRead) documents read, "
            + String(format: "%.1f MB in %.1f s (%.1f MB/s)", megabytes, progress.seconds, rate)
        if progress.documentsUnchanged > 0 {
            text += ", \(progress.documentsUnchanged) unchanged"
        }
        if progress.documentsRemoved > 0 {
            text += ", \(progress.documentsRemoved) removed"
        }
        if progress.documentsSkipped > 0 {
            text += ", \(progress.documentsSkipped) skipped"
        }
        if progress.segmentsMerging > 0 {
            text += "; merging \(progress.segmentsMerging) segments"
        }
        return text
    }
}

/// `--threads`, shared by the commands that analyse documents.
struct ThreadsOption: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Threads that analyse documents (default: one per core).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard (1...IndexBuilder.maximumWorkerCount).contains(threads) else {
            throw ValidationError("--threads must be from 1 to \(IndexBuilder.maximumWorkerCount)")
        }
    }
}
