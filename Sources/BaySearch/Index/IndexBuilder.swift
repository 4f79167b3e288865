import Foundation

/// Builds an index from sources, analysing on every core, and commits it atomically.
///
///     let summary = try IndexBuilder().build(sources: ["Corpus"], into: ".baysearch")
///     print(summary.documentCount)
///
/// One thread reads documents; each worker thread analyses them with its own `Analyzer`
/// and fills its own `SegmentWriter`, writing a segment whenever the writer holds
/// `flushBytes`, so memory stays bounded by the flush size, not the corpus. The new index
/// replaces the old one only once every segment is on disk; on any failure the old index
/// stays as it was.
public struct IndexBuilder: Sendable {
    /// How many threads analyse documents (1 to `maximumWorkerCount`).
    public var workerCount: Int
    /// More threads than this only multiply the memory each holds.
    public static let maximumWorkerCount = 256
    /// How many bytes of text and postings a worker holds before writing a segment.
    public var flushBytes: Int

    public init(workerCount: Int = ProcessInfo.processInfo.activeProcessorCount, flushBytes: Int = 32 << 20) {
        self.workerCount = min(max(1, workerCount), IndexBuilder.maximumWorkerCount)
        self.flushBytes = max(1, flushBytes)
    }

    /// What the build did, reported while it runs and at its end.
    public struct Progress: Sendable {
        public var documentsRead = 0
        public var bytesRead = 0
        public var documentsIndexed = 0
        public var bytesIndexed = 0
        public var documentsSkipped = 0
        public var seconds = 0.0
    }

    /// Builds the index at `indexPath` from `sources`, replacing what was there.
    ///
    /// - Parameters:
    ///   - warn: called with one line for each file or line skipped (bad UTF-8, bad JSON,
    ///     duplicate id), from any thread.
    ///   - progress: called about ten times a second on the calling thread, and once at the end.
    @discardableResult
    public func build(
        sources: [String], into indexPath: String,
        warn: @escaping @Sendable (String) -> Void = { _ in },
        progress: (Progress) -> Void = { _ in }
    ) throws -> Progress {
        let directory = IndexDirectory(path: indexPath)
        let lock = try directory.lockForWriting()
        defer { _ = lock }
        let previous: IndexDirectory.Manifest?
        do {
            previous = try directory.readManifest()
            // Files no manifest names are leftovers of an interrupted build.
            directory.removeUnreferencedFiles(keeping: Set(previous?.segments ?? []))
        } catch .missing {
            previous = nil
        } catch .newerFormat(let path, let version) {
            throw IndexError.newerFormat(path: path, version: version)  // never overwrite a newer index
        } catch {
            previous = nil  // damaged or older: replaced at commit, and only then deleted
        }
        let generation = max(previous?.generation ?? 0, directory.highestSegmentGeneration()) + 1
        let started = Date()
        let queue = _DocumentQueue(capacityBytes: (16 << 20) * workerCount)
        let workers = (0..<workerCount).map { number in
            _IndexWorker(number: number, generation: generation, directory: directory, flushBytes: flushBytes, warn: warn)
        }
        let finished = DispatchGroup()
        for worker in workers {
            finished.enter()
            let thread = Thread {
                worker.run(queue)
                finished.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }

        var report = Progress()
        let readFailure: Error?
        do {
            try feed(sources, to: queue, workers: workers, started: started, report: &report, warn: warn, progress: progress)
            queue.close()
            readFailure = nil
        } catch {
            queue.cancel()
            readFailure = error
        }
        // The workers still analyse what the queue holds: keep reporting until they finish.
        while finished.wait(timeout: .now() + 0.1) == .timedOut {
            (report.documentsIndexed, report.bytesIndexed) = _IndexWorker.totals(workers)
            report.seconds = Date().timeIntervalSince(started)
            progress(report)
        }
        if let failure = workers.lazy.compactMap(\.failure).first ?? readFailure {
            directory.remove(workers.flatMap(\.segments))
            throw failure
        }
        try directory.commit(segments: workers.flatMap(\.segments), generation: generation)
        (report.documentsIndexed, report.bytesIndexed) = _IndexWorker.totals(workers)
        report.documentsSkipped += workers.reduce(0) { $0 + $1.documentsSkipped }
        report.seconds = Date().timeIntervalSince(started)
        progress(report)
        return report
    }

    /// Reads every document into the queue, skipping duplicate ids, and reports progress.
    private func feed(
        _ sources: [String], to queue: _DocumentQueue, workers: [_IndexWorker], started: Date,
        report: inout Progress, warn: @escaping @Sendable (String) -> Void, progress: (Progress) -> Void
    ) throws {
        var lastReport = Date.distantPast
        var seenIds = Set<String>()
        var counts = report
        try DocumentReader.read(sources, warn: warn) { document in
            counts.documentsRead += 1
            guard seenIds.insert(document.id).inserted else {
                warn("\(document.origin): duplicate id \(document.id); skipped")
                counts.documentsSkipped += 1
                return
            }
            counts.bytesRead += document.text.count
            guard queue.push(document) else {
                throw _BuildCancelled()
            }
            let now = Date()
            if now.timeIntervalSince(lastReport) >= 0.1 {
                lastReport = now
                (counts.documentsIndexed, counts.bytesIndexed) = _IndexWorker.totals(workers)
                counts.seconds = now.timeIntervalSince(started)
                progress(counts)
            }
        }
        report = counts
    }
}

private struct _BuildCancelled: Error {}

/// One indexing thread's state: its analyzer, its current segment and the segments it wrote.
private final class _IndexWorker: @unchecked Sendable {
    let number: Int
    let generation: Int
    let directory: IndexDirectory
    let flushBytes: Int
    let warn: @Sendable (String) -> Void
    private let lock = NSLock()
    private var documentsIndexed = 0
    private var bytesIndexed = 0
    private(set) var documentsSkipped = 0
    private(set) var segments: [String] = []
    private(set) var failure: Error?

    init(number: Int, generation: Int, directory: IndexDirectory, flushBytes: Int, warn: @escaping @Sendable (String) -> Void) {
        self.number = number
        self.generation = generation
        self.directory = directory
        self.flushBytes = flushBytes
        self.warn = warn
    }

    /// Documents and bytes indexed so far by all `workers`.
    static func totals(_ workers: [_IndexWorker]) -> (documents: Int, bytes: Int) {
        workers.reduce((0, 0)) { sum, worker in
            worker.lock.withLock { (sum.0 + worker.documentsIndexed, sum.1 + worker.bytesIndexed) }
        }
    }

    func run(_ queue: _DocumentQueue) {
        do {
            let analyzer = Analyzer()
            var writer = SegmentWriter()
            while let document = queue.pop() {
                guard let analyzed = try analyze(document, with: analyzer) else {
                    documentsSkipped += 1
                    continue
                }
                writer.add(id: document.id, title: document.title, text: document.text, analyzed: analyzed)
                lock.withLock {
                    documentsIndexed += 1
                    bytesIndexed += document.text.count
                }
                if writer.bufferedBytes >= flushBytes {
                    try flush(writer)
                    writer = SegmentWriter()
                    _Memory.returnFreedPages()
                }
            }
            if writer.documentCount > 0 {
                try flush(writer)
            }
        } catch {
            failure = error
            queue.cancel()
        }
    }

    /// The analysed document, or nil (with a warning) when its text is unusable.
    private func analyze(_ document: SourceDocument, with analyzer: Analyzer) throws(AnalysisError) -> Analyzer.Document? {
        do {
            return try analyzer.analyzeDocument(document.text)
        } catch .segmenterUnavailable {
            throw .segmenterUnavailable
        } catch {
            warn("\(document.origin): \(error); skipped")
            return nil
        }
    }

    private func flush(_ writer: SegmentWriter) throws {
        let name = IndexDirectory.segmentName(generation: generation, worker: number, sequence: segments.count)
        try _FileIO.writeSynced(SegmentSerializer.serialize(writer), to: directory.path + "/" + name)
        segments.append(name)
    }
}
