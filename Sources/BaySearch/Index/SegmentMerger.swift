/// Merges segments into one, leaving out their deleted documents, streaming term by term so
/// that memory holds one term's postings at a time, whatever the segments' size.
///
///     let merged = try SegmentMerger.merge([first, second], to: "index/seg-3-m-0.bay")
///
/// Documents keep their order (all of the first segment's live documents, then the
/// second's…), so merged postings stay sorted by simply renumbering. Stored texts,
/// checkpoints and encoded positions are copied as they are, never decoded.
enum SegmentMerger {
    /// What a merge wrote.
    struct Result {
        var documentCount: Int
        var bytes: Int
    }

    static func merge(_ segments: [SegmentReader], to path: String) throws(IndexError) -> Result {
        let file = try _SegmentFileWriter(path: path)
        // renumbered[s][d]: the merged number of document d of segment s, or -1 if deleted.
        var renumbered: [[Int32]] = []
        var records = _DocumentRecords()
        var textStart = 0
        var checkpointStart = 0
        var documentCount = 0
        var totalWords = 0
        var reading = _ReadPages()
        for segment in segments {
            var numbers = [Int32](repeating: -1, count: segment.documentCount)
            for document in 0..<segment.documentCount where !segment.deleted.contains(document) {
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
                numbers[document] = Int32(documentCount)
                documentCount += 1
            }
            renumbered.append(numbers)
            segment.releaseReadPages()
        }
        guard documentCount <= Int(Int32.max), checkpointStart <= Int(UInt32.max), records.stringBytes <= Int(UInt32.max) else {
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
        segments.forEach { $0.releaseReadPages() }
        file.beginSection(.checkpoints)
        try forEachLiveDocument(segments) { segment, document throws(IndexError) in
            try file.append(try segment.checkpointBytes(of: document))
        }
        segments.forEach { $0.releaseReadPages() }
        file.beginSection(.postings)
        let dictionary = try mergePostings(segments, renumbered: renumbered, into: file)
        try dictionary.write(to: file)
        try file.finish(documentCount: documentCount, totalWords: totalWords, termCount: dictionary.count)
        return Result(documentCount: documentCount, bytes: file.offset)
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

    /// Walks the segments' sorted dictionaries together; each term's merged list is the
    /// lists of the segments holding it, renumbered, in segment order. A segment without
    /// deletions has its list copied part by part, only its first document renumbered; one
    /// with deletions has its documents re-encoded without them, positions copied as they are.
    private static func mergePostings(
        _ segments: [SegmentReader], renumbered: [[Int32]], into file: _SegmentFileWriter
    ) throws(IndexError) -> _TermDictionaryBuilder {
        var cursors: [_TermCursor] = []
        for segment in segments {
            cursors.append(try _TermCursor(segment))
        }
        var dictionary = _TermDictionaryBuilder()
        var list = _PostingsListEncoder()
        var encoded: [UInt8] = []
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
            encoded.removeAll(keepingCapacity: true)
            list.write(to: &encoded)
            dictionary.append(term: smallest, postingsLength: encoded.count)
            try file.append(encoded)
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

/// One input's place in a merge's walk of the dictionaries: its current term and streams
/// over its dictionary and postings, which hold only small windows of the file.
private final class _TermCursor {
    private let segment: SegmentReader
    private let termStarts: _SectionStream
    private let termBytes: _SectionStream
    private let postingStarts: _SectionStream
    private let postingsStream: _SectionStream
    // A cursor is used by one thread, and a dynamic exclusivity check on every term costs
    // more than reading it.
    @exclusivity(unchecked) private var index = 0
    /// The folded UTF-8 of the term at `index` (reused from term to term).
    @exclusivity(unchecked) private(set) var term: [UInt8] = []
    /// Whether the cursor is past the last term.
    @exclusivity(unchecked) private(set) var isDone = false

    init(_ segment: SegmentReader) throws(IndexError) {
        let file = try _SegmentFileDescriptor(segment)
        self.segment = segment
        (termStarts, termBytes) = (_SectionStream(file), _SectionStream(file))
        (postingStarts, postingsStream) = (_SectionStream(file), _SectionStream(file))
        try readTerm()
    }

    func advance() throws(IndexError) {
        index += 1
        try readTerm()
    }

    /// The encoded postings list of `term`, valid until the next call.
    func postings() throws(IndexError) -> UnsafeRawBufferPointer {
        try postingsStream.bytes(try entry(index, in: postingStarts, .postingStarts, of: .postings))
    }

    private func readTerm() throws(IndexError) {
        guard index < segment.termCount else {
            isDone = true
            return
        }
        let bytes = try termBytes.bytes(try entry(index, in: termStarts, .termStarts, of: .termBytes))
        term.removeAll(keepingCapacity: true)
        term.append(contentsOf: bytes)
    }

    /// The file range of entry `index` of `target`, as the offset table `table` (the
    /// section `tableSection`) gives it.
    private func entry(
        _ index: Int, in table: _SectionStream, _ tableSection: SegmentFormat.Section, of target: SegmentFormat.Section
    ) throws(IndexError) -> Range<Int> {
        let offset = segment.start(of: tableSection) + 4 * index
        let from = Int(try table.loadUInt32(at: offset))
        let to = Int(try table.loadUInt32(at: offset + 4))
        guard from <= to, to <= segment.size(of: target) else {
            throw .corrupt("\(segment.path): the term dictionary points outside its \(target) section")
        }
        return segment.start(of: target) + from..<segment.start(of: target) + to
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
