import BaySearch

/// Checks what holds for any search results, even from a damaged index: no more hits than
/// the limit or the total, and every hit's matches non-empty, ascending, inside its text, and
/// shown by snippets that each hold at least one of them (a window cut at its maximum length
/// passes over the matches beyond the cut).
func checkHits(_ results: SearchResults, limit: Int, _ context: @autoclosure () -> String) {
    precondition(results.hits.count <= min(limit, results.total), "\(results.hits.count) hits of \(results.total) \(context())")
    for hit in results.hits {
        precondition(!hit.matches.isEmpty, "\(hit.id) has no match \(context())")
        for range in hit.matches {
            precondition(range.lowerBound >= 0 && range.upperBound <= hit.text.count && !range.isEmpty,
                         "\(hit.id): match \(range) outside its \(hit.text.count) bytes \(context())")
        }
        for (earlier, later) in zip(hit.matches, hit.matches.dropFirst()) {
            precondition((earlier.lowerBound, earlier.upperBound) < (later.lowerBound, later.upperBound),
                         "\(hit.id): matches \(earlier), \(later) out of order \(context())")
        }
        let windows = Snippets.windows(in: hit.text, around: hit.matches)
        precondition(windows.allSatisfy { $0.matchCount > 0 }, "\(hit.id): a snippet shows no match \(context())")
        precondition(windows.reduce(0) { $0 + $1.matchCount } <= hit.matches.count, "\(hit.id): snippets invent matches \(context())")
    }
}
