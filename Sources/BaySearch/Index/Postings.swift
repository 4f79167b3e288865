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
///
/// A class, so that passing postings around copies one reference, not five arrays.
final class Postings {
    let documents: [Int32]
    let frequencies: [Int]
    /// Each kept document's index in the list on disk, which deleted documents still
    /// occupy; empty when the segment deletes none, as the indices are then the same.
    private let listIndices: [Int32]
    /// The frequency of every document of the list on disk, deleted ones included.
    private let listFrequencies: [Int]
    private let list: _EncodedPostingsList
    private let segment: SegmentReader
    /// Where the positions of the last document read start, or of the one after it when
    /// it was read whole: nearer than a skip entry when documents are read in order.
    /// (Postings are used by one thread, as their segment is.)
    @exclusivity(unchecked) private var resume: _EncodedPostingsList.SkipEntry?
    /// The number of skip entries at or before the document read last, and its index in
    /// the list: a read in increasing order finds its skip entry by walking on from there.
    @exclusivity(unchecked) private var skipSlot = (entries: 0, listIndex: Int.max)

    /// Decodes the document part of the list `reader` is at, checking every value against
    /// the segment.
    init(decoding reader: inout _ByteReader, in segment: SegmentReader) throws(IndexError) {
        self.segment = segment
        let (list, documents, frequencies) = try _EncodedPostingsList.decodingDocuments(&reader, documentCount: segment.documentCount)
        self.list = list
        listFrequencies = frequencies
        if segment.deleted.isEmpty {
            self.documents = documents
            self.frequencies = frequencies
            listIndices = []
        } else {
            (self.documents, self.frequencies, listIndices) = Postings.removingDeleted(documents, frequencies, in: segment)
        }
    }

    private static func removingDeleted(
        _ documents: [Int32], _ frequencies: [Int], in segment: SegmentReader
    ) -> (documents: [Int32], frequencies: [Int], listIndices: [Int32]) {
        var kept: (documents: [Int32], frequencies: [Int], listIndices: [Int32]) = ([], [], [])
        for index in documents.indices where !segment.deleted.contains(Int(documents[index])) {
            kept.documents.append(documents[index])
            kept.frequencies.append(frequencies[index])
            kept.listIndices.append(Int32(index))
        }
        return kept
    }

    /// A reader at the first encoded position of `documents[index]`, ending no later than
    /// the next skip entry (the document's positions end before it). From the last skip
    /// entry at or before the document, or from the document read last when that is
    /// nearer, it skips the positions of the documents in between, in one pass.
    private func positionsReader(at index: Int) throws(IndexError) -> (reader: _ByteReader, listIndex: Int) {
        let listIndex = listIndex(of: index)
        let reader = try list.skipEntries.withUnsafeBufferPointer { (skipEntries) throws(IndexError) in
            var following: Int  // the number of skip entries at or before listIndex
            if listIndex >= skipSlot.listIndex {
                following = skipSlot.entries
                while following < skipEntries.count && skipEntries[following].index <= listIndex {
                    following += 1
                }
            } else {
                following = _EncodedPostingsList.firstSkipEntry(after: listIndex, in: skipEntries)
            }
            skipSlot = (following, listIndex)
            return try _EncodedPostingsList.positionsReader(
                at: listIndex, following: following, of: skipEntries, resume: resume,
                positions: list.positions, in: segment) { listFrequencies[$0] }
        }
        resume = _EncodedPostingsList.SkipEntry(index: listIndex, offset: reader.offset - list.positions.lowerBound)
        return (reader, listIndex)
    }

    /// Replaces the contents of `positions` with the term's positions in `documents[index]`,
    /// reusing its storage. Reading documents in increasing order, as phrase matching does,
    /// walks on from where the last read ended.
    func positions(at index: Int, into positions: inout [UInt32]) throws(IndexError) {
        var (reader, listIndex) = try positionsReader(at: index)
        positions.removeAll(keepingCapacity: true)
        var position: UInt64 = 0
        for _ in 0..<frequencies[index] {
            position = try reader.readDelta(after: position, atMost: UInt64(UInt32.max))
            positions.append(UInt32(position))
        }
        // Read whole: the next document's positions start here.
        resume = _EncodedPostingsList.SkipEntry(index: listIndex + 1, offset: reader.offset - list.positions.lowerBound)
    }

    /// Keeps the `starts` (ascending) for which `start + offset` is a position of the term
    /// in `documents[index]`, decoding positions only as far as the last start needs: how
    /// a phrase's later terms are checked against the rarest one's positions.
    func keep(_ starts: inout [UInt32], where offset: UInt32, at index: Int) throws(IndexError) {
        var reader = try positionsReader(at: index).reader
        let frequency = frequencies[index]
        var decoded = 0
        var position: UInt64 = 0
        var kept = 0
        // By index: iterating `starts` itself would hold its buffer, and the first write
        // below would copy the whole array.
        scan: for index in starts.indices {
            let start = starts[index]
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
}
