import CICU

/// A folded code point and its class, packed in 32 bits: bits 0–20 hold the code point (or,
/// for an expansion, an index into the expansion list), bits 21–23 the class, 7 marking an
/// expansion.
struct _FoldEntry {
    fileprivate var bits: UInt32

    private static let expansionTag: UInt32 = 7

    fileprivate init(codePoint: UInt32, characterClass: CharacterClass) {
        bits = codePoint | UInt32(characterClass.rawValue) << 21
    }

    fileprivate init(expansionIndex: Int) {
        bits = UInt32(expansionIndex) | _FoldEntry.expansionTag << 21
    }

    var isExpansion: Bool { bits >> 21 == _FoldEntry.expansionTag }
    var codePoint: UInt32 { bits & 0x1F_FFFF }
    var characterClass: CharacterClass { CharacterClass(rawValue: UInt8(bits >> 21)) ?? .boundary }
}

/// Lazily filled folding results for all of Unicode, in blocks of 256 code points.
///
/// Invariant: `table[b]` is nil or points at 256 entries, entry `i` being the fold of code
/// point `b << 8 | i`; `expansions[k]` holds the folds of expansion entry `k`.
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
        if let entries = table[block] {
            return entries[Int(codePoint & 0xFF)]
        }
        let entries = fill(block)
        return entries[Int(codePoint & 0xFF)]
    }

    func expansion(_ entry: _FoldEntry) -> [(codePoint: UInt32, characterClass: CharacterClass)] {
        expansions[Int(entry.codePoint)]
    }

    private mutating func fill(_ block: Int) -> UnsafeMutablePointer<_FoldEntry> {
        let entries = UnsafeMutablePointer<_FoldEntry>.allocate(capacity: 256)
        owner.blocks.append(entries)
        var folded = [UInt32](repeating: 0, count: 32)
        for offset in 0..<256 {
            let codePoint = UInt32(block << 8 | offset)
            let count = Unicode.Scalar(codePoint) == nil
                ? -1 : Int(bay_nfkc_casefold(codePoint, &folded, Int32(folded.count)))
            let outputs: [(codePoint: UInt32, characterClass: CharacterClass)]
            if count < 0 {
                outputs = [(0, .boundary)]  // a surrogate, or ICU failed: never part of a word
            } else {
                outputs = folded.prefix(count).map { part in
                    let simplified = bay_trad_simp_lookup(part)
                    return (simplified, CharacterClass(folded: simplified))
                }
            }
            switch outputs.count {
            case 0:
                entries[offset] = _FoldEntry(codePoint: codePoint, characterClass: .ignorable)
            case 1:
                entries[offset] = _FoldEntry(codePoint: outputs[0].codePoint, characterClass: outputs[0].characterClass)
            default:
                entries[offset] = _FoldEntry(expansionIndex: expansions.count)
                expansions.append(outputs)
            }
        }
        table[block] = entries
        return entries
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
