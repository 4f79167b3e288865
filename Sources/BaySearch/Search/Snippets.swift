/// Cuts snippets of original text around match ranges.
///
///     let windows = Snippets.windows(in: Array("研究港珠澳大橋通行".utf8), around: [6..<21], context: 2)
///     windows[0].render { "【\($0)】" }   // "研究【港珠澳大橋】通行"
///
/// Windows reach `context` characters to each side of a match, merge when they touch, and
/// show whitespace runs (PDF line breaks) as one space. A window shows at most
/// `maximumLength` characters, so a document that matches everywhere gives a snippet, not
/// its whole text.
public enum Snippets {
    /// A stretch of text: pieces alternating between plain and highlighted.
    public struct Window: Sendable, Equatable {
        public var pieces: [(text: String, highlighted: Bool)]
        /// How many matches the window holds.
        public var matchCount: Int
        public var startsDocument: Bool
        public var endsDocument: Bool

        public static func == (lhs: Window, rhs: Window) -> Bool {
            lhs.pieces.elementsEqual(rhs.pieces) { $0.text == $1.text && $0.highlighted == $1.highlighted }
                && lhs.matchCount == rhs.matchCount
        }

        /// The window as one line: `highlight` wraps each match, `plain` the text around
        /// them, `…` marks cut ends.
        public func render(plain: (String) -> String = { $0 }, highlight: (String) -> String) -> String {
            let body = pieces.map { $0.highlighted ? highlight($0.text) : plain($0.text) }.joined()
            return (startsDocument ? "" : "…") + body + (endsDocument ? "" : "…")
        }
    }

    /// The first `limit` windows around `matches`; a window's `matchCount` counts the
    /// matches it shows.
    public static func windows(
        in text: [UInt8], around matches: [Range<Int>], context: Int = 20, maximumLength: Int = 200, limit: Int = .max
    ) -> [Window] {
        let sorted = matches.filter { $0.lowerBound >= 0 && $0.upperBound <= text.count }
            .sorted { $0.lowerBound < $1.lowerBound }
        // `cut` is where the window stops showing text; matches merged in past it are passed
        // over rather than kept, which keeps millions of adjacent matches cheap.
        var windows: [(range: Range<Int>, cut: Int, matches: [Range<Int>])] = []
        for match in sorted {
            let from = stepBack(in: text, from: match.lowerBound, characters: context)
            let to = stepForward(in: text, from: match.upperBound, characters: context)
            if let last = windows.last, from <= last.range.upperBound {
                windows[windows.count - 1].range = last.range.lowerBound..<max(last.range.upperBound, to)
                if match.lowerBound < last.cut {
                    windows[windows.count - 1].matches.append(match)
                }
            } else {
                guard windows.count < limit else {
                    break
                }
                windows.append((from..<to, stepForward(in: text, from: from, characters: maximumLength), [match]))
            }
        }
        return windows.map { window in
            let range = window.range.lowerBound..<min(window.range.upperBound, window.cut)
            return Window(
                pieces: pieces(of: text, in: range, highlighting: window.matches),
                matchCount: window.matches.count,
                startsDocument: range.lowerBound == 0, endsDocument: range.upperBound == text.count)
        }
    }

    /// The window's scalars grouped into plain and highlighted pieces. A whitespace run
    /// between two ideographs (a PDF line break inside a word) disappears; any other becomes
    /// one space. `matches` must be sorted by their starts.
    private static func pieces(
        of text: [UInt8], in range: Range<Int>, highlighting matches: [Range<Int>]
    ) -> [(text: String, highlighted: Bool)] {
        let window = String(decoding: text[range], as: UTF8.self)
        var pieces: [(text: String, highlighted: Bool)] = []
        var offset = range.lowerBound
        var pendingSpace = false
        var previousIsIdeograph = false
        // Matches may overlap (一一 in 一一一): a character is highlighted when it lies before
        // the furthest end of the matches that start at or before it.
        var nextMatch = 0
        var highlightedUntil = range.lowerBound
        for character in window.unicodeScalars {
            let start = offset
            offset += UTF8.width(character)
            if isWhitespace(character.value) {
                pendingSpace = true
                continue
            }
            let isIdeograph = CharacterClass.isIdeographic(character.value)
            while nextMatch < matches.count && matches[nextMatch].lowerBound <= start {
                highlightedUntil = max(highlightedUntil, matches[nextMatch].upperBound)
                nextMatch += 1
            }
            let highlighted = start < highlightedUntil
            var piece = ""
            if pendingSpace && !pieces.isEmpty && !(previousIsIdeograph && isIdeograph) {
                // The space goes outside a highlight where it can: after a plain piece, or
                // before a plain character.
                if !pieces[pieces.count - 1].highlighted || highlighted {
                    pieces[pieces.count - 1].text += " "
                } else {
                    piece.append(" ")
                }
            }
            piece.unicodeScalars.append(character)
            pendingSpace = false
            previousIsIdeograph = isIdeograph
            if let last = pieces.last, last.highlighted == highlighted {
                pieces[pieces.count - 1].text += piece
            } else {
                pieces.append((piece, highlighted))
            }
        }
        if pendingSpace, !pieces.isEmpty {
            pieces[pieces.count - 1].text += " "
        }
        return pieces
    }

    /// Unicode's White_Space property, spelled out: asked for every character of every
    /// snippet, where the general property lookup is slow.
    @inline(__always)
    private static func isWhitespace(_ value: UInt32) -> Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    private static func stepBack(in text: [UInt8], from offset: Int, characters: Int) -> Int {
        var offset = offset
        var remaining = characters
        while offset > 0 && remaining > 0 {
            offset -= 1
            while offset > 0 && text[offset] & 0xC0 == 0x80 {
                offset -= 1
            }
            remaining -= 1
        }
        return offset
    }

    private static func stepForward(in text: [UInt8], from offset: Int, characters: Int) -> Int {
        var offset = offset
        var remaining = characters
        while offset < text.count && remaining > 0 {
            offset += 1
            while offset < text.count && text[offset] & 0xC0 == 0x80 {
                offset += 1
            }
            remaining -= 1
        }
        return offset
    }
}
