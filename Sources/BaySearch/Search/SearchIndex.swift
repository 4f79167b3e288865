import Foundation

/// An open index: answers queries with BM25-ranked hits and their match offsets.
///
///     let index = try SearchIndex(path: ".baysearch")
///     let query = try index.parse("港珠澳大桥")
///     for hit in try index.search(query, limit: 10).hits { print(hit.id, hit.score) }
///
/// Opening maps the segment files and reads their headers only, and removes files an
/// interrupted writer left. It also sets the process's allocator to keep freed blocks for
/// reuse (`_Memory.keepFreedBlocksForReuse`; a build sets its own). Not thread-safe (it
/// owns an `Analyzer` and remembers which blocks it has checked): open one per thread.
public final class SearchIndex {
    public let path: String
    public let analyzer: Analyzer
    private let segments: [SegmentReader]
    private let bm25: BM25

    public init(path: String) throws {
        self.path = path
        _Memory.keepFreedBlocksForReuse()
        analyzer = Analyzer()
        let directory = IndexDirectory(path: path)
        let manifest: IndexDirectory.Manifest
        (manifest, segments) = try SearchIndex.openSegments(directory)
        directory.removeLeftoversIfNoWriter(besides: manifest.files)
        let documentCount = segments.reduce(0) { $0 + $1.liveDocumentCount }
        let totalWords = segments.reduce(0) { $0 + $1.liveWords }
        bm25 = BM25(documentCount: documentCount, averageLength: documentCount > 0 ? Double(totalWords) / Double(documentCount) : 0)
    }

    /// Reads the manifest and opens its segments; if a commit removed a segment between the
    /// two, reads the new manifest and tries again (a busy writer may commit several times).
    private static func openSegments(_ directory: IndexDirectory) throws(IndexError) -> (IndexDirectory.Manifest, [SegmentReader]) {
        var attempts = 0
        while true {
            let manifest = try directory.readManifest()
            do {
                return (manifest, try manifest.segments.map { entry throws(IndexError) in try directory.openSegment(entry) })
            } catch .unreadable(let path, let reason) {
                attempts += 1
                guard attempts < 20, !FileManager.default.fileExists(atPath: path) else {
                    throw .unreadable(path: path, reason: reason)
                }
            }
        }
    }

    public var documentCount: Int { bm25.documentCount }

    /// Whether `path` holds a committed index (a directory left by a failed first build
    /// does not).
    public static func exists(at path: String) -> Bool {
        IndexDirectory(path: path).exists
    }

    /// How the index's bytes divide between the search structures and the stored documents.
    public struct StorageSize: Sendable {
        /// Postings with positions.
        public var postings: Int
        /// The term dictionary: its blocks of terms and where each starts.
        public var dictionary: Int
        /// Document records and lengths, ids, titles, compressed texts and their checkpoints.
        public var documents: Int
    }

    public var storageSize: StorageSize {
        StorageSize(
            postings: segments.reduce(0) { $0 + $1.size(of: [.postings]) },
            dictionary: segments.reduce(0) { $0 + $1.size(of: [.termBlocks, .termBlockStarts]) },
            documents: segments.reduce(0) { $0 + $1.size(of: [.documents, .lengths, .strings, .texts, .checkpoints]) })
    }

    public func parse(_ text: String) throws(QueryError) -> Query {
        try QueryParser.parse(text, analyzer: analyzer)
    }

    /// Runs `query` and returns every matching document's count and the best `limit` hits.
    public func search(_ query: Query, limit: Int = 10) throws(IndexError) -> SearchResults {
        let phrases = query.positivePhrases
        // occurrences[p][s]: phrase p in segment s.
        // A part repeated in the query is matched once.
        var occurrences: [[PhraseMatcher.Occurrences]] = []
        var matched: [[QueryUnit]: Int] = [:]
        // repeats[p]: phrase p has the units of an earlier one, whose matches hits show.
        var repeats: [Bool] = []
        for phrase in phrases {
            if let earlier = matched[phrase.units] {
                occurrences.append(occurrences[earlier])
                repeats.append(true)
                continue
            }
            matched[phrase.units] = occurrences.count
            occurrences.append(try segments.map { segment throws(IndexError) in try PhraseMatcher.find(phrase, in: segment) })
            repeats.append(false)
        }
        let documentFrequencies = occurrences.map { perSegment in perSegment.reduce(0) { $0 + $1.documents.count } }

        var candidates: [_Candidate] = []
        for segmentIndex in segments.indices {
            let scored = try matchingDocuments(
                of: query, inSegment: segmentIndex, occurrences: occurrences, documentFrequencies: documentFrequencies)
            candidates += scored.map { _Candidate(segment: segmentIndex, document: $0.document, score: $0.score) }
        }

        let best = try rank(candidates, limit: limit)
        let hits = try best.map { candidate throws(IndexError) in
            try hit(
                for: candidate, phrases: phrases, repeats: repeats, occurrences: occurrences,
                documentFrequencies: documentFrequencies)
        }
        return SearchResults(total: candidates.count, hits: hits, documentCount: bm25.documentCount, averageLength: bm25.averageLength)
    }

    /// The documents of one segment that match every group of `query` and no exclusion, with
    /// their BM25 scores: each phrase's documents scored, alternatives united, groups
    /// intersected, exclusions subtracted, all by merging sorted lists.
    private func matchingDocuments(
        of query: Query, inSegment segmentIndex: Int,
        occurrences: [[PhraseMatcher.Occurrences]], documentFrequencies: [Int]
    ) throws(IndexError) -> [_SortedDocuments.Scored] {
        let segment = segments[segmentIndex]
        let lengths = try segment.documentLengths()
        var matching: [_SortedDocuments.Scored]?
        var phraseIndex = 0
        for group in query.groups {
            var groupScores: [_SortedDocuments.Scored] = []
            for _ in group {
                let found = occurrences[phraseIndex][segmentIndex]
                let idf = bm25.idf(documentFrequency: documentFrequencies[phraseIndex])
                var scores: [_SortedDocuments.Scored] = []
                scores.reserveCapacity(found.documents.count)
                for (document, frequency) in zip(found.documents, found.frequencies) {
                    scores.append((document, bm25.score(
                        frequency: frequency, idf: idf, length: try lengths.length(of: document))))
                }
                groupScores = _SortedDocuments.union(groupScores, scores)
                phraseIndex += 1
            }
            matching = matching.map { _SortedDocuments.intersection($0, groupScores) } ?? groupScores
        }
        var excluded: [Int32] = []
        for phrase in query.exclusions {
            excluded = _SortedDocuments.union(excluded, try PhraseMatcher.find(phrase, in: segment).documents)
        }
        return _SortedDocuments.subtracting(matching ?? [], excluded)
    }

    /// The best `limit` candidates by score, ties broken by id. One pass finds the
    /// `limit`-th best score; only candidates at or above it are sorted, and ids are read only
    /// for them.
    private func rank(_ candidates: [_Candidate], limit: Int) throws(IndexError) -> [_Candidate] {
        guard limit > 0, !candidates.isEmpty else {
            return []
        }
        let threshold: Double
        if limit >= candidates.count {
            threshold = -.infinity
        } else if limit > 64 {
            threshold = candidates.map(\.score).sorted(by: >)[limit - 1]
        } else {
            var best: [Double] = []  // the highest `limit` scores seen, descending
            for candidate in candidates where best.count < limit || candidate.score > best[best.count - 1] {
                let index = best.firstIndex { $0 < candidate.score } ?? best.count
                best.insert(candidate.score, at: index)
                if best.count > limit {
                    best.removeLast()
                }
            }
            threshold = best[best.count - 1]
        }
        var contenders: [(candidate: _Candidate, id: String)] = []
        for candidate in candidates where candidate.score >= threshold {
            contenders.append((candidate, try segments[candidate.segment].id(of: Int(candidate.document))))
        }
        contenders.sort { $0.candidate.score != $1.candidate.score ? $0.candidate.score > $1.candidate.score : $0.id < $1.id }
        return contenders.prefix(limit).map(\.candidate)
    }

    private func hit(
        for candidate: _Candidate, phrases: [QueryPhrase], repeats: [Bool],
        occurrences: [[PhraseMatcher.Occurrences]], documentFrequencies: [Int]
    ) throws(IndexError) -> Hit {
        let segment = segments[candidate.segment]
        let document = Int(candidate.document)
        let text = try segment.text(of: document)
        let length = try segment.wordCount(of: document)
        var explanation: [PartScore] = []
        // A part repeated in the query (港 OR 港 …) matches the same text: its starts are
        // decoded and turned into ranges once, or a long query multiplies a long document.
        var found: [(span: UInt32, starts: [UInt32])] = []
        for (phraseIndex, phrase) in phrases.enumerated() {
            let occurrences = occurrences[phraseIndex][candidate.segment]
            guard let index = binarySearch(occurrences.documents, candidate.document) else {
                continue
            }
            let frequency = occurrences.frequencies[index]
            let documentFrequency = documentFrequencies[phraseIndex]
            explanation.append(PartScore(
                part: phrase.text, frequency: frequency, documentFrequency: documentFrequency,
                idf: bm25.idf(documentFrequency: documentFrequency),
                score: bm25.score(frequency: frequency, documentFrequency: documentFrequency, length: length)))
            if !repeats[phraseIndex] {
                found.append((phrase.span, try occurrences.starts(at: index)))
            }
        }
        // Every position a match starts or ends at, ascending, without repeats.
        var positions: [UInt32] = []
        positions.reserveCapacity(2 * found.reduce(0) { $0 + $1.starts.count })
        for part in found {
            for start in part.starts {
                let (end, overflow) = start.addingReportingOverflow(part.span)
                guard !overflow else {
                    throw .corrupt("\(segment.path): a position of document \(document) lies beyond any text")
                }
                positions.append(start)
                positions.append(end)
            }
        }
        positions.sort()
        positions.removeDuplicatesFromSorted()
        let checkpoints = try segment.checkpoints(of: document, through: positions.last ?? 0)
        let ranges: [Range<Int>?]
        do {
            ranges = try analyzer.tokenizer.byteRanges(of: positions, in: text, checkpoints: checkpoints)
        } catch {
            throw .corrupt("\(segment.path): document \(document) is no longer valid UTF-8")
        }
        // Starts ascend, and so do ends: each is found by a cursor moving forward through
        // `positions`, linear where a search per match would cost a log factor millions of times.
        func range(at position: UInt32, from cursor: inout Int) throws(IndexError) -> Range<Int> {
            while cursor < positions.count && positions[cursor] < position {
                cursor += 1
            }
            guard cursor < positions.count, positions[cursor] == position, let range = ranges[cursor] else {
                throw .corrupt("\(segment.path): postings disagree with document \(document)'s text")
            }
            return range
        }
        var matches: [Range<Int>] = []
        for (span, starts) in found {
            var startCursor = 0
            var endCursor = 0
            for start in starts {
                let lower = try range(at: start, from: &startCursor).lowerBound
                let upper = try range(at: start &+ span, from: &endCursor).upperBound
                matches.append(lower..<upper)
            }
        }
        return Hit(
            id: try segment.id(of: document), title: try segment.title(of: document), score: candidate.score,
            matches: sortedWithoutRepeats(matches),
            text: text, length: length, explanation: explanation)
    }

    /// The index of `wanted` in the ascending `values`.
    private func binarySearch<Value: Comparable>(_ values: [Value], _ wanted: Value) -> Int? {
        values.withUnsafeBufferPointer { values in
            let low = values.lowerBound(of: wanted, in: 0..<values.count)
            return low < values.count && values[low] == wanted ? low : nil
        }
    }

    /// Match ranges in document order, each once (two parts can match the same text).
    private func sortedWithoutRepeats(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var sorted = ranges.sorted { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }
        sorted.removeDuplicatesFromSorted()
        return sorted
    }
}

private extension Array where Element: Equatable {
    /// Removes repeated neighbours: in a sorted array, every repeat.
    mutating func removeDuplicatesFromSorted() {
        var kept = 0
        for index in indices where kept == 0 || self[index] != self[kept - 1] {
            self[kept] = self[index]
            kept += 1
        }
        removeLast(count - kept)
    }
}

private struct _Candidate {
    var segment: Int
    var document: Int32
    var score: Double
}
