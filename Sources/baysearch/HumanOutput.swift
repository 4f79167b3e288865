import BaySearch
import Foundation

/// Results for people: rank, id, title, score, match count and highlighted snippets.
struct HumanOutput {
    var color: Bool
    var explain: Bool
    /// Snippet windows shown per hit before the rest are counted.
    var windowsPerHit = 10

    private var bold: String { color ? "\u{1B}[1m" : "" }
    private var dim: String { color ? "\u{1B}[2m" : "" }
    private var reset: String { color ? "\u{1B}[0m" : "" }

    func heading(for query: String, results: SearchResults, micros: Int) -> String {
        let documents = results.total == 1 ? "1 document" : "\(results.total) documents"
        let shown = results.hits.count < results.total ? ", showing \(results.hits.count)" : ""
        return "\(bold)\(Terminal.printable(query))\(reset): \(documents) match\(results.total == 1 ? "es" : "")\(shown) "
            + String(format: "(%.2f ms)", Double(micros) / 1000)
    }

    func noMatches(_ query: String) -> String {
        "No document contains \(bold)\(Terminal.printable(query))\(reset) exactly."
    }

    func hits(_ results: SearchResults) -> String {
        var lines: [String] = []
        for (rank, hit) in results.hits.enumerated() {
            let matches = hit.matches.count == 1 ? "1 match" : "\(hit.matches.count) matches"
            lines.append("")
            lines.append("\(bold)\(rank + 1). \(Terminal.printable(hit.id))\(reset)  " + String(format: "score %.4f", hit.score) + "  \(matches)")
            if !hit.title.isEmpty {
                lines.append("   \(dim)\(Terminal.printable(hit.title))\(reset)")
            }
            let windows = Snippets.windows(in: hit.text, around: hit.matches, limit: windowsPerHit)
            for window in windows {
                lines.append("   " + window.render(plain: Terminal.printable, highlight: highlight))
            }
            let hidden = hit.matches.count - windows.reduce(0) { $0 + $1.matchCount }
            if hidden > 0 {
                lines.append("   \(dim)… and \(hidden) more matches (--json lists them all)\(reset)")
            }
            if explain {
                lines.append(contentsOf: explanation(of: hit, results: results))
            }
        }
        return lines.joined(separator: "\n")
    }

    private func highlight(_ text: String) -> String {
        color ? "\u{1B}[1;31m\(Terminal.printable(text))\u{1B}[0m" : "【\(Terminal.printable(text))】"
    }

    private func explanation(of hit: Hit, results: SearchResults) -> [String] {
        var lines = [String(format: "   BM25 k1=1.2 b=0.75  N=%d  avgdl=%.2f  dl=%d", results.documentCount, results.averageLength, hit.length)]
        for part in hit.explanation {
            lines.append("     \(Terminal.printable(part.part))  tf=\(part.frequency)  df=\(part.documentFrequency)  "
                + String(format: "idf=%.4f  score=%.4f", part.idf, part.score))
        }
        return lines
    }
}
