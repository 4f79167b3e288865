/// The layout of a segment file, version 10. All integers are little-endian.
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
/// termBlocks the terms' folded UTF-8, sorted bytewise, in blocks of `termsPerBlock` terms
///            (the last block may hold fewer). Per term: varint shared (the bytes it has in
///            common with the term before it in the block; 0 for a block's first term),
///            varint suffix length, the suffix, varint length of its postings list. The lists
///            lie back to back in the postings, in the terms' order.
/// termBlockStarts (blockCount + 1) pairs of u32: where each block starts in termBlocks and
///            where its first term's list starts in postings; the last pair holds the two
///            sections' sizes (a segment's postings stay under 4 GiB: flushes are far
///            smaller and `MergePolicy` merges no further). blockCount is termCount divided
///            by `termsPerBlock`, rounded up.
/// checksums  u32 CRC-32C of each `blockSize` block from the end of the header to the start
///            of this section (the last block may be shorter)
/// ```
///
/// Each position holds one term. An alphanumeric run is its own term. An ideograph is
/// indexed as the bigram it starts with the ideograph at the next position, or, when none
/// follows (the end of its run), as itself: one postings entry an ideograph, where a unigram
/// and a bigram each took two, and a phrase of n ideographs needs about n/2 lists. An
/// ideograph's occurrences are the lists of the terms it begins, which lie together in the
/// sorted dictionary (`SegmentReader.postings(startingWith:)`). Sorted, neighbouring terms mostly
/// share their first ideograph, so the dictionary takes about 6 bytes a term (5.7 on the
/// benchmark corpus) where whole terms and two offset tables took 14; a lookup searches the
/// blocks' first terms, then reads one block. Sections come in the order they
/// are written, so a segment streams to disk: the offset tables follow what they point into.
/// Blocks are checked the first time a read touches them, so opening costs the header only.
enum SegmentFormat {
    static let magic: [UInt8] = Array("BAYSEG\r\n".utf8)
    static let version: UInt32 = 10
    static let documentRecordSize = 52
    /// The document flag for a stored text compressed as one LZ4 block.
    static let lz4Compressed: UInt32 = 1
    static let fileExtension = "bay"
    /// Small enough that the first search of a fresh process checks little beyond what it reads.
    static let blockSize = 4096
    /// Terms in a block of `termBlocks`: a lookup reads at most this many after its binary search.
    static let termsPerBlock = 16

    /// The blocks of `termBlocks` that `termCount` terms fill.
    static func termBlockCount(_ termCount: Int) -> Int {
        (termCount + termsPerBlock - 1) / termsPerBlock
    }

    enum Section: Int, CaseIterable {
        case documents, lengths, strings, texts, checkpoints, postings, termBlocks, termBlockStarts, checksums
    }

    static let sectionTableOffset = 32
    static let headerChecksumOffset = sectionTableOffset + 8 * (Section.allCases.count + 1)
    static let headerSize = headerChecksumOffset + 8
}
