@testable import BaySearch
import CICU
import Testing

/// Counting runs of ideographs on ICU's dictionary, without its break iterator, must give
/// exactly ICU's count. (With an ICU other than 72 there is no counter and ICU counts alone.)
@Suite(.enabled(if: IdeographRunCounter() != nil)) struct IdeographRunCounterTests {
    let segmenter: WordSegmenter
    let counter: IdeographRunCounter
    let analyzer = Analyzer()

    init() throws {
        segmenter = try WordSegmenter()
        counter = try #require(IdeographRunCounter())
    }

    private func segmenterInput(_ text: String) throws -> [UInt16] {
        try analyzer.tokenizer.analyze(Array(text.utf8), segmenterInput: true).segmenterInput
    }

    private func icuCount(_ text: [UInt16]) throws -> Int {
        try segmenter.countWords(in: text, takesShortcuts: false)
    }

    @Test func aRunICUBreaksAroundIsCountedAndReplacedByASpace() throws {
        var rest: [UInt16] = []
        let words = counter.countRuns(in: Array("港珠澳大桥通车。".utf16), rest: &rest)
        #expect(words == (try icuCount(Array("港珠澳大桥通车".utf16))))
        #expect(words == 6)
        #expect(String(decoding: rest, as: UTF16.self) == " 。")

        // 厮 is no word alone in ICU's dictionary, only the start of 厮守 and 厮混: the cost
        // of an unknown character decides between one word and two.
        for text in ["厮守", "厮混乱", "偸安"] {
            #expect(counter.countRuns(in: Array(text.utf16), rest: &rest) == (try icuCount(Array(text.utf16))), "\(text)")
        }

        let mixed = counter.countRuns(in: Array("CEPA框架 2020年“粤港澳大湾区”".utf16), rest: &rest)
        #expect(mixed == (try icuCount(Array("框架".utf16))) + (try icuCount(Array("年".utf16))) + (try icuCount(Array("粤港澳大湾区".utf16))))
        #expect(String(decoding: rest, as: UTF16.self) == "CEPA  2020 “ ”")
    }

    @Test func aTextOfIdeographsAndASCIIIsCountedInOnePass() throws {
        for text in ["港珠澳大桥通车。", "CEPA框架 2020年“粤港澳大湾区”", "a.中 3,14厮守x", "", "。", "abc", "中文_x", "x_中__文"] {
            let input = Array(text.utf16)
            #expect(counter.countWords(in: input) == (try icuCount(input)), "\(text)")
        }
        // Anything else (kana, a mark, an ideograph outside the BMP) is left to the passes
        // that hand it to ICU.
        for text in ["かな中文", "中文\u{301}", "𠀀中文", "é"] {
            #expect(counter.countWords(in: Array(text.utf16)) == nil, "\(text.debugDescription)")
        }
    }

    @Test func runsNextToWhatICUMayJoinStayForICU() throws {
        // Kana joins ideographs in ICU's dictionary runs, a combining mark or ZWJ attaches to
        // the ideograph, ’ joins words by rules of its own, and an ideograph outside the BMP
        // is not one the counter takes.
        for text in ["かな中文", "中文カナ", "中文\u{301}", "中文\u{200D}", "中文’s", "𠀀中文", "中文𠀀", "한중문"] {
            var rest: [UInt16] = []
            let words = counter.countRuns(in: Array(text.utf16), rest: &rest)
            #expect(words == 0, "\(text.debugDescription)")
            #expect(rest == Array(text.utf16), "\(text.debugDescription)")
        }
    }

    @Test func theCounterRefusesAnythingButARunOfIdeographs() throws {
        let counter = try #require(bay_ideograph_counter_open())
        defer { bay_ideograph_counter_close(counter) }
        for (text, expected) in [("", 0), ("a", -1), ("中a", -1), ("中。", -1), ("中", 1)] {
            let units = Array(text.utf16)
            #expect(bay_ideograph_counter_count(counter, units, Int32(units.count)) == expected, "\(text)")
        }
    }

    /// Every maximal run of ideographs in the corpora, alone, as ICU counts it alone.
    @Test func everyRunOfTheCorpusCountsAsICUCountsIt() throws {
        var runs = Set<[UInt16]>()
        for document in try Fixtures.corpus() + OracleTests.extraDocuments {
            let input = try segmenterInput(document.text)
            var index = 0
            while index < input.count {
                let start = index
                while index < input.count, (0x4E00...0x9FFF).contains(input[index]) || (0x3400...0x4DBF).contains(input[index]) {
                    index += 1
                }
                if start < index {
                    runs.insert(Array(input[start..<index]))
                } else {
                    index += 1
                }
            }
        }
        #expect(runs.count > 1_000)
        #expect(runs.contains { $0.count > 40 })
        let counter = try #require(bay_ideograph_counter_open())
        defer { bay_ideograph_counter_close(counter) }
        var mismatches: [String] = []
        for run in runs {
            let counted = run.withUnsafeBufferPointer { bay_ideograph_counter_count(counter, $0.baseAddress, Int32($0.count)) }
            let icu = try icuCount(run)
            if Int(counted) != icu {
                mismatches.append("\(String(decoding: run, as: UTF16.self)): \(counted) vs ICU \(icu)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(runs.count) runs differ, first: \(mismatches.prefix(3))")
    }

    @Test func generatedTextCountsLikeICU() throws {
        var generator = OracleTests.Generator(state: 4_002)
        // Dictionary words that overlap (港澳, 澳大, 大桥 …), single ideographs and extension A,
        // and what may stand next to a run: kana, Hangul, CJK and ASCII punctuation, marks,
        // ZWJ, an emoji, an ideograph outside the BMP, letters, digits and `_`.
        let alphabet = ["港珠澳大桥", "粤港澳大湾区", "大湾", "委员会", "合作", "发展", "香港", "广东省", "经济", "的", "和",
                        "一", "国", "厮", "守", "混", "㐀", "䶿", "鿿", "〇", "々", "の", "カ", "ー", "한", "。", "、", "“", "”", "《", "》",
                        "—", "…", "•", "‘", "’", "·", ",", ".", ":", "'", "_", " ", "\n", "a", "Z", "7", "\u{301}",
                        "\u{200D}", "😀", "𠀀"]
        var mismatches: [String] = []
        for _ in 0..<5_000 {
            let length = Int.random(in: 1...16, using: &generator)
            let text = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }.joined()
            let input = try segmenterInput(text)
            let (fast, icu) = (try segmenter.countWords(in: input), try icuCount(input))
            if fast != icu {
                mismatches.append("\(text.debugDescription): \(fast) vs \(icu)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
    }
}
