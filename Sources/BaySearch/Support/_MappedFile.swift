#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole file; unmapped when the last reference goes.
///
/// Searching reads only the pages it touches, so opening an index costs the same whatever
/// its size. Invariant: `bytes` covers exactly the file's length at open time.
final class _MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    let path: String

    init(path: String) throws(IndexError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let size = Int(info.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let address = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: address), bytes.count)
        }
    }

    /// Drops the pages read so far from this process's resident memory; they are read
    /// again (from the page cache) if touched later.
    func releaseResidentPages() {
        if let address = bytes.baseAddress {
            madvise(UnsafeMutableRawPointer(mutating: address), bytes.count, MADV_DONTNEED)
        }
    }

    /// A little-endian integer at `offset`, or a corruption error when it lies outside the file.
    func load<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) throws(IndexError) -> T {
        guard offset >= 0, offset + MemoryLayout<T>.size <= bytes.count else {
            throw .corrupt("\(path): a field at byte \(offset) lies past the end of the file")
        }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// A little-endian u64 at `offset` as an `Int`, or a corruption error when it does not
    /// fit one (only a damaged file holds such a value).
    func loadInt(at offset: Int) throws(IndexError) -> Int {
        guard let value = Int(exactly: try load(UInt64.self, at: offset)) else {
            throw .corrupt("\(path): a field at byte \(offset) holds an impossible value")
        }
        return value
    }
}
