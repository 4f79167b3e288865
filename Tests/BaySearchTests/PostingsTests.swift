@testable import BaySearch
import Foundation
import Testing

/// Postings lists long enough to need the positions' skip table, read back in any order,
/// with deletions and through a merge, against positions taken from the tokenizer alone.
@Suite struct PostingsTests {
    /// 300 documents (more than four skip blocks); document `d` holds 桥 `d % 5` times
    /// (none when 0), after fillers whose length varies, so frequencies, position deltas
    /// and block lengths all vary. 桥 always ends its run of ideographs, so that it is
    /// indexed as itself, not within a bigram.
    static func texts() -> [String] {
        (0..<300).map { document in
            var text = String(repeating: "港", count: document % 7)
            for occurrence in 0..<document % 5 {
                text += String(repeating: "澳", count: (document + occurrence) % 4) + "桥" + (occurrence % 2 == 0 ? "，" : " a1 ")
            }
            return text + "珠"
        }
    }

    /// 120 documents where 桥 is dense: up to 480 times each, so that skip entries come
    /// every few documents, placed by bytes of positions rather than by count.
    static func denseTexts() -> [String] {
        (0..<120).map { document in
            (0..<(document % 5) * 120).map { occurrence in occurrence % 3 == 0 ? "港桥" : "桥" }.joined(separator: "，") + "，珠"
        }
    }

    /// The positions of 桥 in each text, as the tokenizer numbers them.
    static func expectedPositions(_ texts: [String]) throws -> [[UInt32]] {
        let tokenizer = UnitTokenizer(folder: CharacterFolder())
        return try texts.map { text in
            let analyzed = try tokenizer.analyze(Array(text.utf8))
            return analyzed.units.filter { $0.ideograph == 0x6865 }.map(\.position)
        }
    }

    static func writeSegment(_ texts: [String], to path: String) throws {
        let analyzer = Analyzer()
        var writer = SegmentWriter()
        for (number, text) in texts.enumerated() {
            let source = SourceDocument(id: "d\(number)", title: "", text: Array(text.utf8), origin: "test")
            writer.add(source, analyzed: try analyzer.analyzeDocument(source.text))
        }
        try SegmentSerializer.write(writer, to: path)
    }

    /// Checks every document of `segment` holding 桥 against `expected`, in a shuffled order.
    static func check(_ segment: SegmentReader, against expected: [[UInt32]]) throws {
        let postings = try #require(try segment.postings(of: Array("桥".utf8)))
        let holding = expected.indices.filter { !expected[$0].isEmpty }
        #expect(postings.documents.map(Int.init) == holding)
        #expect(postings.frequencies == holding.map { expected[$0].count })
        var generator = SystemRandomNumberGenerator()
        for index in postings.documents.indices.shuffled(using: &generator) {
            #expect(try postings.positions(at: index) == expected[Int(postings.documents[index])])
        }
    }

    @Test func positionsOfEveryDocumentComeBackInAnyOrder() throws {
        let directory = try TemporaryDirectory()
        let texts = PostingsTests.texts()
        try PostingsTests.writeSegment(texts, to: directory.path + "/a.bay")
        try PostingsTests.check(try SegmentReader(path: directory.path + "/a.bay"), against: try PostingsTests.expectedPositions(texts))
    }

    /// A segment of `texts` in `directory` with every `interval`th document deleted from
    /// the second on, and the positions of 桥 its live documents hold.
    static func segmentDeletingEvery(
        _ interval: Int, of texts: [String], in directory: TemporaryDirectory
    ) throws -> (segment: SegmentReader, expected: [[UInt32]]) {
        try writeSegment(texts, to: directory.path + "/a.bay")
        var deleted = DeletedDocuments(documentCount: texts.count)
        var expected = try expectedPositions(texts)
        for document in stride(from: 1, to: texts.count, by: interval) {
            deleted.insert(document, wordCount: 0)
            expected[document] = []
        }
        try deleted.write(to: directory.path + "/a.del")
        return (try SegmentReader(path: directory.path + "/a.bay", deletionsPath: directory.path + "/a.del"), expected)
    }

    @Test func deletedDocumentsLeaveTheOthersPositionsIntact() throws {
        let directory = try TemporaryDirectory()
        let (segment, expected) = try PostingsTests.segmentDeletingEvery(3, of: PostingsTests.texts(), in: directory)
        try PostingsTests.check(segment, against: expected)
    }

    @Test func aMergeKeepsEveryPositionAndRenumbersPastDeletions() throws {
        let directory = try TemporaryDirectory()
        let first = PostingsTests.texts()
        let second = Array(PostingsTests.texts().reversed())
        try PostingsTests.writeSegment(first, to: directory.path + "/a.bay")
        try PostingsTests.writeSegment(second, to: directory.path + "/b.bay")
        var deleted = DeletedDocuments(documentCount: first.count)
        for document in stride(from: 0, to: first.count, by: 2) {
            deleted.insert(document, wordCount: 0)
        }
        try deleted.write(to: directory.path + "/a.del")
        _ = try SegmentMerger.merge(
            [try SegmentReader(path: directory.path + "/a.bay", deletionsPath: directory.path + "/a.del"),
             try SegmentReader(path: directory.path + "/b.bay")],
            to: directory.path + "/merged.bay")
        let kept = stride(from: 1, to: first.count, by: 2).map { first[$0] } + second
        let merged = try SegmentReader(path: directory.path + "/merged.bay")
        #expect(merged.documentCount == kept.count)
        try PostingsTests.check(merged, against: try PostingsTests.expectedPositions(kept))
    }

    /// A list's documents must ascend strictly and stay below the segment's count: a repeated
    /// or out-of-range document is damage, not a posting.
    @Test func listsWhoseDocumentsDoNotAscendAreRefused() throws {
        // documentFrequency 2; document 3 (delta 3, frequency-1 flag); then a delta; no skip entries.
        func decode(secondDelta: UInt8) throws -> [Int32] {
            let list: [UInt8] = [2, 3 << 1 | 1, secondDelta << 1 | 1, 0]
            let source = _ByteSource(path: "test")
            return try withExtendedLifetime(source) {
                try list.withUnsafeBytes { bytes in
                    var reader = _ByteReader(bytes, from: 0, to: bytes.count, source: source)
                    return try _EncodedPostingsList.decodingDocuments(&reader, documentCount: 10).documents
                }
            }
        }
        #expect(try decode(secondDelta: 2) == [3, 5])
        #expect(throws: IndexError.self) { try decode(secondDelta: 0) }
        #expect(throws: IndexError.self) { try decode(secondDelta: 7) }
    }

    /// A merge split between two threads writes the same bytes as one thread, with
    /// deletions and with segments whose terms lie all on one side of the pivot.
    /// The probe that splits a merge's terms between two threads reads each term as the
    /// segment's reader does. (It once copied a term out of a stream already freed, so the
    /// split, and with it the merged dictionary, depended on what the allocator reused.)
    @Test func aDictionaryProbeReadsEveryTermAsTheReaderDoes() throws {
        let directory = try TemporaryDirectory()
        try PostingsTests.writeSegment(try Fixtures.corpus().map(\.text), to: directory.path + "/corpus.bay")
        let segment = try SegmentReader(path: directory.path + "/corpus.bay")
        let probe = try _DictionaryProbe(segment)
        var wrong = 0
        for index in 0..<segment.termCount where try probe.term(at: index) != Array(try segment.termBytes(at: index)) {
            wrong += 1
        }
        #expect(segment.termCount > 5_000)
        #expect(wrong == 0, "\(wrong) of \(segment.termCount) terms read differently")
        for index in stride(from: 0, to: segment.termCount, by: 97) {
            #expect(try probe.firstTerm(notBelow: Array(try segment.termBytes(at: index))) == index)
        }
    }

    @Test func aMergeOnTwoThreadsWritesWhatOneThreadWrites() throws {
        let directory = try TemporaryDirectory()
        let texts = PostingsTests.texts()
        try PostingsTests.writeSegment(texts, to: directory.path + "/a.bay")
        try PostingsTests.writeSegment(Array(texts.reversed()), to: directory.path + "/b.bay")
        try PostingsTests.writeSegment(["abc def", "xyz"], to: directory.path + "/c.bay")
        var deleted = DeletedDocuments(documentCount: texts.count)
        for document in stride(from: 0, to: texts.count, by: 3) {
            deleted.insert(document, wordCount: 0)
        }
        try deleted.write(to: directory.path + "/a.del")
        func segments() throws -> [SegmentReader] {
            [try SegmentReader(path: directory.path + "/a.bay", deletionsPath: directory.path + "/a.del"),
             try SegmentReader(path: directory.path + "/b.bay"), try SegmentReader(path: directory.path + "/c.bay")]
        }
        _ = try SegmentMerger.merge(try segments(), to: directory.path + "/one.bay", twoThreadsFrom: .max)
        _ = try SegmentMerger.merge(try segments(), to: directory.path + "/two.bay", twoThreadsFrom: 0)
        let one = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/one.bay"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/two.bay")) == one)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            == ["a.bay", "a.del", "b.bay", "c.bay", "one.bay", "two.bay"])
    }

    /// Lists of a multiple of `skipInterval` documents end just where a skip entry is due,
    /// so the merge adds one where the next list starts; the others' entries are shifted.
    @Test func wholeListsCopiedByAMergeKeepTheirSkipEntriesUsable() throws {
        let directory = try TemporaryDirectory()
        let holding = PostingsTests.texts().filter { $0.contains("桥") }
        let parts = [Array(holding[0..<64]), Array(holding[64..<164]), Array(holding[100..<230])]
        var segments: [SegmentReader] = []
        for (number, part) in parts.enumerated() {
            try PostingsTests.writeSegment(part, to: directory.path + "/\(number).bay")
            segments.append(try SegmentReader(path: directory.path + "/\(number).bay"))
        }
        _ = try SegmentMerger.merge(segments, to: directory.path + "/merged.bay")
        try PostingsTests.check(
            try SegmentReader(path: directory.path + "/merged.bay"), against: try PostingsTests.expectedPositions(parts.flatMap { $0 }))
    }

    @Test func denseTermsAreReadBackThroughTheirFrequentSkipEntries() throws {
        let directory = try TemporaryDirectory()
        let texts = PostingsTests.denseTexts()
        try PostingsTests.writeSegment(texts, to: directory.path + "/a.bay")
        try PostingsTests.writeSegment(Array(texts.reversed()), to: directory.path + "/b.bay")
        try PostingsTests.check(try SegmentReader(path: directory.path + "/a.bay"), against: try PostingsTests.expectedPositions(texts))
        var deleted = DeletedDocuments(documentCount: texts.count)
        deleted.insert(7, wordCount: 0)
        try deleted.write(to: directory.path + "/a.del")
        _ = try SegmentMerger.merge(
            [try SegmentReader(path: directory.path + "/a.bay", deletionsPath: directory.path + "/a.del"),
             try SegmentReader(path: directory.path + "/b.bay")],
            to: directory.path + "/merged.bay")
        let kept = texts.enumerated().filter { $0.offset != 7 }.map(\.element) + texts.reversed()
        try PostingsTests.check(
            try SegmentReader(path: directory.path + "/merged.bay"), against: try PostingsTests.expectedPositions(kept))
    }

    /// A writer ends each list with a document whose entry it has not written yet (its
    /// frequency might still grow); a list of 65 documents needs a skip entry right there.
    /// Every list is what the encoder writes document by document.
    @Test func aWritersListsAreWhatTheEncoderWritesDocumentByDocument() throws {
        let directory = try TemporaryDirectory()
        let corpora = [Array(repeating: "港桥", count: 64), Array(repeating: "港桥", count: 65), Array(repeating: "港桥，桥", count: 129),
                       PostingsTests.texts(), PostingsTests.denseTexts()]
        for (number, texts) in corpora.enumerated() {
            let path = directory.path + "/\(number).bay"
            try PostingsTests.writeSegment(texts, to: path)
            var expected = _PostingsListEncoder()
            for (document, positions) in try PostingsTests.expectedPositions(texts).enumerated() where !positions.isEmpty {
                var deltas: [UInt8] = []
                for (index, position) in positions.enumerated() {
                    _VarInt.append(UInt64(position - (index == 0 ? 0 : positions[index - 1])), to: &deltas)
                }
                deltas.withUnsafeBytes { expected.append(document: document, frequency: positions.count, positions: $0) }
            }
            var expectedBytes = _ByteBuffer()
            expected.write(to: &expectedBytes)
            let segment = try SegmentReader(path: path)
            let cursor = try _TermCursor(segment, terms: 0..<segment.termCount)
            while !cursor.isDone, cursor.term != Array("桥".utf8) {
                try cursor.advance()
            }
            #expect(!cursor.isDone, "corpus \(number)")
            let postings = Array(try cursor.postings())
            #expect(postings == expectedBytes.array, "corpus \(number)")
        }
    }
}
