/// One term's postings as they grow during indexing: per document a varint document delta,
/// a varint frequency and the varint position deltas, interleaved so that adding a document
/// touches one buffer; `encode(into:)` hands them to the on-disk layout's encoder.
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

    /// Appends every document of this buffer to `list`, which encodes the on-disk layout.
    func encode(into list: inout _PostingsListEncoder) {
        bytes.withUnsafeBytes { buffer in
            var index = 0
            var document = 0
            for _ in 0..<documentFrequency {
                document += Int(next(buffer, &index))
                let frequency = Int(next(buffer, &index))
                let positionsStart = index
                for _ in 0..<frequency {
                    _ = next(buffer, &index)
                }
                list.append(
                    document: document, frequency: frequency,
                    positions: UnsafeRawBufferPointer(rebasing: buffer[positionsStart..<index]))
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
