/// The parts of one encoded postings list (`SegmentFormat`), found by walking it once and
/// checking every value against the segment: the reader decodes documents and frequencies
/// from it, a merge copies the parts as they are.
///
///     var reader = try segment.reader(from: range.lowerBound, to: range.upperBound)
///     let list = try _EncodedPostingsList(&reader, documentCount: segment.documentCount)
///     list.positions   // where the positions start and end in the file
///
/// Invariants, checked: documents ascend below `documentCount`; exactly the documents
/// without the frequency-1 flag have a stored frequency, each above 1; skip entries ascend
/// in both document index and byte offset, and lie inside the list and its positions.
struct _EncodedPostingsList {
    struct SkipEntry {
        /// The document's index in the list.
        var index: Int
        /// Where its positions start, in bytes from the start of `positions`.
        var offset: Int
    }

    private(set) var documentFrequency = 0
    private(set) var firstDocument = 0
    private(set) var firstFlagged = false
    private(set) var lastDocument = 0
    /// The encoded deltas after the first one.
    private(set) var laterDeltas: Range<Int> = 0..<0
    private(set) var frequencies: Range<Int> = 0..<0
    private(set) var skipEntries: [SkipEntry] = []
    private(set) var positions: Range<Int> = 0..<0

    /// Walks the list `reader` is at, to the end of the reader, calling `document` with
    /// each document number and whether its frequency is 1, then `frequency` with each
    /// stored frequency. Inlined, so that the reader's closures are too.
    @inline(__always)
    init(
        _ reader: inout _ByteReader, documentCount: Int,
        document: (_ number: Int, _ frequencyIsOne: Bool) -> Void = { _, _ in },
        frequency: (Int) -> Void = { _ in }
    ) throws(IndexError) {
        let count = try reader.readVarInt()
        guard count <= UInt64(documentCount) else {
            throw .corrupt("\(reader.path): a term claims more documents than its segment has")
        }
        documentFrequency = Int(count)
        var current: UInt64 = 0
        var storedFrequencies = 0
        var laterStart = reader.offset
        if documentFrequency > 0 {
            let flagged = try reader.readVarInt()
            current = flagged >> 1
            guard current < UInt64(documentCount) else {
                throw .corrupt("\(reader.path): a postings list names a document out of order or out of range")
            }
            (firstDocument, firstFlagged, laterStart) = (Int(current), flagged & 1 == 1, reader.offset)
            storedFrequencies += Int(~flagged & 1)
            document(Int(current), flagged & 1 == 1)
        }
        for _ in 1..<max(documentFrequency, 1) {
            let flagged = try reader.readVarInt()
            // No overflow: the document before is below 2^31 and half a u64 delta below 2^63.
            current += flagged >> 1
            guard flagged >> 1 > 0, current < UInt64(documentCount) else {
                throw .corrupt("\(reader.path): a postings list names a document out of order or out of range")
            }
            storedFrequencies += Int(~flagged & 1)
            document(Int(current), flagged & 1 == 1)
        }
        lastDocument = Int(current)
        laterDeltas = laterStart..<reader.offset
        let frequenciesStart = reader.offset
        for _ in 0..<storedFrequencies {
            let stored = try reader.readVarInt()
            guard stored > 1, stored <= UInt64(UInt32.max) else {
                throw .corrupt("\(reader.path): a postings list has an impossible frequency")
            }
            frequency(Int(stored))
        }
        frequencies = frequenciesStart..<reader.offset
        let skipCount = try reader.readVarInt()
        guard skipCount <= count else {
            throw .corrupt("\(reader.path): a postings list has more skip entries than documents")
        }
        skipEntries.reserveCapacity(Int(skipCount))
        var entry = SkipEntry(index: 0, offset: 0)
        for _ in 0..<skipCount {
            let index = try reader.readDelta(after: UInt64(entry.index), atMost: count - 1)
            let offset = try reader.readDelta(after: UInt64(entry.offset), atMost: UInt64(reader.end))
            guard index > UInt64(entry.index) else {
                throw .corrupt("\(reader.path): a postings list's skip entries are out of order")
            }
            entry = SkipEntry(index: Int(index), offset: Int(offset))
            skipEntries.append(entry)
        }
        positions = reader.offset..<reader.end
        guard entry.offset <= positions.count else {
            throw .corrupt("\(reader.path): a skip entry points past its positions")
        }
    }

    /// The list `reader` is at, walked and checked as `init` does, with its documents and
    /// each one's frequency decoded.
    @inline(__always)
    static func decodingDocuments(
        _ reader: inout _ByteReader, documentCount: Int
    ) throws(IndexError) -> (list: _EncodedPostingsList, documents: [Int32], frequencies: [Int]) {
        var peek = reader
        let count = min(Int(clamping: try peek.readVarInt()), documentCount)
        var documents = [Int32](repeating: 0, count: count)
        var frequencies = [Int](repeating: 0, count: count)
        let storedAt = UnsafeMutableBufferPointer<Int32>.allocate(capacity: count)
        defer { storedAt.deallocate() }
        let list = try documents.withUnsafeMutableBufferPointer { (documents) throws(IndexError) in
            try frequencies.withUnsafeMutableBufferPointer { (frequencies) throws(IndexError) in
                try decoding(&reader, documentCount: documentCount, into: documents, frequencies: frequencies, storedAt: storedAt)
            }
        }
        return (list, documents, frequencies)
    }

    /// The list `reader` is at, walked and checked as `init` does, its documents and their
    /// frequencies written to the start of `documents` and `frequencies`; `storedAt` is
    /// scratch with room for as many entries as `documents`. Throws when the list holds more
    /// documents than `documents` has room for.
    @inline(__always)
    static func decoding<Frequency: FixedWidthInteger>(
        _ reader: inout _ByteReader, documentCount: Int,
        into documents: UnsafeMutableBufferPointer<Int32>, frequencies: UnsafeMutableBufferPointer<Frequency>,
        storedAt: UnsafeMutableBufferPointer<Int32>
    ) throws(IndexError) -> _EncodedPostingsList {
        var written = 0
        // The documents whose frequencies are stored, in order: looking for them among the
        // frequencies instead branches on every document, at random.
        var storedCount = 0
        var placed = 0
        var overflowed = false
        // `init` calls `document` once for each document of the list, then `frequency` once
        // for each it reported without the frequency-1 flag.
        let list = try _EncodedPostingsList(&reader, documentCount: documentCount, document: { number, frequencyIsOne in
            guard written < documents.count else {
                overflowed = true
                return
            }
            documents[written] = Int32(number)
            frequencies[written] = 1
            storedAt[storedCount] = Int32(truncatingIfNeeded: written)
            storedCount += frequencyIsOne ? 0 : 1
            written += 1
        }, frequency: { frequency in
            guard placed < storedCount else {
                return  // a document past the room, which throws below
            }
            frequencies[Int(storedAt[placed])] = Frequency(truncatingIfNeeded: frequency)
            placed += 1
        })
        guard !overflowed else {
            throw .corrupt("\(reader.path): a postings list holds more documents than it claims")
        }
        return list
    }

    /// Calls `body` with each document of the encoded list `bytes`, its frequency and its
    /// encoded positions, checking the list as `init` does.
    static func forEachDocument(
        in bytes: UnsafeRawBufferPointer, source: _ByteSource, documentCount: Int,
        _ body: (_ document: Int, _ frequency: Int, _ positions: UnsafeRawBufferPointer) -> Void
    ) throws(IndexError) {
        var reader = _ByteReader(bytes, from: 0, to: bytes.count, source: source)
        let (list, documents, frequencies) = try decodingDocuments(&reader, documentCount: documentCount)
        var positions = _ByteReader(bytes, from: list.positions.lowerBound, to: list.positions.upperBound, source: source)
        for (document, frequency) in zip(documents, frequencies) {
            let start = try positions.skipVarInts(frequency)
            body(Int(document), frequency, UnsafeRawBufferPointer(rebasing: bytes[start..<positions.offset]))
        }
    }
}

extension _EncodedPostingsList {
    /// The index in `skipEntries` (ascending) of the first entry past the document at
    /// `listIndex`, or `skipEntries.count`: a binary search, as a long list has thousands.
    static func firstSkipEntry(after listIndex: Int, in skipEntries: UnsafeBufferPointer<SkipEntry>) -> Int {
        var (low, high) = (0, skipEntries.count)
        while low < high {
            let middle = (low + high) / 2
            if skipEntries[middle].index <= listIndex {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    /// A reader at the first position of the document at `listIndex`, ending where the
    /// skip entry `skipEntries[following]` (the first past the document) points, or at the
    /// end of `positions` (where the list's positions lie in the file). It starts at the
    /// entry before that one, or at `resume` (where an earlier document's positions end)
    /// when that is nearer, and skips the positions of the documents in between,
    /// `frequency(i)` for the document at list index `i`.
    @inline(__always)
    static func positionsReader(
        at listIndex: Int, following: Int, of skipEntries: UnsafeBufferPointer<SkipEntry>, resume: SkipEntry?,
        positions: Range<Int>, in segment: SegmentReader, frequency: (Int) -> Int
    ) throws(IndexError) -> _ByteReader {
        var from = following > 0 ? skipEntries[following - 1] : SkipEntry(index: 0, offset: 0)
        if let resume, resume.index > from.index, resume.index <= listIndex {
            from = resume
        }
        let end = following < skipEntries.count ? skipEntries[following].offset : positions.count
        guard from.offset <= end else {
            throw .corrupt("\(segment.path): a skip entry points past the next one")
        }
        var reader = try segment.reader(from: positions.lowerBound + from.offset, to: positions.lowerBound + end)
        var between = 0
        for earlier in from.index..<listIndex {
            between += frequency(earlier)
        }
        _ = try reader.skipVarInts(between)
        return reader
    }
}
