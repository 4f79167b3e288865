#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A temporary file without a name, for bytes a merge's second thread produces before they
/// can take their place in the segment: written through a buffer, then read back from the
/// start. The name goes as soon as the file is open, so a crash leaves nothing behind, and
/// the space goes when the file is closed.
///
///     let spill = try _SpillFile(directory: "index")
///     try spill.append(encodedList)
///     try spill.forEachChunk { chunk in try segmentFile.append(chunk) }
///
/// Used by one thread at a time.
final class _SpillFile {
    /// How a spill file's name begins, for the rare one a crash leaves between its creation
    /// and its unlinking, which opening the index then removes.
    static let namePrefix = ".spill-"
    private static let bufferSize = 1 << 20
    /// Where the file was created, for error messages (the name itself is already gone).
    private let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Bytes appended so far.
    private(set) var count = 0

    init(directory: String) throws(IndexError) {
        path = directory + "/" + _SpillFile.namePrefix + "\(getpid())-\(UInt64.random(in: 0 ... .max))"
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .unwritable(path: path, reason: _FileIO.lastError())
        }
        unlink(path)
        self.descriptor = descriptor
        buffer.reserveCapacity(_SpillFile.bufferSize)
    }

    deinit {
        close(descriptor)
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws(IndexError) {
        buffer.append(contentsOf: bytes)
        count += bytes.count
        if buffer.count >= _SpillFile.bufferSize {
            try flush()
        }
    }

    /// Calls `body` with everything appended, in order, a buffer's worth at a time.
    func forEachChunk(_ body: (UnsafeRawBufferPointer) throws(IndexError) -> Void) throws(IndexError) {
        try flush()
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: _SpillFile.bufferSize, alignment: 8)
        defer { chunk.deallocate() }
        var offset = 0
        while offset < count, let base = chunk.baseAddress {
            let read = pread(descriptor, base, min(chunk.count, count - offset), off_t(offset))
            if read < 0 && errno == EINTR {
                continue
            }
            guard read > 0 else {
                throw .unreadable(path: path, reason: read < 0 ? _FileIO.lastError() : "it holds less than was written to it")
            }
            try body(UnsafeRawBufferPointer(rebasing: chunk[0..<read]))
            offset += read
        }
    }

    private func flush() throws(IndexError) {
        if let failure = buffer.withUnsafeBytes({ _FileIO.writeAll($0, to: descriptor) }) {
            throw .unwritable(path: path, reason: failure)
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
