import ArgumentParser
import BaySearch
import Foundation

/// `baysearch bench`: measures indexing against its ICU ceiling, and query latency.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure ICU segmentation alone, analysis, index build and query latency on SOURCEs.",
        discussion: """
            Loads the documents into memory, checks that the tokenizer's shortcuts give every \
            document's units as its general path does and that the ASCII fast path counts its \
            words as ICU does, then times, in --runs rounds of one each: ICU word breaking \
            alone on the folded text, the whole analysis chain, and a full index build, each on \
            --threads threads (medians of the rounds; build_vs_icu is the median of the rounds' \
            ratios, so that a shared machine's drift between rounds cancels out); then the \
            latency of every query in --queries. Prints one JSON object (--json) or a table.
            """
    )

    @Option(name: .long, parsing: .unconditional, help: "Threads to use (default: one per core).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, parsing: .unconditional, help: "Runs of each measurement; the median is reported.")
    var runs = 3

    @Option(name: .long, help: "A file of queries, one per line, to time.")
    var queries: String?

    @Option(name: .long, parsing: .unconditional, help: "Times each query is run.")
    var repeats = 20

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    @Argument(help: "Directories, .txt/.md files or .jsonl files.")
    var sources: [String]

    func validate() throws {
        guard (1...IndexBuilder.maximumWorkerCount).contains(threads), runs >= 1, repeats >= 1 else {
            throw ValidationError("--threads must be from 1 to \(IndexBuilder.maximumWorkerCount); --runs and --repeats 1 or more")
        }
    }

    func run() throws {
        do {
            try measure()
        } catch {
            throw Terminal.fail(error)
        }
    }

    private func measure() throws {
        var loaded: [SourceDocument] = []
        let readStarted = Date()
        try DocumentReader.read(sources, warn: { Terminal.printError("warning: \($0)") }) { loaded.append($0) }
        let readSeconds = Date().timeIntervalSince(readStarted)
        // Documents the index would skip (not UTF-8, too large) are left out here too. The
        // folded segmenter input is prepared once: ICU alone is the ceiling of the design.
        let tokenizer = Analyzer().tokenizer
        var valid: [SourceDocument] = []
        var inputs: [[UInt16]] = []
        var shortcutMismatches = 0
        for document in loaded {
            do {
                let analyzed = try tokenizer.analyze(document.text, segmenterInput: true)
                if try analyzed != tokenizer.analyze(document.text, segmenterInput: true, takesShortcuts: false) {
                    shortcutMismatches += 1
                }
                inputs.append(analyzed.segmenterInput)
                valid.append(document)
            } catch {
                Terminal.printError("warning: \(document.origin): \(error); skipped")
            }
        }
        let documents = valid
        let prepared = inputs
        let bytes = documents.reduce(0) { $0 + $1.text.count }
        let megabytes = Double(bytes) / 1_000_000
        Terminal.printError("bench: \(documents.count) documents, \(String(format: "%.1f", megabytes)) MB, \(threads) threads, \(runs) runs")

        let fastPathMismatches = try BenchCommand.fastPathMismatches(prepared)
        let scratch = NSTemporaryDirectory() + "baysearch-bench-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var (icuRounds, analysisRounds, buildRounds): ([Double], [Double], [Double]) = ([], [], [])
        for _ in 0..<runs {
            icuRounds.append(try BenchCommand.parallel(prepared.count, threads: threads) { tools, index in
                _ = try tools.segmenter.countWords(in: prepared[index], takesShortcuts: false)
            })
            analysisRounds.append(try BenchCommand.parallel(documents.count, threads: threads) { tools, index in
                _ = try tools.analyzer.analyzeDocument(documents[index].text)
            })
            try? FileManager.default.removeItem(atPath: scratch)
            let started = Date()
            try IndexBuilder(workerCount: threads).build(sources: sources, into: scratch)
            buildRounds.append(Date().timeIntervalSince(started))
        }
        let (icuSeconds, analysisSeconds, buildSeconds) = (median(icuRounds), median(analysisRounds), median(buildRounds))
        let buildOverICU = median(zip(icuRounds, buildRounds).map { $0 / $1 })
        let index = try SearchIndex(path: scratch)
        let size = index.storageSize
        var latencies: [Double] = []
        if let queries {
            let lines = try String(contentsOfFile: queries, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
            for line in lines where !line.allSatisfy(\.isWhitespace) {
                var samples: [Double] = []
                for _ in 0..<repeats {
                    let started = DispatchTime.now().uptimeNanoseconds
                    _ = try index.search(try index.parse(line), limit: 10)
                    samples.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1000)
                }
                latencies.append(contentsOf: samples)
            }
        }
        latencies.sort()
        let report: [(String, Double)] = [
            ("fast_path_mismatches", Double(fastPathMismatches)), ("shortcut_mismatches", Double(shortcutMismatches)),
            ("documents", Double(documents.count)), ("megabytes", megabytes), ("threads", Double(threads)),
            ("read_mb_per_s", megabytes / readSeconds),
            ("icu_mb_per_s", megabytes / icuSeconds), ("analysis_mb_per_s", megabytes / analysisSeconds),
            ("build_mb_per_s", megabytes / buildSeconds), ("build_s", buildSeconds),
            ("build_vs_icu", buildOverICU),
            ("postings_mb", Double(size.postings) / 1_000_000), ("dictionary_mb", Double(size.dictionary) / 1_000_000),
            ("documents_mb", Double(size.documents) / 1_000_000),
            ("query_median_us", percentile(latencies, 0.5)), ("query_p99_us", percentile(latencies, 0.99)),
        ]
        if json {
            print("{" + report.map { "\"\($0.0)\":\($0.1.isFinite ? String(format: "%.3f", $0.1) : "null")" }.joined(separator: ",") + "}")
        } else {
            for (name, value) in report {
                print(name.padding(toLength: 20, withPad: " ", startingAt: 0) + String(format: "%12.3f", value))
            }
        }
    }

    /// Documents whose word count differs between the fast paths (runs of ideographs, ASCII)
    /// and ICU's break iterator alone.
    private static func fastPathMismatches(_ prepared: [[UInt16]]) throws -> Int {
        let segmenter = try WordSegmenter()
        var mismatches = 0
        for text in prepared where try segmenter.countWords(in: text) != segmenter.countWords(in: text, takesShortcuts: false) {
            mismatches += 1
        }
        return mismatches
    }

    private func median(_ samples: [Double]) -> Double {
        samples.sorted()[samples.count / 2]
    }

    private func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }

    /// What each benchmark thread owns: neither may be shared between threads.
    struct ThreadTools {
        let segmenter: WordSegmenter
        let analyzer: Analyzer
    }

    /// Runs `body` for every index in 0..<count on `threads` threads, each with its own
    /// tools (opening them is timed too: about a millisecond); returns the wall time in seconds.
    static func parallel(_ count: Int, threads: Int, _ body: @escaping @Sendable (ThreadTools, Int) throws -> Void) throws -> Double {
        let next = _Counter()
        let failure = _Counter()
        let group = DispatchGroup()
        let started = Date()
        for _ in 0..<threads {
            group.enter()
            Thread {
                defer { group.leave() }
                guard let segmenter = try? WordSegmenter() else {
                    failure.increment()
                    return
                }
                let tools = ThreadTools(segmenter: segmenter, analyzer: Analyzer())
                while case let index = next.increment(), index < count {
                    if (try? body(tools, index)) == nil {
                        failure.increment()
                    }
                }
            }.start()
        }
        group.wait()
        guard failure.value == 0 else {
            throw CommandError("ICU failed during the benchmark")
        }
        return Date().timeIntervalSince(started)
    }
}

/// A thread-safe counter.
private final class _Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    /// Returns the value before incrementing.
    @discardableResult
    func increment() -> Int {
        lock.withLock {
            defer { count += 1 }
            return count
        }
    }

    var value: Int { lock.withLock { count } }
}
