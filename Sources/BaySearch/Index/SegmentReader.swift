import Foundation

/// Reads one memory-mapped segment file: its documents, its term dictionary and postings.
///
///     let segment = try SegmentReader(path: "index/seg-1-0.bay")
///     if let postings = try segment.postings(of: Array("桥".utf8)) { print(postings.documents) }
///
/// Opening checks the header and that every section lies inside the file; postings are
/// bounds-checked as they are decoded, so a damaged file throws instead of crashing.
final class SegmentReader: @unchecked Sendable {
    let path: String
    let documentCount: Int
    let totalWords: Int
    let termCount: Int
    private let file: _MappedFile
    private let sectionStarts: [Int]

    init(path: String) throws(IndexError) {
        self.path = path
        file = try _MappedFile(path: path)
        let magic = SegmentFormat.magic
        guard file.bytes.count >= SegmentFormat.headerSize,
              file.bytes.prefix(magic.count).elementsEqual(magic) else {
            throw .corrupt("\(path) is not a BaySearch segment")
        }
        let version = try file.load(UInt32.self, at: 8)
        guard version <= SegmentFormat.version else {
            throw .newerFormat(path: path, version: Int(version))
        }
        guard version == SegmentFormat.version else {
            throw .olderFormat(path: path, version: Int(version))
        }
        documentCount = Int(try file.load(UInt32.self, at: 12))
        totalWords = try file.loadInt(at: 16)
        termCount = Int(try file.load(UInt32.self, at: 24))
        var starts: [Int] = []
        for index in 0...SegmentFormat.Section.allCases.count {
            let start = try file.load(UInt64.self, at: SegmentFormat.sectionTableOffset + 8 * index)
            guard start <= UInt64(file.bytes.count), start >= UInt64(starts.last ?? SegmentFormat.headerSize) else {
                throw .corrupt("\(path): its section table is damaged")
            }
            starts.append(Int(start))
        }
        sectionStarts = starts
        guard size(of: .documents) == documentCount * SegmentFormat.documentRecordSize,
              size(of: .termStarts) == (termCount + 1) * 4,
              size(of: .postingStarts) == (termCount + 1) * 8 else {
            throw .corrupt("\(path): its sections do not match its counts")
        }
    }

    private func start(of section: SegmentFormat.Section) -> Int { sectionStarts[section.rawValue] }
    private func size(of section: SegmentFormat.Section) -> Int {
        sectionStarts[section.rawValue + 1] - sectionStarts[section.rawValue]
    }

    /// Bytes of each section, for reporting index size.
    func size(of sections: [SegmentFormat.Section]) -> Int {
        sections.reduce(0) { $0 + size(of: $1) }
    }

    // MARK: Documents

    func id(of document: Int) throws(IndexError) -> String {
        try string(recordField: 0, of: document)
    }

    func title(of document: Int) throws(IndexError) -> String {
        try string(recordField: 8, of: document)
    }

    func wordCount(of document: Int) throws(IndexError) -> Int {
        Int(try file.load(UInt32.self, at: record(document) + 32))
    }

    /// The document's original UTF-8 text.
    func text(of document: Int) throws(IndexError) -> [UInt8] {
        let record = record(document)
        let start = try file.loadInt(at: record + 16)
        let storedLength = Int(try file.load(UInt32.self, at: record + 24))
        let length = Int(try file.load(UInt32.self, at: record + 28))
        let flags = try file.load(UInt32.self, at: record + 36)
        let stored = try slice(of: .texts, start: start, length: storedLength)
        guard flags & SegmentFormat.zstdCompressed != 0 else {
            return Array(stored)
        }
        guard let text = _Zstd.decompress(stored, length: length) else {
            throw .corrupt("\(path): the stored text of document \(document) does not decompress")
        }
        return text
    }

    /// Every checkpoint of the document, positions and offsets ascending.
    func checkpoints(of document: Int) throws(IndexError) -> [UnitTokenizer.Checkpoint] {
        let record = record(document)
        let start = Int(try file.load(UInt32.self, at: record + 40))
        let length = Int(try file.load(UInt32.self, at: record + 44))
        guard start + length <= size(of: .checkpoints) else {
            throw .corrupt("\(path): document \(document)'s checkpoints lie outside their section")
        }
        var reader = self.reader(from: self.start(of: .checkpoints) + start, to: self.start(of: .checkpoints) + start + length)
        let count = try reader.readVarInt()
        guard count <= UInt64(length) else {
            throw .corrupt("\(path): document \(document) claims more checkpoints than it stores")
        }
        var checkpoints: [UnitTokenizer.Checkpoint] = []
        checkpoints.reserveCapacity(Int(count))
        var position: UInt64 = 0
        var offset: UInt64 = 0
        for _ in 0..<count {
            position += try reader.readVarInt()
            offset += try reader.readVarInt()
            guard position <= UInt64(UInt32.max), offset <= UInt64(UInt32.max) else {
                throw .corrupt("\(path): a checkpoint of document \(document) lies beyond any text")
            }
            checkpoints.append(UnitTokenizer.Checkpoint(position: UInt32(position), offset: Int(offset)))
        }
        return checkpoints
    }

    private func record(_ document: Int) -> Int {
        start(of: .documents) + document * SegmentFormat.documentRecordSize
    }

    private func string(recordField offset: Int, of document: Int) throws(IndexError) -> String {
        let record = record(document)
        let start = Int(try file.load(UInt32.self, at: record + offset))
        let length = Int(try file.load(UInt32.self, at: record + offset + 4))
        return String(decoding: try slice(of: .strings, start: start, length: length), as: UTF8.self)
    }

    /// Bytes `start..<start + length` of `section`, still in the mapped file.
    private func slice(of section: SegmentFormat.Section, start: Int, length: Int) throws(IndexError) -> UnsafeRawBufferPointer {
        guard start >= 0, length >= 0, start + length <= size(of: section) else {
            throw .corrupt("\(path): a document points outside its section")
        }
        let base = self.start(of: section) + start
        return UnsafeRawBufferPointer(rebasing: file.bytes[base..<base + length])
    }

    // MARK: Terms

    /// The postings of `term` (folded UTF-8), or nil when no document holds it.
    func postings(of term: [UInt8]) throws(IndexError) -> Postings? {
        guard let index = try find(term) else {
            return nil
        }
        let postingStarts = start(of: .postingStarts)
        let from = try file.loadInt(at: postingStarts + 8 * index)
        let to = try file.loadInt(at: postingStarts + 8 * index + 8)
        guard from <= to, to <= size(of: .postings) else {
            throw .corrupt("\(path): a postings list points outside its section")
        }
        var reader = self.reader(from: start(of: .postings) + from, to: start(of: .postings) + to)
        return try Postings(decoding: &reader, end: start(of: .postings) + to, in: self)
    }

    /// A bounds-checked reader over bytes `from..<to` of the file.
    func reader(from: Int, to: Int) -> _ByteReader {
        _ByteReader(file.bytes, from: from, to: to, path: path)
    }

    /// Binary search of the sorted term dictionary.
    private func find(_ term: [UInt8]) throws(IndexError) -> Int? {
        var low = 0
        var high = termCount - 1
        while low <= high {
            let middle = (low + high) / 2
            let order = try compare(term: middle, with: term)
            if order == 0 {
                return middle
            } else if order < 0 {
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        return nil
    }

    private func compare(term index: Int, with term: [UInt8]) throws(IndexError) -> Int32 {
        let termStarts = start(of: .termStarts)
        let from = Int(try file.load(UInt32.self, at: termStarts + 4 * index))
        let to = Int(try file.load(UInt32.self, at: termStarts + 4 * index + 4))
        guard from <= to, to <= size(of: .termBytes) else {
            throw .corrupt("\(path): the term dictionary points outside its section")
        }
        let stored = UnsafeRawBufferPointer(rebasing: file.bytes[start(of: .termBytes) + from..<start(of: .termBytes) + to])
        return term.withUnsafeBytes { wanted in
            let common = min(stored.count, wanted.count)
            if common > 0, let storedBase = stored.baseAddress, let wantedBase = wanted.baseAddress {
                let order = memcmp(storedBase, wantedBase, common)
                if order != 0 {
                    return order
                }
            }
            return stored.count < wanted.count ? -1 : (stored.count > wanted.count ? 1 : 0)
        }
    }
}
