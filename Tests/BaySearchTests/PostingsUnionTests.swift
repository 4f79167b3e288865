@testable import BaySearch
import Testing

/// An ideograph is indexed within the bigram it starts, or as itself where its run ends;
/// the union of the terms it begins gives back every place it stands.
@Suite struct PostingsUnionTests {
    /// 300 documents holding 桥 `d % 6` times, each time in another context: starting a
    /// bigram, ending a run before punctuation, Latin or the end of the text, after a line
    /// break inside a word, and alone.
    static func texts() -> [String] {
        let contexts = ["港珠澳大桥，", "桥梁 ", "桥\n\n港", "a桥b", "大桥", "桥"]
        return (0..<300).map { document in
            (0..<document % 6).map { occurrence in
                String(repeating: "澳", count: (document + occurrence) % 3) + contexts[(document + occurrence) % contexts.count]
            }.joined(separator: document % 2 == 0 ? " x " : "")
        }
    }

    /// The union of 桥 in `segment`, its members tabled at once or searched for (for the
    /// first `_PostingsUnion.searchesBeforeTable` documents asked about).
    static func unions(_ segment: SegmentReader) throws -> [_PostingsUnion] {
        let lists = try segment.postingsRanges(startingWith: Array("桥".utf8))
        return try [Int.max, 0].map { try _PostingsUnion(segment, lists: lists, entriesTabledAtOnce: $0) }
    }

    static func check(_ unions: [_PostingsUnion], against expected: [[UInt32]]) throws {
        for union in unions {
            try check(union, against: expected)
        }
    }

    static func check(_ union: _PostingsUnion, against expected: [[UInt32]]) throws {
        let holding = expected.indices.filter { !expected[$0].isEmpty }
        #expect(union.documents.map(Int.init) == holding)
        #expect(union.frequencies == holding.map { expected[$0].count })
        var generator = SystemRandomNumberGenerator()
        for index in union.documents.indices.shuffled(using: &generator) {
            let positions = expected[Int(union.documents[index])]
            #expect(try union.positions(at: index) == positions)
            // Every start up to the last position: kept where the offset lands on one.
            var starts = Array(0...positions[positions.count - 1])
            try union.keep(&starts, where: 1, at: index)
            #expect(starts == positions.filter { $0 > 0 }.map { $0 - 1 })
            // Starts picked at random, and a reach of up to 3.
            let reach = UInt32.random(in: 1...3, using: &generator)
            var picked = (0...positions[positions.count - 1] + 2).filter { _ in Bool.random(using: &generator) }
            let kept = picked.filter { positions.contains($0 + reach) }
            try union.keep(&picked, where: reach, at: index)
            #expect(picked == kept)
            // Few starts spread over the document: one before each position, and one two before.
            var near = Set(positions.filter { $0 > 1 }.flatMap { [$0 - 2, $0 - 1] }).sorted()
            let nearKept = near.filter { positions.contains($0 + 1) }
            try union.keep(&near, where: 1, at: index)
            #expect(near == nearKept)
        }
    }

    @Test func theUnionHoldsEveryPlaceTheIdeographStands() throws {
        let directory = try TemporaryDirectory()
        let texts = PostingsUnionTests.texts()
        try PostingsTests.writeSegment(texts, to: directory.path + "/a.bay")
        let segment = try SegmentReader(path: directory.path + "/a.bay")
        // The union spans 桥 itself, 桥梁, 桥港 (across the line break) and the bigrams
        // where one context runs into the next.
        #expect(try segment.postingsRanges(startingWith: Array("桥".utf8)).count >= 3)
        try PostingsUnionTests.check(try PostingsUnionTests.unions(segment), against: try PostingsTests.expectedPositions(texts))
    }

    /// A union of few entries in a segment of many documents is grouped by sorting, not by
    /// counting over every document.
    @Test func aRareIdeographInManyDocuments() throws {
        let directory = try TemporaryDirectory()
        let texts = PostingsUnionTests.texts().enumerated().map { $0.offset % 50 == 9 ? $0.element : "港珠澳 a1 \($0.offset)" }
        let (segment, expected) = try PostingsTests.segmentDeletingEvery(6, of: texts, in: directory)
        let unions = try PostingsUnionTests.unions(segment)
        #expect(unions[0].frequencies.reduce(0, +) * 16 < segment.documentCount)
        try PostingsUnionTests.check(unions, against: expected)
    }

    /// Starts far apart in a long document, whose span is long beside the positions
    /// asked about: `keep` sorts and merges them instead of marking the span.
    @Test func startsFarApartInALongDocument() throws {
        let directory = try TemporaryDirectory()
        let filler = String(repeating: "x ", count: 20_000)
        let texts = ["大桥" + filler + "桥梁" + filler + "桥" + filler + "a桥b", "桥"]
        try PostingsTests.writeSegment(texts, to: directory.path + "/a.bay")
        let segment = try SegmentReader(path: directory.path + "/a.bay")
        try PostingsUnionTests.check(try PostingsUnionTests.unions(segment), against: try PostingsTests.expectedPositions(texts))
    }

    @Test func deletedDocumentsLeaveTheUnion() throws {
        let directory = try TemporaryDirectory()
        let (segment, expected) = try PostingsTests.segmentDeletingEvery(4, of: PostingsUnionTests.texts(), in: directory)
        try PostingsUnionTests.check(try PostingsUnionTests.unions(segment), against: expected)
    }

    /// Every term beginning with a prefix, and no other, wherever the prefix falls among
    /// the dictionary's blocks: before the first term, inside and across blocks, past the last.
    @Test func prefixesFindExactlyTheTermsTheyBegin() throws {
        let directory = try TemporaryDirectory()
        let texts = PostingsUnionTests.texts() + ["甲乙 甲丙 甲丁 甲 乙甲 zzz zz z abc ab"]
        try PostingsTests.writeSegment(texts, to: directory.path + "/a.bay")
        let segment = try SegmentReader(path: directory.path + "/a.bay")
        let terms = try (0..<segment.termCount).map { try segment.termBytes(at: $0) }
        #expect(terms.count > SegmentFormat.termsPerBlock)
        let prefixes = [[], [0], [0x30], Array("a".utf8), Array("ab".utf8), Array("z".utf8), Array("zzzz".utf8), [0xFF]]
            + ["甲", "乙", "桥", "澳", "港"].map { Array($0.utf8) } + terms.map { Array($0) }
        for prefix in prefixes {
            let expected = try terms.indices.filter { terms[$0].starts(with: prefix) }.map { index in
                try segment.postings(at: index).documents
            }
            let found = try segment.postingsRanges(startingWith: prefix).map { try segment.postings(inFile: $0).documents }
            #expect(found == expected, "\(prefix)")
        }
    }
}
