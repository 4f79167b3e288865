import CPrefetch

/// An open-addressing hash map from nonzero 64-bit keys to term numbers, for the ideograph
/// unigrams, bigrams and short alphanumeric runs met on every character while indexing,
/// where `Dictionary`'s SipHash costs more than the rest of the lookup.
///
/// A key and its number share a slot, so a lookup touches one cache line.
///
/// Invariants: `slots.count` is a power of two; a slot is empty when its key is 0; at most
/// half the slots are full, so linear probing always ends at an empty slot.
struct _TermTable {
    private struct Slot {
        var key: UInt64
        var number: Int
    }

    private var slots: [Slot]
    private var count = 0
    private var shift: UInt64

    init() {
        self.init(reservingFor: 0)
    }

    /// A table that holds `count` keys without growing: growing allocates twice the slots,
    /// rehashes every key and faults the new pages in, and a worker's table grows from
    /// 4,096 slots to a quarter of a million. Its slots, met at random, go on huge pages.
    init(reservingFor count: Int) {
        var bits = 12
        while 1 << bits < 2 * count {
            bits += 1
        }
        slots = Array(unsafeUninitializedCapacity: 1 << bits) { buffer, initialized in
            _Memory.adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            buffer.initialize(repeating: Slot(key: 0, number: 0))
            initialized = buffer.count
        }
        shift = UInt64(64 - bits)
    }

    @inline(__always)
    private func slot(for key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Empties the table, keeping its slots.
    mutating func removeAll() {
        _ = slots.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) }
        count = 0
    }

    /// Starts loading the slot where a lookup of `key` begins: a lookup a few keys later
    /// then finds it in cache instead of waiting for memory. Mutating only because reaching
    /// the slots in place, not through a copy of the table, spares a retain and a release.
    @inline(__always)
    mutating func prefetch(_ key: UInt64) {
        let index = slot(for: key)
        slots.withUnsafeMutableBufferPointer { slots in
            bay_prefetch(slots.baseAddress.map { $0 + index })
        }
    }

    /// The number stored for `key`, if any.
    @inline(__always)
    func number(for key: UInt64) -> Int? {
        let mask = slots.count - 1
        var index = slot(for: key)
        while true {
            let stored = slots[index].key
            if stored == key {
                return slots[index].number
            }
            if stored == 0 {
                return nil
            }
            index = (index + 1) & mask
        }
    }

    /// Stores `number` for `key`, which must not be stored yet.
    mutating func insert(_ key: UInt64, number: Int) {
        precondition(key != 0, "0 marks an empty slot")
        let mask = slots.count - 1
        var index = slot(for: key)
        while slots[index].key != 0 {
            precondition(slots[index].key != key, "key inserted twice")
            index = (index + 1) & mask
        }
        slots[index] = Slot(key: key, number: number)
        count += 1
        if count * 2 > slots.count {
            grow()
        }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(key: 0, number: 0), count: old.count * 2)
        shift -= 1
        let mask = slots.count - 1
        for slot in old where slot.key != 0 {
            var index = self.slot(for: slot.key)
            while slots[index].key != 0 {
                index = (index + 1) & mask
            }
            slots[index] = slot
        }
        assert(slots.filter { $0.key != 0 }.count == count, "_TermTable lost or duplicated a key while growing")
    }
}
