/// Turns UTF-8 text into units: folds each character, drops whitespace, gives every
/// ideograph a unit of its own and every run of letters and digits one unit, and steps the
/// position once more at each punctuation boundary.
///
///     let tokenizer = UnitTokenizer(folder: CharacterFolder())
///     let text = try tokenizer.analyze(Array("大橋\n\n通車，CEPA".utf8))
///     text.units.map { text.text(of: $0) }   // ["大", "桥", "通", "车", "cepa"]
///     text.units.map(\.position)             // [0, 1, 2, 3, 5]
///
/// It also builds the folded text that ICU segments, with the whitespace between ideographs
/// (and between an ideograph and a letter or digit) taken out, because ICU always breaks
/// at a line break and 保\n\n障 is one word.
public struct UnitTokenizer {
    public let folder: CharacterFolder

    /// The largest text one document may hold. Positions are 32-bit and ICU takes 32-bit
    /// lengths; a character can fold to several units (㌕ is 5), so the limit keeps both safe.
    public static let maximumTextBytes = 1 << 30

    /// Units between two checkpoints, at least: 8 keeps the walk to a match short (on the
    /// benchmark's queries, 4% fewer search instructions than 16, which took 9% less time
    /// than 32) for 1.0 MB of checkpoints on its 17.7 MB corpus.
    public static let checkpointInterval = 8
    /// Bytes without units (whitespace, ignorable characters) after which a checkpoint is
    /// placed anyway, so that no walk to a match crosses more of them.
    public static let checkpointBytes = 1024

    public init(folder: CharacterFolder) {
        self.folder = folder
    }

    /// Analyses `bytes` into a new `AnalyzedText`.
    public func analyze(_ bytes: [UInt8], segmenterInput: Bool = false, takesShortcuts: Bool = true) throws(AnalysisError) -> AnalyzedText {
        var text = AnalyzedText()
        try bytes.withUnsafeBufferPointer { (buffer) throws(AnalysisError) in
            try analyze(buffer, into: &text, segmenterInput: segmenterInput, takesShortcuts: takesShortcuts)
        }
        return text
    }

    /// Analyses `bytes` into `text`, reusing its storage. Plain ASCII and unified ideographs
    /// skip the general decoding and folding unless `takesShortcuts` is false, which gives
    /// the same result more slowly, for tests.
    public func analyze(
        _ bytes: UnsafeBufferPointer<UInt8>, into text: inout AnalyzedText, segmenterInput: Bool, takesShortcuts: Bool = true
    ) throws(AnalysisError) {
        guard bytes.count <= UnitTokenizer.maximumTextBytes else {
            throw .tooLarge(bytes: bytes.count)
        }
        text.removeAll()
        let invalidOffset = withUnsafeTemporaryAllocation(of: Unit.self, capacity: UnitTokenizer.pendingUnits) { units in
            withUnsafeTemporaryAllocation(of: UInt16.self, capacity: UnitTokenizer.pendingInput) { input in
                var state = _TokenizerState(
                    segmenterInput: segmenterInput, units: _PendingBlock(units), input: _PendingBlock(input))
                defer { state.finish(into: &text) }
                return tokenize(bytes, into: &text, state: &state, takesShortcuts: takesShortcuts)
            }
        }
        if let invalidOffset {
            throw .invalidUTF8(offset: invalidOffset)
        }
    }

    /// How many units and UTF-16 units of segmenter input the tokenizer gathers before
    /// moving them into `AnalyzedText`'s arrays (`_PendingBlock`).
    static let pendingUnits = 256
    static let pendingInput = 1024

    /// The loop of `analyze`; returns the offset of the first byte that is not UTF-8, if any.
    private func tokenize(
        _ bytes: UnsafeBufferPointer<UInt8>, into text: inout AnalyzedText, state: inout _TokenizerState, takesShortcuts: Bool
    ) -> Int? {
        var index = 0
        var unitsAtCheckpoint = 0
        var offsetAtCheckpoint = 0
        while index < bytes.count {
            // A checkpoint needs a state `resume` can rebuild from a position alone: a unit
            // before it, no run open and no punctuation pending, whatever this character
            // turns out to be.
            if state.units.count - unitsAtCheckpoint >= UnitTokenizer.checkpointInterval
                || (index - offsetAtCheckpoint >= UnitTokenizer.checkpointBytes && state.units.count > 0),
               !state.runOpen, !state.boundaryPending {
                text.checkpoints.append(Checkpoint(position: state.position, offset: index))
                unitsAtCheckpoint = state.units.count
                offsetAtCheckpoint = index
            }
            // Most characters are plain ASCII or unified ideographs, which take shortcuts
            // through folding; `takesShortcuts` is off only to test them against the rest.
            let lead = bytes[index]
            if takesShortcuts {
                if lead < 0x80, let characterClass = CharacterClass.ofPlainASCII(lead) {
                    if characterClass == .alphanumeric && state.runOpen {
                        index = state.extendRun(with: bytes, from: index, into: &text)
                    } else {
                        // Folding plain ASCII only lowercases letters (digits have bit 5 set).
                        let folded = characterClass == .alphanumeric ? lead | 0x20 : lead
                        state.take(UInt32(folded), characterClass, start: UInt32(index), end: UInt32(index + 1), into: &text)
                        index += 1
                    }
                    continue
                }
                if let ideograph = UTF8Encoding.unifiedIdeograph(in: bytes, at: index) {
                    state.take(folder.foldUnifiedIdeograph(ideograph), .ideograph,
                               start: UInt32(index), end: UInt32(index + 3), into: &text)
                    index += 3
                    continue
                }
            }
            guard let (codePoint, length) = UTF8Encoding.decode(bytes, at: index) else {
                return index
            }
            let start = UInt32(index)
            let end = UInt32(index + length)
            folder.fold(codePoint) { folded, characterClass in
                state.take(folded, characterClass, start: start, end: end, into: &text)
            }
            index += length
        }
        state.closeRun(into: &text)
        return nil
    }
}

/// The tokenizer's memory between two characters.
private struct _TokenizerState {
    let segmenterInput: Bool
    /// The units and segmenter input on their way to `text.units` and `text.segmenterInput`.
    var units: _PendingBlock<Unit>
    var input: _PendingBlock<UInt16>
    var position: UInt32 = 0
    var boundaryPending = false
    var runOpen = false
    var whitespacePending = false
    var lastClass: CharacterClass = .boundary

    init(segmenterInput: Bool, units: _PendingBlock<Unit>, input: _PendingBlock<UInt16>) {
        (self.segmenterInput, self.units, self.input) = (segmenterInput, units, input)
    }

    /// Moves what is pending into `text`.
    mutating func finish(into text: inout AnalyzedText) {
        units.moveAll(to: &text.units)
        input.moveAll(to: &text.segmenterInput)
    }

    @inline(__always)
    mutating func take(_ codePoint: UInt32, _ characterClass: CharacterClass, start: UInt32, end: UInt32, into text: inout AnalyzedText) {
        switch characterClass {
        case .whitespace:
            closeRun(into: &text)
            whitespacePending = true
            return
        case .ideograph:
            closeRun(into: &text)
            stepOverBoundary(&text)
            units.append(Unit(ideograph: codePoint, runStart: 0, runLength: 0, position: position, start: start, end: end), to: &text.units)
            position += 1
        case .alphanumeric:
            if runOpen {
                let before = text.runBytes.count
                UTF8Encoding.append(codePoint, to: &text.runBytes)
                units.last.runLength += UInt32(text.runBytes.count - before)
                units.last.end = end
            } else {
                stepOverBoundary(&text)
                let runStart = UInt32(text.runBytes.count)
                UTF8Encoding.append(codePoint, to: &text.runBytes)
                let length = UInt32(text.runBytes.count) - runStart
                units.append(Unit(ideograph: 0, runStart: runStart, runLength: length, position: position, start: start, end: end), to: &text.units)
                runOpen = true
            }
        case .boundary:
            closeRun(into: &text)
            boundaryPending = true
        case .ignorable:
            return
        }
        if segmenterInput {
            appendSegmenterInput(codePoint, characterClass, into: &text)
        }
        lastClass = characterClass
    }

    /// Takes the ASCII letters and digits from `index` on into the open run, as `take`
    /// would one by one, and returns the index after them.
    @inline(__always)
    mutating func extendRun(with bytes: UnsafeBufferPointer<UInt8>, from index: Int, into text: inout AnalyzedText) -> Int {
        assert(runOpen && lastClass == .alphanumeric && !(segmenterInput && whitespacePending), "no open run to extend")
        var end = index
        while end < bytes.count, UTF8Encoding.isASCIIAlphanumeric(bytes[end]) {
            let folded = bytes[end] | 0x20
            text.runBytes.append(folded)
            if segmenterInput {
                input.append(UInt16(folded), to: &text.segmenterInput)
            }
            end += 1
        }
        units.last.runLength += UInt32(end - index)
        units.last.end = UInt32(end)
        return end
    }

    @inline(__always)
    mutating func closeRun(into text: inout AnalyzedText) {
        if runOpen {
            runOpen = false
            position += 1
        }
    }

    @inline(__always)
    private mutating func stepOverBoundary(_ text: inout AnalyzedText) {
        if boundaryPending {
            if units.count > 0 {
                text.boundaries.append(position)
                position += 1
            }
            boundaryPending = false
        }
    }

    /// Whitespace reaches ICU only where it separates words that are not ideographs.
    @inline(__always)
    private mutating func appendSegmenterInput(_ codePoint: UInt32, _ characterClass: CharacterClass, into text: inout AnalyzedText) {
        if whitespacePending {
            whitespacePending = false
            let joins = (lastClass == .ideograph && characterClass != .boundary)
                || (characterClass == .ideograph && lastClass == .alphanumeric)
            if !joins && input.count > 0 {
                input.append(0x20, to: &text.segmenterInput)
            }
        }
        let (first, second) = UTF8Encoding.utf16(codePoint)
        input.append(first, to: &text.segmenterInput)
        if let second {
            input.append(second, to: &text.segmenterInput)
        }
    }
}

extension UnitTokenizer {
    /// A place to resume walking a text: at byte `offset` (a character's start) the next
    /// unit gets `position`, no run of letters is open and no punctuation is pending.
    public struct Checkpoint: Sendable, Equatable {
        public var position: UInt32
        public var offset: Int

        public init(position: UInt32, offset: Int) {
            self.position = position
            self.offset = offset
        }
    }

    /// The UTF-8 byte ranges of the units at `positions` (ascending, no repeats), in the
    /// same order, found by walking the text as `analyze` does but keeping only those units,
    /// and jumping ahead to the last checkpoint before each wanted position: how a hit's match
    /// offsets are recovered from the positions its postings give. A position with no unit
    /// there (a damaged index) gets nil.
    ///
    ///     try tokenizer.byteRanges(of: [1], in: Array("大橋".utf8))  // [3..<6]
    public func byteRanges(
        of positions: [UInt32], in bytes: [UInt8], checkpoints: [Checkpoint] = []
    ) throws(AnalysisError) -> [Range<Int>?] {
        var scanner = _PositionScanner(wanted: positions)
        var checkpoint = -1
        try bytes.withUnsafeBufferPointer { (buffer) throws(AnalysisError) in
            var index = 0
            var jumpFor = -1
            while index < buffer.count && !scanner.isDone {
                if jumpFor != scanner.next {
                    jumpFor = scanner.next
                    let target = positions[scanner.next]
                    while checkpoint + 1 < checkpoints.count && checkpoints[checkpoint + 1].position <= target {
                        checkpoint += 1
                    }
                    // A checkpoint at the scanner's own position lies past a stretch without
                    // units, which the scanner crossed with no run open and nothing pending.
                    if checkpoint >= 0, checkpoints[checkpoint].offset > index, checkpoints[checkpoint].offset < buffer.count,
                       checkpoints[checkpoint].position >= scanner.position {
                        index = checkpoints[checkpoint].offset
                        scanner.resume(at: checkpoints[checkpoint].position)
                    }
                }
                // Ideographs between here and the next wanted unit only count: skip them
                // three bytes at a time, without decoding or folding.
                let skipped = scanner.skippableUnits == 0 ? 0 : UTF8Encoding.unifiedIdeographs(
                    in: buffer, from: index, atMost: scanner.skippableUnits)
                if skipped > 0 {
                    scanner.skip(skipped)
                    index += 3 * skipped
                    continue
                }
                // ASCII letters and digits inside an open run only move its end.
                if scanner.runIsOpen {
                    var end = index
                    while end < buffer.count, UTF8Encoding.isASCIIAlphanumeric(buffer[end]) {
                        end += 1
                    }
                    if end > index {
                        scanner.extendRun(to: end)
                        index = end
                        continue
                    }
                }
                if let characterClass = CharacterClass.ofPlainASCII(buffer[index]) {
                    scanner.take(characterClass, start: index, end: index + 1)
                    index += 1
                    continue
                }
                let codePoint: UInt32
                let length: Int
                if buffer[index] < 0x80 {
                    (codePoint, length) = (UInt32(buffer[index]), 1)
                } else if let decoded = UTF8Encoding.decode(buffer, at: index) {
                    (codePoint, length) = decoded
                } else {
                    throw .invalidUTF8(offset: index)
                }
                let start = index
                if (0x4E00...0x9FFF).contains(codePoint) {
                    // A unified ideograph folds to one ideograph (`_FoldBlocks`), and only
                    // the class matters here: no need to touch the folding table.
                    scanner.take(.ideograph, start: start, end: start + length)
                } else {
                    folder.fold(codePoint) { _, characterClass in
                        scanner.take(characterClass, start: start, end: start + length)
                    }
                }
                index += length
            }
        }
        scanner.closeRun()
        return scanner.ranges
    }
}

/// `byteRanges`' memory between two characters: the same position rules as
/// `_TokenizerState`, keeping only the ranges of the wanted positions.
private struct _PositionScanner {
    let wanted: [UInt32]
    /// The index in `wanted` of the next position to find.
    var next = 0
    var ranges: [Range<Int>?]
    var position: UInt32 = 0
    var hasUnits = false
    var boundaryPending = false
    var runStart = -1
    var runEnd = 0

    init(wanted: [UInt32]) {
        self.wanted = wanted
        ranges = Array(repeating: nil, count: wanted.count)
    }

    var isDone: Bool { next >= wanted.count }

    /// How many ideographs may come next without reaching a wanted position or changing
    /// more than `position`: each would only be counted (no run open, no boundary pending).
    var skippableUnits: Int {
        guard next < wanted.count, runStart < 0, !boundaryPending, hasUnits, wanted[next] > position else {
            return 0
        }
        return Int(wanted[next] - position)
    }

    var runIsOpen: Bool { runStart >= 0 }

    /// Takes letters or digits up to byte `end` into the open run, as `take` would.
    mutating func extendRun(to end: Int) {
        assert(runIsOpen, "no run to extend")
        runEnd = end
    }

    /// Counts `count` ideographs, at most `skippableUnits`, as `take` would.
    mutating func skip(_ count: Int) {
        assert(count <= skippableUnits, "skipped past a wanted position")
        position += UInt32(count)
    }

    /// Continues from a checkpoint: the state the full walk has at its offset.
    mutating func resume(at position: UInt32) {
        self.position = position
        hasUnits = true
        boundaryPending = false
        runStart = -1
    }

    @inline(__always)
    mutating func take(_ characterClass: CharacterClass, start: Int, end: Int) {
        switch characterClass {
        case .whitespace:
            closeRun()
        case .ideograph:
            closeRun()
            stepOverBoundary()
            complete(start..<end)
        case .alphanumeric:
            if runStart >= 0 {
                runEnd = end
            } else {
                stepOverBoundary()
                runStart = start
                runEnd = end
            }
        case .boundary:
            closeRun()
            boundaryPending = true
        case .ignorable:
            break
        }
    }

    @inline(__always)
    mutating func closeRun() {
        if runStart >= 0 {
            complete(runStart..<runEnd)
            runStart = -1
        }
    }

    @inline(__always)
    private mutating func stepOverBoundary() {
        if boundaryPending && hasUnits {
            position += 1
        }
        boundaryPending = false
        hasUnits = true
    }

    @inline(__always)
    private mutating func complete(_ range: Range<Int>) {
        while next < wanted.count && wanted[next] < position {
            next += 1  // no unit stands there: left nil
        }
        if next < wanted.count && wanted[next] == position {
            ranges[next] = range
            next += 1
        }
        position += 1
    }
}
