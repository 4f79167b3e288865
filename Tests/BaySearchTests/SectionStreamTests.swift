@testable import BaySearch
import Foundation
import Testing

/// `_SectionStream`, which merges read their inputs through: every range it gives holds
/// exactly the file's bytes, however reads overlap, cross blocks or outgrow the window, and
/// a damaged block fails its checksum.
@Suite struct SectionStreamTests {
    static func segmentPath(in directory: TemporaryDirectory) throws -> String {
        let indexPath = try CorruptionTests.makeIndex(in: directory)
        return indexPath + "/" + (try IndexDirectory(path: indexPath).readManifest().segments[0].segment)
    }

    @Test func everyRangeHoldsTheFilesBytes() throws {
        let directory = try TemporaryDirectory()
        let path = try SectionStreamTests.segmentPath(in: directory)
        let file = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let segment = try SegmentReader(path: path)
        #expect(segment.checkedEnd > 8 * _SectionStream.readAhead, "the segment is too small to slide the window")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let stream = _SectionStream(try _SegmentFileDescriptor(segment))
            var start = SegmentFormat.headerSize
            while start < segment.checkedEnd {
                // Mostly short reads, some past the window (a long postings list), some empty.
                let longest = Int.random(in: 0..<8, using: &generator) == 0 ? 3 * _SectionStream.readAhead : 300
                let end = min(segment.checkedEnd, start + Int.random(in: 0...longest, using: &generator))
                let bytes = try stream.bytes(start..<end)
                #expect(bytes.elementsEqual(file[start..<end]), "bytes \(start)..<\(end)")
                // The next read starts inside this one, at its end, or a little past it.
                start += Int.random(in: 0...(end - start + 40), using: &generator)
            }
        }
    }

    @Test func aDamagedBlockFailsItsChecksum() throws {
        let directory = try TemporaryDirectory()
        let path = try SectionStreamTests.segmentPath(in: directory)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let segment = try SegmentReader(path: path)
        let damagedAt = segment.start(of: .postings) + segment.size(of: .postings) / 2
        bytes[damagedAt] ^= 0x04
        try bytes.write(to: URL(fileURLWithPath: path))
        let stream = _SectionStream(try _SegmentFileDescriptor(segment))
        let error = #expect(throws: IndexError.self) {
            var start = SegmentFormat.headerSize
            while start < segment.checkedEnd {
                _ = try stream.bytes(start..<min(start + 100, segment.checkedEnd))
                start += 100
            }
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("fail their checksum"))
        #expect(throws: IndexError.self) {
            try SegmentMerger.merge([segment], to: directory.path + "/merged.bay")
        }
    }

    @Test func readsOutsideTheCheckedSectionsAreRefused() throws {
        let directory = try TemporaryDirectory()
        let segment = try SegmentReader(path: try SectionStreamTests.segmentPath(in: directory))
        let stream = _SectionStream(try _SegmentFileDescriptor(segment))
        #expect(throws: IndexError.self) { try stream.bytes(0..<10) }
        #expect(throws: IndexError.self) { try stream.bytes(segment.checkedEnd - 2..<segment.checkedEnd + 2) }
    }
}
