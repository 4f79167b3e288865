/// One term's postings as they grow during indexing: per document a varint document delta,
/// a varint frequency and the varint position deltas, interleaved so that adding a document
/// touches one buffer; `serialize(into:)` splits them into the on-disk layout.
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

    /// Appends the on-disk layout (`SegmentFormat`) to `output`: frequency, document
    /// deltas, frequencies, position byte lengths, positions. Each stream is one pass over
    /// the interleaved bytes, so nothing is allocated per term.
    func serialize(into output: inout [UInt8]) {
        _VarInt.append(UInt64(documentFrequency), to: &output)
        bytes.withUnsafeBytes { buffer in
            for stream in 0..<4 {
                var index = 0
                for _ in 0..<documentFrequency {
                    let deltaStart = index
                    _ = next(buffer, &index)
                    let frequencyStart = index
                    let frequency = next(buffer, &index)
                    let positionsStart = index
                    for _ in 0..<frequency {
                        _ = next(buffer, &index)
                    }
                    switch stream {
                    case 0: output.append(contentsOf: buffer[deltaStart..<frequencyStart])
                    case 1: output.append(contentsOf: buffer[frequencyStart..<positionsStart])
                    case 2: _VarInt.append(UInt64(index - positionsStart), to: &output)
                    default: output.append(contentsOf: buffer[positionsStart..<index])
                    }
                }
            }
        }
    }

    /// The next integer of this buffer's own bytes, which `add` wrote whole.
    @inline(__always)
    private func next(_ buffer: UnsafeRawBufferPointer, _ index: inout Int) -> UInt64 {
        guard let value = _VarInt.read(buffer, at: &index, end: buffer.count) else {
            preconditionFailure("_PostingsBuffer holds a truncated integer")
        }
        return value
    }
}
