@testable import BaySearch
import Testing

/// CRC-32C guards every block of the index, so it must be the standard CRC-32C for every
/// length, whichever of its paths (three lanes side by side, one lane, bytes) a length takes.
@Suite struct ChecksumTests {
    /// The CRC-32C of `bytes`, one bit at a time: slow and plainly right.
    private func reference(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        var register = ~crc
        for byte in bytes {
            register ^= UInt32(byte)
            for _ in 0..<8 {
                register = (register >> 1) ^ (0x82F6_3B78 & (0 &- (register & 1)))
            }
        }
        return ~register
    }

    @Test func knownValues() {
        #expect(_Checksum.crc32c(Array("123456789".utf8)) == 0xE306_9283)
        #expect(_Checksum.crc32c([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(_Checksum.crc32c([]) == 0)
    }

    @Test func everyLengthMatchesTheBitwiseCRC() {
        var generator = OracleTests.Generator(state: 32)
        // Around the three-lane chunk (3 × 1,360 bytes), a block (4 KiB), and several chunks.
        let lengths = Array(0...40) + [4_079, 4_080, 4_081, 4_095, 4_096, 4_097, 8_159, 8_160, 8_161, 12_240, 65_536, 100_003]
        for length in lengths {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let start = UInt32.random(in: 0...UInt32.max, using: &generator)
            let crc = bytes.withUnsafeBytes { _Checksum.crc32c($0, continuing: start) }
            #expect(crc == reference(bytes, continuing: start), "length \(length)")
        }
    }

    @Test func aCRCContinuesAcrossPieces() {
        var generator = OracleTests.Generator(state: 33)
        let bytes = (0..<20_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for cut in [0, 1, 4_080, 4_096, 12_345, 20_000] {
            let first = bytes[..<cut].withUnsafeBytes { _Checksum.crc32c($0) }
            let whole = bytes[cut...].withUnsafeBytes { _Checksum.crc32c($0, continuing: first) }
            #expect(whole == _Checksum.crc32c(bytes), "cut at \(cut)")
        }
    }
}
