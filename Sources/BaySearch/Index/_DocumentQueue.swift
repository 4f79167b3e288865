import Foundation

/// A bounded queue handing documents from the reading thread to the indexing threads.
///
/// Invariant: the waiting documents hold at most `capacityBytes` of text (or are a single
/// document), so memory stays bounded however large the corpus; `close()` lets the workers
/// drain what is left and stop; `cancel()` drops it.
final class _DocumentQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [SourceDocument] = []
    private var head = 0
    private var closed = false
    private var cancelled = false
    private var waitingBytes = 0
    /// Whether the reading thread waits for room, and how many workers wait for documents:
    /// nobody is woken who is not waiting.
    private var readerWaits = false
    private var waitingWorkers = 0
    private let capacityBytes: Int

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    /// Waits for room, then adds `document`. Returns false once the queue was cancelled.
    ///
    /// A full queue is left to drain to half its capacity before the reader adds to it
    /// again: waking the reader for every document a worker takes would cost a context
    /// switch per document, on cores the workers need.
    func push(_ document: SourceDocument) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if head < waiting.count && waitingBytes + document.text.count > capacityBytes {
            readerWaits = true
            while head < waiting.count
                && (waitingBytes > capacityBytes / 2 || waitingBytes + document.text.count > capacityBytes) && !cancelled {
                condition.wait()
            }
            readerWaits = false
        }
        guard !cancelled else {
            return false
        }
        waiting.append(document)
        waitingBytes += document.text.count
        if waitingWorkers > 0 {
            condition.broadcast()
        }
        return true
    }

    /// The next document, or nil once the queue is closed and empty, or cancelled.
    func pop() -> SourceDocument? {
        condition.lock()
        defer { condition.unlock() }
        while head == waiting.count && !closed && !cancelled {
            waitingWorkers += 1
            condition.wait()
            waitingWorkers -= 1
        }
        guard !cancelled, head < waiting.count else {
            return nil
        }
        let document = waiting[head]
        head += 1
        waitingBytes -= document.text.count
        if head >= 1024 && head * 2 >= waiting.count {
            waiting.removeFirst(head)
            head = 0
        }
        if readerWaits && waitingBytes <= capacityBytes / 2 {
            condition.broadcast()
        }
        return document
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
