/// The layout of a segment file, version 8. All integers are little-endian.
///
/// ```
/// header   magic "BAYSEG\r\n", u32 version, u32 documentCount, u64 totalWords,
///          u32 termCount, u32 blockSize (a power of two), then the start offset (u64) of each section in
///          `Section` order and the end of the last one, then u32 CRC-32C of the header
///          bytes before it, u32 zero
/// documents  documentCount records of 52 bytes: u32 idStart, u32 idLength, u32 titleStart,
///            u32 titleLength (into strings), u64 textStart, u32 storedLength (into texts),
///            u32 textLength (the original's), u32 flags (`lz4Compressed`: the stored text is
///            one LZ4 block), u32 checkpointStart, u32 checkpointLength (into checkpoints),
///            u64 contentHash (`SourceDocument.contentHash`, which tells a changed document)
/// lengths    documentCount u32: each document's length in ICU words, apart from the records
///            (as Lucene keeps norms apart) because scoring reads it for every matching
///            document: 4 bytes a document stay in cache where 52-byte records do not
/// strings    ids and titles, UTF-8, back to back
/// texts      each document's original UTF-8 text, compressed where that saves space
/// checkpoints per document: varint count, then count pairs of varint deltas (position,
///            byte offset) of `UnitTokenizer.Checkpoint`s, about one every
///            `UnitTokenizer.checkpointInterval` units, so a match's byte offsets are found by
///            walking a few units, not the text
/// postings   per term: varint documentFrequency; documentFrequency varints
///            `delta << 1 | (frequency == 1)`, delta the document's distance from the one
///            before (the first absolute); a varint frequency for each document whose flag
///            is 0; varint skipCount, then skipCount pairs of varints (document index, byte
///            offset into the positions where that document's start), each a delta from the
///            pair before (the first from (0, 0)), at most 64 documents or about 512 bytes
///            of positions apart (`_PostingsListEncoder.needsSkipEntry`); then each
///            document's frequency varint position deltas (the first absolute)
/// termBytes  each term's folded UTF-8, terms sorted bytewise
/// termStarts (termCount + 1) u32 offsets into termBytes
/// postingStarts (termCount + 1) u32 offsets into postings (a segment's postings stay under
///            4 GiB: flushes are far smaller and `MergePolicy` merges no further)
/// checksums  u32 CRC-32C of each `blockSize` block from the end of the header to the start
///            of this section (the last block may be shorter)
/// ```
///
/// Terms are single units (an ideograph or an alphanumeric run) and bigrams of two
/// adjacent ideographs, which make phrase matching cheap. Sections come in the order they
/// are written, so a segment streams to disk: the offset tables follow what they point into.
/// Blocks are checked the first time a read touches them, so opening costs the header only.
enum SegmentFormat {
    static let magic: [UInt8] = Array("BAYSEG\r\n".utf8)
    static let version: UInt32 = 8
    static let documentRecordSize = 52
    /// The document flag for a stored text compressed as one LZ4 block.
    static let lz4Compressed: UInt32 = 1
    static let fileExtension = "bay"
    /// Small enough that the first search of a fresh process checks little beyond what it reads.
    static let blockSize = 4096

    enum Section: Int, CaseIterable {
        case documents, lengths, strings, texts, checkpoints, postings, termBytes, termStarts, postingStarts, checksums
    }

    static let sectionTableOffset = 32
    static let headerChecksumOffset = sectionTableOffset + 8 * (Section.allCases.count + 1)
    static let headerSize = headerChecksumOffset + 8
}
