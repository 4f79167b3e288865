import CCompression

/// Raw DEFLATE (zlib) for stored document texts.
enum _Deflate {
    /// zlib's fastest level: indexing pays for compression on every document, and level 1
    /// already stores Chinese text in well under half its size.
    static let level: Int32 = 1

    /// The compressed bytes, or nil when compressing would not save space.
    static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 64 else {
            return nil
        }
        var output = [UInt8](repeating: 0, count: Int(bay_deflate_bound(Int64(bytes.count))))
        let written = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { buffer in
                bay_deflate(input.baseAddress, Int64(input.count), buffer.baseAddress, Int64(buffer.count), level)
            }
        }
        guard written > 0, Int(written) < bytes.count else {
            return nil
        }
        output.removeLast(output.count - Int(written))
        return output
    }

    /// The original bytes, or nil when `bytes` does not inflate to exactly `length` bytes.
    static func decompress(_ bytes: UnsafeRawBufferPointer, length: Int) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: length)
        let written = output.withUnsafeMutableBufferPointer { buffer in
            bay_inflate(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), Int64(bytes.count), buffer.baseAddress, Int64(length))
        }
        return written == Int64(length) ? output : nil
    }
}
