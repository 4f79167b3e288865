import BaySearch
import Testing

/// The matching rules, each on a small index built for it.
@Suite struct MatchingTests {
    static let documents: [(id: String, text: String)] = [
        ("trad", "研究完善港珠澳大橋跨境車輛通行政策。粵港澳大灣區建設。"),
        ("simp", "加快推进港珠澳大桥建设，粤港澳大湾区。"),
        ("broken", "推進港珠\n\n澳大\n橋工程，保\n\n障供水"),
        ("latin", "以深入實施 CEPA 為基礎，ＣＥＰＡ框架；CEPAX 不算。2020 年 PM2.5"),
        ("punct", "香港，青年發展"),
        ("youth", "香港青年發展"),
        ("toolbar", "工具栏选项；工具-选项"),
        ("toolbar2", "工具栏选项"),
        ("rare", "𨨏字與𠀀字"),
        ("empty", ""),
        ("checkpoints", String(repeating: "粵港合作", count: 10) + "⑴港珠澳大橋" + String(repeating: "粵港", count: 20)
            + "a㋀港珠澳大橋" + String(repeating: "合作", count: 20) + "x½港珠澳大橋"),
    ]

    let directory: TemporaryDirectory
    let index: SearchIndex

    init() throws {
        directory = try TemporaryDirectory()
        index = try Fixtures.index(MatchingTests.documents, in: directory)
    }

    private func ids(_ query: String) throws -> Set<String> {
        Set(try Fixtures.matches(query, in: index).keys)
    }

    private func originals(_ query: String, in id: String) throws -> [String] {
        let text = Array(try #require(MatchingTests.documents.first { $0.id == id }).text.utf8)
        return (try Fixtures.matches(query, in: index)[id] ?? []).map { String(decoding: text[$0], as: UTF8.self) }
    }

    @Test func crossScriptFormsFindTheSameDocuments() throws {
        let expected: Set = ["trad", "simp", "broken", "checkpoints"]
        #expect(try ids("港珠澳大橋") == expected)
        #expect(try ids("港珠澳大桥") == expected)
        #expect(try ids("港珠澳大桥") == ids("港珠澳大橋"))
        #expect(try ids("粤港澳大灣區") == ["trad", "simp"])
    }

    @Test func highlightsShowTheOriginalScript() throws {
        #expect(try originals("港珠澳大桥", in: "trad") == ["港珠澳大橋"])
        #expect(try originals("港珠澳大橋", in: "simp") == ["港珠澳大桥"])
    }

    @Test func phrasesMatchAcrossLineBreaks() throws {
        #expect(try originals("港珠澳大橋", in: "broken") == ["港珠\n\n澳大\n橋"])
        #expect(try ids("保障") == ["broken"])
    }

    @Test func oneCharacterAndInsideWordQueriesMatch() throws {
        #expect(try ids("橋") == ["trad", "simp", "broken", "checkpoints"])
        #expect(try originals("橋", in: "trad") == ["橋"])
        #expect(try ids("大橋") == ["trad", "simp", "broken", "checkpoints"])
        #expect(try ids("珠澳大") == ["trad", "simp", "broken", "checkpoints"])
        #expect(try ids("澳大") == ["trad", "simp", "broken", "checkpoints"])
    }

    @Test func latinMatchesWholeTokensIgnoringCaseAndWidth() throws {
        #expect(try originals("CEPA", in: "latin") == ["CEPA", "ＣＥＰＡ"])
        #expect(try originals("cepa", in: "latin") == ["CEPA", "ＣＥＰＡ"])
        #expect(try originals("ｃｅｐａ框架", in: "latin") == ["ＣＥＰＡ框架"])
        #expect(try ids("CEP").isEmpty)
        #expect(try originals("CEPAX", in: "latin") == ["CEPAX"])
        #expect(try originals("2020年", in: "latin") == ["2020 年"])
        #expect(try originals("PM2.5", in: "latin") == ["PM2.5"])
    }

    @Test func punctuationIsABoundary() throws {
        #expect(try ids("香港青年") == ["youth"])
        #expect(try ids("香港，青年") == ["punct"])
        #expect(try ids("香港 青年") == ["punct", "youth"])
        // Punctuation in a query matches punctuation there, never another unit.
        #expect(try ids("工具-选项") == ["toolbar"])
        #expect(try originals("工具-选项", in: "toolbar") == ["工具-选项"])
        #expect(try ids("工具，选项") == ["toolbar"])
    }

    @Test func offsetsAreExactAfterCharactersThatExpand() throws {
        #expect(try originals("港珠澳大桥", in: "checkpoints") == ["港珠澳大橋", "港珠澳大橋", "港珠澳大橋"])
    }

    @Test func nonBMPCharactersSurvive() throws {
        #expect(try originals("𨨏", in: "rare") == ["𨨏"])
        #expect(try originals("𨨏字", in: "rare") == ["𨨏字"])
        #expect(try ids("𠀀") == ["rare"])
    }

    @Test func exclusionsAndAlternatives() throws {
        #expect(try ids("港珠澳大橋 -粵港澳") == ["broken", "checkpoints"])
        #expect(try ids("CEPA OR 青年") == ["latin", "punct", "youth"])
        #expect(try ids("發展 -\"香港，青年\"") == ["youth"])
    }

    @Test func totalIsNeverLimited() throws {
        let results = try index.search(try index.parse("港"), limit: 1)
        #expect(results.total == 6)
        #expect(results.hits.count == 1)
    }

    @Test func nothingFoundIsAnEmptyResult() throws {
        let results = try index.search(try index.parse("不存在的詞"), limit: 10)
        #expect(results.total == 0)
        #expect(results.hits.isEmpty)
    }
}
