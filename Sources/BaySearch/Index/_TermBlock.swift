/// One block of the term dictionary (`SegmentFormat`), read a term at a time: each term is
/// rebuilt from the one before it, and its postings list found by adding up the lengths.
///
///     var block = _TermBlock(postingsStart: 0, path: path)
///     while try block.next(in: bytes) { print(block.term, block.postings) }
///
/// It holds no bytes of its own, so the same reading serves the mapped file (search) and a
/// copy read with `pread` (merge). Every length is checked against the block, so a damaged
/// block throws instead of reading past it.
struct _TermBlock {
    /// The current term's folded UTF-8.
    private(set) var term: [UInt8] = []
    /// The current term's postings list, as offsets into the postings section.
    private(set) var postings: Range<Int>
    /// Terms read so far.
    private(set) var count = 0
    private var offset = 0
    private let path: String

    /// A block whose first list starts at `postingsStart` of the postings section.
    init(postingsStart: Int, path: String) {
        postings = postingsStart..<postingsStart
        self.path = path
    }

    /// Moves to the block's next term, in `bytes` (the block's, the same every call);
    /// false after its last.
    mutating func next(in bytes: UnsafeRawBufferPointer) throws(IndexError) -> Bool {
        guard offset < bytes.count else {
            return false
        }
        let shared = try readInt(bytes)
        let suffixLength = try readInt(bytes)
        guard shared <= term.count, (count > 0 || shared == 0), suffixLength <= bytes.count - offset else {
            throw .corrupt("\(path): a term of the dictionary runs past its block")
        }
        term.removeSubrange(shared...)
        term.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + suffixLength]))
        offset += suffixLength
        let length = try readInt(bytes)
        postings = postings.upperBound..<postings.upperBound + length
        count += 1
        return true
    }

    /// Reads as far as the block's term `position` (counting from 0), which must be in it.
    mutating func read(through position: Int, in bytes: UnsafeRawBufferPointer) throws(IndexError) {
        while count <= position {
            guard try next(in: bytes) else {
                throw .corrupt("\(path): a block of the dictionary holds too few terms")
            }
        }
    }

    /// `next(in:)` on a copy of the block's bytes.
    mutating func next(in bytes: [UInt8]) throws(IndexError) -> Bool {
        try bytes.withUnsafeBytes { bytes in Result { () throws(IndexError) in try next(in: bytes) } }.get()
    }

    /// `read(through:in:)` on a copy of the block's bytes.
    mutating func read(through position: Int, in bytes: [UInt8]) throws(IndexError) {
        try bytes.withUnsafeBytes { bytes in Result { () throws(IndexError) in try read(through: position, in: bytes) } }.get()
    }

    /// Where a block's first term starts and how long it is, from the block's first bytes
    /// (the term itself need not be among them): how a lookup compares blocks in its binary
    /// search without reading them.
    static func firstTermHeader(in bytes: UnsafeRawBufferPointer, path: String) throws(IndexError) -> (headerLength: Int, termLength: Int) {
        var offset = 0
        guard _VarInt.read(bytes, at: &offset, end: bytes.count) == 0,
              let length = _VarInt.read(bytes, at: &offset, end: bytes.count), length <= UInt64(UInt32.max) else {
            throw .corrupt("\(path): a block of the dictionary does not start with a whole term")
        }
        return (offset, Int(length))
    }

    /// A length within the block: no more than the 4 GiB any section of a segment may hold.
    private mutating func readInt(_ bytes: UnsafeRawBufferPointer) throws(IndexError) -> Int {
        guard let value = _VarInt.read(bytes, at: &offset, end: bytes.count), value <= UInt64(UInt32.max) else {
            throw .corrupt("\(path): a term of the dictionary runs past its block")
        }
        return Int(value)
    }
}
