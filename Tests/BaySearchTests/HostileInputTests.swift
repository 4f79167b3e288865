import Foundation
import Testing

/// What each kind of bad input gets (the README's "Bad input and errors" table), run
/// through the command line as a user would: the exit status, one clear line on stderr, and,
/// where the request fails, the previous index answering exactly as before.
///
/// Rows tested elsewhere: invalid UTF-8, a JSONL line that is not an object or lacks `text`,
/// duplicate ids and an empty file in `IndexBuildingTests.badFilesAndLinesAreReportedAndSkipped`;
/// looping links below a directory in `IndexBuildingTests.linksToFilesAreFollowedAndLoopsSkipped`;
/// queries of only punctuation or only exclusions, unbalanced quotes and a lone `OR` in
/// `CLITests.badInputGetsOneLineAndANonZeroExit` and `QueryParserTests.badQueriesThrowClearErrors`;
/// non-BMP characters in `MatchingTests.nonBMPCharactersSurvive` and `OracleTests`.
@Suite struct HostileInputTests {
    // A debug build (plain `swift test`) analyses about 25 times slower than a release build,
    // so it runs the two big inputs at a size that keeps each test to a few seconds;
    // `swift test -c release -Xswiftc -enable-testing --filter HostileInputTests` runs them
    // at the issue's sizes.
    #if DEBUG
    static let longLineBytes = 4_000_000
    static let repeatCount = 200_000
    #else
    static let longLineBytes = 100_000_000
    static let repeatCount = 10_000_000
    #endif

    let directory: TemporaryDirectory
    /// An index of one document, built before each test: the previous index that a failing
    /// request must leave as it was.
    let indexPath: String

    init() throws {
        directory = try TemporaryDirectory()
        indexPath = directory.path + "/index"
        let build = try CLI.run(["index", "--index", indexPath, try directory.write("previous/bridge.txt", "港珠澳大橋通車")])
        #expect(build.status == 0, "\(build.error)")
    }

    /// What the index answers, without the time it took: equal before and after a request
    /// that failed.
    private func answer() throws -> String {
        let run = try CLI.run(["search", "--index", indexPath, "--json", "--explain", "港珠澳大橋"])
        #expect(run.status == 0, "\(run.error)")
        return run.output.replacingOccurrences(of: #""took_us":\d+"#, with: "", options: .regularExpression)
    }

    private func indexFiles() throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: indexPath))
    }

    private func json(_ output: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    }

    private func hits(_ object: [String: Any]) throws -> [[String: Any]] {
        try #require(object["hits"] as? [[String: Any]])
    }

    /// Expects a failed request: a non-zero exit, nothing on stdout, and one error line
    /// holding every one of `parts` (after any warnings).
    private func expectFailure(_ run: CLI.Run, mentioning parts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status != 0, sourceLocation: sourceLocation)
        #expect(run.output.isEmpty, sourceLocation: sourceLocation)
        let errors = run.errorLines.filter { !$0.hasPrefix("baysearch: warning: ") }
        #expect(errors.count == 1, "\(run.error)", sourceLocation: sourceLocation)
        let line = String(errors.first ?? "")
        #expect(line.hasPrefix("baysearch: error: "), "\(line)", sourceLocation: sourceLocation)
        for part in parts {
            #expect(line.contains(part), "\(line) lacks \(part)", sourceLocation: sourceLocation)
        }
    }

    @Test func nulBytesArePunctuation() throws {
        try directory.write("docs/nul.txt", "港\u{0}珠澳大橋")
        let jsonl = try directory.write("more.jsonl", #"{"id": "j", "text": "澳門\u0000大橋"}"# + "\n")
        let build = try CLI.run(["index", "--index", indexPath, directory.path + "/docs", jsonl])
        #expect(build.status == 0)
        #expect(build.errorLines.count == 1 && build.error.hasPrefix("indexed 2 of 2 documents"), "\(build.error)")

        let found = try CLI.run(["search", "--index", indexPath, "--json", "珠澳"])
        let hit = try #require(try hits(try json(found.output)).first)
        #expect(hit["title"] as? String == "港\u{0}珠澳大橋")
        #expect(hit["matches"] as? [[String: Int]] == [["start": 4, "end": 10]])
        #expect(found.output.contains(#""title":"港\u0000珠澳大橋""#) && !found.output.utf8.contains(0))
        // The NUL parts 港 from 珠 and 門 from 大 as a comma would.
        for across in ["港珠", "門大"] {
            let run = try CLI.run(["search", "--index", indexPath, "--json", across])
            #expect(try json(run.output)["total"] as? Int == 0, "\(across)")
        }
        #expect(try json(try CLI.run(["search", "--index", indexPath, "--json", "大橋"]).output)["total"] as? Int == 2)
        let human = try CLI.run(["search", "--index", indexPath, "珠澳"])
        #expect(human.output.contains(#"港\u{0}【珠澳】大橋"#) && !human.output.utf8.contains(0), "\(human.output)")
    }

    @Test func binaryFilesAreSkippedWithTheByteThatGaveThemAway() throws {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]  // a PNG's first bytes
        try directory.write("docs/image.txt", Data(signature + (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131) }))
        // Zero bytes are valid UTF-8: such a file is a document with nothing to find.
        try directory.write("docs/zeros.txt", Data(count: 4096))
        try directory.write("docs/good.txt", "港珠澳大橋")
        let build = try CLI.run(["index", "--index", indexPath, directory.path + "/docs"])
        #expect(build.status == 0)
        #expect(build.errorLines.first == "baysearch: warning: \(directory.path)/docs/image.txt: invalid UTF-8 at byte 0; skipped")
        #expect(build.errorLines.count == 2 && build.errorLines.last?.hasPrefix("indexed 2 of 3 documents read") == true, "\(build.error)")
        let run = try CLI.run(["search", "--index", indexPath, "--json", "--explain", "港珠澳大橋"])
        let hit = try #require(try hits(try json(run.output)).first)
        #expect(hit["id"] as? String == "good.txt")
        #expect((hit["explain"] as? [String: Any])?["N"] as? Int == 2)
    }

    @Test func sourcesWithNothingToIndexFailAndKeepTheIndex() throws {
        let before = try answer()
        let files = try indexFiles()
        let emptyDirectory = directory.path + "/empty"
        try FileManager.default.createDirectory(atPath: emptyDirectory, withIntermediateDirectories: true)
        try directory.write(".hidden/notes.pdf", "")
        let cases: [(source: String, reason: String)] = [
            (emptyDirectory, "no .txt or .md file below it"),
            (directory.path + "/.hidden", "no .txt or .md file below it"),
            (try directory.write("empty.jsonl", ""), "the file is empty"),
            (try directory.write("bad.jsonl", "\n[1, 2]\n\n"), "no line holds a document"),
        ]
        for (source, reason) in cases {
            let run = try CLI.run(["index", "--index", indexPath, source])
            expectFailure(run, mentioning: ["\(source): nothing to index (\(reason))"])
        }
        #expect(try answer() == before)
        #expect(try indexFiles() == files)
        // An empty text file is a document like any other: it is indexed and matches nothing.
        let empty = try CLI.run(["index", "--index", indexPath, try directory.write("empty.txt", "")])
        #expect(empty.status == 0 && empty.error.hasPrefix("indexed 1 of 1 documents read"), "\(empty.error)")
        let search = try CLI.run(["search", "--index", indexPath, "--json", "--explain", "港珠澳大橋"])
        #expect(try json(search.output)["total"] as? Int == 0)
    }

    /// `size` bytes without a line break: `港珠澳大橋 `, then `blocks` blocks of 4 KiB (粵港合作，
    /// and spaces), then spaces up to a last phrase, ` 橋頭堡`, that ends at the last byte.
    private func longLine(size: Int) -> (text: Data, blocks: Int) {
        let first = Array("港珠澳大橋 ".utf8)
        let last = Array(" 橋頭堡".utf8)
        var block = Array("粵港合作，".utf8)
        block += repeatElement(0x20, count: 4096 - block.count)
        var text = first
        text.reserveCapacity(size)
        var blocks = 0
        while text.count + block.count + last.count <= size {
            text += block
            blocks += 1
        }
        text += repeatElement(0x20, count: size - text.count - last.count)
        text += last
        return (Data(text), blocks)
    }

    @Test func aHundredMegabyteLineIsOneDocument() throws {
        let size = HostileInputTests.longLineBytes
        let (text, blocks) = longLine(size: size)
        let file = try directory.write("line.txt", text)
        let first = "港珠澳大橋 ".utf8.count
        let build = try CLI.run(["index", "--index", indexPath, file])
        #expect(build.status == 0 && build.errorLines.count == 1, "\(build.error)")
        let end = try CLI.run(["search", "--index", indexPath, "--json", "橋頭堡"])
        let hit = try #require(try hits(try json(end.output)).first)
        #expect(hit["title"] as? String == "港珠澳大橋 粵港合作，")
        #expect(hit["matches"] as? [[String: Int]] == [["start": size - 9, "end": size]])
        #expect((hit["snippet"] as? String)?.hasSuffix("【橋頭堡】") == true)
        #expect(((hit["snippet"] as? String)?.count ?? .max) < 100)
        let everywhere = try CLI.run(["search", "--index", indexPath, "--json", "粵港合作"])
        let matches = try #require(try hits(try json(everywhere.output)).first?["matches"] as? [[String: Int]])
        #expect(matches.count == blocks)
        let lastBlock = first + (blocks - 1) * 4096
        #expect(matches.last == ["start": lastBlock, "end": lastBlock + 12])
    }

    @Test func tenMillionRepeatsOfOneCharacter() throws {
        let count = HostileInputTests.repeatCount
        let file = try directory.write("one.txt", String(repeating: "一", count: count))
        let build = try CLI.run(["index", "--index", indexPath, file])
        #expect(build.status == 0 && build.errorLines.count == 1, "\(build.error)")
        // A bigram with count - 1 positions and 一 itself with the last one, united for 一;
        // a snippet window shows at most 200 characters and the human output counts the rest.
        for (query, matches) in [("一", count), ("一一", count - 1)] {
            let run = try CLI.run(["search", "--index", indexPath, query])
            #expect(run.status == 0, "\(run.error)")
            let lines = run.output.split(separator: "\n")
            #expect(lines.first?.hasPrefix("\(query): 1 document matches") == true)
            #expect(lines.contains { $0.hasPrefix("1. one.txt  score ") && $0.hasSuffix("  \(matches) matches") }, "\(lines.prefix(3))")
            #expect(lines.contains { $0.contains("… and \(matches - 200) more matches (--json lists them all)") })
            #expect(lines.allSatisfy { $0.count < 300 })
        }
    }

    @Test func unreadableFilesAreSkippedInADirectoryAndFailAsASource() throws {
        let before = try answer()
        let docs = directory.path + "/docs"
        try directory.write("docs/good.txt", "港珠澳大橋")
        // A FIFO would block a read forever and /dev/zero never end; both are refused
        // before any read, as not regular files.
        #expect(mkfifo(docs + "/fifo.txt", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: docs + "/zero.txt", withDestinationPath: "/dev/zero")
        // Root reads a file whatever its permissions: this part runs for other users only.
        let locked = try directory.write("docs/locked.txt", "澳門")
        let honoursPermissions = geteuid() != 0
        if honoursPermissions {
            try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: locked)
        }
        let build = try CLI.run(["index", "--index", directory.path + "/other", docs])
        #expect(build.status == 0)
        let warnings = build.errorLines.filter { $0.hasPrefix("baysearch: warning: ") }
        #expect(warnings.contains("baysearch: warning: \(docs)/fifo.txt: cannot read (not a regular file); skipped"))
        #expect(warnings.contains("baysearch: warning: \(docs)/zero.txt: cannot read (not a regular file); skipped"))
        if honoursPermissions {
            #expect(warnings.contains("baysearch: warning: \(docs)/locked.txt: cannot read (Permission denied); skipped"))
        }
        #expect(warnings.count == (honoursPermissions ? 3 : 2), "\(build.error)")

        var failing = [(docs + "/fifo.txt", "not a regular file")]
        if honoursPermissions {
            failing.append((locked, "Permission denied"))
        }
        for (source, reason) in failing {
            expectFailure(try CLI.run(["index", "--index", indexPath, source]), mentioning: ["\(source): cannot read (\(reason))"])
        }
        #expect(try answer() == before)
    }

    @Test func aSourceThatIsALoopingLinkSaysSo() throws {
        let before = try answer()
        let loop = directory.path + "/loop.txt"
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
        let run = try CLI.run(["index", "--index", indexPath, loop])
        expectFailure(run, mentioning: ["\(loop): cannot read (a link to nothing readable: Too many levels of symbolic links)"])
        #expect(try answer() == before)
    }

    @Test func aQueryOfAHundredThousandCharactersRuns() throws {
        let document = String(repeating: "港珠澳大橋，", count: 5_000)
        let build = try CLI.run(["index", "--index", indexPath, try directory.write("bridges.txt", document)])
        #expect(build.status == 0, "\(build.error)")
        // Words on the command line, 16,667 repeats of one part (100,002 characters). The
        // argument parser once took 11 s over them, and each repeat added all 5,000 matches
        // of the part to the hit again.
        let words = Array(repeating: "港珠澳大橋", count: 16_667)
        let many = try CLI.run(["search", "--index", indexPath, "--json", "--explain"] + words)
        #expect(many.status == 0, "\(many.error)")
        let hit = try #require(try hits(try json(many.output)).first)
        #expect((hit["matches"] as? [Any])?.count == 5_000)
        #expect(((hit["explain"] as? [String: Any])?["parts"] as? [Any])?.count == 16_667)
        // Lines of a query file: one phrase, and alternatives of a part in every match.
        let phrase = String(repeating: "港", count: 100_000)
        let alternatives = Array(repeating: "港", count: 25_000).joined(separator: " OR ") + " 港"
        let file = try directory.write("queries.txt", phrase + "\n" + alternatives + "\n")
        let batch = try CLI.run(["search", "--index", indexPath, "--json", "--queries", file])
        #expect(batch.status == 0, "\(batch.error)")
        let objects = try batch.output.split(separator: "\n").map { try json(String($0)) }
        #expect(objects.map { $0["total"] as? Int } == [0, 1])
        #expect(objects.map { $0["query"] as? String } == [phrase, alternatives])
        #expect(((try hits(objects[1]).first)?["matches"] as? [Any])?.count == 5_000)
    }

    @Test func controlCharactersNeverReachTheTerminal() throws {
        // A title that would clear the screen and ring the bell if printed as it is.
        let text = "\u{1B}[2J\u{7}港珠澳大橋\u{1B}]0;owned\u{7}通車"
        let build = try CLI.run(["index", "--index", indexPath, try directory.write("escape.txt", text)])
        #expect(build.status == 0, "\(build.error)")
        let isControl: (Unicode.Scalar) -> Bool = { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }
        let human = try CLI.run(["search", "--index", indexPath, "\u{1B}港珠澳大橋\u{7}"])
        #expect(human.status == 0, "\(human.error)")
        #expect(!human.output.unicodeScalars.contains(where: isControl), "\(human.output)")
        #expect(human.output.contains(#"\u{1b}港珠澳大橋\u{7}: 1 document matches"#), "\(human.output)")
        #expect(human.output.contains(#"\u{1b}[2J\u{7}【港珠澳大橋】\u{1b}]0;owned\u{7}通車"#), "\(human.output)")
        let machine = try CLI.run(["search", "--index", indexPath, "--json", "港珠澳大橋"])
        #expect(!machine.output.dropLast().unicodeScalars.contains(where: isControl))
        #expect(try hits(try json(machine.output)).first?["title"] as? String == text)
        // A query of control characters alone has nothing to search for; the message shows them escaped.
        let nothing = try CLI.run(["search", "--index", indexPath, "\u{1B}\u{7}"])
        expectFailure(nothing, mentioning: [#"the query \u{1b}\u{7} has no letters"#])
    }

    @Test func aFileSizeLimitFailsTheBuildAndKeepsTheIndex() throws {
        try expectFullDiskFailsCleanly(reason: "File too large; the index at \(indexPath) is unchanged; raise the file size limit (ulimit -f)") {
            // 64 blocks: 32 KiB; the corpus makes segments of about 120 KB.
            try CLI.run(["index", "--index", indexPath, Fixtures.corpusPath], fileSizeBlocks: 64)
        }
    }

    @Test(.enabled(if: TmpfsMount.isAvailable, "needs root and permission to mount tmpfs"))
    func aFullDiskFailsTheBuildAndKeepsTheIndex() throws {
        // The index moves onto a 160 KiB tmpfs: room for it, not for the corpus's 243 KB.
        let mount = try TmpfsMount(at: directory.path + "/small", bytes: 160 << 10)
        try withExtendedLifetime(mount) {
            try FileManager.default.moveItem(atPath: indexPath, toPath: mount.path + "/index")
            try FileManager.default.createSymbolicLink(atPath: indexPath, withDestinationPath: mount.path + "/index")
            try expectFullDiskFailsCleanly(reason: "No space left on device; the index at \(indexPath) is unchanged; free some space") {
                try CLI.run(["index", "--index", indexPath, Fixtures.corpusPath])
            }
        }
    }

    /// Runs `build`, which must run out of space, and checks that it says so in one line,
    /// leaves the index answering as before with no new file, and that the next build
    /// leaves nothing behind.
    private func expectFullDiskFailsCleanly(reason: String, _ build: () throws -> CLI.Run) throws {
        let before = try answer()
        let files = try indexFiles()
        let run = try build()
        expectFailure(run, mentioning: ["baysearch: error: cannot write \(indexPath)/seg-", ".bay: " + reason])
        #expect(try answer() == before)
        #expect(try indexFiles() == files)
        let next = try CLI.run(["index", "--index", indexPath, try directory.write("next/a.txt", "粵港合作")])
        #expect(next.status == 0, "\(next.error)")
        let remaining = try indexFiles()
        #expect(remaining.filter { $0.hasPrefix("seg-") }.count == 1 && remaining.count == 3, "\(remaining)")
    }
}
