import Foundation

/// Merges segments into one, leaving out their deleted documents, streaming term by term so
/// that memory holds one term's postings at a time, whatever the segments' size.
///
///     let merged = try SegmentMerger.merge([first, second], to: "index/seg-3-m-0.bay")
///
/// Documents keep their order (all of the first segment's live documents, then the
/// second's…), so merged postings stay sorted by simply renumbering. Stored texts,
/// checkpoints and encoded positions are copied as they are, never decoded. The postings
/// of a large merge are merged by two threads, each taking half of the terms; the file is
/// the same as one thread's.
enum SegmentMerger {
    /// What a merge wrote.
    struct Result {
        var documentCount: Int
        var bytes: Int
    }

    /// Postings, in bytes, from which a merge splits its terms between two threads: below
    /// it, a thread and a spill file cost more than they save.
    static let twoThreadPostingsBytes = 4 << 20

    /// Merges `segments` into a new segment file at `path`, with two threads once their
    /// postings reach `twoThreadsFrom` bytes (on a machine with more than one core).
    static func merge(
        _ segments: [SegmentReader], to path: String, twoThreadsFrom: Int = twoThreadPostingsBytes
    ) throws(IndexError) -> Result {
        let file = try _SegmentFileWriter(path: path)
        let renumbered = try renumber(segments, path: path)
        // The second thread, if any, merges the upper terms while this one copies the
        // documents and merges the lower terms.
        let (upper, lowerRanges) = try splitTerms(segments, renumbered: renumbered, nextTo: path, twoThreadsFrom: twoThreadsFrom)
        do {
            let (documentCount, totalWords) = try writeDocuments(segments, to: file, path: path)
            file.beginSection(.postings)
            var dictionary = try mergeTerms(segments, ranges: lowerRanges, renumbered: renumbered) {
                encoded throws(IndexError) in try file.append(encoded)
            }
            try upper?.appendUpperTerms(to: &dictionary, postingsTo: file)
            try dictionary.write(to: file)
            try file.finish(documentCount: documentCount, totalWords: totalWords, termCount: dictionary.count)
            return Result(documentCount: documentCount, bytes: file.offset)
        } catch {
            _ = try? upper?.wait()  // the thread reads the segments: they must outlive it
            throw error
        }
    }

    /// renumbered[s][d]: the merged number of document d of segment s, or -1 if deleted.
    private static func renumber(_ segments: [SegmentReader], path: String) throws(IndexError) -> [[Int32]] {
        let liveCount = segments.reduce(0) { $0 + $1.documentCount - $1.deleted.count }
        guard liveCount <= Int(Int32.max) else {
            throw .unwritable(path: path, reason: "the merged segment would exceed the format's limits")
        }
        var next: Int32 = 0
        return segments.map { segment in
            (0..<segment.documentCount).map { document in
                guard !segment.deleted.contains(document) else {
                    return -1
                }
                next += 1
                return next - 1
            }
        }
    }

    /// Writes the live documents' sections (records, lengths, ids and titles, stored texts,
    /// checkpoints), copied as they are; returns their count and total words.
    private static func writeDocuments(
        _ segments: [SegmentReader], to file: _SegmentFileWriter, path: String
    ) throws(IndexError) -> (documentCount: Int, totalWords: Int) {
        var records = _DocumentRecords()
        var textStart = 0
        var checkpointStart = 0
        var (documentCount, totalWords) = (0, 0)
        var reading = _ReadPages()
        try forEachLiveDocument(segments) { segment, document throws(IndexError) in
            let stored = try segment.storedText(of: document)
            reading.read(stored.bytes.count, of: segment)
            let checkpoints = try segment.checkpointBytes(of: document)
            let wordCount = try segment.wordCount(of: document)
            records.append(
                idLength: try segment.id(of: document).utf8.count,
                titleLength: try segment.title(of: document).utf8.count,
                textStart: textStart, storedLength: stored.bytes.count, textLength: stored.textLength,
                wordCount: wordCount, compressed: stored.compressed,
                checkpointStart: checkpointStart, checkpointLength: checkpoints.count,
                contentHash: try segment.contentHash(of: document))
            textStart += stored.bytes.count
            checkpointStart += checkpoints.count
            totalWords += wordCount
            documentCount += 1
        }
        guard checkpointStart <= Int(UInt32.max), records.stringBytes <= Int(UInt32.max) else {
            throw .unwritable(path: path, reason: "the merged segment would exceed the format's limits")
        }
        file.beginSection(.documents)
        try file.append(records.bytes)
        file.beginSection(.lengths)
        try file.append(records.lengths)
        file.beginSection(.strings)
        try forEachLiveDocument(segments) { segment, document throws(IndexError) in
            try file.append(Array(try segment.id(of: document).utf8))
            try file.append(Array(try segment.title(of: document).utf8))
        }
        file.beginSection(.texts)
        try forEachLiveDocument(segments) { segment, document throws(IndexError) in
            let stored = try segment.storedText(of: document).bytes
            try file.append(stored)
            reading.read(stored.count, of: segment)
        }
        file.beginSection(.checkpoints)
        try forEachLiveDocument(segments) { segment, document throws(IndexError) in
            try file.append(try segment.checkpointBytes(of: document))
        }
        return (documentCount, totalWords)
    }

    /// Calls `body` with every live document, releasing each segment's read pages once done.
    private static func forEachLiveDocument(
        _ segments: [SegmentReader], _ body: (SegmentReader, Int) throws(IndexError) -> Void
    ) throws(IndexError) {
        for segment in segments {
            for document in 0..<segment.documentCount where !segment.deleted.contains(document) {
                try body(segment, document)
            }
            segment.releaseReadPages()
        }
    }

    /// How a merge's terms divide between threads: for a large merge, a second thread is
    /// started on the terms above a pivot, merging them into a spill file next to `path`,
    /// and the ranges below it are returned for this thread; otherwise no thread and every
    /// term.
    private static func splitTerms(
        _ segments: [SegmentReader], renumbered: [[Int32]], nextTo path: String, twoThreadsFrom: Int
    ) throws(IndexError) -> (upper: _UpperTermsThread?, lowerRanges: [Range<Int>]) {
        let postingsBytes = segments.reduce(0) { $0 + $1.size(of: .postings) }
        guard ProcessInfo.processInfo.activeProcessorCount > 1, postingsBytes >= twoThreadsFrom,
              let splits = try splitPoints(segments) else {
            return (nil, segments.map { 0..<$0.termCount })
        }
        // Both threads use the same `SegmentReader`s, which are not thread-safe in general
        // (they remember which blocks of their mapping they have checked, and this thread
        // checks blocks as it copies the documents), but the upper terms' thread reads of them
        // only what never changes: their headers, section offsets and deletions. Its postings
        // and dictionaries come through each cursor's own descriptor and checked windows,
        // never through the mappings.
        let ranges = zip(segments, splits).map { $1..<$0.termCount }
        let upper = try _UpperTermsThread(nextTo: path) { spill throws(IndexError) in
            try mergeTerms(segments, ranges: ranges, renumbered: renumbered) { encoded throws(IndexError) in
                try spill.append(encoded)
            }
        }
        return (upper, splits.map { 0..<$0 })
    }

    /// Where each segment's terms divide at a pivot term, the one halfway through the
    /// largest segment's postings; nil when that leaves nothing below the pivot.
    private static func splitPoints(_ segments: [SegmentReader]) throws(IndexError) -> [Int]? {
        guard let largest = segments.max(by: { $0.size(of: .postings) < $1.size(of: .postings) }) else {
            return nil
        }
        let probe = try _DictionaryProbe(largest)
        let middle = try probe.termAtMiddleOfPostings()
        guard middle > 0, middle < largest.termCount else {
            return nil
        }
        let pivot = try probe.term(at: middle)
        var splits: [Int] = []
        for segment in segments {
            splits.append(segment === largest ? middle : try _DictionaryProbe(segment).firstTerm(notBelow: pivot))
        }
        return splits
    }

    /// Walks the segments' sorted dictionaries together, each over its range of term
    /// indices, and passes every merged list to `emit`; returns their dictionary. A term's
    /// merged list is the lists of the segments holding it, renumbered, in segment order. A
    /// segment without deletions has its list copied part by part, only its first document
    /// renumbered; one with deletions has its documents re-encoded without them, positions
    /// copied as they are.
    private static func mergeTerms(
        _ segments: [SegmentReader], ranges: [Range<Int>], renumbered: [[Int32]],
        emit: (_ encoded: UnsafeRawBufferPointer) throws(IndexError) -> Void
    ) throws(IndexError) -> _TermDictionaryBuilder {
        var cursors: [_TermCursor] = []
        for (segment, range) in zip(segments, ranges) {
            cursors.append(try _TermCursor(segment, terms: range))
        }
        var dictionary = _TermDictionaryBuilder()
        var list = _PostingsListEncoder()
        var encoded = _ByteBuffer()
        var smallest: [UInt8] = []
        while let first = smallestCursor(cursors) {
            smallest.removeAll(keepingCapacity: true)
            smallest.append(contentsOf: cursors[first].term)
            list.removeAll()
            for index in first..<cursors.count {
                let cursor = cursors[index]
                guard !cursor.isDone, cursor.term == smallest else {
                    continue
                }
                let segment = segments[index]
                let bytes = try cursor.postings()
                if segment.deleted.isEmpty {
                    var reader = _ByteReader(bytes, from: 0, to: bytes.count, source: segment.source)
                    let encoded = try _EncodedPostingsList(&reader, documentCount: segment.documentCount)
                    list.appendList(encoded, in: bytes, firstNumber: Int(renumbered[index].first ?? 0))
                } else {
                    let numbers = renumbered[index]
                    try _EncodedPostingsList.forEachDocument(
                        in: bytes, source: segment.source, documentCount: segment.documentCount
                    ) { document, frequency, positions in
                        if numbers[document] >= 0 {
                            list.append(document: Int(numbers[document]), frequency: frequency, positions: positions)
                        }
                    }
                }
                try cursor.advance()
            }
            guard list.documentFrequency > 0 else {
                continue  // every document holding the term was deleted
            }
            encoded.removeAll()
            list.write(to: &encoded)
            dictionary.append(term: smallest, postingsLength: encoded.count)
            try encoded.withBytes(emit)
        }
        return dictionary
    }

    /// The index of the cursor at the smallest term, nil when every cursor is done.
    private static func smallestCursor(_ cursors: [_TermCursor]) -> Int? {
        var smallest: Int?
        for (index, cursor) in cursors.enumerated() where !cursor.isDone {
            if let best = smallest, !SegmentSerializer.bytewiseLess(cursor.term, cursors[best].term) {
                continue
            }
            smallest = index
        }
        return smallest
    }
}

/// Releases the mapped pages of the segment being read every `interval` bytes, so that the
/// stored texts a merge reads (twice: to check, then to copy) never sit in memory whole;
/// postings and dictionaries are read through `_SectionStream`s instead.
private struct _ReadPages {
    static let interval = 8 << 20
    private var sinceRelease = 0

    mutating func read(_ count: Int, of segment: SegmentReader) {
        if due(count) {
            segment.releaseReadPages()
        }
    }

    private mutating func due(_ count: Int) -> Bool {
        sinceRelease += count
        guard sinceRelease > _ReadPages.interval else {
            return false
        }
        sinceRelease = 0
        return true
    }
}
