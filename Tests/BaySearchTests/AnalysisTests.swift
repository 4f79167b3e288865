@testable import BaySearch
import Testing

/// Each analysis step on its own: decoding, folding, whitespace, tokenizing, segmenting.
@Suite struct AnalysisTests {
    let analyzer: Analyzer

    init() throws {
        analyzer = Analyzer()
    }

    private func units(_ text: String) throws -> [String] {
        let analyzed = try analyzer.tokenizer.analyze(Array(text.utf8))
        return analyzed.units.map { analyzed.text(of: $0) }
    }

    private func positions(_ text: String) throws -> [UInt32] {
        try analyzer.tokenizer.analyze(Array(text.utf8)).units.map(\.position)
    }

    @Test func foldsWidthCaseAndScript() {
        let folder = analyzer.tokenizer.folder
        #expect(folder.fold("ＣＥＰＡ") == "cepa")
        #expect(folder.fold("２０２０") == "2020")
        #expect(folder.fold("港珠澳大橋") == "港珠澳大桥")
        #expect(folder.fold("粵港澳大灣區") == "粤港澳大湾区")
        #expect(folder.fold("委員會") == "委员会")
        #expect(folder.fold("𨨏") == "𨨏")
    }

    @Test func compatibilityCharactersExpandButKeepTheirOriginalRange() throws {
        let analyzed = try analyzer.tokenizer.analyze(Array("㍻ﬁ".utf8))
        #expect(analyzed.units.map { analyzed.text(of: $0) } == ["平", "成", "fi"])
        #expect(analyzed.units.map(\.start) == [0, 0, 3])
        #expect(analyzed.units.map(\.end) == [3, 3, 6])
    }

    @Test func ignorableCharactersVanish() throws {
        #expect(try units("港\u{00AD}珠\u{200D}澳") == ["港", "珠", "澳"])
        #expect(try positions("港\u{00AD}珠\u{200D}澳") == [0, 1, 2])
    }

    @Test func whitespaceBetweenIdeographsIsNoBoundary() throws {
        #expect(try positions("保\n\n障") == [0, 1])
        #expect(try positions("2020 年") == [0, 1])
        #expect(try units("2020 年") == ["2020", "年"])
    }

    @Test func whitespaceSeparatesLatinRunsWithoutAGap() throws {
        #expect(try units("Hello  World") == ["hello", "world"])
        #expect(try positions("Hello  World") == [0, 1])
    }

    @Test func punctuationIsABoundary() throws {
        #expect(try positions("香港，青年") == [0, 1, 3, 4])
        #expect(try analyzer.tokenizer.analyze(Array("香港，青年。".utf8)).boundaries == [2])
        #expect(try positions("「香港」") == [0, 1])
        #expect(try units("PM2.5") == ["pm2", "5"])
        #expect(try positions("PM2.5") == [0, 2])
    }

    @Test func latinRunsJoinLettersAndDigitsAndStopAtIdeographs() throws {
        #expect(try units("CEPA框架") == ["cepa", "框", "架"])
        #expect(try units("第3屆") == ["第", "3", "届"])
    }

    @Test func offsetsPointIntoTheOriginalText() throws {
        let text = "大橋\n\n通車，ＣＥＰＡ 𨨏"
        let bytes = Array(text.utf8)
        let analyzed = try analyzer.tokenizer.analyze(bytes)
        let originals = analyzed.units.map { String(decoding: bytes[Int($0.start)..<Int($0.end)], as: UTF8.self) }
        #expect(originals == ["大", "橋", "通", "車", "ＣＥＰＡ", "𨨏"])
        #expect(analyzed.units.map { analyzed.text(of: $0) } == ["大", "桥", "通", "车", "cepa", "𨨏"])
    }

    @Test func invalidUTF8IsReportedWithItsOffset() {
        let bytes: [UInt8] = Array("港珠".utf8) + [0xE6, 0xBE] + Array("澳".utf8)
        #expect(throws: AnalysisError.invalidUTF8(offset: 6)) {
            try analyzer.tokenizer.analyze(bytes)
        }
        #expect(throws: AnalysisError.invalidUTF8(offset: 0)) {
            try analyzer.tokenizer.analyze([0xC0, 0x80])  // overlong NUL
        }
        #expect(throws: AnalysisError.invalidUTF8(offset: 1)) {
            try analyzer.tokenizer.analyze([0x61, 0xED, 0xA0, 0x80])  // a surrogate
        }
    }

    @Test func emptyTextHasNoUnitsAndNoWords() throws {
        let document = try analyzer.analyzeDocument([UInt8]())
        #expect(document.text.units.isEmpty)
        #expect(document.wordCount == 0)
    }

    @Test func segmentationHappensAfterFoldingSoBothScriptsGiveOneStream() throws {
        #expect(try analyzer.words(of: "港珠澳大橋") == analyzer.words(of: "港珠澳大桥"))
        #expect(try analyzer.words(of: "委員會") == analyzer.words(of: "委员会"))
        #expect(try analyzer.words(of: "保\n\n障") == ["保障"])
    }

    @Test func wordCountSkipsPunctuationAndSpaces() throws {
        let document = try analyzer.analyzeDocument(Array("粵港合作，CEPA 2020 年。".utf8))
        let words = try analyzer.words(of: "粵港合作，CEPA 2020 年。")
        #expect(document.wordCount == words.count)
        #expect(words.contains("cepa"))
        #expect(!words.contains("，"))
    }

    /// The shortcut the walk to match offsets takes for plain ASCII agrees with the folder.
    @Test func plainASCIIClassesAgreeWithTheFolder() {
        let folder = analyzer.tokenizer.folder
        var shortcuts = 0
        for byte in UInt8(0)..<0x80 {
            guard let characterClass = CharacterClass.ofPlainASCII(byte) else {
                continue
            }
            shortcuts += 1
            var folded: [CharacterClass] = []
            folder.fold(UInt32(byte)) { _, foldedClass in folded.append(foldedClass) }
            #expect(folded == [characterClass], "byte \(byte)")
        }
        #expect(shortcuts == 98)
    }

    /// Long stretches without units (spaces, line breaks, zero-width joiners) outside a run
    /// of letters get a checkpoint every `checkpointBytes`, so no walk to a match crosses more of them, and
    /// walking from any checkpoint finds the same byte ranges as walking from the start.
    @Test func stretchesWithoutUnitsGetCheckpoints() throws {
        let gaps = [String(repeating: " ", count: 5_000), String(repeating: "\n", count: 3_000),
                    String(repeating: "\u{200D}", count: 2_000), "，" + String(repeating: " ", count: 4_000) + "，"]
        let text = Array((String(repeating: " ", count: 2_000) + "，港" + gaps.map { $0 + "珠澳 CEPA 橋" }.joined() + String(repeating: " ", count: 3_000)).utf8)
        let analyzed = try analyzer.tokenizer.analyze(text)
        let offsets = [0] + analyzed.checkpoints.map(\.offset) + [text.count]
        let unitStarts = analyzed.units.map { Int($0.start) }
        for (from, to) in zip(offsets, offsets.dropFirst()) {
            // Between two checkpoints: no more than checkpointBytes of text without a unit,
            // but after punctuation, where no checkpoint can stand until the next unit.
            let units = unitStarts.filter { $0 >= from && $0 < to }
            let widestGap = zip([from] + units, units + [to]).map { $1 - $0 }.max() ?? 0
            #expect(widestGap <= UnitTokenizer.checkpointBytes + 3 || text[from..<to].contains(Array("，".utf8)[0]),
                    "\(widestGap) bytes without a checkpoint from \(from) to \(to); checkpoints \(analyzed.checkpoints)")
        }
        let positions = analyzed.units.map(\.position)
        let expected = analyzed.units.map { Int($0.start)..<Int($0.end) }
        #expect(try analyzer.tokenizer.byteRanges(of: positions, in: text, checkpoints: analyzed.checkpoints) == expected)
        #expect(try analyzer.tokenizer.byteRanges(of: positions, in: text) == expected)
        for (position, range) in zip(positions, expected) {
            #expect(try analyzer.tokenizer.byteRanges(of: [position], in: text, checkpoints: analyzed.checkpoints) == [range])
        }
    }

    /// Plain ASCII and unified ideographs skip the general decoding and folding; with or
    /// without the shortcuts, every text gives the same units, runs, boundaries, ICU input
    /// and checkpoints, and bad UTF-8 fails at the same byte.
    @Test func shortcutsGiveWhatTheGeneralPathGives() throws {
        let tokenizer = analyzer.tokenizer
        func agree(_ bytes: [UInt8]) -> Bool {
            for segmenterInput in [false, true] {
                let fast = Result { () throws(AnalysisError) in try tokenizer.analyze(bytes, segmenterInput: segmenterInput) }
                let general = Result { () throws(AnalysisError) in
                    try tokenizer.analyze(bytes, segmenterInput: segmenterInput, takesShortcuts: false)
                }
                switch (fast, general) {
                case (.success(let fast), .success(let general)) where fast == general:
                    continue
                case (.failure(.invalidUTF8(let fast)), .failure(.invalidUTF8(let general))) where fast == general:
                    continue
                default:
                    return false
                }
            }
            return true
        }
        // Pieces meeting every shortcut's edges: case, runs across classes, expansions,
        // ideographs beyond U+4E00–U+9FFF, lone and truncated bytes.
        let pieces: [[UInt8]] = ["港", "橋", "大橋", "一", "鿿", "㐀", "𠀀", "カ", "ｶ", "한", "CEPA", "cepa", "Pm2", "x", "9",
                                 "_", "1,000", "a.b", " ", "\n", "\n\n", "\t", "\u{3000}", "，", "-", "ＣＥ", "㍿", "ﬁ", "é",
                                 "e\u{301}", "\u{200D}", "\u{00AD}", "😀", "½"].map { Array($0.utf8) }
            + [[0xE4], [0xE4, 0xB8], [0xE4, 0xB7, 0x80], [0xE9, 0xBF], [0xED, 0xA0, 0x80], [0x80], [0xFF], [0xC3]]
        var generator = OracleTests.Generator(state: 2611)
        var disagreements: [[UInt8]] = []
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 1...40, using: &generator)).flatMap { _ in
                pieces[Int.random(in: 0..<pieces.count, using: &generator)]
            }
            if !agree(text) {
                disagreements.append(text)
            }
        }
        for document in try Fixtures.corpus() where !agree(Array(document.text.utf8)) {
            disagreements.append(Array(document.id.utf8))
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) texts disagree, first \(disagreements.prefix(1))")
    }

    /// The tokenizer gathers units and ICU input in blocks and moves them to the arrays when
    /// a block fills, which falls anywhere: inside a run of letters that keeps growing,
    /// between two ideographs, after a boundary. A snippet repeated between full stops must
    /// give the snippet's own units, ICU input and runs, repeated and shifted.
    @Test func aLongTextIsItsSnippetsRepeated() throws {
        let tokenizer = analyzer.tokenizer
        let snippet = "港珠澳大橋 CEPA2020 協議，\n推進 ab\u{301}c 合作ＸＹ１２ 粵港澳大灣區 𠀀 ½ 發展"
        let separator = "。"
        let one = try tokenizer.analyze(Array(snippet.utf8), segmenterInput: true)
        let last = try #require(one.units.last)
        let (positionStride, byteStride) = (last.position + 2, UInt32((snippet + separator).utf8.count))
        let runStride = UInt32(one.runBytes.count)
        let separatorInput = try tokenizer.analyze(Array(separator.utf8), segmenterInput: true).segmenterInput
        for copies in [1, 2, 7, 40, 113] {
            let text = Array(repeating: snippet, count: copies).joined(separator: separator)
            let whole = try tokenizer.analyze(Array(text.utf8), segmenterInput: true)
            let expected = (0..<UInt32(copies)).flatMap { copy in
                one.units.map { unit in
                    var shifted = unit
                    shifted.position += copy * positionStride
                    (shifted.start, shifted.end) = (unit.start + copy * byteStride, unit.end + copy * byteStride)
                    if !unit.isIdeograph {
                        shifted.runStart += copy * runStride
                    }
                    return shifted
                }
            }
            #expect(whole.units == expected, "\(copies) copies")
            #expect(whole.runBytes == Array(Array(repeating: one.runBytes, count: copies).joined()), "\(copies) copies")
            let input = Array(Array(repeating: one.segmenterInput, count: copies).joined(separator: separatorInput))
            #expect(whole.segmenterInput == input, "\(copies) copies")
        }
    }
}
