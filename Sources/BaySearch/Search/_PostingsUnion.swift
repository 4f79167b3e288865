/// The occurrences of one ideograph in one segment, wherever it stands: the union of the
/// postings of every term it begins (the bigrams it starts and, at the end of a run, its
/// own term), which `SegmentReader.postingsRanges(startingWith:)` finds.
///
///     let union = try _PostingsUnion(segment, lists: try segment.postingsRanges(startingWith: Array("表".utf8)))
///     union.documents    // every document holding 表, ascending
///     union.frequencies  // how often, summed over the terms
///
/// No two of the terms share a position in a document (each position holds one term), so
/// a document's positions are its members' positions merged, and its frequency their sum.
/// A common ideograph begins a thousand terms, most in a document or two: their documents
/// and frequencies are decoded once, straight into the union, with where each list's
/// positions lie, so that a document's positions are read without decoding a list again.
/// Which lists hold each document (its members) is tabled at once when the entries are
/// few; when they are many, a document's members are searched for when its positions are
/// asked for, until enough were asked for to table them all.
final class _PostingsUnion: PostingsSource {
    let documents: [Int32]
    let frequencies: [Int]
    private let segment: SegmentReader
    private let entries: Entries
    // A union is used by one thread, as its segment is.
    /// Every document's members, once more documents' positions were asked for than
    /// `searchesBeforeTable`; until then each document's are searched for in every list.
    @exclusivity(unchecked) private var memberTable: MemberTable?
    @exclusivity(unchecked) private var searches = 0
    /// Per list, where the positions of the member read last end: a phrase reads its
    /// candidates' positions in increasing order, and walks on from there.
    @exclusivity(unchecked) private var resumes: [_EncodedPostingsList.SkipEntry]
    /// Scratch space of `keep`: a document's positions, and a bitmap of them.
    @exclusivity(unchecked) private var heldPositions: [UInt32] = []
    @exclusivity(unchecked) private var marks: [UInt64] = []

    /// How many documents' members are searched for, list by list, before all of them are
    /// tabled at once: a one-part query asks for the hits it shows, a phrase for every
    /// candidate document.
    static let searchesBeforeTable = 16

    /// The union of the postings lists at `lists` in `segment`'s file. Its members are
    /// tabled at once when it has at most `entriesTabledAtOnce` entries (tests vary it).
    init(_ segment: SegmentReader, lists: [Range<Int>], entriesTabledAtOnce: Int = 1 << 15) throws(IndexError) {
        self.segment = segment
        let documentCount = segment.documentCount
        let claims = try _PostingsUnion.claimedDocuments(lists, in: segment)
        let capacity = claims.reduce(0, +)
        entries = try Entries(lists, claims: claims, capacity: capacity, in: segment)
        resumes = Array(repeating: _EncodedPostingsList.SkipEntry(index: 0, offset: 0), count: lists.count)
        // Frequencies are summed by document where the entries are many enough to pay for
        // an array as long as the segment's documents, or else kept by entry and the
        // entries sorted by document (a rare ideograph in a large segment).
        let byDocument = capacity * 16 >= documentCount
        (documents, frequencies) = byDocument
            ? _PostingsUnion.documents(withSums: entries.sumsByDocument(in: segment))
            : _PostingsUnion.documents(of: entries, kept: entries.keptEntries(in: segment))
        // Few entries are tabled at once, for less than searching every list would cost;
        // the default keeps a table of them in the nearest caches.
        if byDocument && entries.documents.count <= entriesTabledAtOnce {
            memberTable = MemberTable(entries, documents: documents, documentCount: documentCount)
        }
    }

    /// Every list's documents and frequencies as the list on disk holds them (deleted
    /// documents too, so that an entry's index in its list is its index on disk), list after
    /// list: list `l`'s are at `listStarts[l]..<listStarts[l + 1]`, documents ascending. With
    /// each list's skip entries and the bytes of its positions.
    private struct Entries {
        let documents: [Int32]
        let frequencies: [UInt32]
        let listStarts: [Int]
        /// List `l`'s skip entries are `skipEntries[skipStarts[l]..<skipStarts[l + 1]]`.
        let skipEntries: [_EncodedPostingsList.SkipEntry]
        let skipStarts: [Int]
        /// Where each list's positions lie in the file.
        let positionRanges: [Range<Int>]

        var listCount: Int { listStarts.count - 1 }

        /// Decodes every list, at most its claim of documents (`capacity` in all).
        init(_ lists: [Range<Int>], claims: [Int], capacity: Int, in segment: SegmentReader) throws(IndexError) {
            var documents = [Int32](repeating: 0, count: capacity)
            var frequencies = [UInt32](repeating: 0, count: capacity)
            var (listStarts, skipStarts, skipEntries) = ([0], [0], [_EncodedPostingsList.SkipEntry]())
            var positionRanges: [Range<Int>] = []
            listStarts.reserveCapacity(lists.count + 1)
            skipStarts.reserveCapacity(lists.count + 1)
            positionRanges.reserveCapacity(lists.count)
            var written = 0
            let storedAt = UnsafeMutableBufferPointer<Int32>.allocate(capacity: claims.max() ?? 0)
            defer { storedAt.deallocate() }
            try documents.withUnsafeMutableBufferPointer { (documents) throws(IndexError) in
                try frequencies.withUnsafeMutableBufferPointer { (frequencies) throws(IndexError) in
                    for (range, claim) in zip(lists, claims) {
                        var reader = try segment.reader(from: range.lowerBound, to: range.upperBound)
                        // Each list is kept inside its share: a damaged one claiming fewer
                        // documents than it holds throws.
                        let list = try _EncodedPostingsList.decoding(
                            &reader, documentCount: segment.documentCount,
                            into: UnsafeMutableBufferPointer(rebasing: documents[written..<written + claim]),
                            frequencies: UnsafeMutableBufferPointer(rebasing: frequencies[written..<written + claim]),
                            storedAt: storedAt)
                        written += list.documentFrequency
                        listStarts.append(written)
                        skipEntries.append(contentsOf: list.skipEntries)
                        skipStarts.append(skipEntries.count)
                        positionRanges.append(list.positions)
                    }
                }
            }
            documents.removeLast(capacity - written)
            frequencies.removeLast(capacity - written)
            (self.documents, self.frequencies, self.listStarts) = (documents, frequencies, listStarts)
            (self.skipEntries, self.skipStarts, self.positionRanges) = (skipEntries, skipStarts, positionRanges)
        }

        /// Each document's frequency summed over the lists, by document number; 0 for the
        /// documents none holds and the deleted ones.
        func sumsByDocument(in segment: SegmentReader) -> [Int] {
            var sums = [Int](repeating: 0, count: segment.documentCount)
            let deletes = !segment.deleted.isEmpty
            sums.withUnsafeMutableBufferPointer { sums in
                for (document, frequency) in zip(documents, frequencies) where !(deletes && segment.deleted.contains(Int(document))) {
                    sums[Int(document)] += Int(frequency)
                }
            }
            return sums
        }

        /// The entries of documents the segment has not deleted.
        func keptEntries(in segment: SegmentReader) -> [Int] {
            documents.indices.filter { segment.deleted.isEmpty || !segment.deleted.contains(Int(documents[$0])) }
        }

        /// The members of `document`, list by list, each found by a binary search (through
        /// buffers: a common ideograph begins a thousand lists).
        func members(of document: Int32) -> [Member] {
            var found: [Member] = []
            documents.withUnsafeBufferPointer { documents in
                listStarts.withUnsafeBufferPointer { listStarts in
                    for list in 0..<listStarts.count - 1 {
                        let low = documents.lowerBound(of: document, in: listStarts[list]..<listStarts[list + 1])
                        if low < listStarts[list + 1], documents[low] == document {
                            found.append(Member(list: Int32(list), index: Int32(low - listStarts[list])))
                        }
                    }
                }
            }
            return found
        }

        /// Appends the positions of `member` to `positions`: from the last skip entry at or
        /// before it, or from `resume` when that is nearer, past the positions of the
        /// documents in between; then sets `resume` to where they end.
        func appendPositions(
            of member: Member, in segment: SegmentReader, to positions: inout [UInt32], resume: inout _EncodedPostingsList.SkipEntry
        ) throws(IndexError) {
            let (list, index) = (Int(member.list), Int(member.index))
            let first = listStarts[list]
            var reader = try skipEntries.withUnsafeBufferPointer { (skipEntries) throws(IndexError) in
                let skips = UnsafeBufferPointer(rebasing: skipEntries[skipStarts[list]..<skipStarts[list + 1]])
                return try _EncodedPostingsList.positionsReader(
                    at: index, following: _EncodedPostingsList.firstSkipEntry(after: index, in: skips), of: skips,
                    resume: resume, positions: positionRanges[list], in: segment) { Int(frequencies[first + $0]) }
            }
            var position: UInt64 = 0
            for _ in 0..<frequencies[first + index] {
                position = try reader.readDelta(after: position, atMost: UInt64(UInt32.max))
                positions.append(UInt32(position))
            }
            resume = _EncodedPostingsList.SkipEntry(index: index + 1, offset: reader.offset - positionRanges[list].lowerBound)
        }
    }

    /// A list holding a document, and the document's index in the list on disk.
    private struct Member {
        var list: Int32
        var index: Int32
    }

    /// Every document's members: `documents[i]`'s are `members[starts[i]..<starts[i + 1]]`.
    private struct MemberTable {
        var members: [Member]
        var starts: [Int]

        /// Places each entry of a kept document after those of the documents before its
        /// own, by a counting sort through a map from the segment's documents to the union's.
        init(_ entries: Entries, documents: [Int32], documentCount: Int) {
            // -1: a document the union leaves out (deleted).
            var unionIndex = [Int32](repeating: -1, count: documentCount)
            var starts = [Int](repeating: 0, count: documents.count + 1)
            // Through buffers: the loops run once per entry.
            unionIndex.withUnsafeMutableBufferPointer { unionIndex in
                starts.withUnsafeMutableBufferPointer { starts in
                    for (index, document) in documents.enumerated() {
                        unionIndex[Int(document)] = Int32(index)
                    }
                    for document in entries.documents where unionIndex[Int(document)] >= 0 {
                        starts[Int(unionIndex[Int(document)]) + 1] += 1
                    }
                    for index in documents.indices {
                        starts[index + 1] += starts[index]
                    }
                }
            }
            var members = [Member](repeating: Member(list: 0, index: 0), count: starts[documents.count])
            var next = Array(starts.dropLast())
            unionIndex.withUnsafeBufferPointer { unionIndex in
                members.withUnsafeMutableBufferPointer { members in
                    for list in 0..<entries.listCount {
                        let first = entries.listStarts[list]
                        for entry in first..<entries.listStarts[list + 1] {
                            let index = Int(unionIndex[Int(entries.documents[entry])])
                            if index >= 0 {
                                members[next[index]] = Member(list: Int32(list), index: Int32(entry - first))
                                next[index] += 1
                            }
                        }
                    }
                }
            }
            (self.members, self.starts) = (members, starts)
        }
    }

    /// Each list's claimed document count, capped by its bytes: a document takes at least
    /// one, so a damaged count cannot ask for more memory than the file holds.
    private static func claimedDocuments(_ lists: [Range<Int>], in segment: SegmentReader) throws(IndexError) -> [Int] {
        try lists.map { range throws(IndexError) in
            var reader = try segment.reader(from: range.lowerBound, to: range.upperBound)
            return min(Int(clamping: try reader.readVarInt()), range.count)
        }
    }

    /// The documents with a frequency, from sums by document.
    private static func documents(withSums sums: [Int]) -> (documents: [Int32], frequencies: [Int]) {
        var result: (documents: [Int32], frequencies: [Int]) = ([], [])
        for (document, sum) in sums.enumerated() where sum > 0 {
            result.documents.append(Int32(document))
            result.frequencies.append(sum)
        }
        return result
    }

    /// The documents of the `kept` entries and their summed frequencies, through a sort of
    /// (document, entry) pairs.
    private static func documents(of entries: Entries, kept: [Int]) -> (documents: [Int32], frequencies: [Int]) {
        var keys = kept.map { UInt64(UInt32(bitPattern: entries.documents[$0])) << 32 | UInt64($0) }
        keys.sort()
        var result: (documents: [Int32], frequencies: [Int]) = ([], [])
        for key in keys {
            let (document, frequency) = (Int32(truncatingIfNeeded: key >> 32), Int(entries.frequencies[Int(key & 0xFFFF_FFFF)]))
            if result.documents.last == document {
                result.frequencies[result.frequencies.count - 1] += frequency
            } else {
                result.documents.append(document)
                result.frequencies.append(frequency)
            }
        }
        return result
    }

    /// The members of `documents[index]`.
    private func members(at index: Int) -> ArraySlice<Member> {
        if memberTable == nil && searches < _PostingsUnion.searchesBeforeTable {
            searches += 1
            return ArraySlice(entries.members(of: documents[index]))
        }
        let table = memberTable ?? MemberTable(entries, documents: documents, documentCount: segment.documentCount)
        memberTable = table
        return table.members[table.starts[index]..<table.starts[index + 1]]
    }

    func positions(at index: Int, into positions: inout [UInt32]) throws(IndexError) {
        if try appendMembersPositions(at: index, to: &positions) > 1 {
            positions.sort()
        }
    }

    /// Replaces `positions` with the positions of `documents[index]`, member after member
    /// (each member's ascending); returns how many members there are.
    @discardableResult
    private func appendMembersPositions(at index: Int, to positions: inout [UInt32]) throws(IndexError) -> Int {
        positions.removeAll(keepingCapacity: true)
        let members = members(at: index)
        for member in members {
            try entries.appendPositions(of: member, in: segment, to: &positions, resume: &resumes[Int(member.list)])
        }
        return members.count
    }

    /// A phrase's starts are a few where a common ideograph's positions in a document are
    /// hundreds from dozens of members: rather than merge and sort those, each is marked in
    /// a bitmap of the span the starts ask about, which the starts then read. Where the
    /// span is long beside the positions (a huge document), they are sorted and merged.
    func keep(_ starts: inout [UInt32], where offset: UInt32, at index: Int) throws(IndexError) {
        guard let first = starts.first, let last = starts.last else {
            return
        }
        try appendMembersPositions(at: index, to: &heldPositions)
        let (low, high) = (UInt64(first) + UInt64(offset), UInt64(last) + UInt64(offset))
        let words = Int((high - low) >> 6) + 1
        if words > 4 * (heldPositions.count + starts.count) + 64 {
            heldPositions.sort()
            _PostingsUnion.keep(&starts, where: offset, among: heldPositions)
            return
        }
        if marks.count < words {
            marks = [UInt64](repeating: 0, count: words)
        }
        marks.withUnsafeMutableBufferPointer { marks in
            for position in heldPositions where UInt64(position) >= low && UInt64(position) <= high {
                let bit = Int(UInt64(position) - low)
                marks[bit >> 6] |= 1 << UInt64(bit & 63)
            }
            starts.removeAll { start in
                let bit = Int(UInt64(start) + UInt64(offset) - low)
                return marks[bit >> 6] & (1 << UInt64(bit & 63)) == 0
            }
            // Left clear for the next document.
            UnsafeMutableBufferPointer(rebasing: marks[..<words]).update(repeating: 0)
        }
    }

    /// Keeps the `starts` for which `start + offset` is in `held`, both ascending.
    private static func keep(_ starts: inout [UInt32], where offset: UInt32, among held: [UInt32]) {
        var cursor = 0
        var kept = 0
        for index in starts.indices {
            let wanted = UInt64(starts[index]) + UInt64(offset)
            while cursor < held.count, UInt64(held[cursor]) < wanted {
                cursor += 1
            }
            if cursor < held.count, UInt64(held[cursor]) == wanted {
                starts[kept] = starts[index]
                kept += 1
            }
        }
        starts.removeLast(starts.count - kept)
    }
}
