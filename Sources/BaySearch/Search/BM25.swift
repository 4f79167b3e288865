import Foundation

/// Okapi BM25 with k1 = 1.2 and b = 0.75, each query part scored as one term.
///
///     let bm25 = BM25(documentCount: 4, averageLength: 5_000)
///     bm25.score(frequency: 3, documentFrequency: 4, length: 4_000)
public struct BM25: Sendable {
    public static let k1 = 1.2
    public static let b = 0.75

    public let documentCount: Int
    public let averageLength: Double

    public init(documentCount: Int, averageLength: Double) {
        self.documentCount = documentCount
        self.averageLength = averageLength
    }

    /// `ln(1 + (N − df + 0.5) / (df + 0.5))`
    public func idf(documentFrequency: Int) -> Double {
        log(1 + (Double(documentCount - documentFrequency) + 0.5) / (Double(documentFrequency) + 0.5))
    }

    /// `idf · tf · (k1 + 1) / (tf + k1 · (1 − b + b · dl / avgdl))`
    public func score(frequency: Int, documentFrequency: Int, length: Int) -> Double {
        score(frequency: frequency, idf: idf(documentFrequency: documentFrequency), length: length)
    }

    /// The same with the part's `idf` given, for scoring every document a part matches
    /// without a logarithm each.
    public func score(frequency: Int, idf: Double, length: Int) -> Double {
        let relativeLength = averageLength > 0 ? Double(length) / averageLength : 1
        let tf = Double(frequency)
        let norm = BM25.k1 * (1 - BM25.b + BM25.b * relativeLength)
        return idf * tf * (BM25.k1 + 1) / (tf + norm)
    }
}
