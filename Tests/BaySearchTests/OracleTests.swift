import BaySearch
import Foundation
import Testing

/// BaySearch against an independent naive search (fold + token-string scan) over the corpus,
/// for hundreds of generated queries: every matching document, every match range, and the
/// BM25 score recomputed from the naive counts.
@Suite struct OracleTests {
    /// A deterministic generator (SplitMix64), so a failure can be reproduced.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Extra documents covering what the corpus lacks: non-BMP, full width, mixed script.
    static let extraDocuments: [(id: String, text: String)] = [
        ("extra/rare.txt", "𨨏字與𠀀字，鿏元素 ＣＥＰＡ框架 Hello World"),
        ("extra/mixed.txt", "粵港澳大湾区 港珠澳大桥\n與港珠澳大橋 PM2.5 2020年"),
        // Characters that fold to several units, often enough to fall on checkpoints.
        ("extra/expansions.txt", String(repeating: "㍻港ﬁ橋½，", count: 60) + "港珠澳大橋"),
        // Expansions that begin with punctuation (⑴ is "(1)") or continue a run (a㋀, x½).
        ("extra/expansions2.txt", String(repeating: "香港合作⑴港珠澳大橋a㋀港珠x½澳㈠大橋", count: 20)),
    ]

    /// Substrings of the documents (1–8 characters, line breaks and punctuation included),
    /// some with characters swapped to their folded script, some paired into AND queries.
    static func generateQueries(from documents: [(id: String, text: String)], count: Int) -> [String] {
        var generator = Generator(state: 2026)
        let characterLists = documents.map { Array($0.text) }.filter { !$0.isEmpty }
        func substring() -> String {
            let characters = characterLists[Int.random(in: 0..<characterLists.count, using: &generator)]
            let length = Int.random(in: 1...8, using: &generator)
            let start = Int.random(in: 0..<max(1, characters.count - length), using: &generator)
            var text = String(characters[start..<min(characters.count, start + length)])
            if Bool.random(using: &generator) {
                var swapped = String.UnicodeScalarView()
                for scalar in text.unicodeScalars {
                    let folded = NaiveSearch.fold(scalar)
                    if folded.count == 1, Bool.random(using: &generator) {
                        swapped.append(folded[0])
                    } else {
                        swapped.append(scalar)
                    }
                }
                text = String(swapped)
            }
            // Query syntax characters would change the meaning; the naive model has no syntax.
            return text.replacingOccurrences(of: "\"", with: " ").replacingOccurrences(of: "-", with: " ")
        }
        var queries: [String] = []
        while queries.count < count {
            var query = substring()
            if Int.random(in: 0..<4, using: &generator) == 0 {
                query += " " + substring()
            }
            let parts = query.split(whereSeparator: \.isWhitespace)
            if parts.contains("OR") { continue }
            // Only queries with something to search for: the parser rejects the others.
            if parts.contains(where: { !NaiveSearch.tokens(String($0)).isEmpty }) {
                queries.append(query)
            }
        }
        return queries
    }

    @Test func generatedQueriesAgreeWithNaiveSearch() throws {
        let documents = try Fixtures.corpus() + OracleTests.extraDocuments
        let naive = documents.map { NaiveSearch.Document(id: $0.id, text: $0.text) }
        let directory = try TemporaryDirectory()
        let index = try Fixtures.index(documents, in: directory)
        let queries = OracleTests.generateQueries(from: documents, count: 600)
        var disagreements: [String] = []
        for query in queries {
            let parts = query.split(whereSeparator: \.isWhitespace).map(String.init)
                .filter { !NaiveSearch.tokens($0).isEmpty }
            var expected: [String: [Range<Int>]] = [:]
            var frequencies: [String: [Int]] = [:]
            for document in naive {
                let perPart = parts.map { document.occurrences(of: $0) }
                if perPart.allSatisfy({ !$0.isEmpty }) {
                    expected[document.id] = Array(Set(perPart.flatMap { $0 }))
                        .sorted { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }
                    frequencies[document.id] = perPart.map(\.count)
                }
            }
            let results = try index.search(try index.parse(query), limit: Int.max)
            let actual = Dictionary(uniqueKeysWithValues: results.hits.map { ($0.id, $0.matches) })
            if actual != expected || results.total != expected.count {
                disagreements.append("\(query.debugDescription): expected \(expected.keys.sorted()) got \(actual.keys.sorted())")
                continue
            }
            // BM25 from the naive counts: df per part over documents that hold the part.
            let documentFrequencies = parts.map { part in naive.filter { !$0.occurrences(of: part).isEmpty }.count }
            let bm25 = BM25(documentCount: results.documentCount, averageLength: results.averageLength)
            for hit in results.hits {
                let frequencies = frequencies[hit.id] ?? []
                let score = zip(frequencies, documentFrequencies).reduce(0.0) {
                    $0 + bm25.score(frequency: $1.0, documentFrequency: $1.1, length: hit.length)
                }
                if abs(score - hit.score) > 1e-9 {
                    disagreements.append("\(query.debugDescription): \(hit.id) scored \(hit.score), naive \(score)")
                }
            }
            let scores = results.hits.map(\.score)
            if scores != scores.sorted(by: >) {
                disagreements.append("\(query.debugDescription): hits not in score order")
            }
        }
        #expect(queries.count == 600)
        #expect(disagreements.isEmpty, "\(disagreements.count) of \(queries.count) queries disagree: \(disagreements.prefix(5))")
    }

    @Test func everyOccurrenceOfTheBridgeIsFoundInBothScripts() throws {
        let documents = try Fixtures.corpus()
        let directory = try TemporaryDirectory()
        let index = try Fixtures.index(documents, in: directory)
        let traditional = try Fixtures.matches("港珠澳大橋", in: index)
        #expect(Set(traditional.keys) == Set(documents.map(\.id)))
        #expect(try Fixtures.matches("港珠澳大桥", in: index) == traditional)
        for document in documents {
            let expected = NaiveSearch.Document(id: document.id, text: document.text).occurrences(of: "港珠澳大橋")
            #expect(traditional[document.id] == expected)
        }
    }
}
