/// One term's postings as they grow during indexing, already in their on-disk encoding.
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
}
