import CICU

/// Counts ICU's words in runs of Han ideographs without ICU's break iterator, and leaves the
/// rest of the text to the other counters.
///
/// ICU breaks before and after a run of ideographs whose neighbours are characters it always
/// breaks at (`ASCIIWordCounter.canCount`), and cuts the run by its CJK dictionary alone. So
/// such a run is counted here by that dictionary segmentation (`bay_ideograph_counter_count`),
/// and replaced by a space, at which ICU breaks too, in what is left to count. Runs next to
/// anything else (kana, which joins ideographs in ICU's dictionary runs, combining marks,
/// ideographs outside the BMP) stay in the text for ICU.
///
///     if let counter = IdeographRunCounter() {
///         var rest: [UInt16] = []
///         counter.countRuns(in: Array("港珠澳大桥通车。".utf16), rest: &rest)  // 6; rest is " 。"
///     }
///
/// Not thread-safe: give each thread its own.
final class IdeographRunCounter {
    private let counter: OpaquePointer

    /// Opens ICU's dictionary for Han, or returns nil when ICU lacks it or is a version whose
    /// segmentation this was not checked against (ICU 72 is): ICU then counts alone.
    init?() {
        guard let counter = bay_ideograph_counter_open() else {
            return nil
        }
        self.counter = counter
    }

    deinit {
        bay_ideograph_counter_close(counter)
    }

    /// The words of `text` when it holds only ideographs and what `ASCIIWordCounter` counts,
    /// as most Chinese text does once folded, in one pass; nil for any other text. Every run
    /// of such a text has neighbours ICU breaks at, so this is what `countRuns` and then
    /// `ASCIIWordCounter` on the rest would count, without copying the rest or walking it
    /// twice (the three passes took 6.7% of a build's CPU).
    func countWords(in text: [UInt16]) -> Int? {
        text.withUnsafeBufferPointer { text in
            var words = 0
            var index = 0
            while index < text.count {
                guard let (asciiWords, runStart) = ASCIIWordCounter.count(text, from: index, upTo: Self.isIdeograph) else {
                    return nil
                }
                words += asciiWords
                index = runStart
                while index < text.count, Self.isIdeograph(text[index]) {
                    index += 1
                }
                guard runStart < index else {
                    continue
                }
                guard let runWords = count(UnsafeBufferPointer(rebasing: text[runStart..<index])) else {
                    return nil
                }
                words += runWords
            }
            return words
        }
    }

    /// The words of the runs of ideographs in `text` that ICU breaks around; `rest` becomes
    /// `text` with each of those runs replaced by a space. A run the counter cannot take
    /// (it ran out of memory) stays in `rest` for ICU.
    @discardableResult
    func countRuns(in text: [UInt16], rest: inout [UInt16]) -> Int {
        rest.removeAll(keepingCapacity: true)
        rest.reserveCapacity(text.count)
        var words = 0
        text.withUnsafeBufferPointer { text in
            var copied = 0
            var index = 0
            while index < text.count {
                guard Self.isIdeograph(text[index]) else {
                    index += 1
                    continue
                }
                let start = index
                while index < text.count, Self.isIdeograph(text[index]) {
                    index += 1
                }
                guard start == 0 || ASCIIWordCounter.canCount(text[start - 1]),
                      index == text.count || ASCIIWordCounter.canCount(text[index]) else {
                    continue
                }
                guard let count = count(UnsafeBufferPointer(rebasing: text[start..<index])) else {
                    continue
                }
                words += count
                rest.append(contentsOf: text[copied..<start])
                rest.append(0x20)
                copied = index
            }
            rest.append(contentsOf: text[copied...])
        }
        return words
    }

    /// The words of one run of ideographs as ICU's dictionary cuts it, or nil when the
    /// counter ran out of memory.
    @inline(__always)
    private func count(_ run: UnsafeBufferPointer<UInt16>) -> Int? {
        let count = bay_ideograph_counter_count(counter, run.baseAddress, Int32(run.count))
        return count >= 0 ? Int(count) : nil
    }

    /// The ideographs `bay_ideograph_counter_count` takes: CJK extension A and the unified
    /// ideographs, all in ICU's dictionary set.
    @inline(__always)
    private static func isIdeograph(_ unit: UInt16) -> Bool {
        (0x4E00...0x9FFF).contains(unit) || (0x3400...0x4DBF).contains(unit)
    }
}
