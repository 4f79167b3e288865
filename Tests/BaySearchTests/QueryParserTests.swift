@testable import BaySearch
import Testing

@Suite struct QueryParserTests {
    let analyzer: Analyzer

    init() throws {
        analyzer = Analyzer()
    }

    private func parse(_ text: String) throws -> Query {
        try QueryParser.parse(text, analyzer: analyzer)
    }

    @Test func partsAreANDedAndORMakesAlternatives() throws {
        let query = try parse("港珠澳大桥 CEPA OR 框架 -澳門")
        #expect(query.groups.map { $0.map(\.text) } == [["港珠澳大桥"], ["CEPA", "框架"]])
        #expect(query.exclusions.map(\.text) == ["澳門"])
        #expect(try parse("香港 -澳門 -澳门 -澳門").exclusions.map(\.text) == ["澳門"])
    }

    @Test func quotesMakeOnePhraseAcrossSpaces() throws {
        let query = try parse(#""香港 青年" "hello world""#)
        #expect(query.groups.count == 2)
        #expect(query.groups[0][0].units.map(\.offset) == [0, 1, 2, 3])
        #expect(query.groups[1][0].units.map(\.offset) == [0, 1])
    }

    @Test func punctuationInsideAPartIsAGap() throws {
        let query = try parse("香港，青年")
        #expect(query.groups[0][0].units.map(\.offset) == [0, 1, 2, 3, 4])
        #expect(query.groups[0][0].units[2].term == boundaryTerm)
        #expect(query.groups[0][0].span == 4)
    }

    @Test func punctuationOnlyPartsAreDropped() throws {
        let query = try parse("港珠澳 ， -")
        #expect(query.groups.map { $0.map(\.text) } == [["港珠澳"]])
    }

    @Test func lowercaseOrIsAWord() throws {
        #expect(try parse("this or that").groups.count == 3)
    }

    @Test func badQueriesThrowClearErrors() {
        #expect(throws: QueryError.empty) { try parse("") }
        #expect(throws: QueryError.empty) { try parse("   \n ") }
        #expect(throws: QueryError.unbalancedQuote) { try parse(#""港珠澳"#) }
        #expect(throws: QueryError.nothingToSearch("，。！")) { try parse("，。！") }
        #expect(throws: QueryError.onlyExclusions) { try parse("-香港 -澳門") }
        #expect(throws: QueryError.misplacedOr) { try parse("OR") }
        #expect(throws: QueryError.misplacedOr) { try parse("香港 OR") }
        #expect(throws: QueryError.misplacedOr) { try parse("OR 香港") }
        #expect(throws: QueryError.misplacedOr) { try parse("香港 OR OR 澳門") }
        #expect(throws: QueryError.misplacedOr) { try parse("香港 OR -澳門") }
    }

    @Test func controlCharactersAndHugeQueriesDoNotCrash() throws {
        #expect(try parse("港\u{0}珠\u{7}澳").groups.count == 1)
        let long = String(repeating: "港珠澳大橋 ", count: 20_000)
        #expect(try parse(long).groups.count == 20_000)
    }

    @Test func splittingIntoWordsUsesICU() throws {
        let split = try QueryParser.splitIntoWords(try parse("港珠澳大桥通车"), analyzer: analyzer)
        // ICU's dictionary keeps 通车 whole but splits the folded 大桥.
        #expect(split?.groups.map { $0.map(\.text) } == [["港"], ["珠"], ["澳"], ["大"], ["桥"], ["通车"]])
        #expect(try QueryParser.splitIntoWords(try parse("通車"), analyzer: analyzer) == nil)
    }
}
