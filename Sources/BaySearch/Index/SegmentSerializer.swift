import Foundation

/// Lays a `SegmentWriter`'s contents out in the segment file format (`SegmentFormat`).
///
///     let parts = SegmentSerializer.serialize(writer)
///     try _FileIO.writeSynced(parts, to: path)
enum SegmentSerializer {
    /// The file as its header followed by its sections, written one after another so the
    /// whole file never has to be copied into one buffer.
    static func serialize(_ writer: SegmentWriter) -> [[UInt8]] {
        var strings: [UInt8] = []
        var documents: [UInt8] = []
        documents.reserveCapacity(writer.documentCount * SegmentFormat.documentRecordSize)
        for document in writer.documents {
            let idStart = strings.count
            strings.append(contentsOf: document.id.utf8)
            let titleStart = strings.count
            strings.append(contentsOf: document.title.utf8)
            appendInteger(UInt32(idStart), to: &documents)
            appendInteger(UInt32(titleStart - idStart), to: &documents)
            appendInteger(UInt32(titleStart), to: &documents)
            appendInteger(UInt32(strings.count - titleStart), to: &documents)
            appendInteger(UInt64(document.textStart), to: &documents)
            appendInteger(UInt32(document.storedLength), to: &documents)
            appendInteger(UInt32(document.textLength), to: &documents)
            appendInteger(UInt32(document.wordCount), to: &documents)
            appendInteger(UInt32(document.compressed ? SegmentFormat.zstdCompressed : 0), to: &documents)
            appendInteger(UInt32(document.checkpointStart), to: &documents)
            appendInteger(UInt32(document.checkpointLength), to: &documents)
        }

        let order = writer.terms.indices.sorted { bytewiseLess(writer.terms[$0], writer.terms[$1]) }
        var termStarts: [UInt8] = []
        var termBytes: [UInt8] = []
        var postingStarts: [UInt8] = []
        var postings: [UInt8] = []
        for term in order {
            appendInteger(UInt32(termBytes.count), to: &termStarts)
            termBytes.append(contentsOf: writer.terms[term])
            appendInteger(UInt64(postings.count), to: &postingStarts)
            writer.postings[term].serialize(into: &postings)
        }
        appendInteger(UInt32(termBytes.count), to: &termStarts)
        appendInteger(UInt64(postings.count), to: &postingStarts)

        let sections = [documents, strings, writer.texts, writer.checkpoints, termStarts, termBytes, postingStarts, postings]
        var header = SegmentFormat.magic
        appendInteger(SegmentFormat.version, to: &header)
        appendInteger(UInt32(writer.documentCount), to: &header)
        appendInteger(UInt64(writer.totalWords), to: &header)
        appendInteger(UInt32(writer.terms.count), to: &header)
        appendInteger(UInt32(0), to: &header)
        var offset = SegmentFormat.headerSize
        for section in sections {
            appendInteger(UInt64(offset), to: &header)
            offset += section.count
        }
        appendInteger(UInt64(offset), to: &header)
        return [header] + sections
    }

    /// `memcmp` order, the order the reader's binary search expects.
    private static func bytewiseLess(_ left: [UInt8], _ right: [UInt8]) -> Bool {
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
