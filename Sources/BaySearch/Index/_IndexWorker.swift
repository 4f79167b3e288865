import Foundation

/// One indexing thread's state: its analyzer, its current segment and the segments it wrote.
final class _IndexWorker: @unchecked Sendable {
    let names: _SegmentNames
    let directory: IndexDirectory
    let flushBytes: Int
    /// Syncs the segments this worker writes while it goes on analysing.
    let syncs: _BackgroundSync
    let warn: @Sendable (String) -> Void
    private let lock = NSLock()
    private var documentsIndexed = 0
    private var bytesIndexed = 0
    private(set) var documentsSkipped = 0
    private(set) var segments: [String] = []
    /// What the worker holds when the documents run out, its terms sorted, for the builder
    /// to write together with the other workers' (`IndexBuilder.writeLastParts`).
    private(set) var lastPart: SegmentSerializer.Part?
    private(set) var failure: Error?

    init(
        names: _SegmentNames, directory: IndexDirectory, flushBytes: Int, syncs: _BackgroundSync,
        warn: @escaping @Sendable (String) -> Void
    ) {
        self.names = names
        self.directory = directory
        self.flushBytes = flushBytes
        self.syncs = syncs
        self.warn = warn
    }

    /// Hands over `lastPart`, so that its memory goes once the caller is done with it.
    func takeLastPart() -> SegmentSerializer.Part? {
        defer { lastPart = nil }
        return lastPart
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
            var writer = SegmentWriter(reservingFor: flushBytes)
            while let document = queue.pop() {
                guard let analyzed = try analyze(document, with: analyzer) else {
                    documentsSkipped += 1
                    continue
                }
                writer.add(document, analyzed: analyzed)
                lock.withLock {
                    documentsIndexed += 1
                    bytesIndexed += document.text.count
                }
                if writer.bufferedBytes >= flushBytes || writer.documentCount == SegmentWriter.maximumDocumentCount {
                    try flush(writer)
                    writer.removeAll()
                }
            }
            if writer.documentCount > 0 {
                lastPart = SegmentSerializer.Part(writer)
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
        let name = names.next()
        try SegmentSerializer.write(writer, to: directory.path + "/" + name, syncedBy: syncs)
        segments.append(name)
    }
}
