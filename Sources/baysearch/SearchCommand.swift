import ArgumentParser
import BaySearch
import Foundation

/// `baysearch search`: runs one query, or one per line of a file, against an index.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index; builds ./.baysearch from ./Corpus on first use.",
        discussion: """
            Parts separated by spaces must all match; `OR` between two parts makes them \
            alternatives; `-part` excludes documents holding it; "…" makes one phrase of \
            several words. Traditional and Simplified forms find the same text.
            """
    )

    @OptionGroup var indexOption: IndexOption

    @Option(name: .long, parsing: .unconditional, help: "How many hits to show (total is never limited).")
    var limit = 10

    @Flag(name: .long, help: "Print one JSON object per query.")
    var json = false

    @Flag(name: .long, help: "Show how each hit's BM25 score is made.")
    var explain = false

    @Option(name: .long, help: "Run every line of FILE as a query (with --json).")
    var queries: String?

    @Argument(parsing: .allUnrecognized, help: "The query; several words are joined by spaces, so `香港 -澳門` needs no quotes.")
    var words: [String] = []

    /// The query words; after a `--`, words that look like options are words too.
    private var query: String? {
        let queryWords = words.split(separator: "--", maxSplits: 1, omittingEmptySubsequences: false).joined()
        return queryWords.isEmpty ? nil : queryWords.joined(separator: " ")
    }

    /// The options of `search` that take the next argument as their value.
    private static let valueOptions: Set<String> = ["--index", "--limit", "--queries"]

    /// `arguments` (the command line after the program name) with each run of query words
    /// joined into one argument, as `query` would join them.
    ///
    /// The argument parser's time grows with the square of the words it collects: a
    /// 100,000-character query of 16,667 words took 11 s to parse. A word starting with `-`
    /// and an option's value stay apart; the words after `--` become one. Other subcommands'
    /// arguments are left alone.
    static func joiningQueryWords(_ arguments: [String]) -> [String] {
        var rest = arguments[...]
        var joined: [String] = []
        if let first = rest.first {
            if first == configuration.commandName {
                joined.append(first)
                rest = rest.dropFirst()
            } else if !first.hasPrefix("-") {
                let otherCommands = BaySearchCommand.configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
                guard !otherCommands.contains(first) else {
                    return arguments
                }
            }
        }
        var words: [String] = []
        func endWords() {
            if !words.isEmpty {
                joined.append(words.joined(separator: " "))
                words = []
            }
        }
        while let argument = rest.popFirst() {
            if argument == "--" {
                endWords()
                joined.append(argument)
                if !rest.isEmpty {
                    joined.append(rest.joined(separator: " "))
                }
                return joined
            }
            if argument.hasPrefix("-") {
                endWords()
                joined.append(argument)
                if valueOptions.contains(argument), let value = rest.popFirst() {
                    joined.append(value)
                }
            } else {
                words.append(argument)
            }
        }
        endWords()
        return joined
    }

    func validate() throws {
        if let option = words.prefix(while: { $0 != "--" }).first(where: { $0.hasPrefix("--") }) {
            throw ValidationError("unknown option \(option)")
        }
        guard limit >= 0 else {
            throw ValidationError("--limit must be 0 or more")
        }
        if queries != nil {
            guard json else {
                throw ValidationError("--queries writes JSON lines; add --json")
            }
            guard query == nil else {
                throw ValidationError("give either a QUERY or --queries FILE, not both")
            }
        } else if query == nil {
            throw ValidationError("give a QUERY to search for")
        }
    }

    func run() throws {
        let index: SearchIndex
        do {
            index = try openIndex()
        } catch {
            throw Terminal.fail(error)
        }
        if let queries {
            try runBatch(queries, index: index)
        } else if let query {
            do {
                try runOne(query, index: index)
            } catch {
                throw Terminal.fail(error)
            }
        }
    }

    /// The index at `--index`; else the one at `./.baysearch`, built from `./Corpus` when it
    /// is missing or was written by an older baysearch (the README's first command must work
    /// in any checkout, whatever an earlier version left there).
    private func openIndex() throws -> SearchIndex {
        if let path = indexOption.index {
            return try SearchIndex(path: path)
        }
        let path = IndexOption.defaultPath
        if SearchIndex.exists(at: path) {
            do {
                return try SearchIndex(path: path)
            } catch IndexError.olderFormat(_, let version) where SearchCommand.hasCorpus {
                Terminal.printError("the index at ./\(path) uses the older format \(version); rebuilding it from ./Corpus")
                try IndexCommand.build(sources: ["Corpus"], into: path)
                return try SearchIndex(path: path)
            }
        }
        guard SearchCommand.hasCorpus else {
            throw CommandError("no index at ./\(path) and no ./Corpus to build one from; run `baysearch index SOURCE` first")
        }
        Terminal.printError("no index at ./\(path); indexing ./Corpus first")
        try IndexCommand.build(sources: ["Corpus"], into: path)
        return try SearchIndex(path: path)
    }

    private static var hasCorpus: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: "Corpus", isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private func runOne(_ text: String, index: SearchIndex) throws {
        let clock = ContinuousClock()
        let started = clock.now
        let query = try index.parse(text)
        let results = try index.search(query, limit: limit)
        let micros = (clock.now - started).microseconds
        if json {
            print(JSONOutput.line(query: text, results: results, micros: micros, explain: explain))
            return
        }
        let printer = HumanOutput(color: Terminal.useColor, explain: explain)
        if results.total == 0, let split = try QueryParser.splitIntoWords(query, analyzer: index.analyzer) {
            print(printer.noMatches(text))
            let splitResults = try index.search(split, limit: limit)
            print(printer.heading(for: "its ICU words AND-ed: \(split.text)", results: splitResults, micros: micros))
            print(printer.hits(splitResults))
            return
        }
        print(printer.heading(for: text, results: results, micros: micros))
        print(printer.hits(results))
    }

    /// One JSON line per query; a query that fails gets an `error` object and the run
    /// exits non-zero at the end.
    private func runBatch(_ path: String, index: SearchIndex) throws {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw Terminal.fail(CommandError("\(path): cannot read the query file (\(error.localizedDescription))"))
        }
        guard let contents = String(validating: bytes, as: UTF8.self) else {
            throw Terminal.fail(CommandError("\(path): the query file is not UTF-8 text; save it as UTF-8"))
        }
        var failures = 0
        for line in contents.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
            let text = String(line)
            let clock = ContinuousClock()
            let started = clock.now
            do {
                let results = try index.search(try index.parse(text), limit: limit)
                print(JSONOutput.line(query: text, results: results, micros: (clock.now - started).microseconds, explain: explain))
            } catch {
                failures += 1
                print(JSONOutput.errorLine(query: text, message: "\(error)"))
                Terminal.printError("error: query \(Terminal.printable(text)): \(error)")
            }
        }
        if failures > 0 {
            throw ExitCode.failure
        }
    }
}

/// A plain message for the user.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var microseconds: Int {
        Int(components.seconds) * 1_000_000 + Int(components.attoseconds / 1_000_000_000_000)
    }
}
