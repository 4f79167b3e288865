import BaySearch

/// Runs each input through the analysis chain as a document and as a query.
///
/// Promises checked: invalid UTF-8 is rejected at the first byte that is not UTF-8 and
/// valid UTF-8 never is; units ascend by position and by byte range, each range inside the
/// input; punctuation boundaries lie between units; checkpoints ascend; walking the text
/// again (`byteRanges`, with and without checkpoints) finds every unit's range, which is
/// how hits get their match offsets; counting words without ICU's break iterator (runs of
/// ideographs on ICU's dictionary, ASCII by a state machine) gives its count; the
/// tokenizer's shortcuts give what its general path gives.
final class AnalysisTarget: FuzzTarget {
    private let analyzer = Analyzer()
    private let segmenter: WordSegmenter

    init() throws {
        segmenter = try WordSegmenter()
    }

    func run(_ input: [UInt8]) {
        let isUTF8 = String(validating: input, as: UTF8.self) != nil
        let document: Analyzer.Document
        do {
            document = try analyzer.analyzeDocument(input)
        } catch .invalidUTF8(let offset) {
            precondition(!isUTF8, "valid UTF-8 rejected at byte \(offset)")
            precondition(offset < input.count && String(validating: input[..<offset], as: UTF8.self) != nil,
                         "invalid UTF-8 reported at byte \(offset), not the first bad byte")
            return
        } catch {
            preconditionFailure("analysis failed: \(error)")
        }
        precondition(isUTF8, "invalid UTF-8 accepted")
        let text = document.text
        checkUnits(text, count: input.count)
        checkBoundaries(text)
        checkCheckpoints(text, count: input.count)
        checkByteRanges(text, input)
        checkWordCount(document)
        checkShortcuts(text, input)
        do {
            let words = try analyzer.words(of: String(decoding: input, as: UTF8.self))
            precondition(words.allSatisfy { !$0.isEmpty }, "an empty ICU word")
        } catch {
            preconditionFailure("splitting into words failed: \(error)")
        }
    }

    private func checkShortcuts(_ text: AnalyzedText, _ input: [UInt8]) {
        do {
            let general = try analyzer.tokenizer.analyze(input, segmenterInput: true, takesShortcuts: false)
            precondition(general == text, "the tokenizer's shortcuts and its general path disagree")
        } catch {
            preconditionFailure("the general path failed where the shortcuts did not: \(error)")
        }
    }

    private func checkUnits(_ text: AnalyzedText, count: Int) {
        for unit in text.units {
            precondition(unit.start < unit.end && Int(unit.end) <= count, "unit range \(unit.start)..<\(unit.end) of \(count) bytes")
            let term = text.termBytes(of: unit)
            precondition(!term.isEmpty && !term.contains(0), "unit term \(Array(term))")
        }
        for (earlier, later) in zip(text.units, text.units.dropFirst()) {
            precondition(earlier.position < later.position, "positions \(earlier.position), \(later.position)")
            precondition(earlier.start <= later.start && earlier.end <= later.end,
                         "ranges \(earlier.start)..<\(earlier.end), \(later.start)..<\(later.end) out of order")
        }
    }

    private func checkBoundaries(_ text: AnalyzedText) {
        let positions = Set(text.units.map(\.position))
        for (earlier, later) in zip(text.boundaries, text.boundaries.dropFirst()) {
            precondition(earlier < later, "boundaries \(earlier), \(later)")
        }
        for boundary in text.boundaries {
            precondition(!positions.contains(boundary), "boundary \(boundary) on a unit")
            precondition((text.units.first?.position ?? .max) < boundary && boundary < (text.units.last?.position ?? 0),
                         "boundary \(boundary) not between units")
        }
    }

    private func checkCheckpoints(_ text: AnalyzedText, count: Int) {
        for checkpoint in text.checkpoints {
            precondition(checkpoint.offset < count, "checkpoint at byte \(checkpoint.offset) of \(count)")
        }
        for (earlier, later) in zip(text.checkpoints, text.checkpoints.dropFirst()) {
            precondition(earlier.position < later.position && earlier.offset < later.offset, "checkpoints \(earlier), \(later)")
        }
    }

    private func checkByteRanges(_ text: AnalyzedText, _ input: [UInt8]) {
        let expected: [Range<Int>?] = text.units.map { Int($0.start)..<Int($0.end) }
        let positions = text.units.map(\.position)
        for checkpoints in [text.checkpoints, []] {
            do {
                let ranges = try analyzer.tokenizer.byteRanges(of: positions, in: input, checkpoints: checkpoints)
                precondition(ranges == expected, "byteRanges (\(checkpoints.count) checkpoints) disagree with the units")
            } catch {
                preconditionFailure("byteRanges failed on analysed text: \(error)")
            }
        }
    }

    private func checkWordCount(_ document: Analyzer.Document) {
        do {
            let icu = try segmenter.countWords(in: document.text.segmenterInput, takesShortcuts: false)
            precondition(document.wordCount == icu, "\(document.wordCount) words, ICU counts \(icu)")
        } catch {
            preconditionFailure("ICU failed to count words: \(error)")
        }
    }
}
