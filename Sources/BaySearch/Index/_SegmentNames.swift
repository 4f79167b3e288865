import Foundation

/// Hands out the names of the files one build writes, from any thread, and remembers them
/// so that a failed build removes exactly its own files.
final class _SegmentNames: @unchecked Sendable {
    private let generation: Int
    private let lock = NSLock()
    private var names: [String] = []
    private var sequence = 0

    init(generation: Int) {
        self.generation = generation
    }

    func next() -> String {
        lock.withLock {
            let name = IndexDirectory.segmentName(generation: generation, sequence: sequence)
            sequence += 1
            names.append(name)
            return name
        }
    }

    /// Adds files written under other names (deletion files) to `all`.
    func record(_ written: [String]) {
        lock.withLock { names += written }
    }

    var all: [String] { lock.withLock { names } }
}
