/// The analysis chain shared by documents and queries: decode UTF-8, fold, tokenize into
/// units, and count ICU words.
///
///     let analyzer = Analyzer()
///     let document = try analyzer.analyzeDocument(Array("港珠澳大橋".utf8))
///     document.wordCount   // 5 (港 | 珠 | 澳 | 大 | 桥, as ICU 72 splits the folded text)
///
/// Folding comes before segmentation: ICU splits the Traditional and Simplified forms of one
/// text differently, and only folded text gives one stream for both. Not thread-safe: give
/// each thread its own analyzer.
public final class Analyzer {
    public let tokenizer: UnitTokenizer
    private var openedSegmenter: WordSegmenter?
    private var scratch = AnalyzedText()

    public init() {
        tokenizer = UnitTokenizer(folder: CharacterFolder())
    }

    /// ICU's word breaker, opened on first use: searching needs it only to split a query
    /// that found nothing.
    private var segmenter: WordSegmenter {
        get throws(AnalysisError) {
            if let openedSegmenter {
                return openedSegmenter
            }
            let segmenter = try WordSegmenter()
            openedSegmenter = segmenter
            return segmenter
        }
    }

    /// A document's units and its length in ICU words.
    public struct Document: Sendable {
        public var text: AnalyzedText
        public var wordCount: Int
    }

    /// Analyses a whole document, counting its ICU words.
    public func analyzeDocument(_ bytes: UnsafeBufferPointer<UInt8>) throws(AnalysisError) -> Document {
        try tokenizer.analyze(bytes, into: &scratch, segmenterInput: true)
        let wordCount = try segmenter.countWords(in: scratch.segmenterInput)
        return Document(text: scratch, wordCount: wordCount)
    }

    public func analyzeDocument(_ bytes: [UInt8]) throws(AnalysisError) -> Document {
        try bytes.withUnsafeBufferPointer { (buffer) throws(AnalysisError) in
            try analyzeDocument(buffer)
        }
    }

    /// The units of a query part (no word count: queries match on units).
    public func analyzeQuery(_ text: String) throws(AnalysisError) -> AnalyzedText {
        try tokenizer.analyze(Array(text.utf8))
    }

    /// The ICU words of a text after folding, for splitting a query that found nothing.
    public func words(of text: String) throws(AnalysisError) -> [String] {
        let analyzed = try tokenizer.analyze(Array(text.utf8), segmenterInput: true)
        return try segmenter.words(in: analyzed.segmenterInput)
    }
}
