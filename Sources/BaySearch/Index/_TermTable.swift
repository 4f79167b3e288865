/// An open-addressing hash map from nonzero 64-bit keys to term numbers, for the ideograph
/// unigrams, bigrams and short alphanumeric runs met on every character while indexing,
/// where `Dictionary`'s SipHash costs more than the rest of the lookup.
///
/// Invariants: `keys.count` is a power of two; a slot is empty when its key is 0; at most
/// half the slots are full, so linear probing always ends at an empty slot.
struct _TermTable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var count = 0
    private var shift: UInt64

    init() {
        keys = Array(repeating: 0, count: 1 << 12)
        values = Array(repeating: 0, count: 1 << 12)
        shift = 64 - 12
    }

    @inline(__always)
    private func slot(for key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The number stored for `key`, if any.
    @inline(__always)
    func number(for key: UInt64) -> Int? {
        let mask = keys.count - 1
        var index = slot(for: key)
        while true {
            let stored = keys[index]
            if stored == key {
                return Int(values[index])
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
        let mask = keys.count - 1
        var index = slot(for: key)
        while keys[index] != 0 {
            precondition(keys[index] != key, "key inserted twice")
            index = (index + 1) & mask
        }
        keys[index] = key
        values[index] = Int32(number)
        count += 1
        if count * 2 > keys.count {
            grow()
        }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        shift -= 1
        let mask = keys.count - 1
        for (key, value) in zip(oldKeys, oldValues) where key != 0 {
            var index = slot(for: key)
            while keys[index] != 0 {
                index = (index + 1) & mask
            }
            keys[index] = key
            values[index] = value
        }
        assert(keys.filter { $0 != 0 }.count == count, "_TermTable lost or duplicated a key while growing")
    }
}
