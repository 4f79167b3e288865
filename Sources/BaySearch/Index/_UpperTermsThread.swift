import Foundation

/// The terms above a pivot, written on a thread of their own into a spill file while the
/// calling thread writes the documents and the terms below: how a merge or a flush of
/// several writers uses both cores. Once the caller has written the lower terms,
/// `appendUpperTerms` adds these after them.
///
///     let upper = try _UpperTermsThread(nextTo: path) { spill throws(IndexError) in
///         try writeTerms(above: pivot) { encoded throws(IndexError) in try spill.append(encoded) }
///     }
///     // … this thread writes the documents and the terms below the pivot …
///     try upper.appendUpperTerms(to: &dictionary, postingsTo: file)
///
/// `body` must only read what the calling thread does not change until `wait` returns.
final class _UpperTermsThread: @unchecked Sendable {
    // The thread reads `body` and writes `result` and `spill`; the caller touches them only
    // after `finished` is signalled.
    private let spill: _SpillFile
    private let body: (_SpillFile) throws(IndexError) -> _TermDictionaryBuilder
    private var result: Result<_TermDictionaryBuilder, IndexError> = .success(_TermDictionaryBuilder())
    private let finished = DispatchSemaphore(value: 0)
    private var joined = false

    /// Starts the thread, with its spill file in the directory of `path`.
    init(nextTo path: String, _ body: @escaping (_SpillFile) throws(IndexError) -> _TermDictionaryBuilder) throws(IndexError) {
        spill = try _SpillFile(directory: (path as NSString).deletingLastPathComponent)
        self.body = body
        let thread = Thread { [self] in
            result = Result { () throws(IndexError) in try self.body(spill) }
            finished.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Once the thread is done, appends the upper terms to `dictionary` and their postings,
    /// from the spill, to `file`: what the caller does after writing the lower terms.
    func appendUpperTerms(to dictionary: inout _TermDictionaryBuilder, postingsTo file: _SegmentFileWriter) throws(IndexError) {
        dictionary.append(contentsOf: try wait())
        try spill.forEachChunk { chunk throws(IndexError) in try file.append(chunk) }
    }

    /// The upper terms' dictionary, once the thread is done; may be asked again.
    func wait() throws(IndexError) -> _TermDictionaryBuilder {
        if !joined {
            finished.wait()
            joined = true
        }
        return try result.get()
    }
}
