import Foundation
import Testing

/// The `baysearch` command-line contract: JSON output, human output and errors, run as a
/// user would run it.
@Suite struct CLITests {
    let directory: TemporaryDirectory
    let indexPath: String

    init() throws {
        directory = try TemporaryDirectory()
        indexPath = directory.path + "/index"
        let build = try CLI.run(["index", "--index", indexPath, Fixtures.corpusPath])
        #expect(build.status == 0, "\(build.error)")
    }

    private func json(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func jsonOutputFollowsTheContract() throws {
        let run = try CLI.run(["search", "--index", indexPath, "--json", "港珠澳大桥"])
        #expect(run.status == 0)
        let lines = run.output.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try json(String(lines[0]))
        #expect(object["query"] as? String == "港珠澳大桥")
        #expect(object["total"] as? Int == 4)
        #expect(object["took_us"] is Int)
        let hits = try #require(object["hits"] as? [[String: Any]])
        #expect(hits.count == 4)
        for hit in hits {
            let id = try #require(hit["id"] as? String)
            #expect(hit["title"] is String)
            #expect(hit["score"] is Double)
            #expect((hit["snippet"] as? String)?.contains("【港珠澳大") == true)
            let text = Array(try String(contentsOfFile: Fixtures.corpusPath + "/" + id, encoding: .utf8).utf8)
            let matches = try #require(hit["matches"] as? [[String: Int]])
            #expect(!matches.isEmpty)
            for match in matches {
                let start = try #require(match["start"])
                let end = try #require(match["end"])
                let original = String(decoding: text[start..<end], as: UTF8.self).filter { !$0.isWhitespace }
                #expect(original == "港珠澳大橋" || original == "港珠澳大桥")
            }
        }
    }

    @Test func wordsAfterADoubleDashAreQueryText() throws {
        // "--limit" here is query syntax (excluding "limit"), not the option.
        let run = try CLI.run(["search", "--index", indexPath, "--json", "--", "--limit", "港珠澳大桥"])
        #expect(run.status == 0, "\(run.error)")
        #expect(try json(run.output)["total"] as? Int == 4)
    }

    @Test func limitCutsHitsButNotTotal() throws {
        let run = try CLI.run(["search", "--index", indexPath, "--json", "--limit", "1", "港珠澳大橋"])
        let object = try json(run.output)
        #expect(object["total"] as? Int == 4)
        #expect((object["hits"] as? [Any])?.count == 1)
    }

    @Test func queryFilesGiveOneLinePerQuery() throws {
        let file = try directory.write("queries.txt", "港珠澳大橋\n\n橋\n\"unbalanced\nCEPA\n")
        let run = try CLI.run(["search", "--index", indexPath, "--json", "--queries", file])
        #expect(run.status != 0)
        let objects = try run.output.split(separator: "\n").map { try json(String($0)) }
        #expect(objects.map { $0["query"] as? String } == ["港珠澳大橋", "橋", "\"unbalanced", "CEPA"])
        #expect(objects[2]["error"] is String)
        #expect(objects[1]["total"] as? Int == 4)
        #expect(run.error.split(separator: "\n").count == 1)
    }

    @Test func aQueryFileThatIsNotUTF8IsRefusedByName() throws {
        let file = try directory.write("latin1.txt", Data([0x63, 0x61, 0x66, 0xE9, 0x0A]))
        let run = try CLI.run(["search", "--index", indexPath, "--json", "--queries", file])
        #expect(run.status == 1)
        #expect(run.output.isEmpty)
        #expect(run.error == "baysearch: error: \(file): the query file is not UTF-8 text; save it as UTF-8\n")
    }

    @Test func humanOutputHighlightsWithBracketsOffATerminal() throws {
        let run = try CLI.run(["search", "--index", indexPath, "--explain", "港珠澳大桥"])
        #expect(run.status == 0)
        #expect(run.output.contains("4 documents match"))
        #expect(run.output.contains("【港珠澳大橋】"))
        #expect(run.output.contains("【港珠澳大桥】"))
        #expect(run.output.contains("idf="))
        #expect(!run.output.contains("\u{1B}["))
    }

    @Test func anExactMissOffersTheQuerySplitIntoWords() throws {
        let run = try CLI.run(["search", "--index", indexPath, "港珠澳大橋通關合作"])
        #expect(run.status == 0)
        #expect(run.output.contains("No document contains 港珠澳大橋通關合作 exactly."))
        #expect(run.output.contains("its ICU words AND-ed"))
    }

    @Test func addRemoveAndRebuildUpdateTheIndex() throws {
        let source = try directory.write("new/a.txt", "第九版\n港珠澳大橋的新文件")
        let added = try CLI.run(["add", "--index", indexPath, source])
        #expect(added.status == 0)
        #expect(added.error.contains("indexed 1 of 1 documents read"))
        var run = try CLI.run(["search", "--index", indexPath, "--json", "港珠澳大桥"])
        #expect(run.output.contains(#""total":5,"#))
        let removed = try CLI.run(["remove", "--index", indexPath, "a.txt", "nope"])
        #expect(removed.status == 1)
        #expect(removed.error.contains("warning: the index holds no document nope"))
        #expect(removed.error.contains("removed 1 of 2 documents"))
        run = try CLI.run(["search", "--index", indexPath, "--json", "港珠澳大桥"])
        #expect(run.output.contains(#""total":4,"#))
        let again = try CLI.run(["index", "--index", indexPath, Fixtures.corpusPath])
        #expect(again.status == 0)
        #expect(again.error.contains("indexed 0 of 4 documents read") && again.error.contains("4 unchanged"), "\(again.error)")
        let rebuilt = try CLI.run(["index", "--rebuild", "--index", indexPath, Fixtures.corpusPath])
        #expect(rebuilt.error.contains("indexed 4 of 4 documents read"), "\(rebuilt.error)")
        let missing = try CLI.run(["remove", "--index", directory.path + "/none", "a"])
        #expect(missing.status == 1)
        #expect(missing.error.hasPrefix("baysearch: error: no index at"))
    }

    @Test func badInputGetsOneLineAndANonZeroExit() throws {
        let cases: [[String]] = [
            ["search", "--index", directory.path + "/missing", "香港"],
            ["search", "--index", indexPath, ""],
            ["search", "--index", indexPath, "\"香港"],
            ["search", "--index", indexPath, "，。"],
            ["search", "--index", indexPath, "-香港"],
            ["search", "--index", indexPath, "OR"],
            ["index", "--index", directory.path + "/other", directory.path + "/no-such-dir"],
            ["search", "--index", indexPath, "--limit", "abc", "香港"],
            ["search", "--index", indexPath, "--limt", "3", "香港"],
            ["search", "--index", indexPath],
            ["search", "--index", indexPath, "，\n。"],
            ["index"],
        ]
        for arguments in cases {
            let run = try CLI.run(arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.output.isEmpty, "\(arguments)")
            let lines = run.error.split(separator: "\n")
            #expect(lines.count == 1, "\(arguments): \(run.error)")
            #expect(lines.first?.hasPrefix("baysearch: error: ") == true, "\(arguments): \(run.error)")
        }
    }

    @Test func aNegativeCountIsTakenAsAValueAndRefusedByName() throws {
        let cases: [([String], String)] = [
            (["search", "--index", indexPath, "--limit", "-1", "香港"], "--limit must be 0 or more"),
            (["index", "--index", directory.path + "/other", "--threads", "-2", Fixtures.corpusPath], "--threads must be from 1 to"),
        ]
        for (arguments, message) in cases {
            let run = try CLI.run(arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.error.hasPrefix("baysearch: error: \(message)"), "\(arguments): \(run.error)")
        }
    }

    @Test func benchReportsEveryMeasureAsOneJSONObject() throws {
        let queries = directory.path + "/queries.txt"
        try "港珠澳大橋\n香港\n".write(toFile: queries, atomically: true, encoding: .utf8)
        let run = try CLI.run(["bench", "--runs", "2", "--repeats", "1", "--queries", queries, "--json", Fixtures.corpusPath])
        #expect(run.status == 0, "\(run.error)")
        let report = try json(run.output)
        #expect(report["documents"] as? Double == 4)
        #expect(report["fast_path_mismatches"] as? Double == 0)
        #expect(report["shortcut_mismatches"] as? Double == 0)
        for key in ["icu_mb_per_s", "analysis_mb_per_s", "build_mb_per_s", "build_vs_icu", "postings_mb", "query_median_us", "query_p99_us"] {
            #expect((report[key] as? Double).map { $0 > 0 } == true, "\(key): \(String(describing: report[key]))")
        }
    }

    @Test func firstSearchBuildsTheIndexFromCorpus() throws {
        let project = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: Fixtures.corpusPath, toPath: project.path + "/Corpus")
        let first = try CLI.run(["search", "港珠澳大橋"], in: project.path)
        #expect(first.status == 0)
        #expect(first.error.contains("indexing ./Corpus first"))
        #expect(first.output.contains("4 documents match"))
        let second = try CLI.run(["search", "港珠澳大桥"], in: project.path)
        #expect(second.error.isEmpty)
        #expect(second.output.contains("4 documents match"))
        // An index an older baysearch left behind is rebuilt, not a dead end.
        let manifest = project.path + "/.baysearch/manifest.json"
        let older = try String(contentsOfFile: manifest, encoding: .utf8)
            .replacingOccurrences(of: #""format" : \d+"#, with: #""format" : 1"#, options: .regularExpression)
        try older.write(toFile: manifest, atomically: true, encoding: .utf8)
        let third = try CLI.run(["search", "港珠澳大桥"], in: project.path)
        #expect(third.error.contains("uses the older format 1; rebuilding it from ./Corpus"))
        #expect(third.output.contains("4 documents match"))
    }
}
