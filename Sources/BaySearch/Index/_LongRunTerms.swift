/// The term numbers of alphanumeric runs too long for a `_TermTable` key (8 bytes or more),
/// found by a 64-bit hash of their bytes and checked against the term's bytes: a lookup
/// allocates nothing, where a `Dictionary<[UInt8], Int>` makes an array of every run it
/// is asked for and hashes it with SipHash.
///
///     var terms = _LongRunTerms()
///     terms.insert(run, number: 7)
///     terms.number(of: run, terms: termBytes, starts: termStarts)   // 7
///
/// Term `t`'s bytes are `terms[starts[t]..<starts[t + 1]]`, as in `SegmentWriter`.
/// Invariant: every inserted run is in `byHash` under its hash, unless an earlier run with
/// the same hash is, and then in `colliding`.
struct _LongRunTerms {
    private var byHash = _TermTable()
    /// Runs whose hash an earlier, different run holds: possible, if never yet seen.
    private var colliding: [[UInt8]: Int] = [:]
    private let hash: (UnsafeRawBufferPointer) -> UInt64

    /// `hash` is XXH64 but for tests, which make runs collide on purpose.
    init(hash: @escaping (UnsafeRawBufferPointer) -> UInt64 = { _Checksum.xxh64($0) }) {
        self.hash = hash
    }

    mutating func removeAll() {
        byHash.removeAll()
        colliding.removeAll(keepingCapacity: true)
    }

    /// The number of the term `run`, if inserted.
    func number(of run: ArraySlice<UInt8>, terms: [UInt8], starts: [Int]) -> Int? {
        if let number = byHash.number(for: key(run)), terms[starts[number]..<starts[number + 1]].elementsEqual(run) {
            return number
        }
        return colliding.isEmpty ? nil : colliding[Array(run)]
    }

    /// Records `number` for `run`, which must not be inserted yet.
    mutating func insert(_ run: ArraySlice<UInt8>, number: Int) {
        let key = key(run)
        if byHash.number(for: key) == nil {
            byHash.insert(key, number: number)
        } else {
            colliding[Array(run)] = number
        }
    }

    /// The run's hash, made nonzero for `_TermTable`.
    private func key(_ run: ArraySlice<UInt8>) -> UInt64 {
        run.withUnsafeBytes { hash($0) } | 1
    }
}
