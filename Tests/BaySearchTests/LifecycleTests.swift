@testable import BaySearch
import Foundation
import Testing

/// Commits under stress: a writer killed at any moment leaves the last committed index, and
/// readers searching while a writer commits see one committed state or the next, never a
/// mix and never an error.
@Suite struct LifecycleTests {
    /// The totals of a few queries: what tells one committed state from another.
    static func totals(_ indexPath: String) throws -> [Int] {
        let index = try SearchIndex(path: indexPath)
        return try ["港珠澳大桥", "合作", "香港 -澳門", "第九版"].map { try index.search(try index.parse($0), limit: 10).total }
    }

    static func copyDirectory(_ from: String, to: String) throws {
        try? FileManager.default.removeItem(atPath: to)
        try FileManager.default.copyItem(atPath: from, toPath: to)
    }

    /// Runs `baysearch add --index COPY source` on fresh copies of `before`, killing it with
    /// SIGKILL at random moments of its run, and checks each time that the index answers as
    /// `before` or as the complete update (`after`), and that opening it removed the killed
    /// writer's files. Returns which states were seen.
    static func killUpdates(
        of before: String, adding source: String, in directory: TemporaryDirectory, seed: UInt64
    ) throws -> Set<String> {
        let after = directory.path + "/after-\(seed)"
        try copyDirectory(before, to: after)
        let started = Date()
        #expect(try CLI.run(["add", "--index", after, source]).status == 0)
        let duration = Date().timeIntervalSince(started)
        let beforeTotals = try totals(before)
        let afterTotals = try totals(after)
        var generator = OracleTests.Generator(state: seed)
        var outcomes = Set<String>()
        let killed = directory.path + "/killed-\(seed)"
        for _ in 0..<6 {
            try copyDirectory(before, to: killed)
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["add", "--index", killed, source]
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: Double.random(in: 0...(duration * 1.1), using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let seen = try totals(killed)
            #expect(seen == beforeTotals || seen == afterTotals, "a killed update left \(seen)")
            outcomes.insert(seen == beforeTotals ? "before" : "after")
            let manifest = try IndexDirectory(path: killed).readManifest()
            let files = try FileManager.default.contentsOfDirectory(atPath: killed)
            #expect(Set(files) == manifest.files.union([IndexDirectory.manifestName, IndexDirectory.lockFileName]), "\(files)")
        }
        // The next update completes the work.
        #expect(try CLI.run(["add", "--index", killed, source]).status == 0)
        #expect(try totals(killed) == afterTotals)
        return outcomes
    }

    @Test func aWriterKilledAtAnyMomentLeavesTheLastCommit() throws {
        let directory = try TemporaryDirectory()
        // Three segments of one size level, so that the killed update's commit is followed by
        // a merge, and that too gets killed at some point.
        let before = directory.path + "/before"
        for (number, document) in try Fixtures.corpus().prefix(3).enumerated() {
            let source = try Fixtures.writeJSONLines([document], to: "part\(number).jsonl", in: directory)
            #expect(try CLI.run(["add", "--index", before, source]).status == 0)
        }
        #expect(try IndexDirectory(path: before).readManifest().segments.count == 3)
        var copies: [(id: String, text: String)] = []
        for copy in 0..<5 {
            copies += try Fixtures.corpus().map { ("copy\(copy)/\($0.id)", $0.text + "\n第九版") }
        }
        let update = try Fixtures.writeJSONLines(copies, to: "update.jsonl", in: directory)
        let outcomes = try LifecycleTests.killUpdates(of: before, adding: update, in: directory, seed: 9)
        #expect(outcomes.contains("before"))
    }

    @Test func aWriterKilledWhileMergingLeavesTheLastCommit() throws {
        let directory = try TemporaryDirectory()
        // Three segments of 20 documents each: adding one tiny document commits at once and
        // then spends its time merging four segments, where most kills land.
        let before = directory.path + "/before"
        for part in 0..<3 {
            let copies = try (0..<5).flatMap { copy in
                try Fixtures.corpus().map { ("part\(part)/copy\(copy)/\($0.id)", $0.text) }
            }
            let source = try Fixtures.writeJSONLines(copies, to: "part\(part).jsonl", in: directory)
            #expect(try CLI.run(["add", "--threads", "1", "--index", before, source]).status == 0)
        }
        #expect(try IndexDirectory(path: before).readManifest().segments.count == 3)
        let tiny = try Fixtures.writeJSONLines([("tiny", "第九版")], to: "tiny.jsonl", in: directory)
        _ = try LifecycleTests.killUpdates(of: before, adding: tiny, in: directory, seed: 11)
        let after = try IndexDirectory(path: directory.path + "/after-11").readManifest()
        #expect(after.segments.count == 1, "the tiny update's commit is followed by a merge")
    }

    @Test func searchesWhileAWriterCommitsSeeCommittedStatesOnly() throws {
        let directory = try TemporaryDirectory()
        let indexPath = directory.path + "/index"
        try IndexBuilder().build(sources: [Fixtures.corpusPath], into: indexPath)
        let extra = try Fixtures.writeJSONLines([("extra", "第九版 港珠澳大桥 香港合作")], to: "extra.jsonl", in: directory)
        let without = try LifecycleTests.totals(indexPath)
        try LifecycleTests.copyDirectory(indexPath, to: directory.path + "/with")
        try IndexBuilder().build(sources: [extra], into: directory.path + "/with", mode: .add)
        let with = try LifecycleTests.totals(directory.path + "/with")
        let held = try SearchIndex(path: indexPath)
        let writerDone = DispatchSemaphore(value: 0)
        let failures = _Warnings()
        Thread {
            do {
                var builder = IndexBuilder()
                builder.mergePolicy.mergeFactor = 2  // a merge after most commits
                for _ in 0..<6 {
                    try builder.build(sources: [extra], into: indexPath, mode: .add)
                    try builder.remove(ids: ["extra"], from: indexPath)
                }
            } catch {
                failures.append("writer: \(error)")
            }
            writerDone.signal()
        }.start()
        var seen = Set<[Int]>()
        var searches = 0
        while writerDone.wait(timeout: .now()) == .timedOut {
            do {
                seen.insert(try LifecycleTests.totals(indexPath))
                searches += 1
            } catch {
                failures.append("reader: \(error)")
            }
        }
        #expect(failures.lines == [])
        #expect(seen.isSubset(of: [without, with]), "\(seen)")
        #expect(searches > 0)
        // An index opened before all those commits still answers from its own snapshot.
        #expect(try held.search(try held.parse("港珠澳大桥"), limit: 10).total == without[0])
    }
}
