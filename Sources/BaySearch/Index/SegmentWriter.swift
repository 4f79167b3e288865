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
/// A value type, so the hot loops touch local storage with no exclusivity checks at run
/// time. Not thread-safe: each indexing thread fills its own writer.
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
    private(set) var postings: [_PostingsBuffer] = []
    /// The folded UTF-8 of each term, by term number.
    private(set) var terms: [[UInt8]] = []
    /// Ideographs, bigrams and runs of up to 7 bytes, by `tableTermNumber` key.
    private var tableTerms = _TermTable()
    /// Longer runs.
    private var runTerms: [ArraySlice<UInt8>: Int] = [:]
    private var pairs: [UInt64] = []
    // Scratch space for `invert`; `termSlots` is all zeros between documents.
    private var grouped: [UInt64] = []
    private var termSlots: [Int] = []
    private var touchedTerms: [Int] = []
    private var postingBytes = 0
    private var stringBytes = 0

    init() {}

    var documentCount: Int { documents.count }

    /// A rough count of the memory this writer holds, to decide when to flush it.
    var bufferedBytes: Int { texts.count + checkpoints.count + stringBytes + postingBytes + terms.count * 64 }

    mutating func add(_ source: SourceDocument, analyzed: Analyzer.Document) {
        let (id, title, text) = (source.id, source.title, source.text)
        let document = documents.count
        let compressed = _Zstd.compress(text)
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

    /// Groups the document's (term, position) pairs by term in linear time: count each
    /// term's occurrences, give each term a slice of one buffer, then fill the slices in
    /// position order, so every slice is already sorted.
    private mutating func invert(_ text: AnalyzedText, document: Int) {
        pairs.removeAll(keepingCapacity: true)
        let units = text.units
        for index in units.indices {
            let unit = units[index]
            pairs.append(UInt64(termNumber(of: unit, in: text)) << 32 | UInt64(unit.position))
            if unit.isIdeograph, index + 1 < units.count {
                let next = units[index + 1]
                if next.isIdeograph, next.position == unit.position + 1 {
                    pairs.append(UInt64(bigramNumber(unit.ideograph, next.ideograph)) << 32 | UInt64(unit.position))
                }
            }
        }
        if !text.boundaries.isEmpty {
            let boundary = UInt64(boundaryTermNumber())
            for position in text.boundaries {
                pairs.append(boundary << 32 | UInt64(position))
            }
        }
        if termSlots.count < terms.count {
            termSlots.append(contentsOf: repeatElement(0, count: terms.count - termSlots.count))
        }
        touchedTerms.removeAll(keepingCapacity: true)
        for pair in pairs {
            let term = Int(pair >> 32)
            if termSlots[term] == 0 {
                touchedTerms.append(term)
            }
            termSlots[term] += 1
        }
        var next = 0
        for term in touchedTerms {
            let count = termSlots[term]
            termSlots[term] = next
            next += count
        }
        grouped.removeAll(keepingCapacity: true)
        grouped.append(contentsOf: repeatElement(0, count: pairs.count))
        for pair in pairs {
            let term = Int(pair >> 32)
            grouped[termSlots[term]] = pair
            termSlots[term] += 1
        }
        var start = 0
        for term in touchedTerms {
            let end = termSlots[term]
            let before = postings[term].bytes.count
            postings[term].add(document: document, positions: grouped[start..<end])
            postingBytes += postings[term].bytes.count - before
            termSlots[term] = 0
            start = end
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
        if let number = runTerms[run] {
            return number
        }
        let number = newTerm(Array(run))
        runTerms[ArraySlice(terms[number])] = number
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
        terms.append(bytes)
        postings.append(_PostingsBuffer())
        return terms.count - 1
    }
}
