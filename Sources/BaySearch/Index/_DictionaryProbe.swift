/// Single entries of one segment's term dictionary, read anywhere with `pread`: how a merge
/// finds where to split its terms between two threads without mapping its inputs.
///
///     let probe = try _DictionaryProbe(segment)
///     let pivot = try probe.term(at: try probe.termAtMiddleOfPostings())
///     let split = try probe.firstTerm(notBelow: pivot)
///
/// Each read goes through fresh `_SectionStream`s (a stream only moves forward), so a binary
/// search costs a few dozen small checked reads.
struct _DictionaryProbe {
    private let segment: SegmentReader
    private let file: _SegmentFileDescriptor

    init(_ segment: SegmentReader) throws(IndexError) {
        self.segment = segment
        file = try _SegmentFileDescriptor(segment)
    }

    /// The folded UTF-8 of the term at `index`.
    func term(at index: Int) throws(IndexError) -> [UInt8] {
        var (bytes, block) = try _TermCursor.block(
            index / SegmentFormat.termsPerBlock, of: segment, table: _SectionStream(file), blocks: _SectionStream(file))
        try block.read(through: index % SegmentFormat.termsPerBlock, in: bytes)
        return block.term
    }

    /// The index of the first term, in dictionary order, not below `pivot` (`termCount`
    /// when every term is below it).
    func firstTerm(notBelow pivot: [UInt8]) throws(IndexError) -> Int {
        var low = 0
        var high = segment.termCount
        while low < high {
            let middle = (low + high) / 2
            if SegmentSerializer.bytewiseLess(try term(at: middle), pivot) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    /// The index of the first term whose postings start in the second half of the
    /// segment's postings: a split there gives each side about half the bytes to merge.
    func termAtMiddleOfPostings() throws(IndexError) -> Int {
        let half = segment.size(of: .postings) / 2
        let table = segment.start(of: .termBlockStarts)
        // The first block whose first list starts in the second half.
        var low = 0
        var high = SegmentFormat.termBlockCount(segment.termCount)
        while low < high {
            let middle = (low + high) / 2
            if Int(try _SectionStream(file).loadUInt32(at: table + 8 * middle + 4)) < half {
                low = middle + 1
            } else {
                high = middle
            }
        }
        // A later term of the block before it may start there too.
        if low > 0 {
            var (bytes, block) = try _TermCursor.block(low - 1, of: segment, table: _SectionStream(file), blocks: _SectionStream(file))
            while try block.next(in: bytes) {
                if block.postings.lowerBound >= half {
                    return (low - 1) * SegmentFormat.termsPerBlock + block.count - 1
                }
            }
        }
        return min(low * SegmentFormat.termsPerBlock, segment.termCount)
    }
}
