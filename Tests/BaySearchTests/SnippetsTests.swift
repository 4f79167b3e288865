import BaySearch
import Testing

@Suite struct SnippetsTests {
    private func render(_ text: String, _ matches: [Range<Int>], context: Int = 2) -> [String] {
        Snippets.windows(in: Array(text.utf8), around: matches, context: context).map { $0.render { "【\($0)】" } }
    }

    @Test func windowsShowContextAndMarkCutEnds() {
        // 港珠澳大橋 is bytes 6..<21 of 研究港珠澳大橋通行政策.
        #expect(render("研究港珠澳大橋通行政策", [6..<21]) == ["研究【港珠澳大橋】通行…"])
    }

    @Test func lineBreaksInsideWordsVanishAndOtherWhitespaceBecomesOneSpace() {
        let text = "研究港珠\n\n澳大橋 and  more"
        #expect(render(text, [6..<23], context: 7) == ["研究【港珠澳大橋】 and m…"])
    }

    @Test func spacesStayOutsideHighlightsAndNeverStartAWindow() {
        #expect(render("\n\n# 港珠澳", [4..<7], context: 10) == ["# 【港】珠澳"])
        #expect(render("a 港 b", [2..<5], context: 10) == ["a 【港】 b"])
    }

    @Test func nearbyMatchesShareAWindow() {
        let windows = Snippets.windows(in: Array("港港港港港港港港".utf8), around: [0..<3, 9..<12], context: 2)
        #expect(windows.count == 1)
        #expect(windows[0].matchCount == 2)
    }

    @Test func aWindowShowsAtMostItsMaximumLengthAndCountsWhatItShows() {
        // 一一 in 一×10: nine overlapping matches merge into one window, cut after 4 characters.
        let matches = (0..<9).map { $0 * 3..<$0 * 3 + 6 }
        let windows = Snippets.windows(in: Array(String(repeating: "一", count: 10).utf8), around: matches, context: 2, maximumLength: 4)
        #expect(windows.map { $0.render { "【\($0)】" } } == ["【一一一一】…"])
        #expect(windows.map(\.matchCount) == [4])
    }

    @Test func matchesOutsideTheTextAreIgnored() {
        #expect(render("港", [0..<3, 5..<9]) == ["【港】"])
    }
}
