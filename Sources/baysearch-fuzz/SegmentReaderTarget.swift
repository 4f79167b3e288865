import BaySearch
import Foundation

/// Writes each input over the sample index's segment file, then opens the index and runs
/// the sample queries.
///
/// Promises checked: a damaged segment makes opening or searching throw an `IndexError`,
/// never anything else, and whatever results come back still satisfy `checkHits`. libFuzzer
/// mutates the valid seed segments `Tests/Fuzz/run.sh` gives it. Inputs of even length get
/// their checksums recomputed (`SegmentChecksums.reseal`), so that the damage reaches the
/// structural checks behind the checksums, which would otherwise stop nearly every input.
final class SegmentReaderTarget: FuzzTarget {
    private let sample: SampleIndex
    private let segmentPath: String
    private let queries: [Query]

    init() throws {
        sample = try SampleIndex()
        let segments = try sample.segmentPaths()
        // One worker and a few small documents make one segment; the target replaces it.
        precondition(segments.count == 1, "the sample index has \(segments.count) segments, not 1")
        segmentPath = segments[0]
        let analyzer = Analyzer()
        queries = try SampleIndex.queries.map { try QueryParser.parse($0, analyzer: analyzer) }
    }

    func run(_ input: [UInt8]) {
        // A new file each time: ext4 flushes a file truncated and rewritten in place to disk
        // on close, which would make writing, not reading, the cost of each input.
        unlink(segmentPath)
        let descriptor = open(segmentPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        precondition(descriptor >= 0, "cannot create \(segmentPath): errno \(errno)")
        let file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var bytes = input
        if bytes.count % 2 == 0 {
            SegmentChecksums.reseal(&bytes)
        }
        do {
            try file.write(contentsOf: bytes)
        } catch {
            preconditionFailure("cannot write \(segmentPath): \(error)")
        }
        do {
            let index = try SearchIndex(path: sample.path)
            _ = index.storageSize
            for query in queries {
                checkHits(try index.search(query, limit: 5), limit: 5, "for \(query.text.debugDescription)")
            }
        } catch is IndexError {
            return
        } catch {
            preconditionFailure("a damaged segment threw \(error), not an IndexError")
        }
    }
}
