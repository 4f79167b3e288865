/// The answer to one query.
public struct SearchResults: Sendable {
    /// How many documents match (never limited).
    public var total: Int
    /// The best `limit` of them, best first; ties by id.
    public var hits: [Hit]
    /// The collection statistics the scores used.
    public var documentCount: Int
    public var averageLength: Double
}

/// One matching document.
public struct Hit: Sendable {
    public var id: String
    public var title: String
    public var score: Double
    /// Every occurrence of every positive query part, as UTF-8 byte ranges into `text`,
    /// ascending.
    public var matches: [Range<Int>]
    /// The document's original text.
    public var text: [UInt8]
    /// The document's length in ICU words.
    public var length: Int
    /// How each query part contributed to the score.
    public var explanation: [PartScore]
}

/// One query part's share of a hit's score.
public struct PartScore: Sendable {
    public var part: String
    public var frequency: Int
    public var documentFrequency: Int
    public var idf: Double
    public var score: Double
}
