/// Recomputes the checksums of a segment file's bytes, for tools that damage segments on
/// purpose (the fuzzer) and want the damage to reach the checks behind the checksums.
///
///     var bytes = Array(try Data(contentsOf: url))
///     bytes[500] ^= 1
///     SegmentChecksums.reseal(&bytes)  // now only the structure is wrong
///
/// Bytes too damaged to locate the checksums are left as they are.
package enum SegmentChecksums {
    package static func reseal(_ bytes: inout [UInt8]) {
        guard bytes.count >= SegmentFormat.headerSize else {
            return
        }
        let blockSize = Int(integer(UInt32.self, in: bytes, at: 28))
        let tableStart = Int(clamping: integer(
            UInt64.self, in: bytes, at: SegmentFormat.sectionTableOffset + 8 * SegmentFormat.Section.checksums.rawValue))
        if (64...(1 << 24)).contains(blockSize), tableStart >= SegmentFormat.headerSize, tableStart <= bytes.count {
            let blocks = (tableStart - SegmentFormat.headerSize + blockSize - 1) / blockSize
            if tableStart + 4 * blocks <= bytes.count {
                for block in 0..<blocks {
                    let from = SegmentFormat.headerSize + block * blockSize
                    let crc = bytes[from..<min(from + blockSize, tableStart)].withUnsafeBytes { _Checksum.crc32c($0) }
                    store(crc, in: &bytes, at: tableStart + 4 * block)
                }
            }
        }
        let header = bytes[..<SegmentFormat.headerChecksumOffset].withUnsafeBytes { _Checksum.crc32c($0) }
        store(header, in: &bytes, at: SegmentFormat.headerChecksumOffset)
    }

    private static func integer<T: FixedWidthInteger>(_ type: T.Type, in bytes: [UInt8], at offset: Int) -> T {
        bytes[offset..<offset + MemoryLayout<T>.size].withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
    }

    private static func store(_ value: UInt32, in bytes: inout [UInt8], at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + 4, with: $0) }
    }
}
