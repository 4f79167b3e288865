import Foundation

/// Writes a `SegmentWriter`'s contents to disk in the segment file format (`SegmentFormat`).
///
///     try SegmentSerializer.write(writer, to: "index/seg-1-0-0.bay")
enum SegmentSerializer {
    /// Streams the segment to a new file at `path` and syncs it; on failure nothing is left.
    static func write(_ writer: SegmentWriter, to path: String) throws(IndexError) {
        let file = try _SegmentFileWriter(path: path)
        file.beginSection(.documents)
        var records = _DocumentRecords()
        for document in writer.documents {
            records.append(
                idLength: document.id.utf8.count, titleLength: document.title.utf8.count,
                textStart: document.textStart, storedLength: document.storedLength, textLength: document.textLength,
                wordCount: document.wordCount, compressed: document.compressed,
                checkpointStart: document.checkpointStart, checkpointLength: document.checkpointLength,
                contentHash: document.contentHash)
        }
        try file.append(records.bytes)
        file.beginSection(.strings)
        for document in writer.documents {
            try file.append(Array(document.id.utf8))
            try file.append(Array(document.title.utf8))
        }
        file.beginSection(.texts)
        try file.append(writer.texts)
        file.beginSection(.checkpoints)
        try file.append(writer.checkpoints)

        let order = writer.terms.indices.sorted { bytewiseLess(writer.terms[$0], writer.terms[$1]) }
        var dictionary = _TermDictionaryBuilder()
        var postings: [UInt8] = []
        file.beginSection(.postings)
        for term in order {
            postings.removeAll(keepingCapacity: true)
            writer.postings[term].serialize(into: &postings)
            dictionary.append(term: writer.terms[term], postingsLength: postings.count)
            try file.append(postings)
        }
        try dictionary.write(to: file)
        try file.finish(documentCount: writer.documentCount, totalWords: writer.totalWords, termCount: order.count)
    }

    /// `memcmp` order, the order the reader's binary search expects.
    static func bytewiseLess(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        let order = left.withUnsafeBytes { leftBytes in
            right.withUnsafeBytes { rightBytes -> Int32 in
                let common = min(leftBytes.count, rightBytes.count)
                guard common > 0, let leftBase = leftBytes.baseAddress, let rightBase = rightBytes.baseAddress else {
                    return 0
                }
                return memcmp(leftBase, rightBase, common)
            }
        }
        return order != 0 ? order < 0 : left.count < right.count
    }

    @inline(__always)
    static func appendInteger<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// The documents section: fixed-size records whose string, text and checkpoint offsets
/// follow from the lengths of the documents before.
struct _DocumentRecords {
    private(set) var bytes: [UInt8] = []
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
            UInt32(storedLength), UInt32(textLength), UInt32(wordCount),
            compressed ? SegmentFormat.zstdCompressed : 0, UInt32(checkpointStart), UInt32(checkpointLength),
        ]
        for field in rest {
            SegmentSerializer.appendInteger(field, to: &bytes)
        }
        SegmentSerializer.appendInteger(contentHash, to: &bytes)
        stringBytes += idLength + titleLength
    }
}

/// The term dictionary sections, gathered while postings stream out: the sorted terms'
/// bytes and the offset tables into them and into the postings.
struct _TermDictionaryBuilder {
    private var termBytes: [UInt8] = []
    private var termStarts: [UInt8] = []
    private var postingStarts: [UInt8] = []
    private var postingsEnd = 0
    private(set) var count = 0

    mutating func append(term: [UInt8], postingsLength: Int) {
        SegmentSerializer.appendInteger(UInt32(termBytes.count), to: &termStarts)
        termBytes.append(contentsOf: term)
        SegmentSerializer.appendInteger(UInt64(postingsEnd), to: &postingStarts)
        postingsEnd += postingsLength
        count += 1
    }

    /// Writes termBytes, termStarts and postingStarts, each table closed by its end offset.
    func write(to file: _SegmentFileWriter) throws(IndexError) {
        guard termBytes.count <= Int(UInt32.max) else {
            throw .unwritable(path: file.path, reason: "the term dictionary outgrew its 4 GiB limit")
        }
        var termStarts = self.termStarts
        var postingStarts = self.postingStarts
        SegmentSerializer.appendInteger(UInt32(termBytes.count), to: &termStarts)
        SegmentSerializer.appendInteger(UInt64(postingsEnd), to: &postingStarts)
        file.beginSection(.termBytes)
        try file.append(termBytes)
        file.beginSection(.termStarts)
        try file.append(termStarts)
        file.beginSection(.postingStarts)
        try file.append(postingStarts)
    }
}
