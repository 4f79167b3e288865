@testable import BaySearch
import Foundation
import Testing

/// Incremental updates: after any sequence of adds, changes and removals, an index answers
/// exactly like one built from scratch on the same documents.
@Suite struct IndexUpdateTests {
    /// The corpus cut into paragraphs of about 1,500 bytes, plus the oracle's extra documents:
    /// small documents sharing many terms, so updates touch many postings lists.
    static func documentPool() throws -> [(id: String, text: String)] {
        var pool: [(id: String, text: String)] = []
        for document in try Fixtures.corpus() {
            var chunk = ""
            for line in document.text.split(separator: "\n", omittingEmptySubsequences: false) {
                chunk += line + "\n"
                if chunk.utf8.count > 1_500 {
                    pool.append(("\(document.id)#\(pool.count)", chunk))
                    chunk = ""
                }
            }
            if !chunk.isEmpty {
                pool.append(("\(document.id)#\(pool.count)", chunk))
            }
        }
        return pool + OracleTests.extraDocuments
    }

    static let queries = Fixtures.sampleQueries + ["委員會", "委员会 OR 澳门", "青年", "發展 -合作", "ＣＥＰＡ", "橋"]

    @Test func randomSequencesOfUpdatesAnswerLikeAFreshBuild() throws {
        let pool = try IndexUpdateTests.documentPool()
        var generator = OracleTests.Generator(state: 4)
        let directory = try TemporaryDirectory()
        let indexPath = directory.path + "/updated"
        var builder = IndexBuilder(workerCount: 2)
        // Small levels, so that merges happen within a few steps, and a lenient deletion
        // threshold, so that searches also run over segments with tombstones.
        builder.mergePolicy = MergePolicy(mergeFactor: 3, floorBytes: 16 << 10, maximumDeletedFraction: 0.6)
        var current: [String: String] = [:]
        var stepsWithTombstones = 0
        for step in 0..<14 {
            let absent = pool.filter { current[$0.id] == nil }
            let present = current.keys.sorted()
            switch step == 0 ? 0 : Int.random(in: 0..<4, using: &generator) {
            case 0:  // add new documents
                let added = Array(absent.shuffled(using: &generator).prefix(Int.random(in: 1...12, using: &generator)))
                added.forEach { current[$0.id] = $0.text }
                let source = try Fixtures.writeJSONLines(added, to: "step\(step).jsonl", in: directory)
                try builder.build(sources: [source], into: indexPath, mode: .add)
            case 1:  // change some, add one
                var changed = present.shuffled(using: &generator).prefix(3).map { id in
                    (id: id, text: (current[id] ?? "") + "\n港珠澳大橋第\(step)次修訂")
                }
                changed += absent.prefix(1)
                changed.forEach { current[$0.id] = $0.text }
                let source = try Fixtures.writeJSONLines(changed, to: "step\(step).jsonl", in: directory)
                try builder.build(sources: [source], into: indexPath, mode: .add)
            case 2:  // remove by id
                let removed = Array(present.shuffled(using: &generator).prefix(Int.random(in: 1...6, using: &generator)))
                removed.forEach { current[$0] = nil }
                #expect(try builder.remove(ids: removed, from: indexPath) == removed.count)
            default:  // mirror a new state of the sources: some gone, some changed, some new
                for id in present.shuffled(using: &generator).prefix(4) {
                    current[id] = nil
                }
                for id in present.shuffled(using: &generator).prefix(2) where current[id] != nil {
                    current[id] = "香港青年\n" + (current[id] ?? "")
                }
                absent.shuffled(using: &generator).prefix(5).forEach { current[$0.id] = $0.text }
                let source = try Fixtures.writeJSONLines(
                    current.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, to: "step\(step).jsonl", in: directory)
                try builder.build(sources: [source], into: indexPath, mode: .mirror)
            }
            let fresh = try Fixtures.index(
                current.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, in: directory, name: "fresh\(step)")
            let updated = try SearchIndex(path: indexPath)
            let manifest = try IndexDirectory(path: indexPath).readManifest()
            stepsWithTombstones += manifest.segments.contains { $0.deletions != nil } ? 1 : 0
            #expect(updated.documentCount == current.count, "step \(step)")
            try Fixtures.expectSameAnswers(updated, fresh, for: IndexUpdateTests.queries)
        }
        let manifest = try IndexDirectory(path: indexPath).readManifest()
        #expect(stepsWithTombstones >= 3)
        // Each step commits one generation; every merge round commits one more.
        #expect(manifest.generation - 14 >= 2, "merge rounds: \(manifest.generation - 14)")
        #expect(manifest.segments.count <= 6, "the merge policy keeps segments few: \(manifest.segments.count)")
        let files = try FileManager.default.contentsOfDirectory(atPath: indexPath).filter { $0.hasPrefix("seg-") }
        #expect(Set(files) == manifest.files)
    }

    @Test func unchangedDocumentsAreNeitherReindexedNorCommitted() throws {
        let directory = try TemporaryDirectory()
        let indexPath = directory.path + "/index"
        let first = try IndexBuilder().build(sources: [Fixtures.corpusPath], into: indexPath)
        #expect(first.documentsIndexed == 4)
        let before = try IndexDirectory(path: indexPath).readManifest()
        let again = try IndexBuilder().build(sources: [Fixtures.corpusPath], into: indexPath)
        #expect(again.documentsIndexed == 0)
        #expect(again.documentsUnchanged == 4)
        #expect(try IndexDirectory(path: indexPath).readManifest() == before)
        // A changed title alone is a change.
        let source = try Fixtures.writeJSONLines([("a", "香港")], to: "a.jsonl", in: directory)
        try IndexBuilder().build(sources: [source], into: indexPath, mode: .add)
        try directory.write("b.jsonl", #"{"id": "a", "title": "新標題", "text": "香港"}"# + "\n")
        let retitled = try IndexBuilder().build(sources: [directory.path + "/b.jsonl"], into: indexPath, mode: .add)
        #expect(retitled.documentsIndexed == 1)
        let index = try SearchIndex(path: indexPath)
        #expect(try index.search(try index.parse("香港"), limit: 10).hits.first { $0.id == "a" }?.title == "新標題")
        #expect(index.documentCount == 5)
    }

    @Test func rebuildingIndexesEverythingAgainAndKeepsNothingElse() throws {
        let directory = try TemporaryDirectory()
        let indexPath = directory.path + "/index"
        try IndexBuilder().build(sources: [Fixtures.corpusPath], into: indexPath)
        let before = try IndexDirectory(path: indexPath).readManifest()
        let again = try IndexBuilder().build(sources: [Fixtures.corpusPath], into: indexPath, mode: .rebuild)
        #expect(again.documentsIndexed == 4 && again.documentsUnchanged == 0)
        let after = try IndexDirectory(path: indexPath).readManifest()
        #expect(after.generation > before.generation && after.files.isDisjoint(with: before.files))
        let other = try Fixtures.writeJSONLines([("b", "澳門")], to: "b.jsonl", in: directory)
        try IndexBuilder().build(sources: [other], into: indexPath, mode: .rebuild)
        #expect(try SearchIndex(path: indexPath).documentCount == 1)
    }

    @Test func removingUnknownIdsWarnsAndRemovesTheRest() throws {
        let directory = try TemporaryDirectory()
        let indexPath = directory.path + "/index"
        try IndexBuilder().build(sources: [Fixtures.corpusPath], into: indexPath)
        let warnings = _Warnings()
        let removed = try IndexBuilder().remove(
            ids: ["000_ac2d0214846fc862.txt", "nope"], from: indexPath, warn: warnings.append)
        #expect(removed == 1)
        #expect(warnings.lines == ["the index holds no document nope"])
        let index = try SearchIndex(path: indexPath)
        #expect(index.documentCount == 3)
        #expect(try Fixtures.matches("港珠澳大桥", in: index).keys.sorted() == ["001_4124543df864733c.txt", "002_1a8be0d1c9318a07.txt", "003_3a5c4ec9114e01d6.txt"])
        #expect(throws: IndexError.missing(path: directory.path + "/none")) {
            try IndexBuilder().remove(ids: ["a"], from: directory.path + "/none")
        }
    }

    @Test func mergePolicyMergesFullLevelsAndRewritesMostlyDeletedSegments() {
        let policy = MergePolicy(mergeFactor: 3, floorBytes: 100, maximumDeletedFraction: 0.25)
        let small = MergePolicy.Segment(bytes: 50, documents: 10, deleted: 0)
        let large = MergePolicy.Segment(bytes: 10_000, documents: 10, deleted: 0)
        #expect(policy.merges(for: [small, small]) == [])
        #expect(policy.merges(for: [small, large, small, small]) == [[0, 2, 3]])
        #expect(policy.merges(for: [large, MergePolicy.Segment(bytes: 10_000, documents: 10, deleted: 3)]) == [[1]])
        #expect(policy.merges(for: [large, MergePolicy.Segment(bytes: 10_000, documents: 10, deleted: 2)]) == [])
    }

    @Test func mergePolicyNeverWritesMoreThanItsCap() {
        let policy = MergePolicy(mergeFactor: 2, floorBytes: 100, maximumDeletedFraction: 0.25, maximumMergedBytes: 1_000)
        let segment = { (bytes: Int) in MergePolicy.Segment(bytes: bytes, documents: 10, deleted: 0) }
        // Three of 400 bytes would make 1,200: the group stops at two.
        #expect(policy.merges(for: [segment(400), segment(400), segment(400)]) == [[0, 1]])
        // Over half the cap, a segment is merged no further, but still rewritten without its deletions.
        #expect(policy.merges(for: [segment(600), segment(600)]) == [])
        #expect(policy.merges(for: [segment(600), MergePolicy.Segment(bytes: 600, documents: 10, deleted: 5)]) == [[1]])
    }
}
