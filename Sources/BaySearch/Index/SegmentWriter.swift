/// Builds one segment in memory: stores documents and inverts their units into postings.
///
///     var writer = SegmentWriter()
///     let analyzed = try analyzer.analyzeDocument(bytes)
///     writer.add(document, analyzed: analyzed)
///     try SegmentSerializer.write(writer, to: path)
///
/// Each unit is indexed once: an alphanumeric run as itself, an ideograph as the bigram it
/// starts with the next ideograph, or as itself when it ends its run (see `SegmentFormat`
/// on terms); so is each punctuation boundary (`boundaryTerm`), so that punctuation in a
/// query matches punctuation only.
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
    let pool = _ByteStreamPool()
    private(set) var postings: [_TermPostings] = []
    /// The folded UTF-8 of every term, back to back; term `t` is `termStarts[t]..<termStarts[t + 1]`.
    private(set) var termBytes: [UInt8] = []
    private(set) var termStarts: [Int] = [0]
    /// Ideographs, bigrams and runs of up to 7 bytes, by their `_Occurrences` key.
    private var tableTerms = _TermTable()
    /// Longer runs, by a hash of their bytes.
    private var runTerms = _LongRunTerms()
    private var stringBytes = 0
    /// Scratch space for `invert`.
    private var scratchOccurrences = _Occurrences()

    /// Postings number documents with 32-bit signed integers.
    static let maximumDocumentCount = Int(Int32.max)

    init() {}

    /// A writer whose largest arrays are reserved for about `bufferedBytes` of content, as a
    /// build's worker will hold before flushing: grown by doubling, they would be copied
    /// and faulted in again at each step, and pages reserved but never written cost no
    /// memory. The shares are a little above what a flush of the benchmark corpus holds:
    /// stored texts a fifth of `bufferedBytes`, a term for every 500 bytes, checkpoints a
    /// fiftieth. The stored texts, the postings entries and the term table, each megabytes
    /// large, go on huge pages (the postings entries and the table are met at random).
    init(reservingFor bufferedBytes: Int) {
        texts = ._reservedOnHugePages(capacity: bufferedBytes / 4)
        postings = ._reservedOnHugePages(capacity: bufferedBytes / 384)
        termStarts.reserveCapacity(bufferedBytes / 384)
        tableTerms = _TermTable(reservingFor: bufferedBytes / 384)
        checkpoints.reserveCapacity(bufferedBytes / 32)
    }

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
        runTerms.removeAll()
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
        let textStart = texts.count
        let compressed = _LZ4.compress(text, appendingTo: &texts)
        if !compressed {
            texts.append(contentsOf: text)
        }
        let checkpointStart = checkpoints.count
        appendCheckpoints(analyzed.text.checkpoints)
        documents.append(StoredDocument(
            id: id, title: title, textStart: textStart, storedLength: texts.count - textStart, textLength: text.count,
            compressed: compressed, wordCount: analyzed.wordCount,
            checkpointStart: checkpointStart, checkpointLength: checkpoints.count - checkpointStart,
            contentHash: source.contentHash))
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

    /// Adds every unit and boundary of the document to its term's postings, in
    /// position order for each term, as Lucene's indexing chain does: no per-document
    /// grouping, as a term's document entry is written when its next document comes.
    ///
    /// Terms and postings are met at random, a cache miss each, so each stretch of units
    /// goes in three passes: their occurrences' keys (`_Occurrences`), then their term
    /// numbers, then their postings. The last two start loading the table slot or postings
    /// entry of the occurrence `prefetchDistance` ahead, so that misses overlap instead of
    /// queueing.
    private mutating func invert(_ text: AnalyzedText, document: Int) {
        // Taken out of `self` while in use, so that adding terms to `self` may overlap it.
        var occurrences = scratchOccurrences
        scratchOccurrences = _Occurrences()
        defer { scratchOccurrences = occurrences }
        let document = Int32(truncatingIfNeeded: document)
        var start = 0
        while start < text.units.count {
            let end = min(start + _Occurrences.unitsPerStretch, text.units.count)
            occurrences.gather(text, units: start..<end)
            numberTerms(of: &occurrences, in: text)
            addPostings(of: occurrences, document: document)
            start = end
        }
        if !text.boundaries.isEmpty {
            let (boundary, pool) = (tableTermNumber(key: _Occurrences.boundaryKey), self.pool)
            postings.withUnsafeMutableBufferPointer { postings in
                for position in text.boundaries {
                    postings[boundary].add(position: position, document: document, pool: pool)
                }
            }
        }
    }

    /// Puts each occurrence's term number above its position, adding new terms.
    private mutating func numberTerms(of occurrences: inout _Occurrences, in text: AnalyzedText) {
        let count = occurrences.count
        var longRun = 0
        occurrences.keys.withUnsafeBufferPointer { keys in
            occurrences.entries.withUnsafeMutableBufferPointer { entries in
                for index in 0..<count {
                    if index + SegmentWriter.prefetchDistance < count {
                        tableTerms.prefetch(keys[index + SegmentWriter.prefetchDistance])
                    }
                    let term: Int
                    if keys[index] != 0 {
                        term = tableTermNumber(key: keys[index])
                    } else {
                        term = longRunTermNumber(text.termBytes(of: text.units[occurrences.longRuns[longRun]]))
                        longRun += 1
                    }
                    entries[index] |= UInt64(term) << 32
                }
            }
        }
    }

    private mutating func addPostings(of occurrences: _Occurrences, document: Int32) {
        let (pool, count, distance) = (self.pool, occurrences.count, SegmentWriter.prefetchDistance)
        occurrences.entries.withUnsafeBufferPointer { entries in
            postings.withUnsafeMutableBufferPointer { postings in
                for index in 0..<count {
                    if index + distance < count {
                        UnsafeBufferPointer(postings).prefetch(Int(entries[index + distance] >> 32))
                    }
                    // Half way there, the entry is in cache and tells where its positions go.
                    if index + distance / 2 < count {
                        postings[Int(entries[index + distance / 2] >> 32)].prefetchPositionWrite(pool)
                    }
                    postings[Int(entries[index] >> 32)].add(
                        position: UInt32(truncatingIfNeeded: entries[index]), document: document, pool: pool)
                }
            }
        }
    }

    /// How many occurrences (or terms) ahead `invert` (or `_WriterTermCursor`) prefetches:
    /// enough to cover a miss to memory with the work of the ones in between.
    static let prefetchDistance = 16

    /// The folded UTF-8 of term `number`.
    func term(_ number: Int) -> ArraySlice<UInt8> {
        termBytes[termStarts[number]..<termStarts[number + 1]]
    }

    /// The term numbers in bytewise order of their terms, the order of the dictionary.
    func sortedTerms() -> [Int] {
        termBytes.withUnsafeBufferPointer { bytes in
            _PrefixSort.sorted(termCount: postings.count) { term in
                UnsafeBufferPointer(rebasing: bytes[termStarts[term]..<termStarts[term + 1]])
            }
        }
    }

    @inline(__always)
    private mutating func tableTermNumber(key: UInt64) -> Int {
        if let number = tableTerms.number(for: key) {
            return number
        }
        _Occurrences.appendTerm(ofKey: key, to: &termBytes)
        let number = addTerm()
        tableTerms.insert(key, number: number)
        return number
    }

    private mutating func longRunTermNumber(_ run: ArraySlice<UInt8>) -> Int {
        if let number = runTerms.number(of: run, terms: termBytes, starts: termStarts) {
            return number
        }
        termBytes += run
        let number = addTerm()
        runTerms.insert(run, number: number)
        return number
    }

    /// Adds a term whose bytes were just appended to `termBytes`, and returns its number.
    private mutating func addTerm() -> Int {
        termStarts.append(termBytes.count)
        postings.append(_TermPostings(pool: pool))
        return postings.count - 1
    }
}
