import CCompression

/// LZ4 blocks for stored document texts, as Lucene and tantivy store theirs.
///
/// A search decompresses the text of every hit it shows, to turn match positions into byte
/// offsets, so decompression speed is query latency: LZ4 decompresses the benchmark
/// corpus's documents at about 4 GB/s against zstd's 0.7 GB/s (level 1), for a text store
/// of 0.62 instead of 0.51 of the original size.
enum _LZ4 {
    /// One LZ4 block expands at most about 255 times (a match length runs on in bytes of 255).
    static let maximumExpansion = 255

    /// Appends `bytes` compressed to `output` and returns true, or leaves `output` as it was
    /// and returns false when compressing would not save space. Compressing in place saves
    /// a block of its own and a copy per text.
    static func compress(_ bytes: [UInt8], appendingTo output: inout [UInt8]) -> Bool {
        let bound = Int(bay_compress_bound(Int64(bytes.count)))
        guard bytes.count >= 64, bound > 0 else {
            return false
        }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bound))
        let written = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { buffer in
                bay_compress(
                    input.baseAddress, Int64(input.count), buffer.baseAddress.map { $0 + start }, Int64(bound))
            }
        }
        guard written > 0, Int(written) < bytes.count else {
            output.removeLast(bound)
            return false
        }
        output.removeLast(bound - Int(written))
        return true
    }

    /// The original bytes, or nil when `bytes` does not decompress to exactly `length` bytes.
    static func decompress(_ bytes: UnsafeRawBufferPointer, length: Int) -> [UInt8]? {
        // A damaged length must not become a huge allocation: no block expands further.
        guard length <= bytes.count * maximumExpansion else {
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
