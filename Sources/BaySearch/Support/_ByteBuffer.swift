/// A growable run of bytes owned by one variable and never shared: what a join or a merge
/// empties and refills for every term it writes.
///
///     var buffer = _ByteBuffer()
///     buffer.append(0x2A)
///     buffer.withBytes { Array($0) }   // [0x2A]
///     buffer.removeAll()               // keeps its memory for the next term
///
/// An array appended to asks the runtime whether its storage is shared, and emptying one
/// is a call; for the few bytes of most terms' lists those cost more than the bytes. Being
/// noncopyable, a buffer cannot be shared, so appending checks only the capacity.
///
/// Invariant: `0 <= count <= capacity`, and bytes `0..<count` of `base` are initialized.
struct _ByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 256) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    /// Empties the buffer, keeping its memory.
    mutating func removeAll() {
        count = 0
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity {
            grow(toHold: count + 1)
        }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else {
            return
        }
        if count + bytes.count > capacity {
            grow(toHold: count + bytes.count)
        }
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    mutating func append(_ other: borrowing _ByteBuffer) {
        other.withBytes { append($0) }
    }

    /// Calls `body` with the bytes, which stay valid only during the call.
    func withBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        assert(count <= capacity, "a _ByteBuffer holds more than its capacity")
        return try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// A copy of the bytes.
    var array: [UInt8] { withBytes { Array($0) } }

    private mutating func grow(toHold needed: Int) {
        let grownCapacity = max(needed, 2 * capacity)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: grownCapacity)
        grown.initialize(from: base, count: count)
        base.deallocate()
        (base, capacity) = (grown, grownCapacity)
    }
}
