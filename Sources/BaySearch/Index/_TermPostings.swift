import CPrefetch

/// One term's postings while a segment is built: two streams in the writer's
/// `_ByteStreamPool` and the little state needed to extend them.
///
/// - `documents` holds, per document, `delta << 1 | (frequency == 1)` and, when the
///   frequency is above 1, the frequency; before a document that gets a skip entry
///   (`_PostingsListEncoder.needsSkipEntry`), a 0, which no later document's entry can
///   be, and the byte length of the positions since the last entry. These are the on-disk
///   list's deltas, frequencies and skip entries, interleaved (`SegmentFormat`).
/// - `positions` holds each document's position deltas, as on disk.
///
/// A document's entry is written only when the term's next document comes, or at
/// `encode`, since its frequency is not known before; positions go straight to their
/// stream. Invariant: documents arrive in increasing order, positions in increasing order
/// within a document.
struct _TermPostings {
    private var documents: _ByteStreamPool.Stream
    private var positions: _ByteStreamPool.Stream
    /// The document being added to, or -1.
    private var openDocument: Int32 = -1
    /// The last document whose entry is written.
    private var writtenDocument: Int32 = 0
    private var frequency: UInt32 = 0
    private var lastPosition: UInt32 = 0
    private var writtenDocuments: UInt32 = 0
    private var lastSkipIndex: UInt32 = 0
    private var positionBytes = 0
    private var openDocumentStart = 0
    private var lastSkipOffset = 0

    init(pool: borrowing _ByteStreamPool) {
        documents = pool.makeStream()
        positions = pool.makeStream()
    }

    @inline(__always)
    mutating func add(position: UInt32, document: Int32, pool: _ByteStreamPool) {
        if document != openDocument {
            if openDocument >= 0 {
                writeDocument(pool)
            }
            openDocument = document
            openDocumentStart = positionBytes
            frequency = 0
            lastPosition = 0
        }
        let delta = position - lastPosition
        positionBytes += _VarInt.length(UInt64(delta))
        pool.appendVarInt(UInt64(delta), to: &positions)
        lastPosition = position
        frequency += 1
    }

    /// Starts loading where the next position will be written (`SegmentWriter.invert`).
    @inline(__always)
    func prefetchPositionWrite(_ pool: _ByteStreamPool) {
        pool.prefetchWrite(of: positions)
    }

    /// Starts loading the first chunk of each stream, where `encode` starts reading.
    @inline(__always)
    func prefetchStarts(_ pool: _ByteStreamPool) {
        pool.prefetchStart(of: documents)
        pool.prefetchStart(of: positions)
    }

    /// The open document's entry: whether a skip entry comes before it, its delta flagged
    /// when its frequency is 1, and its frequency.
    @inline(__always)
    private var openEntry: (skipEntry: Bool, flaggedDelta: UInt64, frequency: UInt32) {
        let skipEntry = _PostingsListEncoder.needsSkipEntry(
            index: Int(writtenDocuments), offset: openDocumentStart, lastIndex: Int(lastSkipIndex), lastOffset: lastSkipOffset)
        let delta = UInt64(openDocument - (writtenDocuments == 0 ? 0 : writtenDocument))
        return (skipEntry, delta << 1 | (frequency == 1 ? 1 : 0), frequency)
    }

    private mutating func writeDocument(_ pool: _ByteStreamPool) {
        let entry = openEntry
        if entry.skipEntry {
            pool.append(0, to: &documents)
            pool.appendVarInt(UInt64(openDocumentStart - lastSkipOffset), to: &documents)
            lastSkipOffset = openDocumentStart
            lastSkipIndex = writtenDocuments
        }
        pool.appendVarInt(entry.flaggedDelta, to: &documents)
        if entry.frequency > 1 {
            pool.appendVarInt(UInt64(entry.frequency), to: &documents)
        }
        writtenDocument = openDocument
        writtenDocuments += 1
        openDocument = -1
    }

    /// The on-disk parts of a list (`SegmentFormat`), which `encode` and `append` split the
    /// document stream into; reused from term to term.
    struct Scratch: ~Copyable {
        fileprivate var interleaved = _ByteBuffer()
        /// Every document's flagged delta, the first one's from 0.
        fileprivate var deltas = _ByteBuffer()
        /// The first document's flagged delta, and the bytes it takes in `deltas`.
        fileprivate var firstDelta: UInt64 = 0
        fileprivate var firstDeltaLength = 0
        fileprivate var frequencies = _ByteBuffer()
        fileprivate var skipEntries: [_EncodedPostingsList.SkipEntry] = []
    }

    /// How many documents hold the term.
    var documentCount: Int { Int(writtenDocuments) + (openDocument >= 0 ? 1 : 0) }

    /// Bytes of positions: most of the list's size.
    var positionByteCount: Int { positionBytes }

    /// Appends the on-disk list (see `SegmentFormat`): the document entries are split into
    /// deltas, frequencies and skip entries, the positions copied as they are.
    func encode(into output: inout _ByteBuffer, pool: _ByteStreamPool, scratch: inout Scratch) {
        split(pool, into: &scratch)
        _VarInt.append(UInt64(documentCount), to: &output)
        output.append(scratch.deltas)
        output.append(scratch.frequencies)
        _VarInt.append(UInt64(scratch.skipEntries.count), to: &output)
        var last = _EncodedPostingsList.SkipEntry(index: 0, offset: 0)
        for entry in scratch.skipEntries {
            _VarInt.append(UInt64(entry.index - last.index), to: &output)
            _VarInt.append(UInt64(entry.offset - last.offset), to: &output)
            last = entry
        }
        pool.copy(positions, to: &output)
    }

    /// Appends the list to `list` with document `d` renumbered `firstNumber + d`, all but its
    /// positions, which `copyPositions` appends after `list`'s output: how the lists of
    /// several writers join into one segment.
    func append(to list: inout _PostingsListEncoder, firstNumber: Int, pool: _ByteStreamPool, scratch: inout Scratch) {
        split(pool, into: &scratch)
        let (first, lastDocument) = (scratch.firstDelta, Int(openDocument >= 0 ? openDocument : writtenDocument))
        scratch.deltas.withBytes { deltas in
            scratch.frequencies.withBytes { frequencies in
                list.appendList(
                    documentFrequency: documentCount, firstDocument: firstNumber + Int(first >> 1), firstFlagged: first & 1 == 1,
                    lastDocument: firstNumber + lastDocument,
                    laterDeltas: UnsafeRawBufferPointer(rebasing: deltas[scratch.firstDeltaLength...]),
                    frequencies: frequencies, skipEntries: scratch.skipEntries, positionByteCount: positionBytes)
            }
        }
    }

    func copyPositions(to output: inout _ByteBuffer, pool: _ByteStreamPool) {
        pool.copy(positions, to: &output)
    }

    /// Splits the document stream into `scratch`'s parts. The open document's entry, not
    /// written yet, is taken from `openEntry` as `writeDocument` takes it, so the pool is
    /// only read: the terms of one pool may be split on several threads at once.
    private func split(_ pool: _ByteStreamPool, into scratch: inout Scratch) {
        scratch.interleaved.removeAll()
        scratch.deltas.removeAll()
        scratch.frequencies.removeAll()
        if !scratch.skipEntries.isEmpty {
            scratch.skipEntries.removeAll(keepingCapacity: true)
        }
        pool.copy(documents, to: &scratch.interleaved)
        var skipOffset = 0
        scratch.interleaved.withBytes { entries in
            var index = 0
            for document in 0..<Int(writtenDocuments) {
                var flagged = next(entries, &index)
                if document > 0 && flagged == 0 {
                    skipOffset += Int(next(entries, &index))
                    scratch.skipEntries.append(.init(index: document, offset: skipOffset))
                    flagged = next(entries, &index)
                }
                _VarInt.append(flagged, to: &scratch.deltas)
                if flagged & 1 == 0 {
                    _VarInt.append(next(entries, &index), to: &scratch.frequencies)
                }
            }
        }
        if openDocument >= 0 {
            let entry = openEntry
            if entry.skipEntry {
                scratch.skipEntries.append(.init(index: Int(writtenDocuments), offset: openDocumentStart))
            }
            _VarInt.append(entry.flaggedDelta, to: &scratch.deltas)
            if entry.frequency > 1 {
                _VarInt.append(UInt64(entry.frequency), to: &scratch.frequencies)
            }
        }
        (scratch.firstDelta, scratch.firstDeltaLength) = scratch.deltas.withBytes { bytes in
            var index = 0
            return bytes.isEmpty ? (0, 0) : (next(bytes, &index), index)
        }
    }

    /// The next integer of a stream this type wrote whole.
    @inline(__always)
    private func next(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> UInt64 {
        guard let value = _VarInt.read(bytes, at: &index, end: bytes.count) else {
            preconditionFailure("_TermPostings holds a truncated integer")
        }
        return value
    }
}

extension UnsafeBufferPointer where Element == _TermPostings {
    /// Starts loading the cache lines of term `term`'s entry (`SegmentWriter`): its
    /// first and last, which is all of it unless it straddles three.
    @inline(__always)
    func prefetch(_ term: Int) {
        guard let base = baseAddress else {
            return
        }
        let entry = UnsafeRawPointer(base + term)
        bay_prefetch(entry)
        bay_prefetch(entry + MemoryLayout<_TermPostings>.size - 1)
    }
}
