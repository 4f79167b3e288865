import CICU

/// ICU's dictionary-based word breaker, counting and listing the words of folded text.
///
///     let segmenter = try WordSegmenter()
///     let words = try segmenter.words(in: Array("港珠澳大桥通车".utf16))  // ["港", "珠", "澳", "大", "桥", "通车"]
///
/// Words are what ICU classes as letters, numbers, kana or ideographs; punctuation and
/// spaces are not words. Not thread-safe: give each thread its own.
public final class WordSegmenter {
    private let breaker: OpaquePointer
    /// The ideograph counter, opened on first use (splitting queries does not need it); nil
    /// when this ICU cannot have one.
    private lazy var ideographRuns = IdeographRunCounter()
    /// What is left of a text once its runs of ideographs are counted, reused between texts.
    private var rest: [UInt16] = []

    public init() throws(AnalysisError) {
        guard let breaker = bay_wordbreaker_open() else {
            throw .segmenterUnavailable
        }
        self.breaker = breaker
    }

    deinit {
        bay_wordbreaker_close(breaker)
    }

    /// The number of words in `text`: a document's length for BM25. Runs of ideographs
    /// (`IdeographRunCounter`) and spans of ASCII and common CJK punctuation (`ASCIIWordCounter`) are counted
    /// without ICU's break iterator, with the same result, in one pass when the text holds
    /// nothing else; `takesShortcuts: false` asks ICU for everything.
    public func countWords(in text: [UInt16], takesShortcuts: Bool = true) throws(AnalysisError) -> Int {
        guard takesShortcuts else {
            return try countWordsWithICU(text[...])
        }
        guard let ideographRuns else {
            return try countWordsOutsideIdeographRuns(text)
        }
        if let words = ideographRuns.countWords(in: text) {
            return words
        }
        let words = ideographRuns.countRuns(in: text, rest: &rest)
        return try words + countWordsOutsideIdeographRuns(rest)
    }

    private func countWordsOutsideIdeographRuns(_ text: [UInt16]) throws(AnalysisError) -> Int {
        var count = 0
        try ASCIIWordCounter.split(text, icu: { (stretch) throws(AnalysisError) in
            count += try countWordsWithICU(stretch)
        }, ascii: { span in
            count += ASCIIWordCounter.count(span)
        })
        return count
    }

    private func countWordsWithICU(_ text: ArraySlice<UInt16>) throws(AnalysisError) -> Int {
        let count = text.withUnsafeBufferPointer { buffer in
            bay_wordbreaker_count_words(breaker, buffer.baseAddress, Int32(buffer.count))
        }
        guard count >= 0 else {
            throw .segmenterUnavailable
        }
        return Int(count)
    }

    /// The words of `text`, in order.
    public func words(in text: [UInt16]) throws(AnalysisError) -> [String] {
        let capacity = text.count
        var starts = [Int32](repeating: 0, count: capacity)
        var ends = [Int32](repeating: 0, count: capacity)
        let count = text.withUnsafeBufferPointer { buffer in
            bay_wordbreaker_words(breaker, buffer.baseAddress, Int32(buffer.count), &starts, &ends, Int32(capacity))
        }
        guard count >= 0 else {
            throw .segmenterUnavailable
        }
        return (0..<min(Int(count), capacity)).map { index in
            String(decoding: text[Int(starts[index])..<Int(ends[index])], as: UTF16.self)
        }
    }
}
