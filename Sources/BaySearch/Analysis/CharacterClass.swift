/// What a folded character means to the tokenizer.
///
/// The classes decide every boundary BaySearch draws: ideographs are units of one
/// character, alphanumerics join into runs, boundaries separate phrases, whitespace
/// separates runs but never ideographs.
public enum CharacterClass: UInt8, Sendable {
    /// Spaces, tabs and line breaks: not a boundary between two ideographs.
    case whitespace = 0
    /// Han ideographs, kana, Hangul and Bopomofo: each character is a unit of its own.
    case ideograph = 1
    /// Letters, digits and marks of other scripts: maximal runs form one unit.
    case alphanumeric = 2
    /// Punctuation, symbols and control characters: a boundary no phrase crosses.
    case boundary = 3
    /// Characters that fold to nothing (soft hyphen, zero-width joiner, variation selectors).
    case ignorable = 4

    /// Classifies a code point that has already been folded.
    ///
    ///     CharacterClass(folded: 0x6E2F)  // 港 → .ideograph
    ///     CharacterClass(folded: 0x0061)  // a → .alphanumeric
    public init(folded codePoint: UInt32) {
        guard let scalar = Unicode.Scalar(codePoint) else {
            self = .boundary
            return
        }
        if scalar.properties.isWhitespace {
            self = .whitespace
        } else if CharacterClass.isIdeographic(codePoint) {
            self = .ideograph
        } else if CharacterClass.isAlphanumeric(scalar) {
            self = .alphanumeric
        } else {
            self = .boundary
        }
    }

    /// The class of a printable ASCII character, tab, line feed or carriage return, which
    /// folding leaves alone (or only lowercases), so that walks over mostly-ASCII text need
    /// not consult the folding table; nil for any other byte.
    ///
    ///     CharacterClass.ofPlainASCII(UInt8(ascii: "-"))  // .boundary
    @inline(__always)
    static func ofPlainASCII(_ byte: UInt8) -> CharacterClass? {
        switch byte {
        case 0x09, 0x0A, 0x0D, 0x20:
            return .whitespace
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A:
            return .alphanumeric
        case 0x21...0x7E:
            return .boundary
        default:
            return nil
        }
    }

    /// True for the scripts written without spaces between words, whose characters match
    /// anywhere inside a word.
    static func isIdeographic(_ codePoint: UInt32) -> Bool {
        switch codePoint {
        case 0x1100...0x11FF,  // Hangul Jamo
             0x2E80...0x2FDF,  // CJK and Kangxi radicals
             0x3005...0x3007,  // 々 〆 〇
             0x3021...0x3029,  // Hangzhou numerals
             0x3038...0x303B,
             0x3041...0x30FF,  // Hiragana, Katakana
             0x3105...0x312F,  // Bopomofo
             0x3131...0x318E,  // Hangul compatibility Jamo
             0x31A0...0x31BF,  // Bopomofo extended
             0x31F0...0x31FF,  // Katakana phonetic extensions
             0x3400...0x4DBF,  // CJK extension A
             0x4E00...0x9FFF,  // CJK unified ideographs
             0xA960...0xA97F,  // Hangul Jamo extended A
             0xAC00...0xD7FF,  // Hangul syllables, Jamo extended B
             0xF900...0xFAFF,  // CJK compatibility ideographs
             0xFF66...0xFF9F,  // half-width Katakana
             0x1B000...0x1B16F,  // Kana supplement and extended
             0x20000...0x3FFFD:  // CJK extensions B–I, compatibility supplement
            return true
        default:
            return false
        }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic {
            return true
        }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber,
             .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }
}
