@testable import BaySearch
import Testing

/// Counting ASCII words without ICU must give exactly ICU's count.
@Suite struct ASCIIWordCounterTests {
    let segmenter: WordSegmenter
    let analyzer = Analyzer()

    init() throws {
        segmenter = try WordSegmenter()
    }

    private func counts(_ text: String) throws -> (fast: Int, icu: Int) {
        let input = try analyzer.tokenizer.analyze(Array(text.utf8), segmenterInput: true).segmenterInput
        return (try segmenter.countWords(in: input), try segmenter.countWords(in: input, takesShortcuts: false))
    }

    @Test func countsTheRulesThatJoinWords() throws {
        #expect(ASCIIWordCounter.count(Array("pm2.5 don't 1,000".utf16)[...]) == 3)
        // snake_case _x x_ __ a_ b 1 _2: `_` joins letters, digits and itself, but alone
        // is no word, and joins no `.`, `'` or `,` to what follows.
        #expect(ASCIIWordCounter.count(Array("snake_case _ _x x_ __ a_'b 1,_2".utf16)[...]) == 8)
        // a b a b 1 2 3.14 a 1 1 a a1,2 e.g x a@b: ICU 72 breaks at a colon and counts @ as a letter.
        #expect(ASCIIWordCounter.count(Array("a:b a::b 1:2 3.14 a.1 1.a a1,2 e.g. x' a@b".utf16)[...]) == 15)
        for text in ["pm2.5 don't 1,000", "a:b a::b 1:2 3.14 a.1 1.a a1,2 e.g. x' a@b", "snake_case _x x_", "snake_case _ _x x_ __ a_'b 1,_2 _.a a._ 3.1_4", "a \u{301}b", "CEPA框架 2020年"] {
            let (fast, icu) = try counts(text)
            #expect(fast == icu, "\(text.debugDescription): \(fast) vs ICU \(icu)")
        }
    }

    @Test func generatedTextCountsLikeICU() throws {
        var generator = OracleTests.Generator(state: 72)
        // Every printable ASCII character, weighted towards letters, digits and the joiners,
        // and the non-ASCII characters that meet ASCII at a span's edge.
        let printable = (0x20...0x7E).map { String(UnicodeScalar(UInt8($0))) }
        let alphabet = printable + ["a", "b", "Z", "0", "7", ".", ",", ";", "'", " ", " ", "\n",
                                    "é", "中", "橋", "\u{301}", "\u{200D}", "\u{FE0F}", "\u{AD}", "ｱ", "１"]
        var mismatches: [String] = []
        for _ in 0..<10_000 {
            let length = Int.random(in: 1...24, using: &generator)
            let text = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }.joined()
            let (fast, icu) = try counts(text)
            if fast != icu {
                mismatches.append("\(text.debugDescription): \(fast) vs \(icu)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
    }

    @Test func corpusCountsLikeICU() throws {
        for document in try Fixtures.corpus() + OracleTests.extraDocuments {
            let (fast, icu) = try counts(document.text)
            #expect(fast == icu, "\(document.id)")
        }
    }
}
