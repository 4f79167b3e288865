/// One term's postings as they grow during indexing: per document a varint document delta,
/// a varint frequency and the varint position deltas, interleaved so that adding a document
/// touches one buffer; `serialized()` splits them into the on-disk layout.
///
/// Invariant: documents arrive in increasing order, so every delta after the first is >= 1.
struct _PostingsBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var documentFrequency = 0
    private var lastDocument = 0

    mutating func add(document: Int, positions: ArraySlice<UInt64>) {
        precondition(documentFrequency == 0 || document > lastDocument, "documents out of order")
        _VarInt.append(UInt64(document - lastDocument), to: &bytes)
        _VarInt.append(UInt64(positions.count), to: &bytes)
        var lastPosition: UInt64 = 0
        for packed in positions {
            let position = packed & 0xFFFF_FFFF
            _VarInt.append(position - lastPosition, to: &bytes)
            lastPosition = position
        }
        lastDocument = document
        documentFrequency += 1
    }

    /// The on-disk layout (`SegmentFormat`): frequency, document deltas, frequencies,
    /// position byte lengths, positions.
    func serialized() -> [UInt8] {
        var deltas: [UInt8] = []
        var frequencies: [UInt8] = []
        var lengths: [UInt8] = []
        var positions: [UInt8] = []
        var index = 0
        func next() -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        for _ in 0..<documentFrequency {
            _VarInt.append(next(), to: &deltas)
            let frequency = next()
            _VarInt.append(frequency, to: &frequencies)
            let start = positions.count
            for _ in 0..<frequency {
                _VarInt.append(next(), to: &positions)
            }
            _VarInt.append(UInt64(positions.count - start), to: &lengths)
        }
        var result: [UInt8] = []
        result.reserveCapacity(8 + deltas.count + frequencies.count + lengths.count + positions.count)
        _VarInt.append(UInt64(documentFrequency), to: &result)
        result += deltas
        result += frequencies
        result += lengths
        result += positions
        return result
    }
}
