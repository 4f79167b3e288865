@testable import BaySearch
import Foundation
import Testing

/// Temporary directories and indexes for tests; each removes itself when released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "baysearch-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `contents` to `name` inside the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ contents: String) throws -> String {
        try write(name, Data(contents.utf8))
    }

    @discardableResult
    func write(_ name: String, _ contents: Data) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(to: URL(fileURLWithPath: file))
        return file
    }
}

enum Fixtures {
    /// The repository's Corpus/ directory.
    static let corpusPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus").path

    /// The corpus documents as (id, text).
    static func corpus() throws -> [(id: String, text: String)] {
        try FileManager.default.contentsOfDirectory(atPath: corpusPath).filter { $0.hasSuffix(".txt") }.sorted().map { name in
            (name, try String(contentsOfFile: corpusPath + "/" + name, encoding: .utf8))
        }
    }

    /// Builds an index of `documents` (written as JSONL) and opens it.
    static func index(
        _ documents: [(id: String, text: String)], in directory: TemporaryDirectory, workers: Int = 2,
        name: String = "index"
    ) throws -> SearchIndex {
        let source = try writeJSONLines(documents, to: "docs.jsonl", in: directory)
        let indexPath = directory.path + "/" + name
        try IndexBuilder(workerCount: workers).build(sources: [source], into: indexPath, mode: .rebuild)
        return try SearchIndex(path: indexPath)
    }

    /// Writes `documents` as a JSONL source and returns its path.
    static func writeJSONLines(_ documents: [(id: String, text: String)], to name: String, in directory: TemporaryDirectory) throws -> String {
        let lines = try documents.map { document in
            String(decoding: try JSONSerialization.data(withJSONObject: ["id": document.id, "text": document.text]), as: UTF8.self)
        }
        return try directory.write(name, lines.joined(separator: "\n") + "\n")
    }

    /// Queries of every kind the index answers: one and several characters, both scripts,
    /// AND, OR, exclusion, Latin runs and numbers.
    static let sampleQueries = [
        "港珠澳大橋", "粵港 合作", "CEPA", "橋 OR 桥 -澳門", "二零一六", "香港", "大湾区", "合作 -香港", "2020 年", "發展",
    ]

    /// Checks that `actual` gives exactly `expected`'s answers: totals, hits in order, scores
    /// and match ranges.
    static func expectSameAnswers(_ actual: SearchIndex, _ expected: SearchIndex, for queries: [String],
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        for query in queries {
            let want = try expected.search(try expected.parse(query), limit: 1000)
            let got = try actual.search(try actual.parse(query), limit: 1000)
            #expect(got.total == want.total, "\(query)", sourceLocation: sourceLocation)
            #expect(got.hits.map(\.id) == want.hits.map(\.id), "\(query)", sourceLocation: sourceLocation)
            #expect(got.hits.map(\.score) == want.hits.map(\.score), "\(query)", sourceLocation: sourceLocation)
            #expect(got.hits.map(\.matches) == want.hits.map(\.matches), "\(query)", sourceLocation: sourceLocation)
        }
    }

    /// Every hit of `query`, as id → match ranges.
    static func matches(_ query: String, in index: SearchIndex) throws -> [String: [Range<Int>]] {
        let results = try index.search(try index.parse(query), limit: Int.max)
        return Dictionary(uniqueKeysWithValues: results.hits.map { ($0.id, $0.matches) })
    }
}
