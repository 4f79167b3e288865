@testable import BaySearch
import Testing

/// `_LZ4`, the stored texts' compression: texts come back exactly, and damaged blocks or
/// lengths give nil without reading, writing or allocating beyond what the block allows.
@Suite struct LZ4Tests {
    static let text = Array(String(repeating: "港珠澳大橋連接香港、珠海和澳門。Hong Kong–Zhuhai–Macao Bridge. ", count: 40).utf8)

    static func compressed(_ text: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        return _LZ4.compress(text, appendingTo: &output) ? output : nil
    }

    @Test func textsComeBackExactly() throws {
        let compressed = try #require(LZ4Tests.compressed(LZ4Tests.text))
        #expect(compressed.count < LZ4Tests.text.count / 4)
        let restored = compressed.withUnsafeBytes { _LZ4.decompress($0, length: LZ4Tests.text.count) }
        #expect(restored == LZ4Tests.text)
        #expect(LZ4Tests.compressed(Array("短".utf8)) == nil, "a text too short to gain is stored as it is")
    }

    @Test func compressingAppendsAfterWhatTheOutputHolds() throws {
        var output: [UInt8] = [7, 8, 9]
        #expect(!_LZ4.compress(Array("短".utf8), appendingTo: &output))
        let random = (0..<300).map { _ in UInt8.random(in: 0...255) }
        #expect(!_LZ4.compress(random, appendingTo: &output), "random bytes do not shrink")
        #expect(output == [7, 8, 9], "nothing is left behind by a text stored as it is")
        #expect(_LZ4.compress(LZ4Tests.text, appendingTo: &output))
        #expect(output.prefix(3) == [7, 8, 9])
        let restored = output.dropFirst(3).withUnsafeBytes { _LZ4.decompress($0, length: LZ4Tests.text.count) }
        #expect(restored == LZ4Tests.text)
    }

    @Test func damageGivesNil() throws {
        let compressed = try #require(LZ4Tests.compressed(LZ4Tests.text))
        compressed.withUnsafeBytes { block in
            #expect(_LZ4.decompress(block, length: LZ4Tests.text.count - 1) == nil, "a length one short")
            #expect(_LZ4.decompress(block, length: LZ4Tests.text.count + 1) == nil, "a length one long")
            #expect(_LZ4.decompress(block, length: block.count * _LZ4.maximumExpansion + 1) == nil, "a length no block reaches")
            #expect(_LZ4.decompress(UnsafeRawBufferPointer(rebasing: block.prefix(block.count / 2)), length: LZ4Tests.text.count) == nil)
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var damaged = compressed
            damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            let restored = damaged.withUnsafeBytes { _LZ4.decompress($0, length: LZ4Tests.text.count) }
            // Damage in a literal can still decompress, to other bytes of the same length.
            #expect(restored == nil || restored?.count == LZ4Tests.text.count)
        }
    }
}
