import CCompression

/// Zstandard for stored document texts.
enum _Zstd {
    /// zstd's fast level 1: it stores Chinese text in about half its size, compresses faster
    /// than zlib's fastest level and decompresses several times faster, which is what a
    /// search that shows hits waits for.
    static let level: Int32 = 1

    /// The compressed bytes, or nil when compressing would not save space.
    static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 64 else {
            return nil
        }
        var output = [UInt8](repeating: 0, count: Int(bay_compress_bound(Int64(bytes.count))))
        let written = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { buffer in
                bay_compress(input.baseAddress, Int64(input.count), buffer.baseAddress, Int64(buffer.count), level)
            }
        }
        guard written > 0, Int(written) < bytes.count else {
            return nil
        }
        output.removeLast(output.count - Int(written))
        return output
    }

    /// The original bytes, or nil when `bytes` does not decompress to exactly `length` bytes.
    static func decompress(_ bytes: UnsafeRawBufferPointer, length: Int) -> [UInt8]? {
        // A damaged length must not become a huge allocation: the frame has to agree first.
        guard bay_decompressed_size(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), Int64(bytes.count)) == Int64(length) else {
            return nil
        }
        var complete = false
        let output = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            let written = bay_decompress(
                bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), Int64(bytes.count), buffer.baseAddress, Int64(length))
            // Only a complete decompression initialised every byte.
            complete = written == Int64(length)
            initialized = complete ? length : 0
        }
        return complete ? output : nil
    }
}
