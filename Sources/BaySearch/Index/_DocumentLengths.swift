/// A segment's document lengths in ICU words, read straight from its checked `lengths`
/// section: the compact column BM25 reads for every matching document.
///
///     let lengths = try segment.documentLengths()
///     let words = try lengths.length(of: 3)
struct _DocumentLengths {
    /// The section: one little-endian u32 per document.
    let bytes: UnsafeRawBufferPointer
    /// The segment file, for error messages.
    let path: String

    @inline(__always)
    func length(of document: Int32) throws(IndexError) -> Int {
        let offset = 4 * Int(document)
        guard offset >= 0, offset + 4 <= bytes.count else {
            throw .corrupt("\(path): document \(document) has no length")
        }
        return Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }
}
