/// Counts ICU's words in spans of ASCII (and common CJK punctuation) without calling ICU,
/// and cuts folded text into the stretches that still need ICU.
///
/// For ASCII, ICU's word rules (UAX #29 as ICU 72 tailors them) are a small state machine:
/// letters (and `@`, which ICU counts as a letter), digits and `_` join into one word, but
/// for a `_` alone, which is no word; `.` and `'` join two letters or two digits; `,` and
/// `;` join two digits; everything else, `:` included, breaks. ICU also always breaks at a
/// space unless a combining mark or format character follows it, so a text can be cut at
/// the spaces around an ASCII span and the counts added up. Punctuation such as `。` and
/// `“` breaks on both sides, as `!` does. The equivalence with ICU is tested on generated
/// text and on the corpus.
///
///     ASCIIWordCounter.count(Array("pm2.5 don't 1,000 snake_case _".utf16)[...])  // 4
enum ASCIIWordCounter {
    /// The words in `span`, which must hold only what `canCount` accepts.
    static func count(_ span: ArraySlice<UInt16>) -> Int {
        span.withUnsafeBufferPointer { span in
            guard let (words, _) = count(span, from: 0, upTo: { _ in false }) else {
                preconditionFailure("a span holds only what canCount accepts")
            }
            return words
        }
    }

    /// The words from `start` up to the first unit that `stop` accepts and is no letter,
    /// digit or `_`, or up to the end, and where that is; nil when a unit before it is
    /// neither what `canCount` accepts nor one `stop` accepts. ICU must break before what
    /// `stop` accepts.
    @inline(__always)
    static func count(
        _ text: UnsafeBufferPointer<UInt16>, from start: Int, upTo stop: (UInt16) -> Bool
    ) -> (words: Int, end: Int)? {
        var count = 0
        var index = start
        while index < text.count {
            let unit = text[index]
            guard isWordUnit(unit) else {
                if stop(unit) {
                    break
                }
                guard canCount(unit) else {
                    return nil
                }
                index += 1
                continue
            }
            let wordStart = index
            index += 1
            while index < text.count {
                if isWordUnit(text[index]) {
                    index += 1
                } else if index + 1 < text.count, joins(text[index - 1], text[index], text[index + 1]) {
                    index += 2
                } else {
                    break
                }
            }
            if index - wordStart > 1 || unit != underscore {
                count += 1
            }
        }
        return (count, index)
    }

    /// Whether the span can be counted here: ASCII, or the CJK punctuation that ICU breaks
    /// before and after like `!` (Word_Break Other).
    @inline(__always)
    static func canCount(_ unit: UInt16) -> Bool {
        unit < 0x80 || isBreakingPunctuation(unit)
    }

    /// 、。〈〉《》「」『』【】 – — “ ” • …: the CJK text's common punctuation that folding
    /// leaves outside ASCII. (‘ ’ and · join letters in ICU and are left to it.)
    private static func isBreakingPunctuation(_ unit: UInt16) -> Bool {
        switch unit {
        case 0x3001, 0x3002, 0x3008...0x3011, 0x2013, 0x2014, 0x201C, 0x201D, 0x2022, 0x2026:
            return true
        default:
            return false
        }
    }

    @inline(__always)
    private static func isLetter(_ unit: UInt16) -> Bool {
        (0x61...0x7A).contains(unit) || (0x40...0x5A).contains(unit)
    }

    @inline(__always)
    private static func isDigit(_ unit: UInt16) -> Bool {
        (0x30...0x39).contains(unit)
    }

    /// `_`, Word_Break ExtendNumLet: it joins letters, digits and itself (UAX #29 WB13a/b).
    private static let underscore: UInt16 = 0x5F

    @inline(__always)
    private static func isWordUnit(_ unit: UInt16) -> Bool {
        isLetter(unit) || isDigit(unit) || unit == underscore
    }

    /// UAX #29 rules WB6/WB7 (letter, mid, letter) and WB11/WB12 (digit, mid, digit).
    private static func joins(_ before: UInt16, _ middle: UInt16, _ after: UInt16) -> Bool {
        switch middle {
        case 0x2E, 0x27:  // . MidNumLet, ' Single_Quote
            return (isLetter(before) && isLetter(after)) || (isDigit(before) && isDigit(after))
        case 0x2C, 0x3B:  // , ; MidNum
            return isDigit(before) && isDigit(after)
        default:
            return false
        }
    }

    /// The shortest ASCII stretch worth taking from ICU: each cut costs an ICU call, so
    /// short ASCII islands in Chinese text (`2016 年`) stay with ICU.
    static let minimumStretch = 48

    /// Splits `text` at spaces into stretches for ICU and runs of ASCII spans counted here,
    /// and calls `icu` and `ascii` with each, in order.
    static func split(
        _ text: [UInt16], icu: (ArraySlice<UInt16>) throws(AnalysisError) -> Void, ascii: (ArraySlice<UInt16>) -> Void
    ) throws(AnalysisError) {
        var icuStart = 0
        var asciiStart: Int?
        var asciiEnd = 0
        func takeASCII() throws(AnalysisError) {
            // ICU would attach a mark or format character after the space to the space, so
            // the stretch before such a character stays with ICU.
            if let start = asciiStart, asciiEnd - start >= minimumStretch, !startsWithAttachingCharacter(text, at: asciiEnd + 1) {
                if icuStart < start {
                    try icu(text[icuStart..<start])
                }
                ascii(text[start..<asciiEnd])
                icuStart = asciiEnd
            }
            asciiStart = nil
        }
        var spanStart = 0
        while spanStart < text.count {
            let (spanEnd, countable) = text.withUnsafeBufferPointer { text in
                var spanEnd = spanStart
                var uncountable = false
                while spanEnd < text.count, text[spanEnd] != 0x20 {
                    uncountable = uncountable || !canCount(text[spanEnd])
                    spanEnd += 1
                }
                return (spanEnd, !uncountable)
            }
            if countable {
                if asciiStart == nil {
                    asciiStart = spanStart
                }
                asciiEnd = spanEnd
            } else {
                try takeASCII()
            }
            spanStart = spanEnd + 1
        }
        try takeASCII()
        if icuStart < text.count {
            try icu(text[icuStart...])
        }
    }

    private static func startsWithAttachingCharacter(_ text: [UInt16], at index: Int) -> Bool {
        guard index < text.count, text[index] >= 0x80 else {
            return false
        }
        let unit = text[index]
        let scalar: Unicode.Scalar?
        if UTF16.isLeadSurrogate(unit), index + 1 < text.count, UTF16.isTrailSurrogate(text[index + 1]) {
            scalar = Unicode.Scalar(UTF16.decode(UTF16.EncodedScalar([unit, text[index + 1]])))
        } else {
            scalar = Unicode.Scalar(unit)
        }
        guard let scalar else {
            return true
        }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format:
            return true
        default:
            return scalar.value == 0x200D
        }
    }
}
