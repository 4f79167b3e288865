import CChecksum

/// CRC-32C and XXH64 over Swift buffers.
enum _Checksum {
    static func crc32c(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            return crc
        }
        return bay_crc32c(crc, base, bytes.count)
    }

    static func crc32c(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { crc32c($0) }
    }

    static func xxh64(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        bay_xxh64(bytes.baseAddress, bytes.count, seed)
    }
}
