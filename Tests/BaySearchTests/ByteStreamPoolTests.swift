@testable import BaySearch
import Testing

/// The pool behind the segment writer's postings: many streams growing at once, each read
/// back exactly, across chunk levels and pages.
@Suite struct ByteStreamPoolTests {
    @Test func interleavedStreamsReadBackWhatWasWritten() {
        let pool = _ByteStreamPool()
        fillAndCheck(pool)
    }

    /// A pool emptied for the next segment reuses its pages: what the new streams hold is
    /// exactly what they were given, whatever the old streams left in those pages.
    @Test func anEmptiedPoolReusesItsPages() {
        let pool = _ByteStreamPool()
        fillAndCheck(pool)
        let used = pool.bytes
        pool.removeAll()
        #expect(pool.bytes == 0)
        fillAndCheck(pool)
        #expect(pool.bytes <= used + _ByteStreamPool.pageSize, "the second fill uses about as many pages")
    }

    private func fillAndCheck(_ pool: _ByteStreamPool) {
        var streams = (0..<300).map { _ in pool.makeStream() }
        var expected = [[UInt8]](repeating: [], count: streams.count)
        var generator = SystemRandomNumberGenerator()
        // Stream s gets about s * 40 bytes, so short ones stay in their first chunk and long
        // ones reach the largest chunks; writes interleave so chunks of all streams mix.
        for round in 0..<300_000 {
            let stream = Int.random(in: 0..<streams.count, using: &generator)
            guard expected[stream].count < stream * 40 else {
                continue
            }
            if round % 3 == 0 {
                let value = UInt64.random(in: 0...UInt64(UInt32.max), using: &generator)
                pool.appendVarInt(value, to: &streams[stream])
                _VarInt.append(value, to: &expected[stream])
            } else {
                let byte = UInt8(truncatingIfNeeded: round)
                pool.append(byte, to: &streams[stream])
                expected[stream].append(byte)
            }
        }
        for (stream, bytes) in zip(streams, expected) {
            var copied = _ByteBuffer()
            copied.append(0xAA)
            pool.copy(stream, to: &copied)
            #expect(copied.array == [0xAA] + bytes)
        }
        #expect(pool.bytes > _ByteStreamPool.pageSize, "the streams span several pages")
    }

    /// 5 MB: pages from three slabs of huge pages.
    @Test func aStreamLongerThanAPageSpansChunksOnManyPages() {
        let pool = _ByteStreamPool()
        var stream = pool.makeStream()
        let bytes = (0..<5_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 16) }
        for byte in bytes {
            pool.append(byte, to: &stream)
        }
        var copied = _ByteBuffer()
        pool.copy(stream, to: &copied)
        #expect(copied.array == bytes)
    }
}
