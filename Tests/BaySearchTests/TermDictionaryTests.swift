@testable import BaySearch
import Foundation
import Testing

/// The block dictionary (`SegmentFormat.termBlocks`) read every way it is read: by lookup
/// (search), by index (the reader, the merge's probe) and in order from any term (the
/// merge's cursors).
@Suite struct TermDictionaryTests {
    private let directory: TemporaryDirectory
    private let segment: SegmentReader
    /// Every term, by index, as the reader reads it.
    private let terms: [[UInt8]]

    init() throws {
        directory = try TemporaryDirectory()
        try PostingsTests.writeSegment(try Fixtures.corpus().map(\.text), to: directory.path + "/corpus.bay")
        let segment = try SegmentReader(path: directory.path + "/corpus.bay")
        self.segment = segment
        terms = try (0..<segment.termCount).map { try segment.termBytes(at: $0) }
    }

    @Test func termsComeBackSortedAndUnique() throws {
        #expect(segment.termCount > 5_000)
        #expect(zip(terms, terms.dropFirst()).allSatisfy { SegmentSerializer.bytewiseLess($0, $1) })
        #expect(terms.contains(Array("桥".utf8)) && terms.contains(Array("大桥".utf8)) && terms.contains(boundaryTerm))
    }

    @Test func everyTermIsFoundWithItsOwnPostings() throws {
        for (index, term) in terms.enumerated() {
            let found = try #require(try segment.postings(of: term), "\(index)")
            let byIndex = try segment.postings(at: index)
            #expect(found.documents == byIndex.documents && found.frequencies == byIndex.frequencies, "\(index)")
        }
    }

    @Test func termsBetweenTermsAreNotFound() throws {
        var absent: [[UInt8]] = [[], [0x00, 0x00], [0xFF, 0xFF], Array("桥桥桥桥桥".utf8)]
        for (term, next) in zip(terms, terms.dropFirst()) where term + [0] != next {
            absent.append(term + [0])
        }
        absent += terms.map { Array($0.dropLast()) }.filter { !$0.isEmpty && !terms.contains($0) }.prefix(500)
        for term in absent {
            #expect(try segment.postings(of: term) == nil, "\(term)")
        }
    }

    /// Dictionaries whose last block is full, holds one term, or is the only one.
    @Test(arguments: [1, 15, 16, 17, 32, 33])
    func smallDictionariesReadBackWhole(termCount: Int) throws {
        let words = (0..<termCount).map { "w\($0)" }
        let path = directory.path + "/small-\(termCount).bay"
        try PostingsTests.writeSegment([words.joined(separator: " ")], to: path)
        let small = try SegmentReader(path: path)
        #expect(small.termCount == termCount)
        let stored = try (0..<small.termCount).map { try small.termBytes(at: $0) }
        #expect(stored == words.map { Array($0.utf8) }.sorted { SegmentSerializer.bytewiseLess($0, $1) })
        for term in stored {
            #expect(try small.postings(of: term)?.documents == [0])
        }
        #expect(try small.postings(of: Array("w".utf8)) == nil && small.postings(of: Array("x".utf8)) == nil)
        let cursor = try _TermCursor(small, terms: 0..<small.termCount)
        var walked: [[UInt8]] = []
        while !cursor.isDone {
            walked.append(cursor.term)
            try cursor.advance()
        }
        #expect(walked == stored)
    }

    /// The merge starts a cursor wherever the split falls: at a block's first term, its
    /// last, or inside it, and stops at any index.
    @Test(arguments: [0, 1, 15, 16, 17, 31, 4_000])
    func aCursorFromAnyTermWalksTheRestInOrder(start: Int) throws {
        let end = min(start + 200, terms.count)
        let cursor = try _TermCursor(segment, terms: start..<end)
        var walked: [[UInt8]] = []
        while !cursor.isDone {
            walked.append(cursor.term)
            #expect(try cursor.postings().count > 0)
            try cursor.advance()
        }
        #expect(walked == Array(terms[start..<end]))
    }

    @Test func aCursorWalksTheWholeDictionary() throws {
        let cursor = try _TermCursor(segment, terms: 0..<segment.termCount)
        var count = 0
        while !cursor.isDone {
            if cursor.term != terms[count] {
                Issue.record("term \(count) differs")
                return
            }
            count += 1
            try cursor.advance()
        }
        #expect(count == terms.count)
    }

    @Test func theProbeFindsTermsAndTheMiddleOfThePostings() throws {
        let probe = try _DictionaryProbe(segment)
        for index in [0, 1, 15, 16, terms.count / 2, terms.count - 1] {
            #expect(try probe.term(at: index) == terms[index])
            #expect(try probe.firstTerm(notBelow: terms[index]) == index)
        }
        #expect(try probe.firstTerm(notBelow: [0xFF, 0xFF]) == terms.count)
        // The middle term's list starts in the second half of the postings; the one before's does not.
        let starts = try laidOut().postingStarts
        let middle = try probe.termAtMiddleOfPostings()
        let half = segment.size(of: .postings) / 2
        #expect(middle > 0 && middle < terms.count)
        #expect(starts[middle] >= half && starts[middle - 1] < half)
    }

    /// The file's dictionary decoded here from `SegmentFormat`'s description, apart from
    /// `_TermBlock` (sharing only the varint reader), agrees with the reader's terms, and its
    /// lists tile the postings.
    @Test func theDictionaryIsLaidOutAsTheFormatSays() throws {
        let layout = try laidOut()
        #expect(layout.terms == terms)
        #expect(layout.postingStarts.first == 0)
        #expect(zip(layout.postingStarts, layout.postingStarts.dropFirst()).allSatisfy { $0 < $1 })
        // 16 terms a block: the dictionary takes well under the 14 bytes a term of whole terms and two offset tables.
        let bytes = segment.size(of: .termBlocks) + segment.size(of: .termBlockStarts)
        #expect(Double(bytes) / Double(terms.count) < 8)
    }

    /// Every term and where its list starts, read from the file's bytes.
    private func laidOut() throws -> (terms: [[UInt8]], postingStarts: [Int]) {
        let file = try #require(FileManager.default.contents(atPath: directory.path + "/corpus.bay")).map { $0 }
        func u32(_ offset: Int) -> Int {
            (0..<4).reduce(0) { $0 | Int(file[offset + $1]) << (8 * $1) }
        }
        func start(_ section: SegmentFormat.Section) -> Int {
            (0..<8).reduce(0) { $0 | Int(file[SegmentFormat.sectionTableOffset + 8 * section.rawValue + $1]) << (8 * $1) }
        }
        func varint(_ offset: inout Int) -> Int {
            file.withUnsafeBytes { bytes in _VarInt.read(bytes, at: &offset, end: bytes.count).map { Int($0) } ?? -1 }
        }
        var terms: [[UInt8]] = []
        var postingStarts: [Int] = []
        let blocks = SegmentFormat.termBlockCount(segment.termCount)
        for block in 0..<blocks {
            let entry = start(.termBlockStarts) + 8 * block
            var offset = start(.termBlocks) + u32(entry)
            let end = start(.termBlocks) + u32(entry + 8)
            var postings = u32(entry + 4)
            var term: [UInt8] = []
            while offset < end {
                let shared = varint(&offset)
                let suffix = varint(&offset)
                term = Array(term.prefix(shared)) + file[offset..<offset + suffix]
                offset += suffix
                terms.append(term)
                postingStarts.append(postings)
                postings += varint(&offset)
            }
            #expect(postings == u32(entry + 12), "block \(block)'s lists end where the next block's start")
        }
        return (terms, postingStarts)
    }
}
