@testable import BaySearch
import Foundation
import Testing

/// Damaged index files: every flipped bit, truncation or foreign file gives an `IndexError`
/// or, where the damage lies in bytes the queries never read, exactly the right answers;
/// never a crash, a hang or a wrong answer.
@Suite struct CorruptionTests {
    struct Answer: Equatable {
        var total: Int
        var ids: [String]
        var titles: [String]
        var scores: [Double]
        var matches: [[Range<Int>]]
    }

    static let queries = Fixtures.sampleQueries + ["委員會", "青年 OR 澳門", "橋"]

    static func answers(_ indexPath: String) throws -> [Answer] {
        let index = try SearchIndex(path: indexPath)
        return try queries.map { query in
            let results = try index.search(try index.parse(query), limit: 1000)
            return Answer(
                total: results.total, ids: results.hits.map(\.id), titles: results.hits.map(\.title),
                scores: results.hits.map(\.score), matches: results.hits.map(\.matches))
        }
    }

    /// An index with two segments, one with a deletion file.
    static func makeIndex(in directory: TemporaryDirectory) throws -> String {
        let indexPath = directory.path + "/index"
        var builder = IndexBuilder(workerCount: 1)  // one segment a build
        builder.mergePolicy = MergePolicy(mergeFactor: Int.max, floorBytes: 1, maximumDeletedFraction: 1)
        try builder.build(sources: [Fixtures.corpusPath], into: indexPath, mode: .add)
        let extra = try Fixtures.writeJSONLines(OracleTests.extraDocuments, to: "extra.jsonl", in: directory)
        try builder.build(sources: [extra], into: indexPath, mode: .add)
        try builder.remove(ids: ["003_3a5c4ec9114e01d6.txt"], from: indexPath)
        return indexPath
    }

    /// Runs the queries on the damaged index: an `IndexError` or the pristine answers pass.
    static func expectErrorOrPristine(_ indexPath: String, _ pristine: [Answer], _ damage: String) {
        do {
            let answers = try CorruptionTests.answers(indexPath)
            #expect(answers == pristine, "\(damage) changed an answer")
        } catch is IndexError {
        } catch {
            Issue.record("\(damage) threw a non-index error: \(error)")
        }
    }

    @Test func flippedBitsAreCaughtOrHarmless() throws {
        let directory = try TemporaryDirectory()
        let indexPath = try CorruptionTests.makeIndex(in: directory)
        let manifest = try IndexDirectory(path: indexPath).readManifest()
        #expect(manifest.segments.count == 2 && manifest.segments.contains { $0.deletions != nil })
        let pristine = try CorruptionTests.answers(indexPath)
        var caught = 0
        for name in manifest.files.sorted() + [IndexDirectory.manifestName] {
            let url = URL(fileURLWithPath: indexPath + "/" + name)
            let original = try Data(contentsOf: url)
            // Every byte of the header and tables at the start, then 80 offsets spread over the rest.
            let offsets = Array(stride(from: 0, to: min(original.count, 200), by: 3))
                + Array(stride(from: 200, to: original.count, by: max(1, original.count / 80)))
            for offset in offsets {
                var damaged = original
                damaged[offset] ^= 1 << UInt8(offset % 8)
                try damaged.write(to: url)
                do {
                    let answers = try CorruptionTests.answers(indexPath)
                    #expect(answers == pristine, "a flipped bit at \(name):\(offset) changed an answer")
                } catch is IndexError {
                    caught += 1
                } catch {
                    Issue.record("a flipped bit at \(name):\(offset) threw a non-index error: \(error)")
                }
            }
            try original.write(to: url)
        }
        #expect(caught > 100)
        #expect(try CorruptionTests.answers(indexPath) == pristine)
    }

    @Test func truncatedAndForeignFilesAreRefused() throws {
        let directory = try TemporaryDirectory()
        let indexPath = try CorruptionTests.makeIndex(in: directory)
        let manifest = try IndexDirectory(path: indexPath).readManifest()
        let pristine = try CorruptionTests.answers(indexPath)
        let foreign = try Data(contentsOf: URL(fileURLWithPath: Fixtures.corpusPath + "/000_ac2d0214846fc862.txt"))
        for name in manifest.files.sorted() + [IndexDirectory.manifestName] {
            let url = URL(fileURLWithPath: indexPath + "/" + name)
            let original = try Data(contentsOf: url)
            for length in [0, 1, 8, 40, original.count / 2, original.count - 1] where length < original.count {
                try original.prefix(length).write(to: url)
                #expect(throws: IndexError.self, "\(name) cut to \(length) bytes") { try CorruptionTests.answers(indexPath) }
            }
            try foreign.write(to: url)
            #expect(throws: IndexError.self, "\(name) replaced by a text file") { try CorruptionTests.answers(indexPath) }
            try original.write(to: url)
        }
        #expect(try CorruptionTests.answers(indexPath) == pristine)
    }

    @Test func aDamagedBlockIsNamedWithTheFileAndARebuildHint() throws {
        let directory = try TemporaryDirectory()
        let indexPath = try CorruptionTests.makeIndex(in: directory)
        let path = indexPath + "/" + (try IndexDirectory(path: indexPath).readManifest().segments[0].segment)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let table = SegmentFormat.sectionTableOffset + 8 * SegmentFormat.Section.postings.rawValue
        let postingsStart = bytes[table..<table + 8].withUnsafeBytes { Int($0.loadUnaligned(as: UInt64.self)) }
        bytes[postingsStart + 100] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: path))
        let segment = try SegmentReader(path: path)  // the header is intact
        let error = #expect(throws: IndexError.self) {
            for term in 0..<segment.termCount {
                _ = try segment.postings(at: term)
            }
        }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains(path) && message.contains("fail their checksum") && message.contains("--rebuild"), "\(message)")
    }

    /// Damage with valid checksums (as the fuzzer makes it): what the checks behind the
    /// checksums must catch without trapping or allocating what a field claims.
    @Test func resealedDamageIsRefusedWithoutTrapsOrHugeAllocations() throws {
        let directory = try TemporaryDirectory()
        let indexPath = try CorruptionTests.makeIndex(in: directory)
        let path = indexPath + "/" + (try IndexDirectory(path: indexPath).readManifest().segments[0].segment)
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        // Every document's recorded text length claims 4 GiB.
        var bytes = original
        for document in 0..<4 {
            let field = SegmentFormat.headerSize + document * SegmentFormat.documentRecordSize + 28
            bytes.replaceSubrange(field..<field + 4, with: [0xFF, 0xFF, 0xFF, 0xFF])
        }
        SegmentChecksums.reseal(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: IndexError.self) { try CorruptionTests.answers(indexPath) }
        // A delta whose sum overflows 64 bits.
        let overflowing: [UInt8] = [0x05] + Array(repeating: 0xFF, count: 9) + [0x01]
        let source = _ByteSource(path: "test")
        try withExtendedLifetime(source) {
            try overflowing.withUnsafeBytes { buffer in
                var reader = _ByteReader(buffer, from: 0, to: buffer.count, source: source)
                let first = try reader.readDelta(after: 0, atMost: .max)
                #expect(first == 5)
                #expect(throws: IndexError.self) { try reader.readDelta(after: first, atMost: .max) }
            }
        }
        try Data(original).write(to: URL(fileURLWithPath: path))
        #expect(try CorruptionTests.answers(indexPath).count == CorruptionTests.queries.count)
    }
}
