import CICU

/// A folded code point and its class, packed in 32 bits: bits 0–20 hold the code point (or,
/// for an expansion, an index into the expansion list), bits 21–23 the class, 7 marking an
/// expansion and 6 an entry not computed yet.
struct _FoldEntry {
    fileprivate var bits: UInt32

    private static let expansionTag: UInt32 = 7

    fileprivate init(codePoint: UInt32, characterClass: CharacterClass) {
        bits = codePoint | UInt32(characterClass.rawValue) << 21
    }

    fileprivate init(expansionIndex: Int) {
        bits = UInt32(expansionIndex) | _FoldEntry.expansionTag << 21
    }

    /// Not computed yet: a value no real entry has (class bits 6).
    static let unknown = _FoldEntry(bits: 6 << 21)

    private init(bits: UInt32) {
        self.bits = bits
    }

    var isUnknown: Bool { bits == _FoldEntry.unknown.bits }
    var isExpansion: Bool { bits >> 21 == _FoldEntry.expansionTag }
    var codePoint: UInt32 { bits & 0x1F_FFFF }
    var characterClass: CharacterClass { CharacterClass(rawValue: UInt8(bits >> 21)) ?? .boundary }
}

/// Lazily computed folding results for all of Unicode, in blocks of 256 code points.
///
/// Invariant: `table[b]` is nil or points at 256 entries, entry `i` being either
/// `_FoldEntry.unknown` or the fold of code point `b << 8 | i`; `expansions[k]` holds the
/// folds of expansion entry `k`. Each entry is computed the first time it is asked for, so a
/// short-lived search process pays only for the characters it meets.
struct _FoldBlocks {
    private static let blockCount = 0x11_0000 >> 8
    private var table: [UnsafeMutablePointer<_FoldEntry>?]
    private var expansions: [[(codePoint: UInt32, characterClass: CharacterClass)]] = []
    private var owner: _BlockOwner

    init() {
        table = Array(repeating: nil, count: _FoldBlocks.blockCount)
        owner = _BlockOwner()
    }

    @inline(__always)
    mutating func entry(_ codePoint: UInt32) -> _FoldEntry {
        let block = Int(codePoint >> 8)
        guard block < _FoldBlocks.blockCount else {
            return _FoldEntry(codePoint: 0, characterClass: .boundary)
        }
        let entries = table[block] ?? allocate(block)
        let entry = entries[Int(codePoint & 0xFF)]
        if entry.isUnknown {
            let computed = compute(codePoint)
            entries[Int(codePoint & 0xFF)] = computed
            return computed
        }
        return entry
    }

    func expansion(_ entry: _FoldEntry) -> [(codePoint: UInt32, characterClass: CharacterClass)] {
        expansions[Int(entry.codePoint)]
    }

    private mutating func allocate(_ block: Int) -> UnsafeMutablePointer<_FoldEntry> {
        let entries = UnsafeMutablePointer<_FoldEntry>.allocate(capacity: 256)
        entries.initialize(repeating: .unknown, count: 256)
        owner.blocks.append(entries)
        table[block] = entries
        return entries
    }

    private mutating func compute(_ codePoint: UInt32) -> _FoldEntry {
        let outputs = _FoldBlocks.fold(codePoint)
        switch outputs.count {
        case 0:
            return _FoldEntry(codePoint: codePoint, characterClass: .ignorable)
        case 1:
            return _FoldEntry(codePoint: outputs[0].codePoint, characterClass: outputs[0].characterClass)
        default:
            expansions.append(outputs)
            return _FoldEntry(expansionIndex: expansions.count - 1)
        }
    }

    /// NFKC_Casefold, then Traditional → Simplified, then classification.
    private static func fold(_ codePoint: UInt32) -> [(codePoint: UInt32, characterClass: CharacterClass)] {
        guard Unicode.Scalar(codePoint) != nil else {
            return [(0, .boundary)]  // a surrogate: never part of a word
        }
        if isUnifiedIdeograph(codePoint) {
            // NFKC_Casefold leaves unified ideographs alone: no need to ask ICU.
            let simplified = bay_trad_simp_lookup(codePoint)
            return [(simplified, .ideograph)]
        }
        var folded = [UInt32](repeating: 0, count: 32)
        let count = Int(bay_nfkc_casefold(codePoint, &folded, Int32(folded.count)))
        guard count >= 0 else {
            return [(0, .boundary)]  // ICU failed: treat as punctuation rather than guess
        }
        return folded.prefix(count).map { part in
            let simplified = bay_trad_simp_lookup(part)
            return (simplified, CharacterClass(folded: simplified))
        }
    }

    private static func isUnifiedIdeograph(_ codePoint: UInt32) -> Bool {
        (0x3400...0x4DBF).contains(codePoint) || (0x4E00...0x9FFF).contains(codePoint)
            || (0x20000...0x2F7FF).contains(codePoint) || (0x30000...0x3FFFD).contains(codePoint)
    }
}

/// Frees the blocks when the last copy of the table goes away.
private final class _BlockOwner {
    var blocks: [UnsafeMutablePointer<_FoldEntry>] = []

    deinit {
        for block in blocks {
            block.deallocate()
        }
    }
}
