import BaySearch

/// Parses each input as a query and runs it on the sample index.
///
/// Promises checked: parsing either throws a `QueryError` (the type system holds that) or
/// gives groups that are all non-empty, each phrase a run of units at offsets 0, 1, 2, …
/// that starts and ends with a unit, not a punctuation boundary; searching a valid index
/// never reports damage; hits are at most the limit, ranked by score, with match ranges
/// ascending inside their text; the fallback split into words keeps the same shape.
final class QueryParserTarget: FuzzTarget {
    private let index: SearchIndex

    init() throws {
        index = try SearchIndex(path: SampleIndex().path)
    }

    func run(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        let query: Query
        do {
            query = try index.parse(text)
        } catch {
            return
        }
        check(query, text)
        search(query, text)
        do {
            if let split = try QueryParser.splitIntoWords(query, analyzer: index.analyzer) {
                check(split, text)
                search(split, text)
            }
        } catch {
            preconditionFailure("splitting the parsed query \(text.debugDescription) failed: \(error)")
        }
    }

    private func check(_ query: Query, _ text: String) {
        precondition(!query.groups.isEmpty && query.groups.allSatisfy { !$0.isEmpty }, "an empty group in \(text.debugDescription)")
        for phrase in query.positivePhrases + query.exclusions {
            let units = phrase.units
            precondition(units.map(\.offset) == Array(0..<UInt32(units.count)),
                         "offsets \(units.map(\.offset)) in \(text.debugDescription)")
            precondition(units.first?.term != boundaryTerm && units.last?.term != boundaryTerm,
                         "a phrase of \(text.debugDescription) starts or ends at punctuation")
            precondition(units.allSatisfy { !$0.term.isEmpty }, "an empty term in \(text.debugDescription)")
        }
    }

    private func search(_ query: Query, _ text: String) {
        let limit = 3
        let results: SearchResults
        do {
            results = try index.search(query, limit: limit)
        } catch {
            preconditionFailure("the sample index reported \(error) for \(text.debugDescription)")
        }
        checkHits(results, limit: limit, "for \(text.debugDescription)")
        for (better, worse) in zip(results.hits, results.hits.dropFirst()) {
            precondition(better.score > worse.score || (better.score == worse.score && better.id < worse.id),
                         "hits out of order for \(text.debugDescription)")
        }
    }
}
