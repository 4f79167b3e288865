/// The smallest thing BaySearch matches: one ideograph, or one run of letters and digits.
///
/// `position` counts units from the start of the text, with one extra step at each
/// punctuation boundary so that no phrase matches across it. `start..<end` is the unit's
/// UTF-8 byte range in the original text.
public struct Unit: Equatable, Sendable {
    /// The folded ideograph, or 0 for an alphanumeric run.
    public var ideograph: UInt32
    /// Where the folded run sits in `AnalyzedText.runBytes` (alphanumeric runs only).
    public var runStart: UInt32
    public var runLength: UInt32
    public var position: UInt32
    public var start: UInt32
    public var end: UInt32

    public var isIdeograph: Bool { ideograph != 0 }
}

/// The term of a punctuation boundary: no unit's term can be a NUL byte.
public let boundaryTerm: [UInt8] = [0]

/// The unit stream of one text, and the folded text ICU segments.
public struct AnalyzedText: Equatable, Sendable {
    public var units: [Unit] = []
    /// Folded UTF-8 of every alphanumeric run, back to back.
    public var runBytes: [UInt8] = []
    /// The positions left empty where punctuation separates two units, ascending. They are
    /// indexed as the boundary term, so `香港，青年` matches punctuation there and nothing else.
    public var boundaries: [UInt32] = []
    /// Folded UTF-16 with the whitespace between ideographs removed: what ICU segments.
    public var segmenterInput: [UInt16] = []
    /// Places to resume walking the text from, one every `UnitTokenizer.checkpointInterval`
    /// units or so, ascending.
    public var checkpoints: [UnitTokenizer.Checkpoint] = []

    public init() {}

    mutating func removeAll() {
        units.removeAll(keepingCapacity: true)
        runBytes.removeAll(keepingCapacity: true)
        boundaries.removeAll(keepingCapacity: true)
        checkpoints.removeAll(keepingCapacity: true)
        segmenterInput.removeAll(keepingCapacity: true)
    }

    /// The folded UTF-8 of a unit: its term in the index.
    public func termBytes(of unit: Unit) -> ArraySlice<UInt8> {
        if unit.isIdeograph {
            return ArraySlice(UTF8Encoding.encode(unit.ideograph))
        }
        let start = Int(unit.runStart)
        return runBytes[start..<start + Int(unit.runLength)]
    }

    /// The folded text of a unit.
    public func text(of unit: Unit) -> String {
        String(decoding: termBytes(of: unit), as: UTF8.self)
    }
}
