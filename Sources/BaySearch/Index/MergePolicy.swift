/// Decides which segments to merge after a commit, so that an index updated many times
/// keeps few segments and drops its deleted documents, while each document is rewritten
/// only a logarithmic number of times.
///
///     let merges = MergePolicy().merges(for: [(bytes: 1 << 20, documents: 10, deleted: 0), …])
///
/// The policy, Lucene's log-size policy in miniature:
/// - segments are put in size levels: level 0 up to `floorBytes`, each level above holds
///   segments `mergeFactor` times larger than the one below;
/// - whenever a level holds `mergeFactor` or more segments, they are merged into one (which
///   may fill the next level, so the caller asks again after merging);
/// - a segment with more than `maximumDeletedFraction` of its documents deleted is rewritten
///   on its own, without them;
/// - no merge writes more than `maximumMergedBytes` (the format's 4 GiB of postings lie
///   within it): a level's group stops short of it, and a segment over a `mergeFactor`th of
///   it is merged no further, as Lucene caps its merged segments.
struct MergePolicy {
    var mergeFactor = 4
    var floorBytes = 4 << 20
    var maximumDeletedFraction = 0.25
    var maximumMergedBytes = 1 << 32

    struct Segment {
        var bytes: Int
        var documents: Int
        var deleted: Int
    }

    /// Groups of indices into `segments`, each to be merged into one segment; no index is
    /// in two groups. Empty when the index is fine as it is.
    func merges(for segments: [Segment]) -> [[Int]] {
        var byLevel: [Int: [Int]] = [:]
        var merges: [[Int]] = []
        for (index, segment) in segments.enumerated() {
            if segment.documents > 0, Double(segment.deleted) > maximumDeletedFraction * Double(segment.documents) {
                merges.append([index])
            } else {
                byLevel[level(of: segment.bytes), default: []].append(index)
            }
        }
        for level in byLevel.keys.sorted() {
            var group: [Int] = []
            var groupBytes = 0
            for member in byLevel[level] ?? [] where segments[member].bytes <= maximumMergedBytes / max(1, mergeFactor) {
                if groupBytes + segments[member].bytes > maximumMergedBytes {
                    break
                }
                group.append(member)
                groupBytes += segments[member].bytes
            }
            if group.count >= mergeFactor {
                merges.append(group)
            }
        }
        return merges
    }

    private func level(of bytes: Int) -> Int {
        var size = max(bytes, floorBytes)
        var level = 0
        while mergeFactor > 1, size / mergeFactor >= floorBytes {
            size /= mergeFactor
            level += 1
        }
        return level
    }
}
