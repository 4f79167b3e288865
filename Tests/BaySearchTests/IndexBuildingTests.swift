@testable import BaySearch
import Foundation
import Testing

/// Sources, skipped input, segments and commits.
@Suite struct IndexBuildingTests {
    @Test func directorySourcesUseRelativePathsAndFirstLinesAsTitles() throws {
        let directory = try TemporaryDirectory()
        try directory.write("docs/a.txt", "\n\n# 港珠澳大橋\n正文")
        try directory.write("docs/sub/b.md", "標題\n港珠澳大桥")
        try directory.write("docs/ignored.pdf", "港珠澳大橋")
        try IndexBuilder().build(sources: [directory.path + "/docs"], into: directory.path + "/index")
        let index = try SearchIndex(path: directory.path + "/index")
        let hits = try index.search(try index.parse("港珠澳大橋"), limit: 10).hits
        #expect(Set(hits.map(\.id)) == ["a.txt", "sub/b.md"])
        #expect(Set(hits.map(\.title)) == ["港珠澳大橋", "標題"])
    }

    @Test func storedTextsComeBackExactlyCompressedOrNot() throws {
        let long = String(repeating: "粵港合作聯席會議第二十一次工作會議。\n", count: 200) + "港珠澳大橋"
        let documents = [("long", long), ("short", "港珠澳大橋"), ("empty", "")]
        let directory = try TemporaryDirectory()
        let index = try Fixtures.index(documents, in: directory)
        let hits = try index.search(try index.parse("港珠澳大桥"), limit: 10).hits
        #expect(Set(hits.map(\.id)) == ["long", "short"])
        for hit in hits {
            let original = try #require(documents.first { $0.0 == hit.id }).1
            #expect(hit.text == Array(original.utf8))
        }
        #expect(index.storageSize.documents < long.utf8.count / 2)
    }

    @Test func linksToFilesAreFollowedAndLoopsSkipped() throws {
        let directory = try TemporaryDirectory()
        let target = try directory.write("elsewhere/real.txt", "港珠澳大橋")
        try directory.write("docs/plain.txt", "粵港合作")
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/docs/link.txt", withDestinationPath: target)
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/docs/loop.txt", withDestinationPath: directory.path + "/docs/loop.txt")
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/docs/up", withDestinationPath: directory.path + "/docs")
        let warnings = _Warnings()
        try IndexBuilder().build(sources: [directory.path + "/docs"], into: directory.path + "/index", warn: { warnings.append($0) })
        let index = try SearchIndex(path: directory.path + "/index")
        #expect(index.documentCount == 2)
        #expect(try index.search(try index.parse("港珠澳大桥"), limit: 10).hits.map(\.id) == ["link.txt"])
        #expect(warnings.lines.contains { $0.contains("loop.txt") })
    }

    @Test func singleFilesUseTheirNames() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("one.txt", "粵港合作")
        try IndexBuilder().build(sources: [file], into: directory.path + "/index")
        let index = try SearchIndex(path: directory.path + "/index")
        #expect(try index.search(try index.parse("粤港"), limit: 10).hits.map(\.id) == ["one.txt"])
    }

    @Test func badFilesAndLinesAreReportedAndSkipped() throws {
        let directory = try TemporaryDirectory()
        try directory.write("docs/good.txt", "港珠澳")
        try directory.write("docs/bad.txt", Data([0xE6, 0xB8, 0xAF, 0xFF, 0x41]))
        try directory.write("docs/empty.txt", "")
        let jsonl = try directory.write("more.jsonl", """
            {"id": "j1", "title": "T", "text": "港珠澳"}
            not json
            {"id": "j2"}
            [1, 2]

            {"id": "good.txt", "text": "duplicate id"}
            """)
        let warnings = _Warnings()
        let summary = try IndexBuilder().build(
            sources: [directory.path + "/docs", jsonl], into: directory.path + "/index", warn: { warnings.append($0) })
        let lines = warnings.lines
        #expect(lines.contains { $0.hasSuffix("bad.txt: invalid UTF-8 at byte 3; skipped") })
        #expect(lines.contains { $0.hasSuffix("more.jsonl:2: not a JSON object with string fields \"id\" and \"text\"; skipped") })
        #expect(lines.contains { $0.contains("more.jsonl:3:") })
        #expect(lines.contains { $0.contains("more.jsonl:4:") })
        #expect(lines.contains { $0.contains("duplicate id good.txt") })
        #expect(summary.documentsIndexed == 3)
        // Read: 3 indexed, bad.txt, three bad lines and the duplicate; all but 3 skipped.
        #expect(summary.documentsRead == 8)
        #expect(summary.documentsSkipped == 5)
        let index = try SearchIndex(path: directory.path + "/index")
        #expect(index.documentCount == 3)
        #expect(Set(try index.search(try index.parse("港珠澳"), limit: 10).hits.map(\.id)) == ["good.txt", "j1"])
    }

    @Test func missingOrUnsupportedSourcesFailAndKeepTheOldIndex() throws {
        let directory = try TemporaryDirectory()
        let indexPath = directory.path + "/index"
        try IndexBuilder().build(sources: [try directory.write("a.txt", "香港")], into: indexPath)
        #expect(throws: SourceError.missing(path: directory.path + "/nope")) {
            try IndexBuilder().build(sources: [directory.path + "/nope"], into: indexPath)
        }
        let pdf = try directory.write("x.pdf", "")
        #expect(throws: SourceError.unsupported(path: pdf)) {
            try IndexBuilder().build(sources: [pdf], into: indexPath)
        }
        let index = try SearchIndex(path: indexPath)
        #expect(try index.search(try index.parse("香港"), limit: 10).hits.map(\.id) == ["a.txt"])
        let files = try FileManager.default.contentsOfDirectory(atPath: indexPath).filter { $0.hasPrefix("seg-") }
        #expect(files.count == 1)
    }

    @Test func aFailedBuildNeverDeletesTheIndexItCouldNotRead() throws {
        let directory = try TemporaryDirectory()
        let indexPath = directory.path + "/index"
        try IndexBuilder().build(sources: [try directory.write("a.txt", "香港")], into: indexPath)
        let segments = try IndexDirectory(path: indexPath).readManifest().files
        // A manifest from a newer BaySearch: refused, nothing deleted.
        let manifest = indexPath + "/" + IndexDirectory.manifestName
        let original = try String(contentsOfFile: manifest, encoding: .utf8)
        let newer = Int(SegmentFormat.version) + 1
        try original.replacingOccurrences(of: "\"format\" : \(SegmentFormat.version)", with: "\"format\" : \(newer)")
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        #expect(throws: IndexError.newerFormat(path: manifest, version: newer)) {
            try IndexBuilder().build(sources: [directory.path + "/a.txt"], into: indexPath)
        }
        // A damaged manifest and a failing build: the old segments stay.
        try "not json".write(toFile: manifest, atomically: true, encoding: .utf8)
        #expect(throws: SourceError.self) {
            try IndexBuilder().build(sources: [directory.path + "/missing"], into: indexPath)
        }
        for segment in segments {
            #expect(FileManager.default.fileExists(atPath: indexPath + "/" + segment))
        }
        // A successful build over the damaged manifest replaces everything.
        try IndexBuilder().build(sources: [directory.path + "/a.txt"], into: indexPath)
        let index = try SearchIndex(path: indexPath)
        #expect(try index.search(try index.parse("香港"), limit: 10).total == 1)
        for segment in segments {
            #expect(!FileManager.default.fileExists(atPath: indexPath + "/" + segment))
        }
    }

    @Test func buildingFromOtherSourcesRemovesWhatNoSourceHolds() throws {
        let directory = try TemporaryDirectory()
        let indexPath = directory.path + "/index"
        try IndexBuilder().build(sources: [try directory.write("a.txt", "香港")], into: indexPath)
        let summary = try IndexBuilder().build(sources: [try directory.write("b.txt", "澳門")], into: indexPath)
        #expect(summary.documentsRemoved == 1)
        let index = try SearchIndex(path: indexPath)
        #expect(try index.search(try index.parse("香港"), limit: 10).total == 0)
        #expect(try index.search(try index.parse("澳门"), limit: 10).hits.map(\.id) == ["b.txt"])
        let manifest = try IndexDirectory(path: indexPath).readManifest()
        #expect(manifest.generation == 2)
        let files = try FileManager.default.contentsOfDirectory(atPath: indexPath).filter { $0.hasPrefix("seg-") }
        #expect(Set(files) == manifest.files)
    }

    @Test func workersShareTheDefaultFlushBudget() {
        #expect(IndexBuilder(workerCount: 1).flushBytes == 96 << 20)
        #expect(IndexBuilder(workerCount: 2).flushBytes == 48 << 20)
        #expect(IndexBuilder(workerCount: 8).flushBytes == 16 << 20, "no worker below the minimum")
        #expect(IndexBuilder(workerCount: 64).flushBytes == 16 << 20)
        #expect(IndexBuilder(workerCount: 2, flushBytes: 5).flushBytes == 5)
        #expect(IndexBuilder(workerCount: 2, flushBytes: -5).flushBytes == 1)
    }

    @Test func manySmallFlushedSegmentsAreMerged() throws {
        let documents = try Fixtures.corpus() + OracleTests.extraDocuments
        let directory = try TemporaryDirectory()
        let single = try Fixtures.index(documents, in: directory, workers: 1)
        var reports: [IndexBuilder.Progress] = []
        let summary = try IndexBuilder(workerCount: 2, flushBytes: 1).build(
            sources: [directory.path + "/docs.jsonl"], into: directory.path + "/many", progress: { reports.append($0) })
        #expect(try IndexDirectory(path: directory.path + "/many").readManifest().segments.count == 1)
        // The merge is reported as it starts, with every document already counted, and the
        // summary reports none.
        let merging = reports.filter { $0.segmentsMerging > 0 }
        #expect(merging.first?.segmentsMerging ?? 0 >= documents.count / 4)
        #expect(merging.allSatisfy { $0.documentsIndexed == documents.count })
        #expect(summary.segmentsMerging == 0 && reports.last?.segmentsMerging == 0)
        try Fixtures.expectSameAnswers(try SearchIndex(path: directory.path + "/many"), single, for: Fixtures.sampleQueries)
    }

    /// A document's units are inverted a stretch at a time (`_Occurrences.unitsPerStretch`):
    /// a phrase is found wherever it falls, its bigrams on either side of a stretch's edge
    /// or across it, and a long run or punctuation next to the edge too.
    @Test func phrasesAcrossTheEdgesOfInversionStretchesAreFound() throws {
        let edge = _Occurrences.unitsPerStretch
        let documents = (edge - 6...edge + 2).map { lead in
            (id: "lead-\(lead)", text: String(repeating: "合", count: lead) + "港珠澳大橋，Interoperability" + String(repeating: "作", count: edge))
        }
        let directory = try TemporaryDirectory()
        let index = try Fixtures.index(documents, in: directory)
        let queries = [("港珠澳大桥", "港珠澳大橋"), ("合港", "合港"), ("橋，interoperability", "橋，Interoperability"),
                       ("interoperability作", "Interoperability作")]
        for (query, original) in queries {
            let matches = try Fixtures.matches(query, in: index)
            #expect(matches.count == documents.count, "\(query): \(matches.keys.sorted())")
            for document in documents {
                let text = Array(document.text.utf8)
                let found = (matches[document.id] ?? []).map { String(decoding: text[$0], as: UTF8.self) }
                #expect(found == [original], "\(query) in \(document.id)")
            }
        }
    }

    @Test func manySmallSegmentsAnswerExactlyLikeOne() throws {
        let documents = try Fixtures.corpus() + OracleTests.extraDocuments
        let directory = try TemporaryDirectory()
        let single = try Fixtures.index(documents, in: directory, workers: 1)
        var builder = IndexBuilder(workerCount: 2)
        builder.mergePolicy.mergeFactor = Int.max
        let manyPath = directory.path + "/many"
        for (number, document) in documents.enumerated() {
            let source = try Fixtures.writeJSONLines([document], to: "one-\(number).jsonl", in: directory)
            try builder.build(sources: [source], into: manyPath, mode: .add)
        }
        #expect(try IndexDirectory(path: manyPath).readManifest().segments.count == documents.count)
        try Fixtures.expectSameAnswers(try SearchIndex(path: manyPath), single, for: Fixtures.sampleQueries)
    }

    @Test func aCommitThatFailsLeavesNoSegmentBehind() throws {
        let directory = try TemporaryDirectory()
        let indexPath = directory.path + "/index"
        try FileManager.default.createDirectory(atPath: indexPath + "/manifest.json/x", withIntermediateDirectories: true)
        let source = try directory.write("a.txt", "香港")
        for _ in 0..<2 {
            #expect(throws: IndexError.self) { try IndexBuilder().build(sources: [source], into: indexPath) }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: indexPath)
        #expect(!files.contains { $0.hasPrefix("seg-") }, "\(files)")
        do {
            try IndexBuilder().build(sources: [source], into: indexPath)
        } catch {
            #expect("\(error)".contains(indexPath + "/manifest.json"), "\(error)")
        }
    }

    @Test func aSecondWriterIsRefused() throws {
        let directory = try TemporaryDirectory()
        let indexPath = directory.path + "/index"
        let lock = try IndexDirectory(path: indexPath).lockForWriting()
        #expect(throws: IndexError.locked(path: indexPath)) {
            try IndexBuilder().build(sources: [try directory.write("a.txt", "香港")], into: indexPath)
        }
        withExtendedLifetime(lock) {}
    }

    @Test func damagedOrNewerSegmentsAreRefusedClearly() throws {
        let directory = try TemporaryDirectory()
        let indexPath = directory.path + "/index"
        try IndexBuilder().build(sources: [try directory.write("a.txt", "香港")], into: indexPath)
        let segment = indexPath + "/" + (try IndexDirectory(path: indexPath).readManifest().segments[0].segment)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        bytes[8] = 99  // format version
        try bytes.write(to: URL(fileURLWithPath: segment))
        #expect(throws: IndexError.newerFormat(path: segment, version: 99)) { try SearchIndex(path: indexPath) }
        bytes[8] = 1
        try bytes.write(to: URL(fileURLWithPath: segment))
        #expect(throws: IndexError.olderFormat(path: segment, version: 1)) { try SearchIndex(path: indexPath) }
        try Data(bytes.prefix(40)).write(to: URL(fileURLWithPath: segment))
        #expect(throws: IndexError.self) { try SearchIndex(path: indexPath) }
        #expect(throws: IndexError.missing(path: directory.path + "/none")) { try SearchIndex(path: directory.path + "/none") }
    }
}

/// Collects warnings from the indexing threads.
final class _Warnings: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []

    func append(_ line: String) {
        lock.withLock { collected.append(line) }
    }

    var lines: [String] {
        lock.withLock { collected }
    }
}
