/// Parses query syntax and analyses each part with the same chain as documents.
///
/// Parts are separated by whitespace and ANDed; `OR` between two parts makes them
/// alternatives; `-part` excludes documents holding part; `"…"` makes one phrase of
/// several words. Whitespace inside a phrase is not a boundary, exactly as in documents.
///
///     let query = try QueryParser.parse("港珠澳大桥 OR 港珠澳大橋", analyzer: analyzer)
///     query.groups[0].count  // 2
public enum QueryParser {
    private struct RawPart {
        var text = ""
        var quoted = false
        var excluded = false
        var isOr: Bool { !quoted && !excluded && text == "OR" }
    }

    public static func parse(_ text: String, analyzer: Analyzer) throws(QueryError) -> Query {
        let parts = try split(text)
        guard !parts.isEmpty else {
            throw .empty
        }
        var groups: [[QueryPhrase]] = []
        var exclusions: [QueryPhrase] = []
        // An exclusion repeated excludes nothing more; matching it again would only cost.
        var excludedUnits = Set<[QueryUnit]>()
        var sawExclusion = false
        var joinNext = false
        for (index, part) in parts.enumerated() {
            if part.isOr {
                let previous = index > 0 ? parts[index - 1] : nil
                let next = index + 1 < parts.count ? parts[index + 1] : nil
                guard let previous, let next, !previous.isOr, !previous.excluded, !next.isOr, !next.excluded else {
                    throw .misplacedOr
                }
                joinNext = true
                continue
            }
            let phrase = try analyze(part.text, analyzer: analyzer)
            if part.excluded {
                sawExclusion = true
                if let phrase, excludedUnits.insert(phrase.units).inserted {
                    exclusions.append(phrase)
                }
            } else if joinNext, !groups.isEmpty {
                if let phrase {
                    groups[groups.count - 1].append(phrase)
                }
            } else {
                groups.append(phrase.map { [$0] } ?? [])
            }
            joinNext = false
        }
        groups.removeAll { $0.isEmpty }
        guard !groups.isEmpty else {
            throw sawExclusion && !exclusions.isEmpty ? .onlyExclusions : .nothingToSearch(text)
        }
        return Query(text: text, groups: groups, exclusions: exclusions)
    }

    /// Analyses a part into a phrase; nil when it holds nothing searchable (punctuation).
    static func analyze(_ text: String, analyzer: Analyzer) throws(QueryError) -> QueryPhrase? {
        let analyzed: AnalyzedText
        do {
            analyzed = try analyzer.analyzeQuery(text)
        } catch {
            throw .invalidText(error.description)
        }
        guard let first = analyzed.units.first else {
            return nil
        }
        var units = analyzed.units.map { unit in
            QueryUnit(term: Array(analyzed.termBytes(of: unit)), ideograph: unit.ideograph, offset: unit.position - first.position)
        }
        for position in analyzed.boundaries {
            units.append(QueryUnit(term: boundaryTerm, ideograph: 0, offset: position - first.position))
        }
        units.sort { $0.offset < $1.offset }
        return QueryPhrase(text: text, units: units)
    }

    /// Splits on whitespace outside quotes; a leading `-` outside quotes marks an exclusion.
    private static func split(_ text: String) throws(QueryError) -> [RawPart] {
        var parts: [RawPart] = []
        var current = RawPart()
        var inQuote = false
        var started = false
        func finish() {
            if current.excluded && !started {
                // A lone "-" is punctuation, not an exclusion of nothing.
                current = RawPart(text: "-")
                started = true
            }
            if started {
                parts.append(current)
            }
            current = RawPart()
            started = false
        }
        for character in text {
            if character == "\"" {
                inQuote.toggle()
                current.quoted = true
                started = true
            } else if character.isWhitespace && !inQuote {
                finish()
            } else if character == "-" && !inQuote && !started && !current.excluded {
                current.excluded = true
            } else {
                current.text.append(character)
                started = true
            }
        }
        guard !inQuote else {
            throw .unbalancedQuote
        }
        finish()
        return parts
    }

    /// The query split into the ICU words of its positive parts, ANDed: what to offer when
    /// the exact query finds nothing. Nil when splitting changes nothing.
    public static func splitIntoWords(_ query: Query, analyzer: Analyzer) throws(QueryError) -> Query? {
        var groups: [[QueryPhrase]] = []
        var words: [String] = []
        for phrase in query.positivePhrases {
            let phraseWords: [String]
            do {
                phraseWords = try analyzer.words(of: phrase.text)
            } catch {
                throw .invalidText(error.description)
            }
            for word in phraseWords {
                if let wordPhrase = try analyze(word, analyzer: analyzer), !groups.contains([wordPhrase]) {
                    groups.append([wordPhrase])
                    words.append(word)
                }
            }
        }
        guard !groups.isEmpty, groups.count > query.positivePhrases.count else {
            return nil
        }
        return Query(text: words.joined(separator: " "), groups: groups, exclusions: query.exclusions)
    }
}
