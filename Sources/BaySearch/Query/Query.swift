/// A parsed, analysed query: parts ANDed together, each part a phrase or alternatives
/// joined by OR, and phrases whose documents are excluded.
///
///     let query = try QueryParser.parse(#"港珠澳大桥 "香港 青年" CEPA OR 框架 -澳門"#, analyzer: analyzer)
///     query.groups.count      // 3
///     query.exclusions.count  // 1
public struct Query: Sendable {
    /// The query as typed.
    public var text: String
    /// Every group must match; a group matches when any of its phrases does.
    public var groups: [[QueryPhrase]]
    /// A document holding any of these is left out.
    public var exclusions: [QueryPhrase]

    /// Every phrase that contributes to scores and matches.
    public var positivePhrases: [QueryPhrase] { groups.flatMap { $0 } }
}

/// One query part: a sequence of units that must occur contiguously.
public struct QueryPhrase: Sendable, Equatable {
    /// The part as typed (without quotes or a leading `-`).
    public var text: String
    public var units: [QueryUnit]

    /// How far the last unit lies from the first, in positions.
    public var span: UInt32 { units.last?.offset ?? 0 }
}

/// One unit of a query phrase and where it must stand relative to the phrase's first unit.
public struct QueryUnit: Sendable, Hashable {
    /// Folded UTF-8: the unit's term in the index.
    public var term: [UInt8]
    /// The folded ideograph, or 0 for an alphanumeric run.
    public var ideograph: UInt32
    public var offset: UInt32
}

/// Why a query could not be run.
public enum QueryError: Error, Equatable, CustomStringConvertible {
    case empty
    case unbalancedQuote
    case nothingToSearch(String)
    case onlyExclusions
    case misplacedOr
    case invalidText(String)

    public var description: String {
        switch self {
        case .empty:
            return "the query is empty; give some words to search for"
        case .unbalancedQuote:
            return "the query has an unbalanced quote (\"); close the phrase or remove the quote"
        case .nothingToSearch(let query):
            return "the query \(query) has no letters, digits or ideographs to search for"
        case .onlyExclusions:
            return "the query only excludes (-word); add at least one word to search for"
        case .misplacedOr:
            return "OR must stand between two search words, as in 香港 OR 澳門"
        case .invalidText(let reason):
            return "the query cannot be analysed: \(reason)"
        }
    }
}
