/// One term's postings in one segment, decoded: which documents hold the term, and at which
/// unit positions.
///
/// Invariant: `documents` ascends; the positions of `documents[i]` are
/// `positions[positionStarts[i]..<positionStarts[i + 1]]`, ascending.
struct Postings {
    var documents: [Int32] = []
    var positionStarts: [Int32] = [0]
    var positions: [UInt32] = []

    var documentFrequency: Int { documents.count }

    func positions(at index: Int) -> ArraySlice<UInt32> {
        positions[Int(positionStarts[index])..<Int(positionStarts[index + 1])]
    }

    /// Decodes a postings list, checking every value against the segment's bounds.
    init(decoding reader: inout _ByteReader, documentCount: Int) throws(IndexError) {
        let frequency = try reader.readVarInt()
        guard frequency <= UInt64(documentCount) else {
            throw .corrupt("a term claims more documents than its segment has")
        }
        documents.reserveCapacity(Int(frequency))
        var document: UInt64 = 0
        for index in 0..<Int(frequency) {
            let delta = try reader.readVarInt()
            document += delta
            guard document < UInt64(documentCount), index == 0 || delta > 0 else {
                throw .corrupt("a postings list names a document out of order or out of range")
            }
            documents.append(Int32(document))
            let count = try reader.readVarInt()
            guard count > 0, count <= UInt64(UInt32.max) else {
                throw .corrupt("a postings list has an impossible frequency")
            }
            var position: UInt64 = 0
            for _ in 0..<count {
                position += try reader.readVarInt()
                guard position <= UInt64(UInt32.max) else {
                    throw .corrupt("a position lies beyond any document")
                }
                positions.append(UInt32(position))
            }
            positionStarts.append(Int32(positions.count))
        }
    }
}
