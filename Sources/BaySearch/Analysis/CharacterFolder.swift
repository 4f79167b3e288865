import CICU

/// Folds one code point to its search form: NFKC width folding, case folding, then
/// Traditional → Simplified, and classifies the result.
///
/// The three steps make ＣＥＰＡ, cepa and CEPA one term and 港珠澳大橋 and 港珠澳大桥 one
/// phrase. Each code point folds on its own, so every folded character still points at the
/// original character it came from.
///
///     let folder = CharacterFolder()
///     folder.fold(0x6A4B) { codePoint, characterClass in print(codePoint) }  // 橋 → 0x6865 桥
///
/// Each code point's result is computed the first time it is met and then kept, so a folder
/// is cheap after warming up and a short search process pays only for what it reads. Not thread-safe: give each thread its own.
public final class CharacterFolder {
    // Checked for exclusive access at compile time only: a folder is used by one thread, and
    // the dynamic check on every character costs a quarter of indexing time.
    @exclusivity(unchecked) private var blocks: _FoldBlocks

    public init() {
        blocks = _FoldBlocks()
    }

    /// Calls `body` with each code point `codePoint` folds to (none for ignorable ones,
    /// usually one, several for compatibility characters such as ㍻ or ﬁ).
    @inline(__always)
    public func fold(_ codePoint: UInt32, _ body: (UInt32, CharacterClass) throws -> Void) rethrows {
        let entry = blocks.entry(codePoint)
        if entry.isExpansion {
            for folded in blocks.expansion(entry) {
                try body(folded.codePoint, folded.characterClass)
            }
        } else if entry.characterClass != .ignorable {
            try body(entry.codePoint, entry.characterClass)
        }
    }

    /// The ideograph a unified ideograph (U+4E00–U+9FFF) folds to: always exactly one, as
    /// NFKC_Casefold leaves them alone and the Traditional→Simplified table maps them one
    /// for one.
    @inline(__always)
    func foldUnifiedIdeograph(_ codePoint: UInt32) -> UInt32 {
        let entry = blocks.entry(codePoint)
        assert(!entry.isExpansion && entry.characterClass == .ideograph, "a unified ideograph folds to one ideograph")
        return entry.codePoint
    }

    /// The folded form of a string, for tests, diagnostics and query display.
    ///
    ///     CharacterFolder().fold("港珠澳大橋 ＣＥＰＡ")  // "港珠澳大桥 cepa"
    public func fold(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            fold(scalar.value) { codePoint, _ in
                if let folded = Unicode.Scalar(codePoint) {
                    result.append(folded)
                }
            }
        }
        return String(result)
    }
}
