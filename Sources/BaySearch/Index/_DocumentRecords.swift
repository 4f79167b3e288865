/// The documents and lengths sections: fixed-size records whose string, text and
/// checkpoint offsets follow from the lengths of the documents before, and each document's
/// word count.
struct _DocumentRecords {
    private(set) var bytes: [UInt8] = []
    private(set) var lengths: [UInt8] = []
    private(set) var stringBytes = 0

    mutating func append(
        idLength: Int, titleLength: Int, textStart: Int, storedLength: Int, textLength: Int, wordCount: Int,
        compressed: Bool, checkpointStart: Int, checkpointLength: Int, contentHash: UInt64
    ) {
        let fields: [UInt32] = [
            UInt32(stringBytes), UInt32(idLength), UInt32(stringBytes + idLength), UInt32(titleLength),
        ]
        for field in fields {
            SegmentSerializer.appendInteger(field, to: &bytes)
        }
        SegmentSerializer.appendInteger(UInt64(textStart), to: &bytes)
        let rest: [UInt32] = [
            UInt32(storedLength), UInt32(textLength),
            compressed ? SegmentFormat.lz4Compressed : 0, UInt32(checkpointStart), UInt32(checkpointLength),
        ]
        for field in rest {
            SegmentSerializer.appendInteger(field, to: &bytes)
        }
        SegmentSerializer.appendInteger(contentHash, to: &bytes)
        SegmentSerializer.appendInteger(UInt32(wordCount), to: &lengths)
        stringBytes += idLength + titleLength
    }
}
