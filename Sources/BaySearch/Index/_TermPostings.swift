/// One term's postings while a segment is built: two streams in the writer's
/// `_ByteStreamPool` and the little state needed to extend them.
///
/// - `documents` holds, per document, `delta << 1 | (frequency == 1)` and, when the
///   frequency is above 1, the frequency; before every `skipInterval`th document after the
///   first, the byte length of the previous ones' positions. These are the on-disk list's
///   deltas, frequencies and skip entries, interleaved (`SegmentFormat`).
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
    private var positionBytes = 0
    private var openDocumentStart = 0
    private var blockStart = 0

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

    private mutating func writeDocument(_ pool: _ByteStreamPool) {
        if writtenDocuments > 0 && Int(writtenDocuments) % _PostingsListEncoder.skipInterval == 0 {
            pool.appendVarInt(UInt64(openDocumentStart - blockStart), to: &documents)
            blockStart = openDocumentStart
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
        scratch.interleaved.withUnsafeBytes { entries in
            var index = 0
            for document in 0..<Int(finished.writtenDocuments) {
                if document > 0 && document % _PostingsListEncoder.skipInterval == 0 {
                    _VarInt.append(UInt64(_PostingsListEncoder.skipInterval), to: &scratch.skipEntries)
                    _VarInt.append(next(entries, &index), to: &scratch.skipEntries)
                }
                let flagged = next(entries, &index)
                _VarInt.append(flagged, to: &output)
                if flagged & 1 == 0 {
                    _VarInt.append(next(entries, &index), to: &scratch.frequencies)
                }
            }
        }
        output += scratch.frequencies
        let skipCount = finished.writtenDocuments > 0 ? (Int(finished.writtenDocuments) - 1) / _PostingsListEncoder.skipInterval : 0
        _VarInt.append(UInt64(skipCount), to: &output)
        output += scratch.skipEntries
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
