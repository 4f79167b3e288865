import Foundation

/// Reads one memory-mapped segment file: its documents, its term dictionary and postings.
///
///     let segment = try SegmentReader(path: "index/seg-1-0-0.bay")
///     if let postings = try segment.postings(of: Array("桥".utf8)) { print(postings.documents) }
///
/// Opening checks the header, its checksum and that every section lies inside the file.
/// Every other read first checks the CRC-32C of the blocks it touches (once per block), and
/// postings are bounds-checked as they are decoded, so a damaged file throws instead of
/// crashing or answering wrongly. Deleted documents (`deleted`) never appear in postings.
///
/// Not thread-safe (it remembers which blocks it has checked): one reader per thread.
final class SegmentReader {
    let path: String
    /// The name its readers report errors under.
    let source: _ByteSource
    let documentCount: Int
    let totalWords: Int
    let termCount: Int
    let deleted: DeletedDocuments
    private let file: _MappedFile
    private let sectionStarts: [Int]
    /// The size of the blocks whose checksums the file stores, a power of two.
    let blockSize: Int
    /// log2 of `blockSize`: every read finds its blocks by shifting, not dividing.
    private let blockShift: Int
    /// Where the checked sections end (the start of `checksums`).
    let checkedEnd: Int
    // Read on every access to the file: a dynamic exclusivity check would cost more than
    // the read, and a reader is used by one thread (see above).
    @exclusivity(unchecked) private var checkedBlocks: [UInt64]

    /// Opens the segment at `path`, whose deleted documents, if any, are in the file at
    /// `deletionsPath`.
    init(path: String, deletionsPath: String? = nil) throws(IndexError) {
        self.path = path
        source = _ByteSource(path: path)
        file = try _MappedFile(path: path)
        let magic = SegmentFormat.magic
        guard file.bytes.count >= 12, file.bytes.prefix(magic.count).elementsEqual(magic) else {
            throw .corrupt("\(path) is not a BaySearch segment")
        }
        let version = try file.load(UInt32.self, at: 8)
        guard version <= SegmentFormat.version else {
            throw .newerFormat(path: path, version: Int(version))
        }
        guard version == SegmentFormat.version else {
            throw .olderFormat(path: path, version: Int(version))
        }
        guard file.bytes.count >= SegmentFormat.headerSize,
              _Checksum.crc32c(UnsafeRawBufferPointer(rebasing: file.bytes.prefix(SegmentFormat.headerChecksumOffset)))
                == (try file.load(UInt32.self, at: SegmentFormat.headerChecksumOffset)) else {
            throw .corrupt("\(path): its header fails its checksum")
        }
        documentCount = Int(try file.load(UInt32.self, at: 12))
        totalWords = try file.loadInt(at: 16)
        termCount = Int(try file.load(UInt32.self, at: 24))
        blockSize = Int(try file.load(UInt32.self, at: 28))
        guard blockSize >= 64, blockSize <= 1 << 24, blockSize & (blockSize - 1) == 0, documentCount <= Int(Int32.max) else {
            throw .corrupt("\(path): its block size or document count is impossible")
        }
        blockShift = blockSize.trailingZeroBitCount
        var starts: [Int] = []
        for index in 0...SegmentFormat.Section.allCases.count {
            let start = try file.load(UInt64.self, at: SegmentFormat.sectionTableOffset + 8 * index)
            guard start <= UInt64(file.bytes.count), start >= UInt64(starts.last ?? SegmentFormat.headerSize) else {
                throw .corrupt("\(path): its section table is damaged")
            }
            starts.append(Int(start))
        }
        sectionStarts = starts
        func size(_ section: SegmentFormat.Section) -> Int {
            starts[section.rawValue + 1] - starts[section.rawValue]
        }
        let checkedBytes = starts[SegmentFormat.Section.checksums.rawValue] - SegmentFormat.headerSize
        let blockCount = (checkedBytes + blockSize - 1) / blockSize
        guard starts.first == SegmentFormat.headerSize, starts.last == file.bytes.count,
              size(.documents) == documentCount * SegmentFormat.documentRecordSize,
              size(.lengths) == documentCount * 4,
              size(.termBlockStarts) == (SegmentFormat.termBlockCount(termCount) + 1) * 8,
              size(.checksums) == blockCount * 4 else {
            throw .corrupt("\(path): its sections do not match its counts")
        }
        checkedBlocks = Array(repeating: 0, count: (blockCount + 63) / 64)
        checkedEnd = starts[SegmentFormat.Section.checksums.rawValue]
        if let deletionsPath {
            deleted = try DeletedDocuments(path: deletionsPath, documentCount: documentCount)
            guard deleted.deletedWords <= totalWords else {
                throw .corrupt("\(deletionsPath) does not belong to \(path)")
            }
        } else {
            deleted = DeletedDocuments(documentCount: documentCount)
        }
    }

    /// The size of the segment file.
    var byteCount: Int { file.bytes.count }

    /// Documents not deleted.
    var liveDocumentCount: Int { documentCount - deleted.count }
    /// ICU words of the documents not deleted.
    var liveWords: Int { totalWords - deleted.deletedWords }

    /// Checks the CRC-32C of every block that bytes `from..<to` touch, each block once.
    @inline(__always)
    private func check(from: Int, to: Int) throws(IndexError) {
        guard from < to else {
            return
        }
        guard from >= SegmentFormat.headerSize, to <= checkedEnd else {
            throw .corrupt("\(path): a read at byte \(from) lies outside the checked sections")
        }
        var block = (from - SegmentFormat.headerSize) >> blockShift
        let last = (to - 1 - SegmentFormat.headerSize) >> blockShift
        while block <= last {
            if checkedBlocks[block >> 6] & (1 << UInt64(block & 63)) == 0 {
                try checkBlock(block)
            }
            block += 1
        }
    }

    private func checkBlock(_ block: Int) throws(IndexError) {
        let from = SegmentFormat.headerSize + block * blockSize
        let to = min(from + blockSize, checkedEnd)
        guard _Checksum.crc32c(UnsafeRawBufferPointer(rebasing: file.bytes[from..<to])) == (try storedChecksum(ofBlock: block)) else {
            throw .corrupt("\(path): bytes \(from)–\(to) fail their checksum")
        }
        checkedBlocks[block >> 6] |= 1 << UInt64(block & 63)
    }

    /// The CRC-32C the file stores for `block`.
    func storedChecksum(ofBlock block: Int) throws(IndexError) -> UInt32 {
        try file.load(UInt32.self, at: checkedEnd + 4 * block)
    }

    /// A checked little-endian integer of a section.
    @inline(__always)
    private func load<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) throws(IndexError) -> T {
        try check(from: offset, to: offset + MemoryLayout<T>.size)
        return try file.load(type, at: offset)
    }

    @inline(__always)
    private func loadInt(at offset: Int) throws(IndexError) -> Int {
        try check(from: offset, to: offset + 8)
        return try file.loadInt(at: offset)
    }

    func start(of section: SegmentFormat.Section) -> Int { sectionStarts[section.rawValue] }
    func size(of section: SegmentFormat.Section) -> Int {
        sectionStarts[section.rawValue + 1] - sectionStarts[section.rawValue]
    }

    /// Bytes of each section, for reporting index size.
    func size(of sections: [SegmentFormat.Section]) -> Int {
        sections.reduce(0) { $0 + size(of: $1) }
    }

    // MARK: Documents

    func id(of document: Int) throws(IndexError) -> String {
        try string(recordField: 0, of: document)
    }

    func title(of document: Int) throws(IndexError) -> String {
        try string(recordField: 8, of: document)
    }

    func contentHash(of document: Int) throws(IndexError) -> UInt64 {
        try load(UInt64.self, at: record(document) + 44)
    }

    func wordCount(of document: Int) throws(IndexError) -> Int {
        Int(try load(UInt32.self, at: start(of: .lengths) + 4 * document))
    }

    /// Every document's length in ICU words, read from the mapped `lengths` section once
    /// its blocks are checked: scoring reads one for each matching document.
    func documentLengths() throws(IndexError) -> _DocumentLengths {
        _DocumentLengths(bytes: try slice(of: .lengths, start: 0, length: size(of: .lengths)), path: path)
    }

    /// The document's original UTF-8 text.
    func text(of document: Int) throws(IndexError) -> [UInt8] {
        let stored = try storedText(of: document)
        guard stored.compressed else {
            return Array(stored.bytes)
        }
        guard stored.textLength <= UnitTokenizer.maximumTextBytes else {
            throw .corrupt("\(path): document \(document) claims a text larger than any document")
        }
        guard let text = _LZ4.decompress(stored.bytes, length: stored.textLength) else {
            throw .corrupt("\(path): the stored text of document \(document) does not decompress")
        }
        return text
    }

    /// The stored (possibly compressed) text bytes of a document and whether they are
    /// compressed, which a merge copies without decompressing.
    func storedText(of document: Int) throws(IndexError) -> (bytes: UnsafeRawBufferPointer, textLength: Int, compressed: Bool) {
        let record = record(document)
        let start = try loadInt(at: record + 16)
        let storedLength = Int(try load(UInt32.self, at: record + 24))
        let length = Int(try load(UInt32.self, at: record + 28))
        let flags = try load(UInt32.self, at: record + 32)
        return (try slice(of: .texts, start: start, length: storedLength), length, flags & SegmentFormat.lz4Compressed != 0)
    }

    /// The document's checkpoints at positions up to `last`, positions and offsets
    /// ascending: walking to a position needs none beyond it, and a long document has
    /// thousands.
    func checkpoints(of document: Int, through last: UInt32) throws(IndexError) -> [UnitTokenizer.Checkpoint] {
        let bytes = try checkpointBytes(of: document)
        var reader = _ByteReader(bytes, from: 0, to: bytes.count, source: source)
        let count = try reader.readVarInt()
        guard count <= UInt64(bytes.count) else {
            throw .corrupt("\(path): document \(document) claims more checkpoints than it stores")
        }
        var checkpoints: [UnitTokenizer.Checkpoint] = []
        checkpoints.reserveCapacity(Int(count))
        var position: UInt64 = 0
        var offset: UInt64 = 0
        for _ in 0..<count {
            position = try reader.readDelta(after: position, atMost: UInt64(UInt32.max))
            offset = try reader.readDelta(after: offset, atMost: UInt64(UInt32.max))
            guard position <= UInt64(last) else {
                break
            }
            checkpoints.append(UnitTokenizer.Checkpoint(position: UInt32(position), offset: Int(offset)))
        }
        return checkpoints
    }

    /// The encoded checkpoints of a document, which a merge copies as they are.
    func checkpointBytes(of document: Int) throws(IndexError) -> UnsafeRawBufferPointer {
        let record = record(document)
        let start = Int(try load(UInt32.self, at: record + 36))
        let length = Int(try load(UInt32.self, at: record + 40))
        return try slice(of: .checkpoints, start: start, length: length)
    }

    private func record(_ document: Int) -> Int {
        start(of: .documents) + document * SegmentFormat.documentRecordSize
    }

    private func string(recordField offset: Int, of document: Int) throws(IndexError) -> String {
        let record = record(document)
        let start = Int(try load(UInt32.self, at: record + offset))
        let length = Int(try load(UInt32.self, at: record + offset + 4))
        return String(decoding: try slice(of: .strings, start: start, length: length), as: UTF8.self)
    }

    /// Bytes `start..<start + length` of `section`, still in the mapped file.
    private func slice(of section: SegmentFormat.Section, start: Int, length: Int) throws(IndexError) -> UnsafeRawBufferPointer {
        guard start >= 0, length >= 0, start + length <= size(of: section) else {
            throw .corrupt("\(path): a document points outside its section")
        }
        let base = self.start(of: section) + start
        try check(from: base, to: base + length)
        return UnsafeRawBufferPointer(rebasing: file.bytes[base..<base + length])
    }

    // MARK: Terms

    /// The postings of `term` (folded UTF-8), or nil when no document holds it.
    func postings(of term: [UInt8]) throws(IndexError) -> Postings? {
        guard let range = try find(term) else {
            return nil
        }
        return try postings(inFile: range)
    }

    /// The decoded postings of the term at `index` of the sorted dictionary.
    func postings(at index: Int) throws(IndexError) -> Postings {
        try postings(inFile: try fileRange(ofPostings: try termAndPostings(at: index).postings))
    }

    /// The folded UTF-8 of the term at `index` of the sorted dictionary.
    func termBytes(at index: Int) throws(IndexError) -> [UInt8] {
        try termAndPostings(at: index).term
    }

    /// The block of the dictionary holding the term at `index`, read as far as that term.
    private func termAndPostings(at index: Int) throws(IndexError) -> _TermBlock {
        guard index >= 0, index < termCount else {
            throw .corrupt("\(path): no term \(index) in the dictionary")
        }
        var (bytes, block) = try termBlock(index / SegmentFormat.termsPerBlock)
        try block.read(through: index % SegmentFormat.termsPerBlock, in: bytes)
        return block
    }

    /// The bytes of the dictionary's block `block`, and a reader at its start.
    private func termBlock(_ block: Int) throws(IndexError) -> (bytes: UnsafeRawBufferPointer, start: _TermBlock) {
        let table = start(of: .termBlockStarts) + 8 * block
        let (from, postings) = (Int(try load(UInt32.self, at: table)), Int(try load(UInt32.self, at: table + 4)))
        let (to, postingsEnd) = (Int(try load(UInt32.self, at: table + 8)), Int(try load(UInt32.self, at: table + 12)))
        guard from < to, to <= size(of: .termBlocks), postings <= postingsEnd, postingsEnd <= size(of: .postings) else {
            throw .corrupt("\(path): the term dictionary points outside its sections")
        }
        let base = start(of: .termBlocks) + from
        try check(from: base, to: base + (to - from))
        return (UnsafeRawBufferPointer(rebasing: file.bytes[base..<base + (to - from)]), _TermBlock(postingsStart: postings, path: path))
    }

    /// Offsets `range` of the postings section as offsets into the file, checked to lie in the section.
    private func fileRange(ofPostings range: Range<Int>) throws(IndexError) -> Range<Int> {
        guard range.upperBound <= size(of: .postings) else {
            throw .corrupt("\(path): a postings list points outside its section")
        }
        return start(of: .postings) + range.lowerBound..<start(of: .postings) + range.upperBound
    }

    /// Lets go of the file's pages this process has read, which a merge calls as it goes
    /// so that its resident memory does not grow with the segments it reads.
    func releaseReadPages() {
        file.releaseResidentPages()
    }

    /// A bounds-checked reader over bytes `from..<to` of the file, whose blocks are checked.
    func reader(from: Int, to: Int) throws(IndexError) -> _ByteReader {
        try check(from: from, to: to)
        return _ByteReader(file.bytes, from: from, to: to, source: source)
    }

    /// Where the postings of `term` lie in the file, or nil when the dictionary lacks it: a
    /// binary search of the blocks' first terms, then a walk through one block.
    private func find(_ term: [UInt8]) throws(IndexError) -> Range<Int>? {
        let blocksAtOrBelow = try blocksStartingAtOrBelow(term)
        guard blocksAtOrBelow > 0 else {
            return nil
        }
        var (bytes, block) = try termBlock(blocksAtOrBelow - 1)
        while try block.next(in: bytes) {
            let order = block.term.withUnsafeBytes { SegmentReader.compare($0, term) }
            if order == 0 {
                return try fileRange(ofPostings: block.postings)
            }
            if order > 0 {
                return nil
            }
        }
        return nil
    }

    /// The number of dictionary blocks whose first term is at or below `term`: a binary
    /// search of the blocks' first terms. Any block holding `term` is the last of them.
    private func blocksStartingAtOrBelow(_ term: [UInt8]) throws(IndexError) -> Int {
        var low = 0
        var high = SegmentFormat.termBlockCount(termCount)
        // The blocks before `low` start at or below `term`, those from `high` on above it.
        while low < high {
            let middle = (low + high) / 2
            if SegmentReader.compare(try firstTerm(ofBlock: middle), term) <= 0 {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    /// Where the postings of every term that begins with `prefix` (folded UTF-8) lie in the
    /// file, in dictionary order: such terms lie together, from `prefix` itself on. How an
    /// ideograph is found wherever it stands, as it is indexed within the bigram it starts
    /// (see `SegmentFormat`); `postings(inFile:)` decodes one.
    func postingsRanges(startingWith prefix: [UInt8]) throws(IndexError) -> [Range<Int>] {
        var found: [Range<Int>] = []
        let blockCount = SegmentFormat.termBlockCount(termCount)
        var blockIndex = max(0, try blocksStartingAtOrBelow(prefix) - 1)
        while blockIndex < blockCount {
            var (bytes, block) = try termBlock(blockIndex)
            while try block.next(in: bytes) {
                let order = block.term.withUnsafeBytes { term in
                    SegmentReader.compare(UnsafeRawBufferPointer(rebasing: term.prefix(prefix.count)), prefix)
                }
                if order > 0 {
                    return found
                }
                if order == 0 {
                    found.append(try fileRange(ofPostings: block.postings))
                }
            }
            blockIndex += 1
        }
        return found
    }

    /// The decoded postings list at `range` of the file (one of `postingsRanges(startingWith:)`).
    func postings(inFile range: Range<Int>) throws(IndexError) -> Postings {
        var reader = try reader(from: range.lowerBound, to: range.upperBound)
        return try Postings(decoding: &reader, in: self)
    }

    /// The first term of the dictionary's block `block`, still in the mapped file: what the
    /// binary search of `find` compares, reading one table entry and the term, not the block.
    private func firstTerm(ofBlock block: Int) throws(IndexError) -> UnsafeRawBufferPointer {
        let from = Int(try load(UInt32.self, at: start(of: .termBlockStarts) + 8 * block))
        // Most first terms are short: one read holds their header and bytes.
        let bytes = try slice(of: .termBlocks, start: from, length: min(64, max(0, size(of: .termBlocks) - from)))
        let (headerLength, termLength) = try _TermBlock.firstTermHeader(in: bytes, path: path)
        if headerLength + termLength <= bytes.count {
            return UnsafeRawBufferPointer(rebasing: bytes[headerLength..<headerLength + termLength])
        }
        return try slice(of: .termBlocks, start: from + headerLength, length: termLength)
    }

    /// `memcmp` order of `stored` and `wanted`: negative, zero or positive.
    private static func compare(_ stored: UnsafeRawBufferPointer, _ wanted: [UInt8]) -> Int32 {
        wanted.withUnsafeBytes { wanted in
            let common = min(stored.count, wanted.count)
            if common > 0, let storedBase = stored.baseAddress, let wantedBase = wanted.baseAddress {
                let order = memcmp(storedBase, wantedBase, common)
                if order != 0 {
                    return order
                }
            }
            return stored.count < wanted.count ? -1 : (stored.count > wanted.count ? 1 : 0)
        }
    }
}
