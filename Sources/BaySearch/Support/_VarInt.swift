/// LEB128 variable-length integers, as Lucene's VInt: seven bits a byte, low bits first,
/// the high bit set on every byte but the last.
enum _VarInt {
    /// Calls `body` with each byte of `value`'s encoding, in order.
    @inline(__always)
    static func forEachByte(of value: UInt64, _ body: (UInt8) -> Void) {
        var value = value
        while value >= 0x80 {
            body(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        body(UInt8(value))
    }

    @inline(__always)
    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        forEachByte(of: value) { bytes.append($0) }
    }

    @inline(__always)
    static func append(_ value: UInt64, to bytes: inout _ByteBuffer) {
        forEachByte(of: value) { bytes.append($0) }
    }

    /// How many bytes `append` writes for `value`.
    @inline(__always)
    static func length(_ value: UInt64) -> Int {
        (64 - value.leadingZeroBitCount + 6) / 7 + (value == 0 ? 1 : 0)
    }

    /// The offset just past the `count` integers that start at `offset`, found by counting
    /// final bytes (high bit clear) without decoding, eight bytes at a time while more than
    /// eight integers remain; nil when they run past `end`.
    @inline(__always)
    static func skip(_ count: Int, in bytes: UnsafeRawBufferPointer, from offset: Int, end: Int) -> Int? {
        var remaining = count
        var index = offset
        if let base = bytes.baseAddress {
            while remaining > 8 && index + 8 <= end {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                remaining -= (~word & 0x8080_8080_8080_8080).nonzeroBitCount
                index += 8
            }
        }
        while remaining > 0 {
            guard index < end else {
                return nil
            }
            if bytes[index] < 0x80 {
                remaining -= 1
            }
            index += 1
        }
        return index
    }

    /// Reads the integer at `offset`, moving `offset` past it; nil when it runs past `end`
    /// or over 64 bits.
    @inline(__always)
    static func read(_ bytes: UnsafeRawBufferPointer, at offset: inout Int, end: Int) -> UInt64? {
        // Most values (deltas of documents and positions) fit one byte.
        if offset < end, bytes[offset] < 0x80 {
            offset += 1
            return UInt64(bytes[offset - 1])
        }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < end, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                return result
            }
            shift += 7
        }
        return nil
    }
}

/// The name of the file a `_ByteReader` reads, for its error messages.
///
/// Readers refer to it without keeping it alive, as they refer to their bytes, so that
/// making and dropping a reader (phrase matching does it for every candidate document)
/// costs no reference counting. Whoever owns the bytes owns their `_ByteSource` too.
final class _ByteSource {
    let path: String

    init(path: String) {
        self.path = path
    }
}

/// A bounds-checked reader over a byte range of a mapped file: a damaged file makes it
/// throw, never read outside the range.
///
/// Invariant: `bytes` and `source` outlive the reader (it owns neither).
struct _ByteReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int
    let end: Int
    private unowned(unsafe) let source: _ByteSource

    init(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, source: _ByteSource) {
        self.bytes = bytes
        self.source = source
        offset = max(0, start)
        self.end = min(end, bytes.count)
    }

    /// The file read, for error messages.
    var path: String { source.path }

    @inline(__always)
    mutating func readVarInt() throws(IndexError) -> UInt64 {
        guard let value = _VarInt.read(bytes, at: &offset, end: end) else {
            throw .corrupt("\(path): a variable-length integer runs past its section")
        }
        return value
    }

    /// Moves past `count` integers without decoding them, returning where they started.
    @inline(__always)
    mutating func skipVarInts(_ count: Int) throws(IndexError) -> Int {
        let start = offset
        guard let next = _VarInt.skip(count, in: bytes, from: offset, end: end) else {
            throw .corrupt("\(path): variable-length integers run past their section")
        }
        offset = next
        return start
    }

    /// Reads a delta and adds it to `previous`: the next value of an ascending sequence,
    /// which must not pass `limit` (nor overflow, as only a damaged file's would).
    @inline(__always)
    mutating func readDelta(after previous: UInt64, atMost limit: UInt64) throws(IndexError) -> UInt64 {
        let (value, overflow) = previous.addingReportingOverflow(try readVarInt())
        guard !overflow, value <= limit else {
            throw .corrupt("\(path): a value at byte \(offset) lies beyond its limit")
        }
        return value
    }
}
