import Foundation

/// Builds and updates an index from sources, analysing on every core, and commits each
/// change atomically.
///
///     let summary = try IndexBuilder().build(sources: ["Corpus"], into: ".baysearch")
///     print(summary.documentsIndexed, summary.documentsUnchanged, summary.documentsRemoved)
///
/// One thread reads documents and compares each with the index by id and content hash;
/// new and changed ones go to worker threads, each analysing with its own `Analyzer` and
/// filling its own `SegmentWriter`, writing a segment whenever it holds `flushBytes`, so
/// memory stays bounded by the flush size, not the corpus. What the workers hold when the
/// documents run out is joined into one segment (`SegmentSerializer`), so a corpus smaller
/// than the workers' flush sizes together ends in one segment with nothing to merge. A
/// changed or vanished document is deleted from its old segment by a tombstone. Once the
/// change is committed, `MergePolicy` may merge segments. On any failure before the commit, the old index stays
/// exactly as it was. Building sets glibc's allocator to map large blocks on their own
/// (`_Memory.mapLargeBlocksSeparately`), for the whole process.
public struct IndexBuilder: Sendable {
    /// How many threads analyse documents (1 to `maximumWorkerCount`).
    public var workerCount: Int
    /// More threads than this only multiply the memory each holds.
    public static let maximumWorkerCount = 256
    /// How many bytes of text and postings a worker holds before writing a segment (at
    /// most `maximumFlushBytes`). By default the workers share `sharedFlushBytes`, each
    /// holding at least `minimumDefaultFlushBytes`: on two cores, 48 MiB each, which lets
    /// them hold the 20 MB benchmark corpus (about 75 MB between them) and end in one
    /// segment, while more cores do not multiply the memory a build takes.
    public var flushBytes: Int
    /// Keeps a flushed segment's postings far below the format's 4 GiB.
    public static let maximumFlushBytes = 1 << 30
    /// What the workers hold between them by default, as tantivy's writer shares one
    /// memory budget among its threads.
    public static let sharedFlushBytes = 96 << 20
    /// Below this, a worker would flush segments small enough to make merging most of the work.
    public static let minimumDefaultFlushBytes = 16 << 20
    var mergePolicy = MergePolicy()
    /// Text waiting for a worker: hundreds of average documents, enough to keep every
    /// worker busy while the reading thread parses the next ones.
    static let queuedBytesPerWorker = 4 << 20

    /// A builder with `workerCount` threads, each flushing at `flushBytes`; by default, the
    /// workers share `sharedFlushBytes`.
    public init(workerCount: Int = ProcessInfo.processInfo.activeProcessorCount, flushBytes: Int? = nil) {
        self.workerCount = min(max(1, workerCount), IndexBuilder.maximumWorkerCount)
        self.flushBytes = max(1, flushBytes ?? max(
            IndexBuilder.minimumDefaultFlushBytes, IndexBuilder.sharedFlushBytes / self.workerCount))
    }

    /// What a build does with the documents already in the index.
    public enum Mode: Sendable {
        /// The index ends up holding exactly the sources' documents: new ones are added,
        /// changed ones re-indexed, unchanged ones kept, and ones no source holds removed.
        case mirror
        /// New and changed documents are added or re-indexed; every other one stays.
        case add
        /// The index is built afresh from the sources, ignoring what it held.
        case rebuild
    }

    /// What the build did, reported while it runs and at its end.
    public struct Progress: Sendable {
        public var documentsRead = 0
        public var bytesRead = 0
        public var documentsIndexed = 0
        public var bytesIndexed = 0
        /// Files, lines and documents skipped, each reported through `warn`: unreadable,
        /// not UTF-8, not a JSON document, or a duplicate id.
        public var documentsSkipped = 0
        /// Documents the index already held with the same content.
        public var documentsUnchanged = 0
        /// Documents removed because no source holds them any more (`.mirror`).
        public var documentsRemoved = 0
        /// Segments being merged into fewer once the documents are committed; 0 otherwise.
        public var segmentsMerging = 0
        public var seconds = 0.0
    }

    /// Brings the index at `indexPath` up to date with `sources`.
    ///
    /// - Parameters:
    ///   - mode: what happens to documents the index already holds; see `Mode`.
    ///   - warn: called with one line for each file or line skipped (bad UTF-8, bad JSON,
    ///     duplicate id), from any thread.
    ///   - progress: called about ten times a second on the calling thread, once as each
    ///     round of merging starts, and once at the end.
    @discardableResult
    public func build(
        sources: [String], into indexPath: String, mode: Mode = .mirror,
        warn: @escaping @Sendable (String) -> Void = { _ in },
        progress: (Progress) -> Void = { _ in }
    ) throws -> Progress {
        let directory = IndexDirectory(path: indexPath)
        let lock = try directory.lockForWriting()
        _Memory.mapLargeBlocksSeparately()
        return try withExtendedLifetime(lock) {
            let (live, committed, generation) = try openForUpdate(directory, mode: mode, warn: warn)
            let names = _SegmentNames(generation: generation)
            let started = Date()
            let queue = _DocumentQueue(capacityBytes: IndexBuilder.queuedBytesPerWorker * workerCount)
            let syncs = _BackgroundSync()
            let workers = (0..<workerCount).map { _ in
                _IndexWorker(
                    names: names, directory: directory, flushBytes: min(flushBytes, IndexBuilder.maximumFlushBytes),
                    syncs: syncs, warn: warn)
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
                try feed(sources, to: queue, live: live, mode: mode, workers: workers, started: started,
                         report: &report, warn: warn, progress: progress)
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
            (report.documentsIndexed, report.bytesIndexed) = _IndexWorker.totals(workers)
            report.documentsSkipped += workers.reduce(0) { $0 + $1.documentsSkipped }
            do {
                if let failure = workers.lazy.compactMap(\.failure).first ?? readFailure {
                    throw failure
                }
                let lastSegments = try writeLastParts(of: workers, names: names, directory: directory, syncs: syncs)
                _Memory.returnFreedPages()  // the workers' buffers, before merging needs memory of its own
                try syncs.waitForAll()
                try commit(
                    live, adding: workers.flatMap(\.segments) + lastSegments, replacing: committed, generation: generation,
                    names: names, directory: directory, warn: warn
                ) { segments in
                    report.segmentsMerging = segments
                    report.seconds = Date().timeIntervalSince(started)
                    progress(report)
                }
            } catch {
                directory.remove(names.all)
                throw error
            }
            report.segmentsMerging = 0
            report.seconds = Date().timeIntervalSince(started)
            progress(report)
            return report
        }
    }

    /// Writes what the workers hold when the documents run out in as few segments as the
    /// format allows, each joined from several workers' writers without writing them apart
    /// first; returns the segments' names.
    private func writeLastParts(
        of workers: [_IndexWorker], names: _SegmentNames, directory: IndexDirectory, syncs: _BackgroundSync
    ) throws -> [String] {
        let parts = workers.compactMap { $0.takeLastPart() }
        let groups = IndexBuilder.joinGroups(
            parts.map { (bytes: $0.writer.bufferedBytes, documents: $0.writer.documentCount) },
            byteLimit: IndexBuilder.maximumFlushBytes, documentLimit: SegmentWriter.maximumDocumentCount)
        var written: [String] = []
        for group in groups {
            let name = names.next()
            try SegmentSerializer.write(Array(parts[group]), to: directory.path + "/" + name, syncedBy: syncs)
            written.append(name)
        }
        return written
    }

    /// Consecutive runs of `parts` to join into one segment each: as long as each run stays
    /// within `byteLimit` and `documentLimit`, or is a single part.
    static func joinGroups(_ parts: [(bytes: Int, documents: Int)], byteLimit: Int, documentLimit: Int) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        var (start, bytes, documents) = (0, 0, 0)
        for (index, part) in parts.enumerated() {
            if index > start, bytes + part.bytes > byteLimit || documents + part.documents > documentLimit {
                groups.append(start..<index)
                (start, bytes, documents) = (index, 0, 0)
            }
            bytes += part.bytes
            documents += part.documents
        }
        if start < parts.count {
            groups.append(start..<parts.count)
        }
        return groups
    }

    /// Removes the documents with `ids` from the index at `indexPath`; an id the index does
    /// not hold is reported through `warn`. Returns how many were removed.
    @discardableResult
    public func remove(ids: [String], from indexPath: String, warn: @escaping @Sendable (String) -> Void = { _ in }) throws -> Int {
        let directory = IndexDirectory(path: indexPath)
        guard directory.exists else {
            throw IndexError.missing(path: indexPath)  // before the lock, which would create the directory
        }
        let lock = try directory.lockForWriting()
        return try withExtendedLifetime(lock) {
            let manifest = try directory.readManifest()
            let live = try _LiveDocuments(manifest, in: directory)
            var removed = 0
            for id in ids {
                if try live.delete(id) {
                    removed += 1
                } else {
                    warn("the index holds no document \(id)")
                }
            }
            if removed > 0 {
                let generation = max(manifest.generation, directory.highestFileGeneration()) + 1
                let names = _SegmentNames(generation: generation)
                try commit(
                    live, adding: [], replacing: manifest, generation: generation, names: names, directory: directory, warn: warn)
            }
            return removed
        }
    }

    /// The documents this build starts from (none for a new index or `.rebuild`), the
    /// manifest it replaces, if readable, and the generation its files will carry. Leftovers
    /// of interrupted builds are removed.
    private func openForUpdate(
        _ directory: IndexDirectory, mode: Mode, warn: @Sendable (String) -> Void
    ) throws -> (_LiveDocuments, IndexDirectory.Manifest?, generation: Int) {
        var manifest: IndexDirectory.Manifest?
        var live = _LiveDocuments()
        do {
            manifest = try directory.readManifest()
            directory.removeUnreferencedFiles(keeping: manifest?.files ?? [])
            if mode != .rebuild, let manifest {
                live = try _LiveDocuments(manifest, in: directory)
            }
        } catch .missing {
            manifest = nil
        } catch .newerFormat(let path, let version) {
            throw IndexError.newerFormat(path: path, version: version)  // never overwrite a newer index
        } catch .olderFormat where mode != .add {
            // An index in a format this version no longer reads is replaced at the commit.
        } catch {
            // A damaged or older index is replaced at the commit, and only then deleted.
            guard mode != .add else {
                throw error
            }
            if mode == .mirror {
                warn("\(error); building it afresh from the sources")
            }
        }
        let generation = max(manifest?.generation ?? 0, directory.highestFileGeneration()) + 1
        return (live, manifest, generation)
    }

    /// Reads every document, skipping duplicate ids and unchanged documents, deleting the
    /// old versions of changed ones and, for `.mirror`, documents no source holds; queues
    /// the rest for the workers and reports progress.
    private func feed(
        _ sources: [String], to queue: _DocumentQueue, live: _LiveDocuments, mode: Mode, workers: [_IndexWorker],
        started: Date, report: inout Progress, warn: @escaping @Sendable (String) -> Void, progress: (Progress) -> Void
    ) throws {
        var lastReport = Date.distantPast
        var seenIds = Set<String>()
        var counts = report
        let unreadable = _Counter()
        try DocumentReader.read(sources, warn: { unreadable.add(); warn($0) }) { document in
            counts.documentsRead += 1
            guard seenIds.insert(document.id).inserted else {
                warn("\(document.origin): duplicate id \(document.id); skipped")
                counts.documentsSkipped += 1
                return
            }
            if try live.holds(document) {
                counts.documentsUnchanged += 1
                return
            }
            try live.delete(document.id)
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
        if mode == .mirror {
            for id in Array(live.ids) where !seenIds.contains(id) {
                try live.delete(id)
                counts.documentsRemoved += 1
            }
        }
        // A file or line the reader skipped is a document read, and skipped.
        counts.documentsRead += unreadable.value
        counts.documentsSkipped += unreadable.value
        report = counts
    }

    /// Commits the live documents' deletions and `added` segments in place of `committed`,
    /// unless that changes nothing, then merges segments as `mergePolicy` asks, telling
    /// `merging` how many segments each round merges. A failed merge leaves the committed
    /// index as it is and is only reported.
    private func commit(
        _ live: _LiveDocuments, adding added: [String], replacing committed: IndexDirectory.Manifest?,
        generation: Int, names: _SegmentNames, directory: IndexDirectory, warn: @Sendable (String) -> Void,
        merging: (_ segments: Int) -> Void = { _ in }
    ) throws {
        let (entries, written) = try live.entriesAfterDeletions(generation: generation, in: directory)
        names.record(written)
        let manifest = IndexDirectory.Manifest(
            generation: generation, segments: entries + added.map { IndexDirectory.Manifest.Entry(segment: $0) })
        guard manifest.segments != committed?.segments else {
            return
        }
        try directory.commit(manifest)
        do {
            try mergeSegments(of: manifest, names: names, directory: directory, merging: merging)
        } catch {
            warn("merging segments failed (\(error)); the index is complete, merging is tried again at the next update")
        }
    }

    /// Applies `mergePolicy` until it asks for nothing more, committing after each round.
    private func mergeSegments(
        of committed: IndexDirectory.Manifest, names: _SegmentNames, directory: IndexDirectory, merging: (_ segments: Int) -> Void
    ) throws {
        var manifest = committed
        while true {
            let segments = try manifest.segments.map { entry throws(IndexError) in try directory.openSegment(entry) }
            let groups = mergePolicy.merges(for: segments.map {
                MergePolicy.Segment(bytes: $0.byteCount, documents: $0.documentCount, deleted: $0.deleted.count)
            })
            guard !groups.isEmpty else {
                return
            }
            merging(groups.reduce(0) { $0 + $1.count })
            var replacement: [Int: IndexDirectory.Manifest.Entry?] = [:]
            for group in groups {
                let name = names.next()
                let merged = try SegmentMerger.merge(group.map { segments[$0] }, to: directory.path + "/" + name)
                for index in group {
                    replacement[index] = .some(nil)
                }
                replacement[group[0]] = merged.documentCount > 0 ? IndexDirectory.Manifest.Entry(segment: name) : .some(nil)
            }
            var entries: [IndexDirectory.Manifest.Entry] = []
            for (index, entry) in manifest.segments.enumerated() {
                if let replaced = replacement[index] {
                    entries += replaced.map { [$0] } ?? []
                } else {
                    entries.append(entry)
                }
            }
            manifest = IndexDirectory.Manifest(generation: manifest.generation + 1, segments: entries)
            try directory.commit(manifest)
        }
    }
}

private struct _BuildCancelled: Error {}

/// A count that `@Sendable` closures can add to.
private final class _Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func add() {
        lock.withLock { count += 1 }
    }

    var value: Int { lock.withLock { count } }
}
