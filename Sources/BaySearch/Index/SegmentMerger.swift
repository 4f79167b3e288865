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
        var next = [Int](repeating: 0, count: segments.count)
        var current: [[UInt8]?] = []
        for segment in segments {
            current.append(segment.termCount > 0 ? Array(try segment.termBytes(at: 0)) : nil)
        }
        var dictionary = _TermDictionaryBuilder()
        var list = _PostingsListEncoder()
        var encoded: [UInt8] = []
        var reading = _ReadPages()
        while let smallest = smallestTerm(current) {
            list.removeAll()
            for index in segments.indices where current[index] == smallest {
                let segment = segments[index]
                let numbers = renumbered[index]
                if segment.deleted.isEmpty {
                    var reader = try segment.postingsReader(at: next[index])
                    let encoded = try _EncodedPostingsList(&reader, documentCount: segment.documentCount)
                    try list.appendList(encoded, of: segment, firstNumber: Int(numbers.first ?? 0))
                } else {
                    try segment.postings(at: next[index]).forEachDocument { document, frequency, positions in
                        list.append(document: Int(numbers[Int(document)]), frequency: frequency, positions: positions)
                    }
                }
                next[index] += 1
                current[index] = next[index] < segment.termCount ? Array(try segment.termBytes(at: next[index])) : nil
            }
            guard list.documentFrequency > 0 else {
                continue  // every document holding the term was deleted
            }
            encoded.removeAll(keepingCapacity: true)
            list.write(to: &encoded)
            dictionary.append(term: smallest, postingsLength: encoded.count)
            try file.append(encoded)
            reading.read(encoded.count, of: segments)
        }
        return dictionary
    }

    private static func smallestTerm(_ terms: [[UInt8]?]) -> [UInt8]? {
        var smallest: [UInt8]?
        for case let term? in terms where smallest.map({ SegmentSerializer.bytewiseLess(term, $0) }) ?? true {
            smallest = term
        }
        return smallest
    }
}

/// Releases the read pages of the segments being read every `interval` bytes, so that what
/// a merge reads (stored texts twice, to check and to copy; postings once) never sits in
/// memory whole.
private struct _ReadPages {
    static let interval = 8 << 20
    private var sinceRelease = 0

    mutating func read(_ count: Int, of segment: SegmentReader) {
        if due(count) {
            segment.releaseReadPages()
        }
    }

    mutating func read(_ count: Int, of segments: [SegmentReader]) {
        if due(count) {
            segments.forEach { $0.releaseReadPages() }
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
