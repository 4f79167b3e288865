/// One input's place in a merge's walk of the dictionaries: its current term and streams
/// over its dictionary and postings, which hold only small windows of the file.
final class _TermCursor {
    private let segment: SegmentReader
    /// The end of the cursor's range of term indices.
    private let end: Int
    private let termStarts: _SectionStream
    private let termBytes: _SectionStream
    private let postingStarts: _SectionStream
    private let postingsStream: _SectionStream
    // A cursor is used by one thread, and a dynamic exclusivity check on every term costs
    // more than reading it.
    @exclusivity(unchecked) private var index = 0
    /// The folded UTF-8 of the term at `index` (reused from term to term).
    @exclusivity(unchecked) private(set) var term: [UInt8] = []
    /// Whether the cursor is past the last term.
    @exclusivity(unchecked) private(set) var isDone = false

    /// A cursor over the terms of `segment` whose indices are in `terms`, at the first.
    init(_ segment: SegmentReader, terms: Range<Int>) throws(IndexError) {
        let file = try _SegmentFileDescriptor(segment)
        self.segment = segment
        (index, end) = (terms.lowerBound, min(terms.upperBound, segment.termCount))
        (termStarts, termBytes) = (_SectionStream(file), _SectionStream(file))
        (postingStarts, postingsStream) = (_SectionStream(file), _SectionStream(file))
        try readTerm()
    }

    func advance() throws(IndexError) {
        index += 1
        try readTerm()
    }

    /// The encoded postings list of `term`, valid until the next call.
    func postings() throws(IndexError) -> UnsafeRawBufferPointer {
        try postingsStream.bytes(try _TermCursor.entry(index, in: postingStarts, .postingStarts, of: .postings, segment))
    }

    private func readTerm() throws(IndexError) {
        guard index < end else {
            isDone = true
            return
        }
        let bytes = try termBytes.bytes(try _TermCursor.entry(index, in: termStarts, .termStarts, of: .termBytes, segment))
        term.removeAll(keepingCapacity: true)
        term.append(contentsOf: bytes)
    }

    /// The file range of entry `index` of `target`, as the offset table `table` (the
    /// section `tableSection` of `segment`) gives it.
    static func entry(
        _ index: Int, in table: _SectionStream, _ tableSection: SegmentFormat.Section, of target: SegmentFormat.Section,
        _ segment: SegmentReader
    ) throws(IndexError) -> Range<Int> {
        let offset = segment.start(of: tableSection) + 4 * index
        let from = Int(try table.loadUInt32(at: offset))
        let to = Int(try table.loadUInt32(at: offset + 4))
        guard from <= to, to <= segment.size(of: target) else {
            throw .corrupt("\(segment.path): the term dictionary points outside its \(target) section")
        }
        return segment.start(of: target) + from..<segment.start(of: target) + to
    }
}
