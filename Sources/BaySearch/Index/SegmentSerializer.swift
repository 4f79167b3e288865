import Foundation

/// Writes a `SegmentWriter`'s contents to disk in the segment file format (`SegmentFormat`).
///
///     try SegmentSerializer.write(writer, to: "index/seg-1-0-0.bay")
enum SegmentSerializer {
    /// Streams the segment to a new file at `path` and syncs it, or hands it to `syncs` to
    /// sync; on failure nothing is left.
    static func write(_ writer: SegmentWriter, to path: String, syncedBy syncs: _BackgroundSync? = nil) throws(IndexError) {
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
        file.beginSection(.lengths)
        try file.append(records.lengths)
        file.beginSection(.strings)
        for document in writer.documents {
            try file.append(Array(document.id.utf8))
            try file.append(Array(document.title.utf8))
        }
        file.beginSection(.texts)
        try file.append(writer.texts)
        file.beginSection(.checkpoints)
        try file.append(writer.checkpoints)

        let order = writer.sortedTerms()
        var dictionary = _TermDictionaryBuilder()
        file.beginSection(.postings)
        try writer.forEachEncodedList(order) { term, postings throws(IndexError) in
            dictionary.append(term: term, postingsLength: postings.count)
            try file.append(postings)
        }
        try dictionary.write(to: file)
        try file.finish(documentCount: writer.documentCount, totalWords: writer.totalWords, termCount: order.count, syncedBy: syncs)
    }

    /// `memcmp` order, the order the reader's binary search expects.
    static func bytewiseLess(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        left.withUnsafeBufferPointer { left in
            right.withUnsafeBufferPointer { right in bytewiseLess(left, right) }
        }
    }

    static func bytewiseLess(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(left.count, right.count)
        if common > 0, let leftBase = left.baseAddress, let rightBase = right.baseAddress {
            let order = memcmp(leftBase, rightBase, common)
            if order != 0 {
                return order < 0
            }
        }
        return left.count < right.count
    }

    @inline(__always)
    static func appendInteger<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
