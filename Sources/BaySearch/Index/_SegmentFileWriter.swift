#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a segment file to disk section by section, checksumming each block on its way
/// out, so neither a flush nor a merge ever holds a whole segment in memory.
///
///     let file = try _SegmentFileWriter(path: path)
///     file.beginSection(.documents)
///     try file.append(records)
///     …
///     try file.finish(documentCount: 2, totalWords: 10, termCount: 5)
///
/// Invariant: sections are begun in `SegmentFormat.Section` order; until `finish` returns,
/// the file is incomplete and is removed when this writer goes away.
final class _SegmentFileWriter {
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Where the bytes of `buffer` that the block checksums cover start: past the header
    /// until the first write, 0 after.
    private var checksummedFrom = SegmentFormat.headerSize
    private var written = 0
    private var sectionStarts: [Int] = []
    private var blockChecksums: [UInt8] = []
    private var blockCRC: UInt32 = 0
    private var blockFill = 0
    private var finished = false
    /// Bytes written but not yet handed to the disk (`startWriteback`).
    private var writebackFrom = 0
    private static let bufferSize = 1 << 20
    /// Bytes after which written data starts on its way to the disk.
    private static let writebackBytes = 4 << 20

    init(path: String) throws(IndexError) {
        self.path = path
        // Set only once the file is ours: `deinit`, which runs when an initializer throws
        // after every stored property is set, removes it.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .unwritable(path: path, reason: _FileIO.lastError())
        }
        self.descriptor = descriptor
        buffer.reserveCapacity(_SegmentFileWriter.bufferSize)
        // The header is written last, once the section offsets are known.
        buffer.append(contentsOf: repeatElement(0, count: SegmentFormat.headerSize))
    }

    deinit {
        if !finished {
            close(descriptor)
            unlink(path)
        }
    }

    /// The offset the next byte written lands at.
    var offset: Int { written + buffer.count }

    func beginSection(_ section: SegmentFormat.Section) {
        precondition(section.rawValue == sectionStarts.count, "sections out of order")
        sectionStarts.append(offset)
    }

    /// Appends `bytes`, checksummed when the buffer goes out rather than here: a flush
    /// appends each term's list, often a few bytes, and a checksum call for each one costs
    /// more than its bytes.
    func append(_ bytes: UnsafeRawBufferPointer) throws(IndexError) {
        if buffer.count + bytes.count > _SegmentFileWriter.bufferSize {
            try flushBuffer()
        }
        if bytes.count >= _SegmentFileWriter.bufferSize {
            checksum(bytes)
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    func append(_ bytes: [UInt8]) throws(IndexError) {
        try bytes.withUnsafeBytes { buffer in Result { () throws(IndexError) in try append(buffer) } }.get()
    }

    /// Writes the checksums section and the header, then syncs the file, or hands it to
    /// `syncs` to sync.
    func finish(documentCount: Int, totalWords: Int, termCount: Int, syncedBy syncs: _BackgroundSync? = nil) throws(IndexError) {
        precondition(sectionStarts.count == SegmentFormat.Section.checksums.rawValue, "sections missing")
        sectionStarts.append(offset)
        try flushBuffer()
        if blockFill > 0 {
            SegmentSerializer.appendInteger(blockCRC, to: &blockChecksums)
        }
        try writeAll(blockChecksums)
        sectionStarts.append(offset)
        guard documentCount <= Int(UInt32.max), termCount <= Int(UInt32.max) else {
            throw .unwritable(path: path, reason: "a segment holds at most \(UInt32.max) documents and terms")
        }
        var header = SegmentFormat.magic
        SegmentSerializer.appendInteger(SegmentFormat.version, to: &header)
        SegmentSerializer.appendInteger(UInt32(documentCount), to: &header)
        SegmentSerializer.appendInteger(UInt64(totalWords), to: &header)
        SegmentSerializer.appendInteger(UInt32(termCount), to: &header)
        SegmentSerializer.appendInteger(UInt32(SegmentFormat.blockSize), to: &header)
        for start in sectionStarts {
            SegmentSerializer.appendInteger(UInt64(start), to: &header)
        }
        SegmentSerializer.appendInteger(_Checksum.crc32c(header), to: &header)
        SegmentSerializer.appendInteger(UInt32(0), to: &header)
        let result = header.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard result == header.count else {
            throw .unwritable(path: path, reason: result < 0 ? _FileIO.lastError() : "short write")
        }
        if let syncs {
            finished = true
            syncs.syncAndClose(descriptor, path: path)
            return
        }
        guard fsync(descriptor) == 0 else {
            throw .unwritable(path: path, reason: _FileIO.lastError())
        }
        finished = true
        close(descriptor)
    }

    /// Folds `bytes` into the running block checksums; the header is not part of any block.
    private func checksum(_ bytes: UnsafeRawBufferPointer) {
        var rest = bytes
        while !rest.isEmpty {
            let take = min(rest.count, SegmentFormat.blockSize - blockFill)
            blockCRC = _Checksum.crc32c(UnsafeRawBufferPointer(rebasing: rest.prefix(take)), continuing: blockCRC)
            blockFill += take
            rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(take))
            if blockFill == SegmentFormat.blockSize {
                SegmentSerializer.appendInteger(blockCRC, to: &blockChecksums)
                blockCRC = 0
                blockFill = 0
            }
        }
    }

    private func flushBuffer() throws(IndexError) {
        try buffer.withUnsafeBytes { bytes in
            checksum(UnsafeRawBufferPointer(rebasing: bytes[checksummedFrom...]))
            return Result { () throws(IndexError) in try writeAll(bytes) }
        }.get()
        buffer.removeAll(keepingCapacity: true)
        checksummedFrom = 0
    }

    private func writeAll(_ bytes: [UInt8]) throws(IndexError) {
        try bytes.withUnsafeBytes { buffer in Result { () throws(IndexError) in try writeAll(buffer) } }.get()
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(IndexError) {
        if let failure = _FileIO.writeAll(bytes, to: descriptor) {
            throw .unwritable(path: path, reason: failure)
        }
        written += bytes.count
        if written - writebackFrom >= _SegmentFileWriter.writebackBytes {
            _FileIO.startWriteback(of: descriptor, offset: writebackFrom, length: written - writebackFrom)
            writebackFrom = written
        }
    }
}
