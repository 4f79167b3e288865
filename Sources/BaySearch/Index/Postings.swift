/// One term's postings in one segment: the documents that hold it and how often, decoded
/// at once; the positions in each document, decoded only when asked for.
///
/// On disk (see `SegmentFormat`) a list is `documentFrequency`, then every document delta
/// (its low bit set when the document holds the term once), the frequencies above 1, skip
/// entries into the positions, then the positions, so that intersecting lists touches no
/// positions and the positions of one document are found by skipping those of the few
/// documents since the skip entry before it.
///
/// Documents the segment marks deleted are left out, so nothing above sees them.
///
/// Invariant: `documents` ascends; the positions of `documents[i]` are `frequencies[i]`
/// varint deltas, after those of the documents between the last skip entry at or before
/// its index in the list on disk and it.
struct Postings {
    private(set) var documents: [Int32] = []
    private(set) var frequencies: [Int] = []
    /// Each kept document's index in the list on disk, which deleted documents still
    /// occupy; empty when the segment deletes none, as the indices are then the same.
    private var listIndices: [Int32] = []
    /// The frequency of every document of the list on disk, deleted ones included.
    private var listFrequencies: [Int] = []
    private var list: _EncodedPostingsList
    private let segment: SegmentReader
    /// Where the positions of the document after the last one `positions(at:into:)` read
    /// start: nearer than a skip entry when documents are read in order.
    private var resume: _EncodedPostingsList.SkipEntry?

    var documentFrequency: Int { documents.count }

    /// Decodes the document part of the list `reader` is at, checking every value against
    /// the segment.
    init(decoding reader: inout _ByteReader, in segment: SegmentReader) throws(IndexError) {
        self.segment = segment
        (list, documents, frequencies) = try _EncodedPostingsList.decodingDocuments(&reader, documentCount: segment.documentCount)
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

    /// The byte range of the encoded positions of `documents[index]`: from the last skip
    /// entry at or before it, or from `resume` when that is nearer, skip the positions of
    /// the documents in between.
    private func positionRange(at index: Int, resumingAt resume: _EncodedPostingsList.SkipEntry?) throws(IndexError) -> Range<Int> {
        let listIndex = listIndex(of: index)
        var low = 0
        var high = list.skipEntries.count
        while low < high {  // the number of entries at or before listIndex
            let middle = (low + high) / 2
            if list.skipEntries[middle].index <= listIndex {
                low = middle + 1
            } else {
                high = middle
            }
        }
        var from = low > 0 ? list.skipEntries[low - 1] : _EncodedPostingsList.SkipEntry(index: 0, offset: 0)
        if let resume, resume.index > from.index, resume.index <= listIndex {
            from = resume
        }
        // The document's positions end before the next skip entry's start.
        let end = low < list.skipEntries.count ? list.skipEntries[low].offset : list.positions.count
        guard from.offset <= end else {
            throw .corrupt("\(segment.path): a skip entry points past the next one")
        }
        var reader = try segment.reader(from: list.positions.lowerBound + from.offset, to: list.positions.lowerBound + end)
        for earlier in from.index..<listIndex {
            _ = try reader.skipVarInts(listFrequencies[earlier])
        }
        let start = try reader.skipVarInts(frequencies[index])
        return start..<reader.offset
    }

    /// The ascending positions of the term in `documents[index]`.
    func positions(at index: Int) throws(IndexError) -> [UInt32] {
        var positions: [UInt32] = []
        try decodePositions(in: try positionRange(at: index, resumingAt: nil), frequency: frequencies[index], into: &positions)
        return positions
    }

    /// Replaces the contents of `positions` with the term's positions in `documents[index]`,
    /// reusing its storage: phrase matching calls this for every candidate document, in
    /// increasing order, so the walk goes on from where the last call ended.
    mutating func positions(at index: Int, into positions: inout [UInt32]) throws(IndexError) {
        try decodePositions(in: try positionRangeInOrder(at: index), frequency: frequencies[index], into: &positions)
    }

    /// Keeps the `starts` (ascending) for which `start + offset` is a position of the term
    /// in `documents[index]`, decoding positions only as far as the last start needs: how
    /// a phrase's later terms are checked against the rarest one's positions.
    mutating func keep(_ starts: inout [UInt32], where offset: UInt32, at index: Int) throws(IndexError) {
        let range = try positionRangeInOrder(at: index)
        var reader = try segment.reader(from: range.lowerBound, to: range.upperBound)
        let frequency = frequencies[index]
        var decoded = 0
        var position: UInt64 = 0
        var kept = 0
        scan: for start in starts {
            let wanted = UInt64(start) + UInt64(offset)
            while decoded == 0 || position < wanted {
                guard decoded < frequency else {
                    break scan  // past the last position: no later start can match
                }
                position = try reader.readDelta(after: position, atMost: UInt64(UInt32.max))
                decoded += 1
            }
            if position == wanted {
                starts[kept] = start
                kept += 1
            }
        }
        starts.removeLast(starts.count - kept)
    }

    /// The index on disk of `documents[index]`.
    private func listIndex(of index: Int) -> Int {
        listIndices.isEmpty ? index : Int(listIndices[index])
    }

    /// `positionRange(at:resumingAt:)` for a document after the last one read, walking on from it.
    private mutating func positionRangeInOrder(at index: Int) throws(IndexError) -> Range<Int> {
        let range = try positionRange(at: index, resumingAt: resume)
        let listIndex = listIndex(of: index)
        resume = _EncodedPostingsList.SkipEntry(index: listIndex + 1, offset: range.upperBound - list.positions.lowerBound)
        return range
    }

    private func decodePositions(in range: Range<Int>, frequency: Int, into positions: inout [UInt32]) throws(IndexError) {
        var reader = try segment.reader(from: range.lowerBound, to: range.upperBound)
        positions.removeAll(keepingCapacity: true)
        var position: UInt64 = 0
        for _ in 0..<frequency {
            position = try reader.readDelta(after: position, atMost: UInt64(UInt32.max))
            positions.append(UInt32(position))
        }
    }
}
