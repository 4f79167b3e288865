/// One input's place in a merge's walk of the dictionaries: its current term and streams
/// over its dictionary and postings, which hold only small windows of the file.
final class _TermCursor {
    private let segment: SegmentReader
    /// The end of the cursor's range of term indices.
    private let end: Int
    private let blockStarts: _SectionStream
    private let blocks: _SectionStream
    private let postingsStream: _SectionStream
    // A cursor is used by one thread, and a dynamic exclusivity check on every term costs
    // more than reading it.
    @exclusivity(unchecked) private var index = 0
    /// The bytes of the block holding the term at `index`, and the reading of it.
    @exclusivity(unchecked) private var blockBytes: [UInt8] = []
    @exclusivity(unchecked) private var block: _TermBlock
    /// Whether the cursor is past the last term.
    @exclusivity(unchecked) private(set) var isDone = false

    /// A cursor over the terms of `segment` whose indices are in `terms`, at the first.
    init(_ segment: SegmentReader, terms: Range<Int>) throws(IndexError) {
        let file = try _SegmentFileDescriptor(segment)
        self.segment = segment
        (index, end) = (terms.lowerBound, min(terms.upperBound, segment.termCount))
        (blockStarts, blocks, postingsStream) = (_SectionStream(file), _SectionStream(file), _SectionStream(file))
        block = _TermBlock(postingsStart: 0, path: segment.path)
        guard index < end else {
            isDone = true
            return
        }
        (blockBytes, block) = try _TermCursor.block(
            index / SegmentFormat.termsPerBlock, of: segment, table: blockStarts, blocks: blocks)
        try block.read(through: index % SegmentFormat.termsPerBlock, in: blockBytes)
    }

    /// The folded UTF-8 of the current term.
    var term: [UInt8] { block.term }

    func advance() throws(IndexError) {
        index += 1
        guard index < end else {
            isDone = true
            return
        }
        if index % SegmentFormat.termsPerBlock == 0 {
            (blockBytes, block) = try _TermCursor.block(
                index / SegmentFormat.termsPerBlock, of: segment, table: blockStarts, blocks: blocks)
        }
        try block.read(through: index % SegmentFormat.termsPerBlock, in: blockBytes)
    }

    /// The encoded postings list of the current term, valid until the next call.
    func postings() throws(IndexError) -> UnsafeRawBufferPointer {
        guard block.postings.upperBound <= segment.size(of: .postings) else {
            throw .corrupt("\(segment.path): a postings list points outside its section")
        }
        let start = segment.start(of: .postings)
        return try postingsStream.bytes(start + block.postings.lowerBound..<start + block.postings.upperBound)
    }

    /// Block `block` of `segment`'s dictionary, read through `table` and `blocks` (each only
    /// forward): a copy of its bytes and a reading at its start.
    static func block(
        _ block: Int, of segment: SegmentReader, table: _SectionStream, blocks: _SectionStream
    ) throws(IndexError) -> (bytes: [UInt8], start: _TermBlock) {
        let entry = segment.start(of: .termBlockStarts) + 8 * block
        let (from, postings) = (Int(try table.loadUInt32(at: entry)), Int(try table.loadUInt32(at: entry + 4)))
        let (to, postingsEnd) = (Int(try table.loadUInt32(at: entry + 8)), Int(try table.loadUInt32(at: entry + 12)))
        guard from < to, to <= segment.size(of: .termBlocks), postings <= postingsEnd, postingsEnd <= segment.size(of: .postings) else {
            throw .corrupt("\(segment.path): the term dictionary points outside its sections")
        }
        let start = segment.start(of: .termBlocks)
        return (try blocks.copyBytes(start + from..<start + to), _TermBlock(postingsStart: postings, path: segment.path))
    }
}
