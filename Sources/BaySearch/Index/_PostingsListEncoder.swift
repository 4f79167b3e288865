/// Encodes one term's postings list in the layout of `SegmentFormat`, document by
/// document, for the segment serializer and the merger alike.
///
///     var list = _PostingsListEncoder()
///     list.append(document: 3, frequency: 2, positions: encodedDeltas)
///     list.write(to: &output)
///
/// A document with frequency 1, most of them, costs no frequency byte: its delta carries
/// the flag in its low bit. Positions are the documents' encoded position deltas, back to
/// back, preceded by the byte length of each full block of `skipInterval` documents, so
/// that the positions of any document are found by skipping less than a block.
///
/// Invariant: documents are appended in increasing order.
struct _PostingsListEncoder {
    /// Documents per block of the positions' skip table.
    static let skipInterval = 64

    private var documentDeltas: [UInt8] = []
    private var frequencies: [UInt8] = []
    private var blockLengths: [UInt8] = []
    private var positions: [UInt8] = []
    private var blockStart = 0
    private(set) var documentFrequency = 0
    private var lastDocument = 0

    mutating func removeAll() {
        documentDeltas.removeAll(keepingCapacity: true)
        frequencies.removeAll(keepingCapacity: true)
        blockLengths.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        blockStart = 0
        documentFrequency = 0
        lastDocument = 0
    }

    /// Appends `document` (above the last one) holding the term `frequency` times, with
    /// `encoded`, its `frequency` varint position deltas.
    mutating func append(document: Int, frequency: Int, positions encoded: UnsafeRawBufferPointer) {
        precondition(document >= 0 && (documentFrequency == 0 || document > lastDocument), "documents out of order")
        precondition(frequency >= 1, "a document holds the term at least once")
        if documentFrequency > 0 && documentFrequency % _PostingsListEncoder.skipInterval == 0 {
            _VarInt.append(UInt64(positions.count - blockStart), to: &blockLengths)
            blockStart = positions.count
        }
        let delta = UInt64(document - (documentFrequency == 0 ? 0 : lastDocument))
        _VarInt.append(delta << 1 | (frequency == 1 ? 1 : 0), to: &documentDeltas)
        if frequency > 1 {
            _VarInt.append(UInt64(frequency), to: &frequencies)
        }
        positions.append(contentsOf: encoded)
        lastDocument = document
        documentFrequency += 1
    }

    /// Appends the encoded list: document frequency, flagged deltas, frequencies above 1,
    /// block lengths, positions.
    func write(to output: inout [UInt8]) {
        _VarInt.append(UInt64(documentFrequency), to: &output)
        output += documentDeltas
        output += frequencies
        output += blockLengths
        output += positions
    }
}
