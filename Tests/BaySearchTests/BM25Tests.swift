@testable import BaySearch
import Foundation
import Testing

/// BM25 against values worked out by hand from the formula in the issue.
@Suite struct BM25Tests {
    @Test func idfMatchesTheFormula() {
        let bm25 = BM25(documentCount: 4, averageLength: 100)
        // ln(1 + (4 - 1 + 0.5) / (1 + 0.5)) = ln(1 + 3.5/1.5) = ln(3.3333…)
        #expect(abs(bm25.idf(documentFrequency: 1) - 1.2039728043259361) < 1e-12)
        // df = N: ln(1 + 0.5/4.5) = ln(1.1111…)
        #expect(abs(bm25.idf(documentFrequency: 4) - 0.10536051565782628) < 1e-12)
    }

    @Test func scoreMatchesTheFormula() {
        let bm25 = BM25(documentCount: 4, averageLength: 100)
        // tf 3, dl 50: norm = 1.2 * (0.25 + 0.75 * 0.5) = 0.75; 1.20397 * 3 * 2.2 / 3.75
        #expect(abs(bm25.score(frequency: 3, documentFrequency: 1, length: 50) - 2.1189921356136476) < 1e-12)
        // dl = avgdl: norm = 1.2; 0.1053605 * 1 * 2.2 / 2.2
        #expect(abs(bm25.score(frequency: 1, documentFrequency: 4, length: 100) - 0.10536051565782628) < 1e-12)
    }

    @Test func searchScoresAreTheSumOverParts() throws {
        let directory = try TemporaryDirectory()
        let index = try Fixtures.index([
            ("a", "香港 香港 澳門"), ("b", "香港 廣州 廣州 廣州"), ("c", "澳門"),
        ], in: directory)
        let results = try index.search(try index.parse("香港 澳門"), limit: 10)
        #expect(results.total == 1)
        let hit = try #require(results.hits.first)
        #expect(hit.id == "a")
        // N = 3; ICU words: a = 3, b = 4, c = 1, avgdl = 8/3. 香港: df 2, tf 2; 澳门: df 2, tf 1; dl 3.
        let idf = log(1 + (3 - 2 + 0.5) / (2 + 0.5))
        let norm = 1.2 * (1 - 0.75 + 0.75 * 3 / (8.0 / 3))
        let expected = idf * 2 * 2.2 / (2 + norm) + idf * 1 * 2.2 / (1 + norm)
        #expect(abs(hit.score - expected) < 1e-12)
        #expect(hit.length == 3)
        #expect(hit.explanation.map(\.frequency) == [2, 1])
        #expect(hit.explanation.map(\.documentFrequency) == [2, 2])
    }

    @Test func tiesBreakByDocumentId() throws {
        let directory = try TemporaryDirectory()
        let index = try Fixtures.index([("c", "大橋"), ("a", "大橋"), ("b", "大橋")], in: directory)
        let results = try index.search(try index.parse("大桥"), limit: 2)
        #expect(results.total == 3)
        #expect(results.hits.map(\.id) == ["a", "b"])
    }
}
