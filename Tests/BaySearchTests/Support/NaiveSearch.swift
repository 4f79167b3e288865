import CICU
import Foundation

/// An independent, deliberately simple model of BaySearch's matching rules, used as the
/// oracle for generated queries: fold with Foundation (not ICU's normaliser), cut the text
/// into unit tokens, and find a query by scanning the token string for the query's string.
struct NaiveSearch {
    /// One unit of folded text with its UTF-8 range in the original.
    struct Token {
        var text: String
        var range: Range<Int>
    }

    /// A gap token stands where punctuation separates two units.
    static let gap = "\u{2}"

    /// Folds one scalar: NFKC, lower case, then the Traditional → Simplified table.
    static func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        let compatible = String(scalar).precomposedStringWithCompatibilityMapping.lowercased()
            .precomposedStringWithCompatibilityMapping
        return compatible.unicodeScalars.compactMap { Unicode.Scalar(bay_trad_simp_lookup($0.value)) }
    }

    enum Kind { case space, ideograph, alphanumeric, other, ignorable }

    static func kind(_ scalar: Unicode.Scalar) -> Kind {
        let properties = scalar.properties
        if properties.isWhitespace { return .space }
        let value = scalar.value
        if properties.isIdeographic || (0x3041...0x30FF).contains(value) || (0xAC00...0xD7A3).contains(value)
            || (0x3105...0x312F).contains(value) || (0x2E80...0x2FDF).contains(value) || value == 0x3005 {
            return .ideograph
        }
        if properties.isAlphabetic { return .alphanumeric }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            return .alphanumeric
        case .format:
            return properties.isDefaultIgnorableCodePoint ? .ignorable : .other
        default:
            return .other
        }
    }

    /// The unit tokens of `text`, with a gap token wherever punctuation separates units.
    static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var run: Token?
        var gapPending = false
        var offset = 0
        func closeRun() {
            if let open = run { tokens.append(open) }
            run = nil
        }
        func emit(_ token: Token) {
            if gapPending && !tokens.isEmpty { tokens.append(Token(text: gap, range: token.range)) }
            gapPending = false
            tokens.append(token)
        }
        for scalar in text.unicodeScalars {
            let range = offset..<offset + String(scalar).utf8.count
            offset = range.upperBound
            for folded in fold(scalar) {
                switch kind(folded) {
                case .space:
                    closeRun()
                case .ideograph:
                    closeRun()
                    emit(Token(text: String(folded), range: range))
                case .alphanumeric:
                    if var open = run {
                        open.text.unicodeScalars.append(folded)
                        open.range = open.range.lowerBound..<range.upperBound
                        run = open
                    } else {
                        if gapPending && !tokens.isEmpty { tokens.append(Token(text: gap, range: range)) }
                        gapPending = false
                        run = Token(text: String(folded), range: range)
                    }
                case .other:
                    closeRun()
                    gapPending = true
                case .ignorable:
                    break
                }
            }
        }
        closeRun()
        return tokens
    }

    /// A document prepared for scanning: its tokens joined by a separator into one string.
    struct Document {
        var id: String
        var text: String
        var tokens: [Token]
        var haystack: [UInt8]
        /// The token that starts at each haystack offset (-1 elsewhere).
        var tokenAt: [Int]

        init(id: String, text: String) {
            self.id = id
            self.text = text
            tokens = NaiveSearch.tokens(text)
            haystack = []
            tokenAt = []
            for (index, token) in tokens.enumerated() {
                tokenAt.append(index)
                haystack.append(1)
                let bytes = Array(token.text.utf8)
                haystack.append(contentsOf: bytes)
                tokenAt.append(contentsOf: repeatElement(-1, count: bytes.count))
            }
            haystack.append(1)
            tokenAt.append(-1)
        }

        /// Every occurrence of `part`, as UTF-8 ranges of the original text: a plain scan of
        /// the token string for the part's token string.
        func occurrences(of part: String) -> [Range<Int>] {
            let wanted = NaiveSearch.tokens(part).map(\.text)
            guard !wanted.isEmpty else { return [] }
            let needle = Array(("\u{1}" + wanted.joined(separator: "\u{1}") + "\u{1}").utf8)
            var result: [Range<Int>] = []
            var start = 0
            while start + needle.count <= haystack.count {
                if haystack[start] == 1, haystack[start..<start + needle.count].elementsEqual(needle) {
                    let first = tokenAt[start]
                    result.append(tokens[first].range.lowerBound..<tokens[first + wanted.count - 1].range.upperBound)
                }
                start += 1
            }
            return result
        }
    }
}
