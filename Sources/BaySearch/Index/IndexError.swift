/// Why an index could not be built, opened or read. Every case says what to do next.
public enum IndexError: Error, Equatable, CustomStringConvertible {
    /// There is no index at `path`.
    case missing(path: String)
    /// A file could not be read or written.
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)
    /// A file of the index is damaged.
    case corrupt(String)
    /// The index was written by a newer BaySearch.
    case newerFormat(path: String, version: Int)
    /// The index was written by an older BaySearch, whose format this one no longer reads.
    case olderFormat(path: String, version: Int)
    /// Another process is writing this index.
    case locked(path: String)

    public var description: String {
        switch self {
        case .missing(let path):
            return "no index at \(path); build one with `baysearch index --index \(path) SOURCE`"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .unwritable(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .corrupt(let detail):
            return "the index is damaged (\(detail)); rebuild it with `baysearch index --rebuild SOURCE`"
        case .newerFormat(let path, let version):
            return "\(path) uses index format \(version), newer than this baysearch reads (\(SegmentFormat.version)); upgrade baysearch or rebuild the index"
        case .olderFormat(let path, let version):
            return "\(path) uses index format \(version), older than this baysearch reads (\(SegmentFormat.version)); rebuild the index with `baysearch index`"
        case .locked(let path):
            return "another baysearch is writing the index at \(path) (lock file \(path)/\(IndexDirectory.lockFileName)); wait for it to finish"
        }
    }
}
