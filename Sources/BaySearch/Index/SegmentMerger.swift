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
        for segment in segments {
            var numbers = [Int32](repeating: -1, count: segment.documentCount)
            for document in 0..<segment.documentCount where !segment.deleted.contains(document) {
                let stored = try segment.storedText(of: document)
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
            try file.append(try segment.storedText(of: document).bytes)
        }
        file.beginSection(.checkpoints)
        try forEachLiveDocument(segments) { segment, document throws(IndexError) in
            try file.append(try segment.checkpointBytes(of: document))
        }
        file.beginSection(.postings)
        let dictionary = try mergePostings(segments, renumbered: renumbered, into: file)
        try dictionary.write(to: file)
        try file.finish(documentCount: documentCount, totalWords: totalWords, termCount: dictionary.count)
        return Result(documentCount: documentCount, bytes: file.offset)
    }

    private static func forEachLiveDocument(
        _ segments: [SegmentReader], _ body: (SegmentReader, Int) throws(IndexError) -> Void
    ) throws(IndexError) {
        for segment in segments {
            for document in 0..<segment.documentCount where !segment.deleted.contains(document) {
                try body(segment, document)
            }
        }
    }

    /// Walks the segments' sorted dictionaries together; each term's merged list is the
    /// lists of the segments holding it, renumbered, in segment order.
    private static func mergePostings(
        _ segments: [SegmentReader], renumbered: [[Int32]], into file: _SegmentFileWriter
    ) throws(IndexError) -> _TermDictionaryBuilder {
        var cursors = [Int](repeating: 0, count: segments.count)
        var current: [(term: [UInt8], postings: Postings)?] = []
        for segment in segments {
            current.append(segment.termCount > 0 ? try segment.term(at: 0) : nil)
        }
        var dictionary = _TermDictionaryBuilder()
        var list = _MergedPostings()
        while let smallest = current.compactMap({ $0?.term }).min(by: SegmentSerializer.bytewiseLess) {
            list.removeAll()
            for index in segments.indices {
                guard let entry = current[index], entry.term == smallest else {
                    continue
                }
                let postings = entry.postings
                for position in postings.documents.indices {
                    list.append(
                        document: renumbered[index][Int(postings.documents[position])],
                        frequency: postings.frequencies[position],
                        positions: try postings.positionBytes(at: position))
                }
                cursors[index] += 1
                current[index] = cursors[index] < segments[index].termCount ? try segments[index].term(at: cursors[index]) : nil
            }
            guard list.documentFrequency > 0 else {
                continue  // every document holding the term was deleted
            }
            let encoded = list.encoded()
            dictionary.append(term: smallest, postingsLength: encoded.count)
            try file.append(encoded)
        }
        return dictionary
    }
}

/// One term's merged postings list, gathered stream by stream and encoded in the layout of
/// `SegmentFormat`.
private struct _MergedPostings {
    private var documentDeltas: [UInt8] = []
    private var frequencies: [UInt8] = []
    private var lengths: [UInt8] = []
    private var positions: [UInt8] = []
    private(set) var documentFrequency = 0
    private var lastDocument: Int32 = 0

    mutating func removeAll() {
        documentDeltas.removeAll(keepingCapacity: true)
        frequencies.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        documentFrequency = 0
        lastDocument = 0
    }

    mutating func append(document: Int32, frequency: Int, positions encoded: UnsafeRawBufferPointer) {
        precondition(document >= 0 && (documentFrequency == 0 || document > lastDocument), "a deleted or out-of-order document")
        _VarInt.append(UInt64(document - (documentFrequency == 0 ? 0 : lastDocument)), to: &documentDeltas)
        _VarInt.append(UInt64(frequency), to: &frequencies)
        _VarInt.append(UInt64(encoded.count), to: &lengths)
        positions.append(contentsOf: encoded)
        lastDocument = document
        documentFrequency += 1
    }

    func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10 + documentDeltas.count + frequencies.count + lengths.count + positions.count)
        _VarInt.append(UInt64(documentFrequency), to: &bytes)
        bytes += documentDeltas
        bytes += frequencies
        bytes += lengths
        bytes += positions
        return bytes
    }
}
