/// Builds one segment in memory: stores documents and inverts their units into postings.
///
///     var writer = SegmentWriter()
///     let analyzed = try analyzer.analyzeDocument(bytes)
///     writer.add(document, analyzed: analyzed)
///     try SegmentSerializer.write(writer, to: path)
///
/// Every unit is a term; so is every pair of adjacent ideographs (a bigram), so that a
/// phrase of n ideographs needs about n/2 postings lists, not n; and so is each punctuation
/// boundary (`boundaryTerm`), so that punctuation in a query matches punctuation only.
///
/// Postings grow in a `_ByteStreamPool`, two streams a term (`_TermPostings`), so adding a
/// position allocates nothing. A struct, so the hot loops touch local storage with no
/// exclusivity checks at run time; but copies share the pool, so only one copy may be
/// added to. Not thread-safe: each indexing thread fills its own writer.
struct SegmentWriter {
    struct StoredDocument {
        var id: String
        var title: String
        var textStart: Int
        /// Bytes in `texts`: the compressed size when `compressed`.
        var storedLength: Int
        var textLength: Int
        var compressed: Bool
        var wordCount: Int
        var checkpointStart: Int
        var checkpointLength: Int
        var contentHash: UInt64
    }

    private(set) var documents: [StoredDocument] = []
    private(set) var texts: [UInt8] = []
    private(set) var checkpoints: [UInt8] = []
    private(set) var totalWords = 0
    /// Every term's postings, two streams each: see `_TermPostings`.
    private let pool = _ByteStreamPool()
    private var postings: [_TermPostings] = []
    /// The folded UTF-8 of every term, back to back; term `t` is `termStarts[t]..<termStarts[t + 1]`.
    private var termBytes: [UInt8] = []
    private var termStarts: [Int] = [0]
    /// Ideographs, bigrams and runs of up to 7 bytes, by `tableTermNumber` key.
    private var tableTerms = _TermTable()
    /// Longer runs.
    private var runTerms: [[UInt8]: Int] = [:]
    private var stringBytes = 0
    /// Scratch space for `invert`: the document's (term << 32 | position) pairs.
    private var occurrences: [UInt64] = []

    /// Postings number documents with 32-bit signed integers.
    static let maximumDocumentCount = Int(Int32.max)

    init() {}

    var documentCount: Int { documents.count }

    /// Empties the writer for the next segment, keeping its storage: a worker reuses one
    /// writer, so that each segment does not fault in and regrow its buffers anew.
    mutating func removeAll() {
        documents.removeAll(keepingCapacity: true)
        texts.removeAll(keepingCapacity: true)
        checkpoints.removeAll(keepingCapacity: true)
        totalWords = 0
        pool.removeAll()
        postings.removeAll(keepingCapacity: true)
        termBytes.removeAll(keepingCapacity: true)
        termStarts.removeAll(keepingCapacity: true)
        termStarts.append(0)
        tableTerms.removeAll()
        runTerms.removeAll(keepingCapacity: true)
        stringBytes = 0
    }

    /// A rough count of the memory this writer holds, to decide when to flush it.
    var bufferedBytes: Int {
        texts.count + checkpoints.count + stringBytes + pool.bytes + termBytes.count
            + postings.count * (MemoryLayout<_TermPostings>.stride + 40)
    }

    mutating func add(_ source: SourceDocument, analyzed: Analyzer.Document) {
        precondition(documents.count < SegmentWriter.maximumDocumentCount, "a full SegmentWriter must be flushed")
        let (id, title, text) = (source.id, source.title, source.text)
        let document = documents.count
        let compressed = _LZ4.compress(text)
        let stored = compressed ?? text
        let checkpointStart = checkpoints.count
        appendCheckpoints(analyzed.text.checkpoints)
        documents.append(StoredDocument(
            id: id, title: title, textStart: texts.count, storedLength: stored.count, textLength: text.count,
            compressed: compressed != nil, wordCount: analyzed.wordCount,
            checkpointStart: checkpointStart, checkpointLength: checkpoints.count - checkpointStart,
            contentHash: source.contentHash))
        texts.append(contentsOf: stored)
        stringBytes += id.utf8.count + title.utf8.count
        totalWords += analyzed.wordCount
        invert(analyzed.text, document: document)
    }

    /// Encodes the tokenizer's checkpoints: count, then (position, offset) deltas.
    private mutating func appendCheckpoints(_ chosen: [UnitTokenizer.Checkpoint]) {
        _VarInt.append(UInt64(chosen.count), to: &checkpoints)
        var previous = UnitTokenizer.Checkpoint(position: 0, offset: 0)
        for checkpoint in chosen {
            _VarInt.append(UInt64(checkpoint.position - previous.position), to: &checkpoints)
            _VarInt.append(UInt64(checkpoint.offset - previous.offset), to: &checkpoints)
            previous = checkpoint
        }
    }

    /// Adds every unit, bigram and boundary of the document to its term's postings, in
    /// position order for each term, as Lucene's indexing chain does: no per-document
    /// grouping, as a term's document entry is written when its next document comes.
    /// Terms are looked up first, so that the second loop only appends to streams.
    private mutating func invert(_ text: AnalyzedText, document: Int) {
        occurrences.removeAll(keepingCapacity: true)
        let units = text.units
        for index in units.indices {
            let unit = units[index]
            occurrences.append(UInt64(termNumber(of: unit, in: text)) << 32 | UInt64(unit.position))
            if unit.isIdeograph, index + 1 < units.count {
                let next = units[index + 1]
                if next.isIdeograph, next.position == unit.position + 1 {
                    occurrences.append(UInt64(bigramNumber(unit.ideograph, next.ideograph)) << 32 | UInt64(unit.position))
                }
            }
        }
        if !text.boundaries.isEmpty {
            let boundary = UInt64(boundaryTermNumber())
            for position in text.boundaries {
                occurrences.append(boundary << 32 | UInt64(position))
            }
        }
        let pool = self.pool
        let document = Int32(truncatingIfNeeded: document)
        occurrences.withUnsafeBufferPointer { occurrences in
            postings.withUnsafeMutableBufferPointer { postings in
                for occurrence in occurrences {
                    postings[Int(occurrence >> 32)].add(
                        position: UInt32(truncatingIfNeeded: occurrence), document: document, pool: pool)
                }
            }
        }
    }

    /// The term numbers in bytewise order of their terms, the order of the dictionary.
    func sortedTerms() -> [Int] {
        termBytes.withUnsafeBufferPointer { bytes in
            // Most terms are told apart by their first 8 bytes, compared as one integer.
            var keyed = (0..<postings.count).map { term in
                var prefix: UInt64 = 0
                let start = termStarts[term]
                for index in 0..<8 {
                    prefix <<= 8
                    if start + index < termStarts[term + 1] {
                        prefix |= UInt64(bytes[start + index])
                    }
                }
                return (prefix: prefix, term: term)
            }
            keyed.sort { left, right in
                if left.prefix != right.prefix {
                    return left.prefix < right.prefix
                }
                return SegmentSerializer.bytewiseLess(
                    UnsafeBufferPointer(rebasing: bytes[termStarts[left.term]..<termStarts[left.term + 1]]),
                    UnsafeBufferPointer(rebasing: bytes[termStarts[right.term]..<termStarts[right.term + 1]]))
            }
            return keyed.map(\.term)
        }
    }

    /// Calls `body` with each of `terms`, in the order given, its folded UTF-8 and its
    /// postings list in the layout of `SegmentFormat`.
    ///
    /// In dictionary order the terms' entries are read at random, and reading them one at a
    /// time while encoding waits out a cache miss for each; copying a block of them first
    /// keeps many misses in flight at once.
    func forEachEncodedList(
        _ terms: [Int], _ body: (_ term: ArraySlice<UInt8>, _ postings: [UInt8]) throws(IndexError) -> Void
    ) throws(IndexError) {
        let blockSize = 1024
        var block: [(postings: _TermPostings, bytes: Range<Int>)] = []
        block.reserveCapacity(blockSize)
        var encoded: [UInt8] = []
        var scratch = _TermPostings.Scratch()
        for blockStart in stride(from: 0, to: terms.count, by: blockSize) {
            block.removeAll(keepingCapacity: true)
            for term in terms[blockStart..<min(blockStart + blockSize, terms.count)] {
                block.append((postings[term], termStarts[term]..<termStarts[term + 1]))
            }
            for (termPostings, bytes) in block {
                encoded.removeAll(keepingCapacity: true)
                termPostings.encode(into: &encoded, pool: pool, scratch: &scratch)
                try body(termBytes[bytes], encoded)
            }
        }
    }

    private mutating func termNumber(of unit: Unit, in text: AnalyzedText) -> Int {
        if unit.isIdeograph {
            return tableTermNumber(key: UInt64(unit.ideograph)) { UTF8Encoding.encode(unit.ideograph) }
        }
        return runTermNumber(text.termBytes(of: unit))
    }

    private mutating func boundaryTermNumber() -> Int {
        runTermNumber(ArraySlice(boundaryTerm))
    }

    /// The number of an alphanumeric run's term (or the boundary term's). Runs of up to 7
    /// bytes, most of them, are packed into a `_TermTable` key with their length; longer
    /// ones go through a dictionary.
    private mutating func runTermNumber(_ run: ArraySlice<UInt8>) -> Int {
        if run.count <= 7 {
            var key: UInt64 = 1 << 63 | UInt64(run.count) << 56
            for (shift, byte) in zip(stride(from: 0, to: 56, by: 8), run) {
                key |= UInt64(byte) << UInt64(shift)
            }
            return tableTermNumber(key: key) { Array(run) }
        }
        let bytes = Array(run)
        if let number = runTerms[bytes] {
            return number
        }
        let number = newTerm(bytes)
        runTerms[bytes] = number
        return number
    }

    private mutating func bigramNumber(_ first: UInt32, _ second: UInt32) -> Int {
        tableTermNumber(key: 1 << 42 | UInt64(first) << 21 | UInt64(second)) {
            UTF8Encoding.encode(first) + UTF8Encoding.encode(second)
        }
    }

    /// The number of the term `key` stands for (an ideograph, a bigram or a short run: see
    /// `termNumber`, `bigramNumber` and `runTermNumber`, whose keys never collide).
    @inline(__always)
    private mutating func tableTermNumber(key: UInt64, bytes: () -> [UInt8]) -> Int {
        if let number = tableTerms.number(for: key) {
            return number
        }
        let number = newTerm(bytes())
        tableTerms.insert(key, number: number)
        return number
    }

    private mutating func newTerm(_ bytes: [UInt8]) -> Int {
        termBytes += bytes
        termStarts.append(termBytes.count)
        postings.append(_TermPostings(pool: pool))
        return postings.count - 1
    }
}
