@testable import BaySearch
import Foundation
import Testing

/// Writers joined into one segment (how a build's workers end) against the same writers
/// written apart and merged: the files must be the same, byte for byte.
@Suite struct WriterJoinTests {
    static func writer(_ texts: [String], idPrefix: String) throws -> SegmentWriter {
        let analyzer = Analyzer()
        var writer = SegmentWriter()
        for (number, text) in texts.enumerated() {
            let source = SourceDocument(id: "\(idPrefix)\(number)", title: "t\(number)", text: Array(text.utf8), origin: "test")
            writer.add(source, analyzed: try analyzer.analyzeDocument(source.text))
        }
        return writer
    }

    static func bytes(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// Each writer's texts: sparse and dense lists, lists of exactly `skipInterval`
    /// documents (a skip entry falls due where the next writer's list starts), and terms
    /// only one writer holds, in the first, a middle and the last writer, some sharing
    /// their first eight bytes.
    static func writerTexts() -> [[String]] {
        let holding = PostingsTests.texts().filter { $0.contains("桥") }
        return [
            PostingsTests.texts(), Array(holding[0..<64]), PostingsTests.denseTexts(), ["abc def 甲乙", "xyz abcdefgh1 abcdefghij"],
            Array(PostingsTests.texts().reversed()), Array(holding[100..<230]) + ["丙丁 zzz abcdefgh2 abcdefghij abcdefgh"],
        ]
    }

    @Test func joinedWritersWriteWhatAMergeOfTheirSegmentsWrites() throws {
        let directory = try TemporaryDirectory()
        let texts = WriterJoinTests.writerTexts()
        var parts: [SegmentSerializer.Part] = []
        var segments: [SegmentReader] = []
        for (number, writerTexts) in texts.enumerated() {
            let writer = try WriterJoinTests.writer(writerTexts, idPrefix: "w\(number)-")
            parts.append(SegmentSerializer.Part(writer))
            try SegmentSerializer.write(writer, to: directory.path + "/\(number).bay")
            segments.append(try SegmentReader(path: directory.path + "/\(number).bay"))
        }
        _ = try SegmentMerger.merge(segments, to: directory.path + "/merged.bay", twoThreadsFrom: .max)
        try SegmentSerializer.write(parts, to: directory.path + "/joined.bay", twoThreadsFrom: .max)
        try SegmentSerializer.write(parts, to: directory.path + "/joined-two.bay", twoThreadsFrom: 0)
        let merged = try WriterJoinTests.bytes(directory.path + "/merged.bay")
        #expect(try WriterJoinTests.bytes(directory.path + "/joined.bay") == merged)
        #expect(try WriterJoinTests.bytes(directory.path + "/joined-two.bay") == merged)
        let joined = try SegmentReader(path: directory.path + "/joined.bay")
        #expect(joined.documentCount == texts.reduce(0) { $0 + $1.count })
        try PostingsTests.check(joined, against: try PostingsTests.expectedPositions(texts.flatMap { $0 }))
        // The spill file of the second thread is gone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func oneWriterWritesTheSameOnTwoThreads() throws {
        let directory = try TemporaryDirectory()
        let part = SegmentSerializer.Part(try WriterJoinTests.writer(PostingsTests.texts(), idPrefix: "d"))
        try SegmentSerializer.write([part], to: directory.path + "/one.bay", twoThreadsFrom: .max)
        try SegmentSerializer.write([part], to: directory.path + "/two.bay", twoThreadsFrom: 0)
        #expect(try WriterJoinTests.bytes(directory.path + "/two.bay") == WriterJoinTests.bytes(directory.path + "/one.bay"))
        try PostingsTests.check(
            try SegmentReader(path: directory.path + "/two.bay"), against: try PostingsTests.expectedPositions(PostingsTests.texts()))
    }

    @Test func joinsStopAtTheLimits() {
        let parts = [(bytes: 10, documents: 1), (bytes: 10, documents: 1), (bytes: 30, documents: 1), (bytes: 5, documents: 5)]
        #expect(IndexBuilder.joinGroups(parts, byteLimit: 25, documentLimit: 100) == [0..<2, 2..<3, 3..<4])
        #expect(IndexBuilder.joinGroups(parts, byteLimit: 1000, documentLimit: 100) == [0..<4])
        #expect(IndexBuilder.joinGroups(parts, byteLimit: 1000, documentLimit: 6) == [0..<3, 3..<4])
        #expect(IndexBuilder.joinGroups([], byteLimit: 1, documentLimit: 1).isEmpty)
    }

    @Test func aBuildsWorkersEndInOneSegmentWithoutMerging() throws {
        let documents = try Fixtures.corpus() + OracleTests.extraDocuments
        let directory = try TemporaryDirectory()
        let single = try Fixtures.index(documents, in: directory, workers: 1)
        var reports: [IndexBuilder.Progress] = []
        try IndexBuilder(workerCount: 2).build(
            sources: [directory.path + "/docs.jsonl"], into: directory.path + "/two", progress: { reports.append($0) })
        #expect(try IndexDirectory(path: directory.path + "/two").readManifest().segments.count == 1)
        #expect(reports.allSatisfy { $0.segmentsMerging == 0 })
        try Fixtures.expectSameAnswers(try SearchIndex(path: directory.path + "/two"), single, for: Fixtures.sampleQueries)
    }
}
