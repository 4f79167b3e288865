import CPrefetch

/// Many growing byte streams in shared pages: the postings of every term of a segment being
/// built, without an array (and its allocations) per term. Lucene's `ByteBlockPool` and
/// tantivy's memory arena do the same.
///
///     let pool = _ByteStreamPool()
///     var stream = pool.makeStream()
///     pool.appendVarInt(300, to: &stream)
///     var bytes = _ByteBuffer()
///     pool.copy(stream, to: &bytes)   // 0xAC, 0x02
///
/// A stream is a chain of chunks, each an 8-byte address of the next chunk followed by a
/// payload twice the size of the one before (8 bytes first, at most `largestPayload`), so
/// a rare term wastes little and a common one hops rarely. An address is a page number
/// times `pageSize` plus an offset.
///
/// Invariants: a chunk never crosses a page; `Stream.write` lies in the stream's last chunk,
/// whose payload ends at `Stream.end`.
final class _ByteStreamPool {
    /// Where a stream starts and where its next byte goes.
    struct Stream {
        /// The address of the first chunk.
        fileprivate var head: Int
        fileprivate var write: Int
        fileprivate var end: Int
        fileprivate var level: UInt8
    }

    static let pageSize = 1 << 16
    private static let firstPayload = 8
    private static let largestLevel: UInt8 = 9  // payloads of 8 << 9 = 4 KiB
    private static let headerSize = 8

    // Touched for every byte written: dynamic exclusivity checks would cost more than the
    // write, and one thread owns a pool.
    /// Pages `0..<usedPages` hold streams; the rest are kept from before `removeAll`.
    @exclusivity(unchecked) private var pages: [UnsafeMutableRawPointer] = []
    @exclusivity(unchecked) private var usedPages = 0
    @exclusivity(unchecked) private var fill = _ByteStreamPool.pageSize

    init() {}

    /// Pages are carved from slabs of `slabSize` bytes, each asked of the kernel as one
    /// transparent huge page: a pool's tens of megabytes take a page fault every 4 KiB
    /// otherwise (a build's faults 36,400 → 30,000, its time 0.98×).
    private static let slabSize = _Memory.hugePageSize
    /// Slabs `0..<slabs.count - 1` are full; the last has given out `slabFill` bytes.
    @exclusivity(unchecked) private var slabs: [UnsafeMutableRawPointer] = []
    @exclusivity(unchecked) private var slabFill = _ByteStreamPool.slabSize

    deinit {
        for slab in slabs {
            slab.deallocate()
        }
    }

    private func newPage() -> UnsafeMutableRawPointer {
        if slabFill == _ByteStreamPool.slabSize {
            let slab = UnsafeMutableRawPointer.allocate(byteCount: _ByteStreamPool.slabSize, alignment: _ByteStreamPool.slabSize)
            _Memory.adviseHugePages(UnsafeMutableRawBufferPointer(start: slab, count: _ByteStreamPool.slabSize))
            slabs.append(slab)
            slabFill = 0
        }
        defer { slabFill += _ByteStreamPool.pageSize }
        return slabs[slabs.count - 1] + slabFill
    }

    /// Bytes of the pages in use.
    var bytes: Int { usedPages * _ByteStreamPool.pageSize }

    /// Forgets every stream but keeps the pages, for the next segment to fill.
    func removeAll() {
        usedPages = 0
        fill = _ByteStreamPool.pageSize
    }

    func makeStream() -> Stream {
        let chunk = allocate(level: 0)
        return Stream(head: chunk, write: chunk + _ByteStreamPool.headerSize,
                      end: chunk + _ByteStreamPool.headerSize + _ByteStreamPool.firstPayload, level: 0)
    }

    @inline(__always)
    func appendVarInt(_ value: UInt64, to stream: inout Stream) {
        var value = value
        while value >= 0x80 {
            append(UInt8(truncatingIfNeeded: value) | 0x80, to: &stream)
            value >>= 7
        }
        append(UInt8(value), to: &stream)
    }

    @inline(__always)
    func append(_ byte: UInt8, to stream: inout Stream) {
        if stream.write == stream.end {
            grow(&stream)
        }
        assert(stream.write < stream.end && stream.write >> 16 < usedPages, "a stream writes outside its last chunk")
        pointer(stream.write).storeBytes(of: byte, as: UInt8.self)
        stream.write += 1
    }

    /// Starts loading the cache line the next byte of `stream` goes to.
    @inline(__always)
    func prefetchWrite(of stream: Stream) {
        bay_prefetch(pointer(stream.write))
    }

    /// Starts loading the first chunk of `stream`, where `copy` starts.
    @inline(__always)
    func prefetchStart(of stream: Stream) {
        bay_prefetch(pointer(stream.head))
    }

    /// Appends the bytes of `stream` to `output`.
    func copy(_ stream: Stream, to output: inout _ByteBuffer) {
        var chunk = stream.head
        var level: UInt8 = 0
        let lastChunk = stream.end - _ByteStreamPool.headerSize - _ByteStreamPool.payloadSize(stream.level)
        while true {
            let payload = chunk + _ByteStreamPool.headerSize
            guard chunk != lastChunk else {
                output.append(UnsafeRawBufferPointer(start: pointer(payload), count: stream.write - payload))
                return
            }
            // The next chunk starts loading while this one is copied.
            let next = Int(pointer(chunk).loadUnaligned(as: UInt64.self))
            bay_prefetch(pointer(next))
            output.append(UnsafeRawBufferPointer(start: pointer(payload), count: _ByteStreamPool.payloadSize(level)))
            chunk = next
            level = min(level + 1, _ByteStreamPool.largestLevel)
        }
    }

    private static func payloadSize(_ level: UInt8) -> Int {
        firstPayload << Int(level)
    }

    @inline(__always)
    private func pointer(_ address: Int) -> UnsafeMutableRawPointer {
        pages[address >> 16] + (address & 0xFFFF)
    }

    /// Chains a chunk of the next level to the stream's last one.
    private func grow(_ stream: inout Stream) {
        let level = min(stream.level + 1, _ByteStreamPool.largestLevel)
        let chunk = allocate(level: level)
        let last = stream.end - _ByteStreamPool.headerSize - _ByteStreamPool.payloadSize(stream.level)
        pointer(last).storeBytes(of: UInt64(chunk), as: UInt64.self)
        stream.write = chunk + _ByteStreamPool.headerSize
        stream.end = stream.write + _ByteStreamPool.payloadSize(level)
        stream.level = level
    }

    private func allocate(level: UInt8) -> Int {
        let size = _ByteStreamPool.headerSize + _ByteStreamPool.payloadSize(level)
        if fill + size > _ByteStreamPool.pageSize {
            if usedPages == pages.count {
                pages.append(newPage())
            }
            usedPages += 1
            fill = 0
        }
        let address = (usedPages - 1) << 16 | fill
        fill += size
        assert(fill <= _ByteStreamPool.pageSize && address >> 16 == (address + size - 1) >> 16, "a chunk crosses a page")
        return address
    }
}
