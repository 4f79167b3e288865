/// One term's postings in one segment: the documents that hold it and how often, decoded
/// at once; the positions in each document, decoded only when asked for.
///
/// On disk (see `SegmentFormat`) a list is `documentFrequency`, then every document delta,
/// every frequency, every document's byte length of positions, then the positions, so that
/// intersecting lists touches no positions and verifying a phrase decodes only the
/// positions of documents that hold every term.
///
/// Documents the segment marks deleted are left out, so nothing above sees them.
///
/// Invariant: `documents` ascends; the positions of `documents[i]` are the `frequencies[i]`
/// varint deltas in `positionRanges[i]` of the segment's bytes.
struct Postings {
    private(set) var documents: [Int32] = []
    private(set) var frequencies: [Int] = []
    private var positionRanges: [Range<Int>] = []
    private let segment: SegmentReader

    var documentFrequency: Int { documents.count }

    /// Decodes the document part of a list, checking every value against the segment.
    init(decoding reader: inout _ByteReader, end: Int, in segment: SegmentReader) throws(IndexError) {
        self.segment = segment
        let count = try reader.readVarInt()
        guard count <= UInt64(segment.documentCount) else {
            throw .corrupt("\(segment.path): a term claims more documents than its segment has")
        }
        documents.reserveCapacity(Int(count))
        var document: UInt64 = 0
        for index in 0..<Int(count) {
            let next = try reader.readDelta(after: document, atMost: UInt64(UInt32.max))
            guard next < UInt64(segment.documentCount), index == 0 || next > document else {
                throw .corrupt("\(segment.path): a postings list names a document out of order or out of range")
            }
            document = next
            documents.append(Int32(document))
        }
        frequencies.reserveCapacity(Int(count))
        for _ in 0..<Int(count) {
            let frequency = try reader.readVarInt()
            guard frequency > 0, frequency <= UInt64(UInt32.max) else {
                throw .corrupt("\(segment.path): a postings list has an impossible frequency")
            }
            frequencies.append(Int(frequency))
        }
        var lengths: [Int] = []
        lengths.reserveCapacity(Int(count))
        for _ in 0..<Int(count) {
            lengths.append(Int(clamping: try reader.readVarInt()))
        }
        var start = reader.offset
        positionRanges.reserveCapacity(Int(count))
        for length in lengths {
            guard length <= end - start else {
                throw .corrupt("\(segment.path): positions run past their postings list")
            }
            positionRanges.append(start..<start + length)
            start += length
        }
        if !segment.deleted.isEmpty {
            removeDeleted()
        }
    }

    private mutating func removeDeleted() {
        var kept = 0
        for index in documents.indices where !segment.deleted.contains(Int(documents[index])) {
            documents[kept] = documents[index]
            frequencies[kept] = frequencies[index]
            positionRanges[kept] = positionRanges[index]
            kept += 1
        }
        documents.removeLast(documents.count - kept)
        frequencies.removeLast(frequencies.count - kept)
        positionRanges.removeLast(positionRanges.count - kept)
    }

    /// The encoded positions of `documents[index]`, which a merge copies as they are.
    func positionBytes(at index: Int) throws(IndexError) -> UnsafeRawBufferPointer {
        try segment.bytes(positionRanges[index])
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
        var reader = try segment.reader(from: positionRanges[index].lowerBound, to: positionRanges[index].upperBound)
        positions.removeAll(keepingCapacity: true)
        var position: UInt64 = 0
        for _ in 0..<frequencies[index] {
            position = try reader.readDelta(after: position, atMost: UInt64(UInt32.max))
            positions.append(UInt32(position))
        }
    }
}
