/// Encodes one term's postings list in the layout of `SegmentFormat`, for the segment
/// merger and for writers joined into one segment: document by document, or a whole list
/// of a segment without deletions (or of a writer) at once.
///
///     var list = _PostingsListEncoder()
///     list.append(document: 3, frequency: 2, positions: encodedDeltas)
///     var output = _ByteBuffer()
///     list.write(to: &output)
///
/// A document with frequency 1, most of them, costs no frequency byte: its delta carries
/// the flag in its low bit. Positions are the documents' encoded position deltas, back to
/// back; skip entries (document index, byte offset into the positions) placed by
/// `needsSkipEntry` let a reader find any document's positions by skipping little more
/// than `skipBytes`, or `skipInterval` documents, whatever the term's frequency.
///
/// Invariant: documents are appended in increasing order.
struct _PostingsListEncoder: ~Copyable {
    /// The most documents between two skip entries of a list written whole.
    static let skipInterval = 64
    /// Bytes of positions after which the next document gets a skip entry: a term frequent
    /// in every document (punctuation, the commonest characters) gets one every few.
    static let skipBytes = 512

    /// Whether the document at `index`, whose positions start at byte `offset`, gets a skip
    /// entry after the last one, at (`lastIndex`, `lastOffset`).
    static func needsSkipEntry(index: Int, offset: Int, lastIndex: Int, lastOffset: Int) -> Bool {
        index > 0 && (index - lastIndex >= skipInterval || offset - lastOffset >= skipBytes)
    }

    private var documentDeltas = _ByteBuffer()
    private var frequencies = _ByteBuffer()
    private var skipEntries = _ByteBuffer()
    /// The positions the encoder holds; see `write`.
    private var positions = _ByteBuffer()
    /// The bytes of all the list's positions, held or not.
    private var positionsEnd = 0
    private var skipCount = 0
    private var lastSkipIndex = 0
    private var lastSkipOffset = 0
    private(set) var documentFrequency = 0
    private var lastDocument = 0

    mutating func removeAll() {
        documentDeltas.removeAll()
        frequencies.removeAll()
        skipEntries.removeAll()
        positions.removeAll()
        positionsEnd = 0
        skipCount = 0
        lastSkipIndex = 0
        lastSkipOffset = 0
        documentFrequency = 0
        lastDocument = 0
    }

    /// Appends `document` (above the last one) holding the term `frequency` times, with
    /// `encoded`, its `frequency` varint position deltas.
    mutating func append(document: Int, frequency: Int, positions encoded: UnsafeRawBufferPointer) {
        precondition(frequency >= 1, "a document holds the term at least once")
        if _PostingsListEncoder.needsSkipEntry(
            index: documentFrequency, offset: positionsEnd, lastIndex: lastSkipIndex, lastOffset: lastSkipOffset) {
            addSkipEntry(index: documentFrequency, offset: positionsEnd)
        }
        appendDelta(to: document, flagged: frequency == 1)
        if frequency > 1 {
            _VarInt.append(UInt64(frequency), to: &frequencies)
        }
        positions.append(encoded)
        positionsEnd += encoded.count
        documentFrequency += 1
    }

    /// Appends a whole list of a segment without deletions (`list`, parsed from `bytes`),
    /// whose document `d` becomes `firstNumber + d`: its parts are copied as they are, only
    /// its first document delta is written anew and its skip entries are shifted.
    mutating func appendList(_ list: _EncodedPostingsList, in bytes: UnsafeRawBufferPointer, firstNumber: Int) {
        appendList(
            documentFrequency: list.documentFrequency, firstDocument: firstNumber + list.firstDocument,
            firstFlagged: list.firstFlagged, lastDocument: firstNumber + list.lastDocument,
            laterDeltas: UnsafeRawBufferPointer(rebasing: bytes[list.laterDeltas]),
            frequencies: UnsafeRawBufferPointer(rebasing: bytes[list.frequencies]), skipEntries: list.skipEntries,
            positionByteCount: list.positions.count)
        positions.append(UnsafeRawBufferPointer(rebasing: bytes[list.positions]))
    }

    /// Appends a whole list given by its parts, already renumbered: the first document and
    /// whether its frequency is 1, the last document, the encoded deltas after the first,
    /// the frequencies, the skip entries (from the list's own start) and the length of its
    /// positions, which the encoder does not hold: the caller appends them after `write`'s
    /// output, in the order of the lists.
    mutating func appendList(
        documentFrequency count: Int, firstDocument: Int, firstFlagged: Bool, lastDocument: Int,
        laterDeltas: UnsafeRawBufferPointer, frequencies: UnsafeRawBufferPointer,
        skipEntries: [_EncodedPostingsList.SkipEntry], positionByteCount: Int
    ) {
        guard count > 0 else {
            return
        }
        let (base, offset) = (documentFrequency, positionsEnd)
        if _PostingsListEncoder.needsSkipEntry(index: base, offset: offset, lastIndex: lastSkipIndex, lastOffset: lastSkipOffset) {
            addSkipEntry(index: base, offset: offset)
        }
        appendDelta(to: firstDocument, flagged: firstFlagged)
        documentDeltas.append(laterDeltas)
        self.frequencies.append(frequencies)
        for entry in skipEntries {
            addSkipEntry(index: base + entry.index, offset: offset + entry.offset)
        }
        positionsEnd += positionByteCount
        self.lastDocument = lastDocument
        documentFrequency += count
    }

    private mutating func appendDelta(to document: Int, flagged: Bool) {
        precondition(document >= 0 && (documentFrequency == 0 || document > lastDocument), "documents out of order")
        let delta = UInt64(document - (documentFrequency == 0 ? 0 : lastDocument))
        _VarInt.append(delta << 1 | (flagged ? 1 : 0), to: &documentDeltas)
        lastDocument = document
    }

    private mutating func addSkipEntry(index: Int, offset: Int) {
        _VarInt.append(UInt64(index - lastSkipIndex), to: &skipEntries)
        _VarInt.append(UInt64(offset - lastSkipOffset), to: &skipEntries)
        (lastSkipIndex, lastSkipOffset) = (index, offset)
        skipCount += 1
    }

    /// Appends the encoded list: document frequency, flagged deltas, frequencies above 1,
    /// skip entries, and the positions the encoder holds (all but those of lists appended by
    /// their parts).
    func write(to output: inout _ByteBuffer) {
        _VarInt.append(UInt64(documentFrequency), to: &output)
        output.append(documentDeltas)
        output.append(frequencies)
        _VarInt.append(UInt64(skipCount), to: &output)
        output.append(skipEntries)
        output.append(positions)
    }
}
