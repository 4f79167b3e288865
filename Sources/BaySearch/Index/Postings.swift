/// One term's postings in one segment: the documents that hold it and how often, decoded
/// at once; the positions in each document, decoded only when asked for.
///
/// On disk (see `SegmentFormat`) a list is `documentFrequency`, then every document delta
/// (its low bit set when the document holds the term once), the frequencies above 1, the
/// byte length of each full block of `_PostingsListEncoder.skipInterval` documents'
/// positions, then the positions, so that intersecting lists touches no positions and the
/// positions of one document are found by skipping less than a block.
///
/// Documents the segment marks deleted are left out, so nothing above sees them.
///
/// Invariant: `documents` ascends; the positions of `documents[i]` are `frequencies[i]`
/// varint deltas in the segment's bytes, found from `blockStarts[listIndices[i] / interval]`
/// by skipping the positions of the documents before it in its block.
struct Postings {
    private(set) var documents: [Int32] = []
    private(set) var frequencies: [Int] = []
    /// Each kept document's index in the list on disk, which deleted documents still
    /// occupy; empty when the segment deletes none, as the indices are then the same.
    private var listIndices: [Int32] = []
    /// The frequency of every document of the list on disk, deleted ones included.
    private var listFrequencies: [Int] = []
    private var blockStarts: [Int] = []
    private var positionsEnd = 0
    private let segment: SegmentReader

    var documentFrequency: Int { documents.count }

    /// Decodes the document part of a list, checking every value against the segment.
    init(decoding reader: inout _ByteReader, end: Int, in segment: SegmentReader) throws(IndexError) {
        self.segment = segment
        let count = Int(try reader.readVarInt())
        guard count <= segment.documentCount else {
            throw .corrupt("\(segment.path): a term claims more documents than its segment has")
        }
        documents.reserveCapacity(count)
        frequencies.reserveCapacity(count)
        var document: UInt64 = 0
        for index in 0..<count {
            let flagged = try reader.readVarInt()
            let (next, overflow) = (index == 0 ? 0 : document).addingReportingOverflow(flagged >> 1)
            guard !overflow, next < UInt64(segment.documentCount), index == 0 || next > document else {
                throw .corrupt("\(segment.path): a postings list names a document out of order or out of range")
            }
            document = next
            documents.append(Int32(document))
            frequencies.append(flagged & 1 == 1 ? 1 : 0)  // 0: stored among the frequencies
        }
        for index in 0..<count where frequencies[index] == 0 {
            let frequency = try reader.readVarInt()
            guard frequency > 1, frequency <= UInt64(UInt32.max) else {
                throw .corrupt("\(segment.path): a postings list has an impossible frequency")
            }
            frequencies[index] = Int(frequency)
        }
        let blocks = count > 0 ? (count - 1) / _PostingsListEncoder.skipInterval : 0
        var lengths: [Int] = []
        lengths.reserveCapacity(blocks)
        for _ in 0..<blocks {
            lengths.append(Int(clamping: try reader.readVarInt()))
        }
        var start = reader.offset
        blockStarts.reserveCapacity(blocks + 1)
        blockStarts.append(start)
        for length in lengths {
            guard length <= end - start else {
                throw .corrupt("\(segment.path): positions run past their postings list")
            }
            start += length
            blockStarts.append(start)
        }
        positionsEnd = end
        listFrequencies = frequencies
        if !segment.deleted.isEmpty {
            removeDeleted()
        }
    }

    private mutating func removeDeleted() {
        listIndices = (0..<Int32(documents.count)).map { $0 }
        var kept = 0
        for index in documents.indices where !segment.deleted.contains(Int(documents[index])) {
            documents[kept] = documents[index]
            frequencies[kept] = frequencies[index]
            listIndices[kept] = listIndices[index]
            kept += 1
        }
        documents.removeLast(documents.count - kept)
        frequencies.removeLast(frequencies.count - kept)
        listIndices.removeLast(listIndices.count - kept)
    }

    /// The byte range of the encoded positions of `documents[index]`: from the start of its
    /// block, skip the positions of the documents before it.
    private func positionRange(at index: Int) throws(IndexError) -> Range<Int> {
        let listIndex = listIndices.isEmpty ? index : Int(listIndices[index])
        let block = listIndex / _PostingsListEncoder.skipInterval
        let blockEnd = block + 1 < blockStarts.count ? blockStarts[block + 1] : positionsEnd
        var reader = try segment.reader(from: blockStarts[block], to: blockEnd)
        for earlier in block * _PostingsListEncoder.skipInterval..<listIndex {
            _ = try reader.skipVarInts(listFrequencies[earlier])
        }
        let start = try reader.skipVarInts(frequencies[index])
        return start..<reader.offset
    }

    /// Calls `body` with every document in order, its frequency and its encoded positions,
    /// walking the positions once: how a merge copies them as they are.
    func forEachDocument(
        _ body: (_ document: Int32, _ frequency: Int, _ positions: UnsafeRawBufferPointer) throws(IndexError) -> Void
    ) throws(IndexError) {
        var reader = try segment.reader(from: blockStarts[0], to: positionsEnd)
        var kept = 0
        for listIndex in listFrequencies.indices {
            let start = try reader.skipVarInts(listFrequencies[listIndex])
            guard kept < documents.count, listIndices.isEmpty || Int(listIndices[kept]) == listIndex else {
                continue  // deleted
            }
            try body(documents[kept], frequencies[kept], try segment.bytes(start..<reader.offset))
            kept += 1
        }
    }

    /// The ascending positions of the term in `documents[index]`.
    func positions(at index: Int) throws(IndexError) -> [UInt32] {
        var positions: [UInt32] = []
        try self.positions(at: index, into: &positions)
        return positions
    }

    /// Replaces the contents of `positions` with the term's positions in `documents[index]`,
    /// reusing its storage: phrase matching calls this for every candidate document.
    func positions(at index: Int, into positions: inout [UInt32]) throws(IndexError) {
        let range = try positionRange(at: index)
        var reader = try segment.reader(from: range.lowerBound, to: range.upperBound)
        positions.removeAll(keepingCapacity: true)
        var position: UInt64 = 0
        for _ in 0..<frequencies[index] {
            position = try reader.readDelta(after: position, atMost: UInt64(UInt32.max))
            positions.append(UInt32(position))
        }
    }
}
