/// A stretch of one document's term occurrences, gathered by `SegmentWriter.invert` before
/// it looks their terms up, and the 64-bit keys that name most terms without their bytes.
///
/// A key is an ideograph itself (below 2²¹), a bigram (bit 42 set, the two ideographs
/// below it) or an alphanumeric run of up to 7 bytes (bit 63 set, then the length and the
/// bytes); the three kinds never collide, and 0 names none. Longer runs, which no key
/// holds, are listed by unit in `longRuns`.
///
/// The occurrences of `unitsPerStretch` units at a time are gathered, so the buffers stay
/// small and in cache however long the document.
struct _Occurrences {
    /// Each occurrence's key, or 0 for a long run.
    private(set) var keys: [UInt64] = []
    /// Each occurrence's position; `SegmentWriter` puts its term number above it.
    var entries: [UInt64] = []
    /// The units of the long runs among the occurrences, in order.
    private(set) var longRuns: [Int] = []
    /// How many of `keys` and `entries` hold occurrences.
    private(set) var count = 0

    static let unitsPerStretch = 1024

    /// Gathers the occurrences of `text.units[range]`, at most `unitsPerStretch` units, in
    /// position order, one for each unit. An ideograph followed at the next position by
    /// another stands as the bigram of the two; one that ends its run stands as itself (see
    /// `SegmentFormat` on terms).
    mutating func gather(_ text: AnalyzedText, units range: Range<Int>) {
        precondition(range.count <= _Occurrences.unitsPerStretch, "gather at most unitsPerStretch units at a time")
        let capacity = _Occurrences.unitsPerStretch
        if keys.count < capacity {
            keys = Array(repeating: 0, count: capacity)
            entries = Array(repeating: 0, count: capacity)
        }
        longRuns.removeAll(keepingCapacity: true)
        count = keys.withUnsafeMutableBufferPointer { keys in
            entries.withUnsafeMutableBufferPointer { entries in
                text.units.withUnsafeBufferPointer { units in
                    text.runBytes.withUnsafeBufferPointer { runBytes in
                        var count = 0
                        for index in range {
                            let unit = units[index]
                            let key: UInt64
                            if unit.isIdeograph {
                                let next = index + 1 < units.count ? units[index + 1] : unit
                                key = next.isIdeograph && next.position == unit.position + 1
                                    ? _Occurrences.bigramKey(unit.ideograph, next.ideograph)
                                    : UInt64(unit.ideograph)
                            } else {
                                key = _Occurrences.runKey(UnsafeBufferPointer(
                                    rebasing: runBytes[Int(unit.runStart)..<Int(unit.runStart + unit.runLength)]))
                                if key == 0 {
                                    longRuns.append(index)
                                }
                            }
                            keys[count] = key
                            entries[count] = UInt64(unit.position)
                            count += 1
                        }
                        return count
                    }
                }
            }
        }
    }

    /// The key of a run (or the boundary term) of up to 7 bytes; 0 for a longer one.
    static func runKey(_ run: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard run.count <= 7 else {
            return 0
        }
        var key: UInt64 = 1 << 63 | UInt64(run.count) << 56
        for (shift, byte) in zip(stride(from: 0, to: 56, by: 8), run) {
            key |= UInt64(byte) << UInt64(shift)
        }
        return key
    }

    static let boundaryKey = boundaryTerm.withUnsafeBufferPointer { runKey($0) }

    static func bigramKey(_ first: UInt32, _ second: UInt32) -> UInt64 {
        1 << 42 | UInt64(first) << 21 | UInt64(second)
    }

    /// Appends the folded UTF-8 of the term `key` names to `bytes`.
    static func appendTerm(ofKey key: UInt64, to bytes: inout [UInt8]) {
        if key >> 63 != 0 {
            for index in 0..<Int(key >> 56 & 0x7F) {
                bytes.append(UInt8(truncatingIfNeeded: key >> UInt64(8 * index)))
            }
        } else if key >> 42 != 0 {
            UTF8Encoding.append(UInt32(key >> 21 & 0x1F_FFFF), to: &bytes)
            UTF8Encoding.append(UInt32(key & 0x1F_FFFF), to: &bytes)
        } else {
            UTF8Encoding.append(UInt32(key), to: &bytes)
        }
    }
}
