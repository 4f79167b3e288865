import CPrefetch

/// Walks a range of a `SegmentWriter`'s terms in dictionary order, for `SegmentSerializer`
/// to write them, alone or joined with other writers' terms.
///
///     let cursor = _WriterTermCursor(writer, order: writer.sortedTerms(), range: 0..<count)
///     while !cursor.isDone {
///         cursor.postingsOfTerm.encode(into: &output, pool: writer.pool, scratch: &scratch)
///         cursor.advance()
///     }
///
/// In dictionary order the terms' entries and streams are met at random, and reading them
/// one at a time waits out a cache miss for each: the cursor copies a block of entries at a
/// time, with their terms' bytes, and prefetches the streams of the term
/// `SegmentWriter.prefetchDistance` ahead. A class with its block in buffers of its own, so
/// that the join's loop over cursors copies nothing per term. Reads the writer only, so
/// cursors on one writer may run on several threads.
///
/// Invariants: `blockTermEnds[i]` is where block term `i`'s bytes end in `blockTermBytes`,
/// ascending, at most `blockTermCapacity`; `0 <= inBlock <= blockCount <= blockSize`.
final class _WriterTermCursor {
    private static let blockSize = 1024

    private let postings: [_TermPostings]
    private let termBytes: [UInt8]
    private let termStarts: [Int]
    private let pool: _ByteStreamPool
    private let order: [Int]
    /// The index in `order` of the first term not yet in the block.
    private var nextToLoad: Int
    private let end: Int

    private let blockPostings = UnsafeMutableBufferPointer<_TermPostings>.allocate(capacity: _WriterTermCursor.blockSize)
    /// Each block term's first eight bytes as a big-endian integer, zero-padded.
    private let blockPrefixes = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: _WriterTermCursor.blockSize)
    private let blockTermEnds = UnsafeMutableBufferPointer<Int>.allocate(capacity: _WriterTermCursor.blockSize)
    /// The block's terms' bytes, back to back, in `blockTermCapacity` bytes.
    private var blockTermBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 4096)
    private var blockTermCapacity = 4096
    private var blockCount = 0
    private var inBlock = 0

    init(_ writer: SegmentWriter, order: [Int], range: Range<Int>) {
        (postings, termBytes, termStarts, pool) = (writer.postings, writer.termBytes, writer.termStarts, writer.pool)
        self.order = order
        (nextToLoad, end) = (range.lowerBound, range.upperBound)
        loadBlock()
    }

    deinit {
        blockPostings.deallocate()
        blockPrefixes.deallocate()
        blockTermEnds.deallocate()
        blockTermBytes.deallocate()
    }

    var isDone: Bool { inBlock == blockCount }

    /// The current term's postings; only while not `isDone`.
    var postingsOfTerm: _TermPostings {
        assert(inBlock < blockCount, "a cursor past its last term has no postings")
        return blockPostings[inBlock]
    }

    /// Calls `body` with the current term's folded UTF-8; only while not `isDone`.
    func withTerm<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        assert(inBlock < blockCount && blockTermEnds[inBlock] <= blockTermCapacity, "a cursor past its last term has no term")
        let start = inBlock == 0 ? 0 : blockTermEnds[inBlock - 1]
        return body(UnsafeBufferPointer(start: blockTermBytes + start, count: blockTermEnds[inBlock] - start))
    }

    /// Whether the current term sorts before `other`'s (below 0), with it (0) or after it;
    /// both only while not `isDone`. Most terms differ in their first eight bytes.
    func compareTerm(with other: _WriterTermCursor) -> Int {
        let (mine, theirs) = (blockPrefixes[inBlock], other.blockPrefixes[other.inBlock])
        if mine != theirs {
            return mine < theirs ? -1 : 1
        }
        return withTerm { mine in other.withTerm { SegmentSerializer.compare(mine, $0) } }
    }

    func advance() {
        inBlock += 1
        if inBlock == blockCount {
            loadBlock()
        } else if inBlock + SegmentWriter.prefetchDistance < blockCount {
            blockPostings[inBlock + SegmentWriter.prefetchDistance].prefetchStarts(pool)
        }
    }

    private func loadBlock() {
        let (first, count) = (nextToLoad, min(_WriterTermCursor.blockSize, end - nextToLoad))
        var (loaded, filled) = (0, 0)
        // Read through buffers taken once a block: reading the arrays of `self` term by term
        // would retain and release each of them every time.
        order.withUnsafeBufferPointer { order in
            postings.withUnsafeBufferPointer { postings in
                termBytes.withUnsafeBufferPointer { termBytes in
                    termStarts.withUnsafeBufferPointer { termStarts in
                        guard let bytesBase = termBytes.baseAddress, let startsBase = termStarts.baseAddress else {
                            return
                        }
                        // The entry and the term's start, then (once that start is in cache)
                        // the term's bytes, are asked for ahead.
                        let distance = SegmentWriter.prefetchDistance
                        for index in 0..<count {
                            if index + 2 * distance < count {
                                let ahead = order[first + index + 2 * distance]
                                postings.prefetch(ahead)
                                bay_prefetch(startsBase + ahead)
                            }
                            if index + distance < count {
                                bay_prefetch(bytesBase + termStarts[order[first + index + distance]])
                            }
                            let term = order[first + index]
                            let bytes = UnsafeBufferPointer(rebasing: termBytes[termStarts[term]..<termStarts[term + 1]])
                            blockPostings[index] = postings[term]
                            blockPrefixes[index] = _WriterTermCursor.prefix(of: bytes)
                            reserveTermBytes(filled + bytes.count, keeping: filled)
                            if let base = bytes.baseAddress {
                                (blockTermBytes + filled).update(from: base, count: bytes.count)
                            }
                            filled += bytes.count
                            blockTermEnds[index] = filled
                            loaded += 1
                        }
                    }
                }
            }
        }
        (nextToLoad, blockCount, inBlock) = (first + loaded, loaded, 0)
        for index in 0..<min(loaded, SegmentWriter.prefetchDistance) {
            blockPostings[index].prefetchStarts(pool)
        }
    }

    /// Grows `blockTermBytes` to hold at least `needed` bytes, keeping its first `filled`.
    private func reserveTermBytes(_ needed: Int, keeping filled: Int) {
        guard needed > blockTermCapacity else {
            return
        }
        let capacity = max(needed, 2 * blockTermCapacity)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: blockTermBytes, count: filled)
        blockTermBytes.deallocate()
        (blockTermBytes, blockTermCapacity) = (grown, capacity)
    }

    private static func prefix(of bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var prefix: UInt64 = 0
        for byte in bytes.prefix(8) {
            prefix = prefix << 8 | UInt64(byte)
        }
        return prefix << (8 * UInt64(8 - min(bytes.count, 8)))
    }
}
