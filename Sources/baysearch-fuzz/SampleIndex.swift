import BaySearch
import Foundation

/// A small real index built at start-up by the current BaySearch: the documents the
/// query-parser target searches, and the template (manifest and a valid segment) the
/// segment-reader target damages. Built, not stored, so it always has the current format.
struct SampleIndex {
    /// Short mixed-script texts with what the analysis chain treats specially: line breaks
    /// inside words, punctuation boundaries, Latin and digit runs, full-width letters,
    /// characters that fold to several units (㌕, ㏠), and a text long enough to be stored
    /// compressed and to carry checkpoints.
    static let documents: [(id: String, text: String)] = [
        ("bridge.txt", "港珠澳大橋\n\n通車，CEPA 框架 2020 年重點工作。香港青年到大灣區發展。"),
        ("simplified.txt", "港珠澳大桥通车；粤港澳大湾区建设。\n香港，青年 创业 ＣＥＰＡ pm2.5 don't 1,000 ㌕ ㏠ ⑴"),
        ("macau.md", "# 澳門\n澳門 旅遊 Macau travel: 大三巴牌坊、議事亭前地 (Largo do Senado)。"),
        ("long.txt", String(repeating: "實施更加便利的通關模式。研究完善港珠澳大橋跨境車輛通行政策及有關出入境政策。\n", count: 6)),
    ]

    /// Queries that reach every kind of term the documents hold: ideographs alone (through
    /// every term they begin) and before another unit, bigrams, runs, boundaries,
    /// alternatives and exclusions.
    static let queries = ["桥", "港珠澳大桥", "香港 OR 澳门 -青年", "cepa", "香港，青年", "2020年", "㌕", "\"通关 模式\"", "业 ＣＥＰＡ", "cepa 框"]

    /// The index directory (it holds `manifest.json` and its segment files).
    let path: String

    /// Builds the index in a new scratch directory, with one worker so that it has one segment.
    init() throws {
        let directory = try ScratchDirectory.make()
        let source = directory + "/docs"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        for document in SampleIndex.documents {
            try Data(document.text.utf8).write(to: URL(fileURLWithPath: source + "/" + document.id))
        }
        path = directory + "/index"
        try IndexBuilder(workerCount: 1).build(sources: [source], into: path)
    }

    /// The segment files the manifest names, as paths.
    func segmentPaths() throws -> [String] {
        struct Manifest: Decodable {
            struct Entry: Decodable {
                var segment: String
            }
            var segments: [Entry]
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path + "/manifest.json"))
        return try JSONDecoder().decode(Manifest.self, from: data).segments.map { path + "/" + $0.segment }
    }
}
