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

    init(pool: _ByteStreamPool) {
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

    private mutating func writeDocument(_ pool: _ByteStreamPool) {
        if _PostingsListEncoder.needsSkipEntry(
            index: Int(writtenDocuments), offset: openDocumentStart, lastIndex: Int(lastSkipIndex), lastOffset: lastSkipOffset) {
            pool.append(0, to: &documents)
            pool.appendVarInt(UInt64(openDocumentStart - lastSkipOffset), to: &documents)
            lastSkipOffset = openDocumentStart
            lastSkipIndex = writtenDocuments
        }
        let delta = UInt64(openDocument - (writtenDocuments == 0 ? 0 : writtenDocument))
        pool.appendVarInt(delta << 1 | (frequency == 1 ? 1 : 0), to: &documents)
        if frequency > 1 {
            pool.appendVarInt(UInt64(frequency), to: &documents)
        }
        writtenDocument = openDocument
        writtenDocuments += 1
        openDocument = -1
    }

    /// Buffers `encode` reuses from term to term.
    struct Scratch {
        fileprivate var interleaved: [UInt8] = []
        fileprivate var frequencies: [UInt8] = []
        fileprivate var skipEntries: [UInt8] = []
    }

    /// Appends the on-disk list (see `SegmentFormat`): the document entries are split into
    /// deltas, frequencies and skip entries, the positions copied as they are. The open document's entry is
    /// written by a copy of this state, so the term must not grow after this.
    func encode(into output: inout [UInt8], pool: _ByteStreamPool, scratch: inout Scratch) {
        var finished = self
        if finished.openDocument >= 0 {
            finished.writeDocument(pool)
        }
        scratch.interleaved.removeAll(keepingCapacity: true)
        scratch.frequencies.removeAll(keepingCapacity: true)
        scratch.skipEntries.removeAll(keepingCapacity: true)
        pool.copy(finished.documents, to: &scratch.interleaved)
        _VarInt.append(UInt64(finished.writtenDocuments), to: &output)
        var skipCount = 0
        scratch.interleaved.withUnsafeBytes { entries in
            var index = 0
            var lastSkip = 0
            for document in 0..<Int(finished.writtenDocuments) {
                var flagged = next(entries, &index)
                if document > 0 && flagged == 0 {
                    _VarInt.append(UInt64(document - lastSkip), to: &scratch.skipEntries)
                    _VarInt.append(next(entries, &index), to: &scratch.skipEntries)
                    lastSkip = document
                    skipCount += 1
                    flagged = next(entries, &index)
                }
                _VarInt.append(flagged, to: &output)
                if flagged & 1 == 0 {
                    _VarInt.append(next(entries, &index), to: &scratch.frequencies)
                }
            }
        }
        // Appended through their buffers: appending the arrays retains and releases each.
        scratch.frequencies.withUnsafeBufferPointer { output.append(contentsOf: $0) }
        _VarInt.append(UInt64(skipCount), to: &output)
        scratch.skipEntries.withUnsafeBufferPointer { output.append(contentsOf: $0) }
        pool.copy(finished.positions, to: &output)
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
