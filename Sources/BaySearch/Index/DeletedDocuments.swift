/// The documents of one segment that an update deleted (tombstones), as a bit set, and the
/// file (`*.del`) that stores it beside its immutable segment.
///
///     var deleted = DeletedDocuments(documentCount: 3)
///     deleted.insert(1, wordCount: 12)
///     try deleted.write(to: "index/seg-1-0-0-2.del")
///     let again = try DeletedDocuments(path: "index/seg-1-0-0-2.del", documentCount: 3)
///
/// File layout (little-endian): magic "BAYDEL\r\n", u32 version, u32 documentCount,
/// u32 count, u32 zero, u64 deletedWords, documentCount bits in u64 words, u32 CRC-32C of
/// everything before it. The file is small and checked whole when opened.
struct DeletedDocuments: Equatable {
    static let magic: [UInt8] = Array("BAYDEL\r\n".utf8)
    static let fileExtension = "del"
    private static let headerSize = 32

    let documentCount: Int
    private(set) var count = 0
    /// The ICU words of the deleted documents, which BM25's average length leaves out.
    private(set) var deletedWords = 0
    private var words: [UInt64]

    init(documentCount: Int) {
        self.documentCount = documentCount
        words = Array(repeating: 0, count: (documentCount + 63) / 64)
    }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    func contains(_ document: Int) -> Bool {
        document >= 0 && document < documentCount && words[document >> 6] & (1 << UInt64(document & 63)) != 0
    }

    mutating func insert(_ document: Int, wordCount: Int) {
        precondition(document >= 0 && document < documentCount, "document out of range")
        guard !contains(document) else {
            return
        }
        words[document >> 6] |= 1 << UInt64(document & 63)
        count += 1
        deletedWords += wordCount
    }

    /// Writes the set to a new file and syncs it.
    func write(to path: String) throws(IndexError) {
        var bytes = DeletedDocuments.magic
        SegmentSerializer.appendInteger(SegmentFormat.version, to: &bytes)
        SegmentSerializer.appendInteger(UInt32(documentCount), to: &bytes)
        SegmentSerializer.appendInteger(UInt32(count), to: &bytes)
        SegmentSerializer.appendInteger(UInt32(0), to: &bytes)
        SegmentSerializer.appendInteger(UInt64(deletedWords), to: &bytes)
        for word in words {
            SegmentSerializer.appendInteger(word, to: &bytes)
        }
        SegmentSerializer.appendInteger(_Checksum.crc32c(bytes), to: &bytes)
        try _FileIO.writeSynced([bytes], to: path)
    }

    /// Reads and checks the file at `path`, which must belong to a segment of `documentCount`.
    init(path: String, documentCount: Int) throws(IndexError) {
        let file = try _MappedFile(path: path)
        let bytes = file.bytes
        let wordCount = (documentCount + 63) / 64
        let size = DeletedDocuments.headerSize + 8 * wordCount + 4
        guard bytes.count == size, bytes.prefix(8).elementsEqual(DeletedDocuments.magic) else {
            throw .corrupt("\(path) is not the deletion file of its segment")
        }
        let stored = try file.load(UInt32.self, at: size - 4)
        guard _Checksum.crc32c(UnsafeRawBufferPointer(rebasing: bytes.prefix(size - 4))) == stored else {
            throw .corrupt("\(path) fails its checksum")
        }
        let version = try file.load(UInt32.self, at: 8)
        guard version <= SegmentFormat.version else {
            throw .newerFormat(path: path, version: Int(version))
        }
        guard version == SegmentFormat.version, try file.load(UInt32.self, at: 12) == UInt32(documentCount) else {
            throw .corrupt("\(path) does not belong to its segment")
        }
        self.documentCount = documentCount
        words = try (0..<wordCount).map { index throws(IndexError) in
            try file.load(UInt64.self, at: DeletedDocuments.headerSize + 8 * index)
        }
        count = Int(try file.load(UInt32.self, at: 16))
        deletedWords = try file.loadInt(at: 24)
        guard count == words.reduce(0, { $0 + $1.nonzeroBitCount }) else {
            throw .corrupt("\(path) miscounts its deletions")
        }
    }
}
