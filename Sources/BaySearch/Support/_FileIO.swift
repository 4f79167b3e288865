#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Durable file writes, so that data reaches the disk before an index points at it, and
/// plain reads of small files, which Foundation's first use would make slow.
enum _FileIO {
    /// The bytes of the file at `path`, or nil when there is none.
    static func contents(of path: String) throws(IndexError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT {
                return nil
            }
            throw .unreadable(path: path, reason: lastError())
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: lastError())
            }
            if count == 0 {
                return bytes
            }
            bytes += chunk[..<count]
        }
    }

    /// Writes `parts`, one after another, to a new file at `path` and syncs it. Fails if the
    /// file exists; removes what it wrote if it fails.
    static func writeSynced(_ parts: [[UInt8]], to path: String) throws(IndexError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .unwritable(path: path, reason: lastError())
        }
        var failure: String?
        for part in parts where failure == nil {
            failure = part.withUnsafeBytes { writeAll($0, to: descriptor) }
        }
        if failure == nil && fsync(descriptor) != 0 {
            failure = lastError()
        }
        close(descriptor)
        if let failure {
            unlink(path)
            throw .unwritable(path: path, reason: failure)
        }
    }

    /// Writes all of `bytes` to `descriptor`, going on after short writes and interrupts;
    /// returns why it failed, or nil.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> String? {
        var written = 0
        while written < bytes.count, let base = bytes.baseAddress {
            let result = write(descriptor, base + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                return lastError()
            }
            written += result
        }
        return nil
    }

    /// The names in the directory at `path` (not `.` and `..`), or none when it cannot be
    /// read: `readdir`, where `FileManager`'s first use costs a one-query search more.
    static func names(in path: String) -> [String] {
        guard let directory = opendir(path) else {
            return []
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." {
                names.append(name)
            }
        }
        return names
    }

    /// Asks the kernel to start writing `length` bytes of `descriptor` from `offset` to disk
    /// now, without waiting for them, and tells whether it took the request: the `fsync`
    /// that ends a file then waits only for what is still in flight, where it waited for the
    /// whole file (for a 24 MB segment, 15 to 18 ms with the cores idle). RocksDB's
    /// `bytes_per_sync` does the same. Only a hint: where it is refused, or on a system
    /// without `sync_file_range`, the `fsync` writes everything as before.
    @discardableResult
    static func startWriteback(of descriptor: Int32, offset: Int, length: Int) -> Bool {
        #if os(Linux)
        return _syncFileRange(descriptor, Int64(offset), Int64(length), _syncFileRangeWrite) == 0
        #else
        return false
        #endif
    }

    /// Syncs a directory so that the names created or renamed in it survive a crash.
    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

#if os(Linux)
// Linux's sync_file_range and SYNC_FILE_RANGE_WRITE, which the Glibc module does not export.
@_silgen_name("sync_file_range")
private func _syncFileRange(_ descriptor: Int32, _ offset: Int64, _ length: Int64, _ flags: UInt32) -> Int32
private let _syncFileRangeWrite: UInt32 = 2
#endif
