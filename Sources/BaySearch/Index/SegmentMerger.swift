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
    /// lists of the segments holding it, renumbered, in segment order. A segment without
    /// deletions has its list copied stream by stream, only its first document renumbered;
    /// one with deletions has its list decoded and re-encoded without them.
    private static func mergePostings(
        _ segments: [SegmentReader], renumbered: [[Int32]], into file: _SegmentFileWriter
    ) throws(IndexError) -> _TermDictionaryBuilder {
        var next = [Int](repeating: 0, count: segments.count)
        var current: [[UInt8]?] = []
        for segment in segments {
            current.append(segment.termCount > 0 ? Array(try segment.termBytes(at: 0)) : nil)
        }
        var dictionary = _TermDictionaryBuilder()
        var list = _MergedPostings()
        var sinceRelease = 0
        while let smallest = smallestTerm(current) {
            list.removeAll()
            for index in segments.indices where current[index] == smallest {
                let segment = segments[index]
                let term = next[index]
                if segment.deleted.isEmpty {
                    try list.appendEncoded(
                        try segment.postingsBytes(at: term), firstNumber: renumbered[index].first ?? 0,
                        documentCount: segment.documentCount, path: segment.path)
                } else {
                    let postings = try segment.postings(at: term)
                    for position in postings.documents.indices {
                        list.append(
                            document: renumbered[index][Int(postings.documents[position])],
                            frequency: postings.frequencies[position],
                            positions: try postings.positionBytes(at: position))
                    }
                }
                next[index] += 1
                current[index] = next[index] < segment.termCount ? Array(try segment.termBytes(at: next[index])) : nil
            }
            guard list.documentFrequency > 0 else {
                continue  // every document holding the term was deleted
            }
            let encoded = list.encoded()
            dictionary.append(term: smallest, postingsLength: encoded.count)
            try file.append(encoded)
            sinceRelease += encoded.count
            if sinceRelease > 32 << 20 {
                segments.forEach { $0.releaseReadPages() }
                sinceRelease = 0
            }
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

    /// Appends a whole encoded list of a segment without deletions, whose document `d`
    /// becomes `firstNumber + d`: its streams are checked and copied, and only its first
    /// document delta is written anew.
    mutating func appendEncoded(
        _ bytes: UnsafeRawBufferPointer, firstNumber: Int32, documentCount: Int, path: String
    ) throws(IndexError) {
        var reader = _ByteReader(bytes, from: 0, to: bytes.count, path: path)
        let count = try reader.readVarInt()
        let lastAllowed = UInt64(max(0, documentCount - 1))
        guard count >= 1, count <= UInt64(documentCount) else {
            throw .corrupt("\(path): a term claims more documents than its segment has")
        }
        let first = try reader.readDelta(after: 0, atMost: lastAllowed)
        let deltasStart = reader.offset
        var last = first
        for _ in 1..<count {
            let document = try reader.readDelta(after: last, atMost: lastAllowed)
            guard document > last else {
                throw .corrupt("\(path): a postings list names a document out of order")
            }
            last = document
        }
        let frequenciesStart = reader.offset
        for _ in 0..<count {
            let frequency = try reader.readVarInt()
            guard frequency > 0, frequency <= UInt64(UInt32.max) else {
                throw .corrupt("\(path): a postings list has an impossible frequency")
            }
        }
        let lengthsStart = reader.offset
        var positionBytes: UInt64 = 0
        for _ in 0..<count {
            positionBytes = try reader.readDelta(after: positionBytes, atMost: UInt64(bytes.count))
        }
        let positionsStart = reader.offset
        guard UInt64(bytes.count - positionsStart) == positionBytes else {
            throw .corrupt("\(path): positions do not fill their postings list")
        }
        let renumberedFirst = firstNumber + Int32(first)
        precondition(documentFrequency == 0 || renumberedFirst > lastDocument, "segments merged out of order")
        _VarInt.append(UInt64(renumberedFirst - (documentFrequency == 0 ? 0 : lastDocument)), to: &documentDeltas)
        documentDeltas.append(contentsOf: bytes[deltasStart..<frequenciesStart])
        frequencies.append(contentsOf: bytes[frequenciesStart..<lengthsStart])
        lengths.append(contentsOf: bytes[lengthsStart..<positionsStart])
        positions.append(contentsOf: bytes[positionsStart...])
        lastDocument = firstNumber + Int32(last)
        documentFrequency += Int(count)
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
