import BaySearch
import Foundation

/// The `--json` contract: one object per query, on one line.
///
///     {"query": "…", "total": 4, "took_us": 120,
///      "hits": [{"id": "…", "title": "…", "score": 1.5, "matches": [{"start": 10, "end": 25}], "snippet": "…"}]}
enum JSONOutput {
    static func line(query: String, results: SearchResults, micros: Int, explain: Bool) -> String {
        var object: [(String, String)] = [
            ("query", string(query)),
            ("total", "\(results.total)"),
            ("took_us", "\(micros)"),
        ]
        let hits = results.hits.map { hit in
            var fields: [(String, String)] = [
                ("id", string(hit.id)),
                ("title", string(hit.title)),
                ("score", number(hit.score)),
                ("matches", matches(of: hit)),
                ("snippet", string(snippet(of: hit))),
            ]
            if explain {
                fields.append(("explain", explanation(of: hit, results: results)))
            }
            return render(fields)
        }
        object.append(("hits", "[" + hits.joined(separator: ",") + "]"))
        return render(object)
    }

    static func errorLine(query: String, message: String) -> String {
        render([("query", string(query)), ("error", string(message))])
    }

    /// The match list, written into one string: a document can match ten million times,
    /// and a string per match would hold several times the output in memory.
    private static func matches(of hit: Hit) -> String {
        var list = "["
        list.reserveCapacity(hit.matches.count * 32)
        for (index, match) in hit.matches.enumerated() {
            list += index == 0 ? #"{"start":"# : #",{"start":"#
            list += String(match.lowerBound)
            list += #","end":"#
            list += String(match.upperBound)
            list += "}"
        }
        return list + "]"
    }

    /// The first three snippet windows, matches in 【】.
    private static func snippet(of hit: Hit) -> String {
        Snippets.windows(in: hit.text, around: hit.matches, limit: 3)
            .map { $0.render { "【\($0)】" } }
            .joined(separator: " ")
    }

    private static func explanation(of hit: Hit, results: SearchResults) -> String {
        let parts = hit.explanation.map { part in
            render([
                ("part", string(part.part)), ("tf", "\(part.frequency)"), ("df", "\(part.documentFrequency)"),
                ("idf", number(part.idf)), ("score", number(part.score)),
            ])
        }
        return render([
            ("N", "\(results.documentCount)"), ("avgdl", number(results.averageLength)), ("dl", "\(hit.length)"),
            ("parts", "[" + parts.joined(separator: ",") + "]"),
        ])
    }

    private static func render(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// A finite double in its shortest round-tripping form.
    private static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "0"
    }

    static func string(_ value: String) -> String {
        let needsEscaping = value.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
            || value.unicodeScalars.contains { $0.value == 0x2028 || $0.value == 0x2029 }
        guard needsEscaping else {
            return "\"" + value + "\""
        }
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                result += String(format: "\\u%04X", scalar.value)
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
