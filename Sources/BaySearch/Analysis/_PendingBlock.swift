/// Elements on their way to an array, gathered in a block of memory the caller owns and
/// moved to the array a block at a time: the tokenizer's units and segmenter input.
///
///     withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 1024) { block in
///         var pending = _PendingBlock(block)
///         pending.append(0x6E2F, to: &input)   // a store; the array is untouched
///         pending.moveAll(to: &input)          // input ends with 0x6E2F
///     }
///
/// Every append to an array asks the runtime whether its storage is shared, which for one
/// 24-byte unit or one UTF-16 unit costs more than the store. Only trivial element types.
///
/// Invariants: `0 <= pending <= block.count`; elements `0..<pending` of `block` are set;
/// right after an `append`, `pending >= 1`, so the last element appended is in the block.
struct _PendingBlock<Element> {
    private let block: UnsafeMutableBufferPointer<Element>
    private var pending = 0
    /// Elements already moved to the array.
    private var moved = 0

    init(_ block: UnsafeMutableBufferPointer<Element>) {
        precondition(!block.isEmpty && _isPOD(Element.self), "a _PendingBlock needs room and a trivial element type")
        self.block = block
    }

    /// Elements appended so far, moved or not.
    var count: Int { moved + pending }

    /// Appends `element`, first moving the full block to `array` if there is no room.
    @inline(__always)
    mutating func append(_ element: Element, to array: inout [Element]) {
        if pending == block.count {
            moveAll(to: &array)
        }
        block.initializeElement(at: pending, to: element)
        pending += 1
    }

    /// The element appended last; only after an `append` and before the next `moveAll`.
    var last: Element {
        get {
            assert(pending > 0, "the last element has moved to the array")
            return block[pending - 1]
        }
        set {
            assert(pending > 0, "the last element has moved to the array")
            block[pending - 1] = newValue
        }
    }

    /// Moves the pending elements to the end of `array`.
    mutating func moveAll(to array: inout [Element]) {
        array.append(contentsOf: UnsafeBufferPointer(rebasing: block[0..<pending]))
        moved += pending
        pending = 0
    }
}
