/// The term dictionary, gathered while postings stream out: the sorted terms' bytes and
/// where each starts, and where each term's list starts in the postings; written at the
/// end in the blocks of `SegmentFormat`.
struct _TermDictionaryBuilder {
    private var termBytes: [UInt8] = []
    private var termStarts: [UInt8] = []
    private var postingStarts: [UInt8] = []
    private var postingsEnd = 0
    private(set) var count = 0

    mutating func append(term: some Collection<UInt8>, postingsLength: Int) {
        SegmentSerializer.appendInteger(UInt32(truncatingIfNeeded: termBytes.count), to: &termStarts)
        termBytes.append(contentsOf: term)
        SegmentSerializer.appendInteger(UInt32(truncatingIfNeeded: postingsEnd), to: &postingStarts)
        postingsEnd += postingsLength
        count += 1
    }

    /// Appends the terms of `other` after these, their postings after these postings: how
    /// the two halves of a merge split by term join. Offsets that outgrow 32 bits wrap here
    /// and are refused by `write`, which checks the totals.
    mutating func append(contentsOf other: _TermDictionaryBuilder) {
        for index in 0..<other.count {
            SegmentSerializer.appendInteger(
                UInt32(truncatingIfNeeded: termBytes.count + other.offset(index, in: other.termStarts)), to: &termStarts)
            SegmentSerializer.appendInteger(
                UInt32(truncatingIfNeeded: postingsEnd + other.offset(index, in: other.postingStarts)), to: &postingStarts)
        }
        termBytes += other.termBytes
        postingsEnd += other.postingsEnd
        count += other.count
    }

    /// Entry `index` of an offset table of little-endian u32s.
    private func offset(_ index: Int, in table: [UInt8]) -> Int {
        table.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))) }
    }

    /// Writes the terms in blocks (`termBlocks`), each term front-coded against the one before
    /// it in its block, then where each block starts (`termBlockStarts`), closed by the
    /// sections' sizes.
    func write(to file: _SegmentFileWriter) throws(IndexError) {
        guard termBytes.count <= Int(UInt32.max) else {
            throw .unwritable(path: file.path, reason: "the term dictionary outgrew its 4 GiB limit")
        }
        guard postingsEnd <= Int(UInt32.max) else {
            throw .unwritable(path: file.path, reason: "the postings outgrew the 4 GiB a segment may hold")
        }
        var blocks: [UInt8] = []
        var blockStarts: [UInt8] = []
        termBytes.withUnsafeBufferPointer { terms in
            var previous = 0..<0
            for index in 0..<count {
                let term = offset(index, in: termStarts)..<(index + 1 < count ? offset(index + 1, in: termStarts) : terms.count)
                let postingsStart = offset(index, in: postingStarts)
                let postingsLength = (index + 1 < count ? offset(index + 1, in: postingStarts) : postingsEnd) - postingsStart
                if index % SegmentFormat.termsPerBlock == 0 {
                    SegmentSerializer.appendInteger(UInt32(truncatingIfNeeded: blocks.count), to: &blockStarts)
                    SegmentSerializer.appendInteger(UInt32(truncatingIfNeeded: postingsStart), to: &blockStarts)
                    previous = 0..<0
                }
                var shared = 0
                while shared < min(previous.count, term.count) && terms[previous.lowerBound + shared] == terms[term.lowerBound + shared] {
                    shared += 1
                }
                _VarInt.append(UInt64(shared), to: &blocks)
                _VarInt.append(UInt64(term.count - shared), to: &blocks)
                blocks.append(contentsOf: terms[(term.lowerBound + shared)..<term.upperBound])
                _VarInt.append(UInt64(postingsLength), to: &blocks)
                previous = term
            }
        }
        guard blocks.count <= Int(UInt32.max) else {
            throw .unwritable(path: file.path, reason: "the term dictionary outgrew its 4 GiB limit")
        }
        SegmentSerializer.appendInteger(UInt32(blocks.count), to: &blockStarts)
        SegmentSerializer.appendInteger(UInt32(postingsEnd), to: &blockStarts)
        file.beginSection(.termBlocks)
        try file.append(blocks)
        file.beginSection(.termBlockStarts)
        try file.append(blockStarts)
    }
}
