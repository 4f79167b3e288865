@testable import BaySearch
import Testing

/// The buffer a join or a merge refills for every term: whatever mix of appends, empties
/// and growth it goes through, it holds what an array given the same calls holds.
@Suite struct ByteBufferTests {
    /// Fresh small buffers, so that every round grows them several times.
    @Test func holdsWhatAnArrayGivenTheSameAppendsHolds() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<300 {
            var buffer = _ByteBuffer(capacity: 1)
            var model: [UInt8] = []
            var other = _ByteBuffer(capacity: 3)
            var otherModel: [UInt8] = []
            for step in 0..<200 {
                let seed = round &* 200 &+ step
                switch Int.random(in: 0..<100, using: &generator) {
                case 0..<45:
                    let byte = UInt8(truncatingIfNeeded: seed)
                    buffer.append(byte)
                    model.append(byte)
                case 45..<70:
                    let bytes = (0..<Int.random(in: 0..<40, using: &generator)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ seed) }
                    bytes.withUnsafeBytes { buffer.append($0) }
                    model += bytes
                case 70..<82:
                    let value = UInt64.random(in: 0 ... .max, using: &generator) >> UInt64.random(in: 0..<64, using: &generator)
                    _VarInt.append(value, to: &buffer)
                    _VarInt.append(value, to: &model)
                case 82..<94:
                    let byte = UInt8(truncatingIfNeeded: seed &* 13)
                    other.append(byte)
                    otherModel.append(byte)
                    buffer.append(other)
                    model += otherModel
                case 94..<97:
                    other.removeAll()
                    otherModel.removeAll()
                default:
                    #expect(buffer.array == model, "round \(round), step \(step)")
                    buffer.removeAll()
                    model.removeAll()
                }
                #expect(buffer.count == model.count)
            }
            #expect(buffer.array == model, "round \(round)")
            #expect(buffer.isEmpty == model.isEmpty)
            #expect(buffer.withBytes { $0.elementsEqual(model) })
        }
    }

    @Test func anEmptyBufferAppendsNothingFromAnEmptyRange() {
        var buffer = _ByteBuffer()
        buffer.append(UnsafeRawBufferPointer(start: nil, count: 0))
        buffer.append(_ByteBuffer())
        #expect(buffer.isEmpty && buffer.array.isEmpty)
    }
}
