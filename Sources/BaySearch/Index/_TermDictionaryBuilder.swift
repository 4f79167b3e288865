/// The term dictionary sections, gathered while postings stream out: the sorted terms'
/// bytes and the offset tables into them and into the postings.
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

    /// Writes termBytes, termStarts and postingStarts, each table closed by its end offset.
    func write(to file: _SegmentFileWriter) throws(IndexError) {
        guard termBytes.count <= Int(UInt32.max) else {
            throw .unwritable(path: file.path, reason: "the term dictionary outgrew its 4 GiB limit")
        }
        guard postingsEnd <= Int(UInt32.max) else {
            throw .unwritable(path: file.path, reason: "the postings outgrew the 4 GiB a segment may hold")
        }
        var termStarts = self.termStarts
        var postingStarts = self.postingStarts
        SegmentSerializer.appendInteger(UInt32(termBytes.count), to: &termStarts)
        SegmentSerializer.appendInteger(UInt32(postingsEnd), to: &postingStarts)
        file.beginSection(.termBytes)
        try file.append(termBytes)
        file.beginSection(.termStarts)
        try file.append(termStarts)
        file.beginSection(.postingStarts)
        try file.append(postingStarts)
    }
}
