import BaySearch

/// Checks what holds for any search results, even from a damaged index: no more hits than
/// the limit or the total, and every hit's matches non-empty, ascending, inside its text and
/// all shown by its snippets.
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
        precondition(windows.reduce(0) { $0 + $1.matchCount } == hit.matches.count, "\(hit.id): snippets lost matches \(context())")
    }
}
