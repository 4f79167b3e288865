import Foundation

/// Writes the contents of one `SegmentWriter`, or of several joined, to disk in the segment
/// file format (`SegmentFormat`).
///
///     try SegmentSerializer.write(writer, to: "index/seg-1-0.bay")
///     try SegmentSerializer.write([.init(first), .init(second)], to: "index/seg-1-1.bay")
///
/// Writers joined give, byte for byte, the segment that merging their own segments would
/// give (the first writer's documents, then the second's…, each term's lists one after the
/// other, renumbered), without writing those segments first: how a build's workers end in
/// one segment. A large write puts the terms above a pivot on a second thread, as
/// `SegmentMerger` does.
enum SegmentSerializer {
    /// A writer with its terms in dictionary order, sorted on the thread that filled it.
    struct Part {
        let writer: SegmentWriter
        let terms: [Int]

        init(_ writer: SegmentWriter) {
            self.writer = writer
            terms = writer.sortedTerms()
        }

        /// The index in `terms` of the first term not below `pivot`.
        func firstTerm(notBelow pivot: [UInt8]) -> Int {
            var (low, high) = (0, terms.count)
            while low < high {
                let middle = (low + high) / 2
                if SegmentSerializer.bytewiseLess(Array(writer.term(terms[middle])), pivot) {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            return low
        }
    }

    /// Every how many terms `splitPoints` samples a term's size.
    private static let sampleInterval = 16
    /// The share of the terms' work the calling thread takes: it also writes the documents
    /// and copies the other thread's spill, about a sixth of a large write's time.
    private static let lowerShare = 0.46
    /// Bytes of positions that take about as long to copy as a term's fixed work.
    private static let bytesPerTerm = 4096.0

    /// Streams the segment to a new file at `path` and syncs it, or hands it to `syncs` to
    /// sync; on failure nothing is left.
    static func write(_ writer: SegmentWriter, to path: String, syncedBy syncs: _BackgroundSync? = nil) throws(IndexError) {
        try write([Part(writer)], to: path, syncedBy: syncs)
    }

    /// Streams one segment holding the documents of every part, in order, to a new file at
    /// `path`, with two threads once the parts hold `twoThreadsFrom` bytes of postings (on a
    /// machine with more than one core); syncs it or hands it to `syncs`.
    static func write(
        _ parts: [Part], to path: String, syncedBy syncs: _BackgroundSync? = nil,
        twoThreadsFrom: Int = SegmentMerger.twoThreadPostingsBytes
    ) throws(IndexError) {
        var firstNumbers: [Int] = []
        var documentCount = 0
        for part in parts {
            firstNumbers.append(documentCount)
            documentCount += part.writer.documentCount
        }
        guard documentCount <= SegmentWriter.maximumDocumentCount else {
            throw .unwritable(path: path, reason: "the segment would exceed the format's limits")
        }
        let file = try _SegmentFileWriter(path: path)
        let (upper, lowerRanges) = try splitTerms(parts, firstNumbers: firstNumbers, nextTo: path, twoThreadsFrom: twoThreadsFrom)
        do {
            try writeDocuments(parts, to: file, path: path)
            file.beginSection(.postings)
            var dictionary = try writeTerms(parts, ranges: lowerRanges, firstNumbers: firstNumbers) {
                encoded throws(IndexError) in try file.append(encoded)
            }
            try upper?.appendUpperTerms(to: &dictionary, postingsTo: file)
            try dictionary.write(to: file)
            try file.finish(
                documentCount: documentCount, totalWords: parts.reduce(0) { $0 + $1.writer.totalWords },
                termCount: dictionary.count, syncedBy: syncs)
        } catch {
            _ = try? upper?.wait()  // the thread reads the writers: they must outlive it
            throw error
        }
    }

    /// Writes the documents' sections (records, lengths, ids and titles, stored texts,
    /// checkpoints), each part's after the one before.
    private static func writeDocuments(_ parts: [Part], to file: _SegmentFileWriter, path: String) throws(IndexError) {
        var records = _DocumentRecords()
        var (textBase, checkpointBase) = (0, 0)
        for part in parts {
            for document in part.writer.documents {
                records.append(
                    idLength: document.id.utf8.count, titleLength: document.title.utf8.count,
                    textStart: textBase + document.textStart, storedLength: document.storedLength,
                    textLength: document.textLength, wordCount: document.wordCount, compressed: document.compressed,
                    checkpointStart: checkpointBase + document.checkpointStart, checkpointLength: document.checkpointLength,
                    contentHash: document.contentHash)
            }
            textBase += part.writer.texts.count
            checkpointBase += part.writer.checkpoints.count
            guard checkpointBase <= Int(UInt32.max), records.stringBytes <= Int(UInt32.max) else {
                throw .unwritable(path: path, reason: "the segment would exceed the format's limits")
            }
        }
        file.beginSection(.documents)
        try file.append(records.bytes)
        file.beginSection(.lengths)
        try file.append(records.lengths)
        file.beginSection(.strings)
        for part in parts {
            for document in part.writer.documents {
                try file.append(Array(document.id.utf8))
                try file.append(Array(document.title.utf8))
            }
        }
        file.beginSection(.texts)
        for part in parts {
            try file.append(part.writer.texts)
        }
        file.beginSection(.checkpoints)
        for part in parts {
            try file.append(part.writer.checkpoints)
        }
    }

    /// How the terms divide between threads: for a large write, a second thread is started
    /// on the terms from a pivot up (in every part), and the ranges below it are returned
    /// for this thread; otherwise no thread and every term.
    private static func splitTerms(
        _ parts: [Part], firstNumbers: [Int], nextTo path: String, twoThreadsFrom: Int
    ) throws(IndexError) -> (upper: _UpperTermsThread?, lowerRanges: [Range<Int>]) {
        let everything = parts.map { 0..<$0.terms.count }
        guard ProcessInfo.processInfo.activeProcessorCount > 1,
              parts.reduce(0, { $0 + $1.writer.pool.bytes }) >= twoThreadsFrom,
              let splits = splitPoints(parts) else {
            return (nil, everything)
        }
        let upperRanges = zip(parts, splits).map { $1..<$0.terms.count }
        let upper = try _UpperTermsThread(nextTo: path) { spill throws(IndexError) in
            try writeTerms(parts, ranges: upperRanges, firstNumbers: firstNumbers) { encoded throws(IndexError) in
                try spill.append(encoded)
            }
        }
        return (upper, splits.map { 0..<$0 })
    }

    /// Where each part's sorted terms divide at a pivot: where the lower terms take about
    /// `lowerShare` of the largest part's estimated work, from every `sampleInterval`th
    /// term; nil when that leaves nothing below the pivot. A term's work is mostly its own
    /// (its entry, its streams' first chunks and its dictionary entry are cache misses), plus
    /// copying its positions: it counts as one plus its positions over `bytesPerTerm`.
    private static func splitPoints(_ parts: [Part]) -> [Int]? {
        guard let largest = parts.indices.max(by: { parts[$0].writer.pool.bytes < parts[$1].writer.pool.bytes }) else {
            return nil
        }
        let (writer, terms) = (parts[largest].writer, parts[largest].terms)
        let samples = Array(stride(from: sampleInterval / 2, to: terms.count, by: sampleInterval))
        let work = samples.map { 1 + Double(writer.postings[terms[$0]].positionByteCount) / bytesPerTerm }
        let lowerWork = work.reduce(0, +) * lowerShare
        var sum = 0.0
        guard let sample = work.firstIndex(where: { sum += $0; return sum > lowerWork }), samples[sample] > 0 else {
            return nil
        }
        let middle = samples[sample]
        let pivot = Array(writer.term(terms[middle]))
        return parts.indices.map { index in
            index == largest ? middle : parts[index].firstTerm(notBelow: pivot)
        }
    }

    /// Walks the parts' sorted terms together, each over its range, and passes every term's
    /// list to `emit`; returns their dictionary. A term's list is the lists of the parts
    /// holding it, in part order, each renumbered from its part's first number.
    private static func writeTerms(
        _ parts: [Part], ranges: [Range<Int>], firstNumbers: [Int],
        emit: (_ encoded: UnsafeRawBufferPointer) throws(IndexError) -> Void
    ) throws(IndexError) -> _TermDictionaryBuilder {
        let cursors = zip(parts, ranges).map { _WriterTermCursor($0.writer, order: $0.terms, range: $1) }
        // Unretained, used through `_withUnsafeGuaranteedRef`: both threads of a join read
        // the same pools, and retaining one for every term from both made its reference
        // count a cache line they fought over (builds 0.98x CPU). `parts` keeps them alive,
        // and `cursors` the cursors, whose retains and releases for every term took 5% of
        // a join's samples.
        let pools = parts.map { Unmanaged.passUnretained($0.writer.pool) }
        let cursorRefs = cursors.map { Unmanaged.passUnretained($0) }
        var dictionary = _TermDictionaryBuilder()
        var list = _PostingsListEncoder()
        var scratch = _TermPostings.Scratch()
        var encoded = _ByteBuffer()
        var holders: [Int] = []
        return try withExtendedLifetime(cursors) { () throws(IndexError) -> _TermDictionaryBuilder in
            while true {
                holders.removeAll(keepingCapacity: true)
                for index in cursorRefs.indices {
                    // nil for a cursor that is done; else its term against the smallest so
                    // far, 0 for the first cursor met.
                    let order = cursorRefs[index]._withUnsafeGuaranteedRef { cursor -> Int? in
                        guard !cursor.isDone else {
                            return nil
                        }
                        guard let smallest = holders.first else {
                            return 0
                        }
                        return cursorRefs[smallest]._withUnsafeGuaranteedRef { cursor.compareTerm(with: $0) }
                    }
                    guard let order, order <= 0 else {
                        continue
                    }
                    if order < 0 {
                        holders.removeAll(keepingCapacity: true)
                    }
                    holders.append(index)
                }
                guard let first = holders.first else {
                    return dictionary
                }
                encoded.removeAll()
                if holders.count == 1 && firstNumbers[first] == 0 {
                    let postings = cursorRefs[first]._withUnsafeGuaranteedRef { $0.postingsOfTerm }
                    pools[first]._withUnsafeGuaranteedRef { postings.encode(into: &encoded, pool: $0, scratch: &scratch) }
                } else {
                    list.removeAll()
                    for index in holders {
                        let postings = cursorRefs[index]._withUnsafeGuaranteedRef { $0.postingsOfTerm }
                        pools[index]._withUnsafeGuaranteedRef { pool in
                            postings.append(to: &list, firstNumber: firstNumbers[index], pool: pool, scratch: &scratch)
                        }
                    }
                    list.write(to: &encoded)
                    for index in holders {
                        let postings = cursorRefs[index]._withUnsafeGuaranteedRef { $0.postingsOfTerm }
                        pools[index]._withUnsafeGuaranteedRef { postings.copyPositions(to: &encoded, pool: $0) }
                    }
                }
                cursorRefs[first]._withUnsafeGuaranteedRef { cursor in
                    cursor.withTerm { dictionary.append(term: $0, postingsLength: encoded.count) }
                }
                try encoded.withBytes(emit)
                for index in holders {
                    cursorRefs[index]._withUnsafeGuaranteedRef { $0.advance() }
                }
            }
        }
    }

    /// `memcmp`'s order as a sign: below 0 when `left` sorts first.
    static func compare(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(left.count, right.count)
        if common > 0, let leftBase = left.baseAddress, let rightBase = right.baseAddress {
            let order = memcmp(leftBase, rightBase, common)
            if order != 0 {
                return Int(order)
            }
        }
        return left.count - right.count
    }

    /// `memcmp` order, the order the reader's binary search expects.
    static func bytewiseLess(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        left.withUnsafeBufferPointer { left in
            right.withUnsafeBufferPointer { right in bytewiseLess(left, right) }
        }
    }

    static func bytewiseLess(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        compare(left, right) < 0
    }

    @inline(__always)
    static func appendInteger<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
