/// Sorts term numbers by their terms' bytes, for the dictionary of a segment being flushed:
/// a radix sort on each term's first eight bytes, then a comparison sort of the few terms
/// that share them.
///
///     let order = _PrefixSort.sorted(termCount: 3) { term in
///         [[UInt8]("b".utf8), [UInt8]("a".utf8), [UInt8]("ab".utf8)][term]
///     }
///     // [1, 2, 0]
///
/// A flush sorts tens of thousands of terms, nearly all of them ideographs, bigrams and short
/// runs told apart by their first eight bytes; comparing those bytes as one integer in a
/// comparison sort cost a fifth of a flush, where a radix pass costs a few nanoseconds a term.
enum _PrefixSort {
    /// Term numbers `0..<termCount` in bytewise order of `bytes(term)`; no two terms may be equal.
    static func sorted(termCount: Int, bytes: (Int) -> UnsafeBufferPointer<UInt8>) -> [Int] {
        var keyed = (0..<termCount).map { term in _Keyed(prefix: prefix(of: bytes(term)), term: term) }
        radixSort(&keyed)
        sortSharedPrefixes(&keyed, bytes: bytes)
        return keyed.map(\.term)
    }

    private struct _Keyed {
        var prefix: UInt64
        var term: Int
    }

    /// The first eight bytes, big-endian, zero-padded: integer order is bytewise order, but
    /// for a shorter term padded to equal a longer one that continues with zeros.
    private static func prefix(of term: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var prefix: UInt64 = 0
        for index in 0..<8 {
            prefix = prefix << 8 | UInt64(index < term.count ? term[index] : 0)
        }
        return prefix
    }

    /// Orders `keyed` by prefix, least significant byte first, skipping the bytes in which
    /// all prefixes agree (most terms are ideographs and bigrams, whose UTF-8 starts alike).
    private static func radixSort(_ keyed: inout [_Keyed]) {
        guard keyed.count > 1 else {
            return
        }
        var counts = [Int](repeating: 0, count: 8 * 256)
        counts.withUnsafeMutableBufferPointer { counts in
            for entry in keyed {
                for byte in 0..<8 {
                    counts[byte &* 256 &+ Int(entry.prefix >> UInt64(8 * byte) & 0xFF)] &+= 1
                }
            }
        }
        var buffer = keyed
        var next = [Int](repeating: 0, count: 256)
        for byte in 0..<8 {
            let shift = UInt64(8 * byte)
            let bucketOfAll = Int(keyed[0].prefix >> shift & 0xFF)
            if counts[byte * 256 + bucketOfAll] == keyed.count {
                continue
            }
            var start = 0
            for bucket in 0..<256 {
                next[bucket] = start
                start += counts[byte * 256 + bucket]
            }
            // Every entry goes to the next free place of its bucket, which the counts sized.
            next.withUnsafeMutableBufferPointer { next in
                buffer.withUnsafeMutableBufferPointer { buffer in
                    for entry in keyed {
                        let bucket = Int(entry.prefix >> shift & 0xFF)
                        buffer[next[bucket]] = entry
                        next[bucket] &+= 1
                    }
                }
            }
            swap(&keyed, &buffer)
        }
        assert(zip(keyed, keyed.dropFirst()).allSatisfy { $0.prefix <= $1.prefix }, "_PrefixSort left prefixes out of order")
    }

    /// Sorts each run of equal prefixes by the terms' whole bytes.
    private static func sortSharedPrefixes(_ keyed: inout [_Keyed], bytes: (Int) -> UnsafeBufferPointer<UInt8>) {
        var start = 0
        while start < keyed.count {
            var end = start + 1
            while end < keyed.count && keyed[end].prefix == keyed[start].prefix {
                end += 1
            }
            if end - start > 1 {
                keyed[start..<end].sort { SegmentSerializer.bytewiseLess(bytes($0.term), bytes($1.term)) }
            }
            start = end
        }
    }
}
