import Foundation

/// Syncs finished segment files on a thread of its own, so that an indexing worker goes back
/// to analysing while the disk catches up; whoever commits waits for every sync first, so no
/// manifest ever names a file that is not on disk.
///
///     let syncs = _BackgroundSync()
///     try file.finish(documentCount: 2, totalWords: 10, termCount: 5, syncedBy: syncs)
///     try syncs.waitForAll()  // then commit
///
/// A worker used to wait 4 to 7 ms for each flushed segment's `fsync`, with its core idle.
final class _BackgroundSync: @unchecked Sendable {
    private let queue = DispatchQueue(label: "baysearch.segment-sync")
    private let lock = NSLock()
    private var failure: IndexError?

    /// Syncs and closes `descriptor`, the finished file at `path`, and takes it over.
    func syncAndClose(_ descriptor: Int32, path: String) {
        queue.async {
            let reason = fsync(descriptor) == 0 ? nil : _FileIO.lastError()
            close(descriptor)
            if let reason {
                self.lock.withLock {
                    self.failure = self.failure ?? .unwritable(path: path, reason: reason)
                }
            }
        }
    }

    /// Returns once every file handed over so far is synced; throws the first failure.
    func waitForAll() throws(IndexError) {
        queue.sync {}
        if let failure = lock.withLock({ failure }) {
            throw failure
        }
    }
}
