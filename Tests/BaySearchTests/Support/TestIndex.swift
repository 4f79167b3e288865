import BaySearch
import Foundation

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
    static func index(_ documents: [(id: String, text: String)], in directory: TemporaryDirectory, workers: Int = 2) throws -> SearchIndex {
        let lines = try documents.map { document in
            String(decoding: try JSONSerialization.data(withJSONObject: ["id": document.id, "text": document.text]), as: UTF8.self)
        }
        let source = try directory.write("docs.jsonl", lines.joined(separator: "\n") + "\n")
        let indexPath = directory.path + "/index"
        try IndexBuilder(workerCount: workers).build(sources: [source], into: indexPath)
        return try SearchIndex(path: indexPath)
    }

    /// Every hit of `query`, as id → match ranges.
    static func matches(_ query: String, in index: SearchIndex) throws -> [String: [Range<Int>]] {
        let results = try index.search(try index.parse(query), limit: Int.max)
        return Dictionary(uniqueKeysWithValues: results.hits.map { ($0.id, $0.matches) })
    }
}
