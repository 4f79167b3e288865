#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Durable file writes: data reaches the disk before an index points at it.
enum _FileIO {
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
