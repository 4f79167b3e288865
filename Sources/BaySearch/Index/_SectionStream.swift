#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a segment file forward through a small window with `pread`, checking the CRC-32C
/// of each block as it arrives: how a merge reads its inputs' postings and dictionaries.
///
///     let file = try _SegmentFileDescriptor(segment)
///     let postings = _SectionStream(file)
///     let list = try postings.bytes(start..<end)  // valid until the next call
///
/// A merge reads four places of every input at once (postings, term bytes and the two
/// offset tables). Through the mapping, every touch maps a whole page-cache folio, which
/// recent kernels make up to megabytes large and no `madvise` keeps out, so a 48-way merge
/// held about 60 MB of its inputs' pages; read this way, it holds only the windows.
///
/// Invariant: `window` holds the file's bytes `windowStart..<windowStart + count`, whole
/// blocks whose checksums passed; reads never go back before `windowStart`.
final class _SectionStream {
    /// Bytes read past what is asked for, so that a stream of small reads costs few calls.
    static let readAhead = 16 << 10

    private let file: _SegmentFileDescriptor
    // A stream is used by one thread; a dynamic exclusivity check on every read would cost
    // more than the read.
    @exclusivity(unchecked) private var window = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    @exclusivity(unchecked) private var windowStart = 0
    @exclusivity(unchecked) private var count = 0

    init(_ file: _SegmentFileDescriptor) {
        self.file = file
    }

    deinit {
        window.deallocate()
    }

    /// The file's bytes `range`, checked; `range` starts at or after the start of the
    /// previous read's, and the bytes stay valid until the next read.
    func bytes(_ range: Range<Int>) throws(IndexError) -> UnsafeRawBufferPointer {
        guard range.lowerBound >= SegmentFormat.headerSize, range.upperBound <= file.checkedEnd else {
            throw .corrupt("\(file.path): a read at byte \(range.lowerBound) lies outside the checked sections")
        }
        if range.lowerBound < windowStart || range.upperBound > windowStart + count {
            try slide(to: range)
        }
        assert(windowStart <= range.lowerBound && range.upperBound <= windowStart + count, "the window misses the read")
        return UnsafeRawBufferPointer(rebasing: window[(range.lowerBound - windowStart)..<(range.upperBound - windowStart)])
    }

    /// A copy of the file's bytes `range`, checked, as `bytes` reads them: for a caller
    /// whose stream does not outlive the call (the bytes `bytes` returns die with it).
    func copyBytes(_ range: Range<Int>) throws(IndexError) -> [UInt8] {
        Array(try bytes(range))
    }

    /// A little-endian u32 at `offset`.
    func loadUInt32(at offset: Int) throws(IndexError) -> UInt32 {
        UInt32(littleEndian: try bytes(offset..<offset + 4).loadUnaligned(as: UInt32.self))
    }

    /// Moves the window to start at the block holding `range.lowerBound` and to cover
    /// `range` and `readAhead` more, keeping the checked bytes it already holds.
    private func slide(to range: Range<Int>) throws(IndexError) {
        let blockSize = file.blockSize
        let start = SegmentFormat.headerSize + (range.lowerBound - SegmentFormat.headerSize) / blockSize * blockSize
        let wanted = max(range.upperBound, start + _SectionStream.readAhead)
        let end = min(file.checkedEnd, SegmentFormat.headerSize
            + (wanted - SegmentFormat.headerSize + blockSize - 1) / blockSize * blockSize)
        let kept = start >= windowStart ? max(0, windowStart + count - start) : 0
        // A window grown for one long postings list shrinks back at the next short read.
        if end - start > window.count || window.count > 4 * max(end - start, _SectionStream.readAhead) {
            let next = UnsafeMutableRawBufferPointer.allocate(byteCount: end - start, alignment: 8)
            if kept > 0, let base = next.baseAddress, let source = window.baseAddress {
                base.copyMemory(from: source + (start - windowStart), byteCount: kept)
            }
            window.deallocate()
            window = next
        } else if kept > 0, let base = window.baseAddress {
            memmove(base, base + (start - windowStart), kept)
        }
        windowStart = start
        count = kept
        try file.read(into: UnsafeMutableRawBufferPointer(rebasing: window[kept..<(end - start)]), at: start + kept)
        count = end - start
    }
}

/// An open segment file for `_SectionStream`s: its descriptor and what checking its blocks
/// needs. Closed when the last stream goes.
final class _SegmentFileDescriptor {
    private let segment: SegmentReader
    private let descriptor: Int32

    init(_ segment: SegmentReader) throws(IndexError) {
        descriptor = open(segment.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .unreadable(path: segment.path, reason: String(cString: strerror(errno)))
        }
        self.segment = segment
    }

    var path: String { segment.path }
    var blockSize: Int { segment.blockSize }
    /// Where the checked sections end (the start of `checksums`).
    var checkedEnd: Int { segment.checkedEnd }

    deinit {
        close(descriptor)
    }

    /// Fills `buffer` with the file's bytes from `offset`, a block boundary, and checks every
    /// block it holds, which must be whole (or end the checked sections).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(IndexError) {
        var done = 0
        while done < buffer.count, let base = buffer.baseAddress {
            let count = pread(descriptor, base + done, buffer.count - done, off_t(offset + done))
            if count < 0 && errno == EINTR {
                continue
            }
            guard count > 0 else {
                throw count < 0
                    ? .unreadable(path: path, reason: String(cString: strerror(errno)))
                    : .corrupt("\(path) is shorter than its header says")
            }
            done += count
        }
        var blockStart = 0
        while blockStart < buffer.count {
            let blockEnd = min(blockStart + blockSize, buffer.count)
            let block = (offset + blockStart - SegmentFormat.headerSize) / blockSize
            guard _Checksum.crc32c(UnsafeRawBufferPointer(rebasing: buffer[blockStart..<blockEnd]))
                    == (try segment.storedChecksum(ofBlock: block)) else {
                throw .corrupt("\(path): bytes \(offset + blockStart)–\(offset + blockEnd) fail their checksum")
            }
            blockStart = blockEnd
        }
    }
}
