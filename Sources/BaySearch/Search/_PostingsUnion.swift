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
/// are decoded straight into the union. Which lists hold each document (its members) is
/// tabled at once when the entries are few; when they are many, a document's members are
/// searched for when its positions are asked for, until enough were asked for to table
/// them all. A list's `Postings` are decoded when its positions are first needed.
final class _PostingsUnion: PostingsSource {
    let documents: [Int32]
    let frequencies: [Int]
    private let segment: SegmentReader
    private let lists: [Range<Int>]
    private let entries: Entries
    // A union is used by one thread, as its segment is.
    /// The lists decoded so far, for their positions.
    @exclusivity(unchecked) private var decoded: [Postings?]
    /// Every document's members, once more documents' positions were asked for than
    /// `searchesBeforeTable`; until then each document's are searched for in every list.
    @exclusivity(unchecked) private var memberTable: MemberTable?
    @exclusivity(unchecked) private var searches = 0

    /// How many documents' members are searched for, list by list, before all of them are
    /// tabled at once: a one-part query asks for the hits it shows, a phrase for every
    /// candidate document.
    static let searchesBeforeTable = 16

    /// The union of the postings lists at `lists` in `segment`'s file. Its members are
    /// tabled at once when it has at most `entriesTabledAtOnce` entries (tests vary it).
    init(_ segment: SegmentReader, lists: [Range<Int>], entriesTabledAtOnce: Int = 1 << 15) throws(IndexError) {
        (self.segment, self.lists) = (segment, lists)
        decoded = Array(repeating: nil, count: lists.count)
        let documentCount = segment.documentCount
        let claims = try _PostingsUnion.claimedDocuments(lists, in: segment)
        let capacity = claims.reduce(0, +)
        // Frequencies are summed by document where the entries are many enough to pay for
        // an array as long as the segment's documents, or else kept by entry and the
        // entries sorted by document (a rare ideograph in a large segment).
        let byDocument = capacity * 16 >= documentCount
        var sums = [Int](repeating: 0, count: byDocument ? documentCount : capacity)
        entries = try _PostingsUnion.decode(lists, claims: claims, in: segment, summingBy: byDocument, into: &sums)
        (documents, frequencies) = byDocument
            ? _PostingsUnion.documents(withSums: sums)
            : _PostingsUnion.documents(of: entries, entrySums: sums)
        // Few entries are tabled at once, for less than searching every list would cost;
        // the default keeps a table of them in the nearest caches.
        if byDocument && entries.documents.count <= entriesTabledAtOnce {
            memberTable = MemberTable(entries, documents: documents, documentCount: documentCount)
        }
    }

    /// Every list's documents that the segment has not deleted, list after list: list `l`'s
    /// are `documents[listStarts[l]..<listStarts[l + 1]]`, ascending.
    private struct Entries {
        var documents: [Int32] = []
        var listStarts = [0]

        var listCount: Int { listStarts.count - 1 }

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
    }

    /// A list holding a document, and the document's index among the list's documents the
    /// segment has not deleted.
    private struct Member {
        var list: Int32
        var index: Int32
    }

    /// Every document's members: `documents[i]`'s are `members[starts[i]..<starts[i + 1]]`.
    private struct MemberTable {
        var members: [Member]
        var starts: [Int]

        /// Places each entry after those of the documents before its own, by a counting
        /// sort through a map from the segment's documents to the union's.
        init(_ entries: Entries, documents: [Int32], documentCount: Int) {
            var unionIndex = [Int32](repeating: 0, count: documentCount)
            var (members, starts) = ([Member](repeating: Member(list: 0, index: 0), count: entries.documents.count), [Int](repeating: 0, count: documents.count + 1))
            // Through buffers: the loops run once per entry.
            unionIndex.withUnsafeMutableBufferPointer { unionIndex in
                starts.withUnsafeMutableBufferPointer { starts in
                    for (index, document) in documents.enumerated() {
                        unionIndex[Int(document)] = Int32(index)
                    }
                    for document in entries.documents {
                        starts[Int(unionIndex[Int(document)]) + 1] += 1
                    }
                    for index in documents.indices {
                        starts[index + 1] += starts[index]
                    }
                    var next = Array(starts.dropLast())
                    members.withUnsafeMutableBufferPointer { members in
                        for list in 0..<entries.listCount {
                            let first = entries.listStarts[list]
                            for entry in first..<entries.listStarts[list + 1] {
                                let index = Int(unionIndex[Int(entries.documents[entry])])
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

    /// Decodes every list's documents into `Entries`, at most its claim for each, and adds
    /// each one's frequency to `sums`, at its document (`summingBy` document) or its entry.
    private static func decode(
        _ lists: [Range<Int>], claims: [Int], in segment: SegmentReader, summingBy document: Bool, into sums: inout [Int]
    ) throws(IndexError) -> Entries {
        let capacity = claims.reduce(0, +)
        var entries = Entries()
        entries.listStarts.reserveCapacity(lists.count + 1)
        var documents = [Int32](repeating: 0, count: capacity)
        // Where in `sums` the frequencies stored after the list's documents go, in order;
        // -1 for a deleted document (or one past the list's share).
        var awaiting: [Int] = []
        let deletes = !segment.deleted.isEmpty
        var written = 0
        var overflowed = false
        try documents.withUnsafeMutableBufferPointer { (documents) throws(IndexError) in
            try sums.withUnsafeMutableBufferPointer { (sums) throws(IndexError) in
                for (range, claim) in zip(lists, claims) {
                    var reader = try segment.reader(from: range.lowerBound, to: range.upperBound)
                    awaiting.removeAll(keepingCapacity: true)
                    var nextAwaiting = 0
                    // `document` comes as many times as the list claims documents (or it
                    // throws first); the check keeps a damaged list inside its share.
                    let end = written + claim
                    _ = try _EncodedPostingsList(&reader, documentCount: segment.documentCount, document: { number, frequencyIsOne in
                        let kept = !(deletes && segment.deleted.contains(number))
                        overflowed = overflowed || (kept && written == end)
                        let slot = kept && written < end ? (document ? number : written) : -1
                        if slot >= 0 {
                            documents[written] = Int32(number)
                            written += 1
                            sums[slot] += frequencyIsOne ? 1 : 0
                        }
                        if !frequencyIsOne {
                            awaiting.append(slot)
                        }
                    }, frequency: { frequency in
                        let slot = awaiting[nextAwaiting]
                        nextAwaiting += 1
                        if slot >= 0 {
                            sums[slot] += frequency
                        }
                    })
                    entries.listStarts.append(written)
                }
            }
        }
        guard !overflowed else {
            throw .corrupt("\(segment.path): a postings list holds more documents than it claims")
        }
        documents.removeLast(capacity - written)
        entries.documents = documents
        return entries
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

    /// The documents of `entries` and their frequencies, from sums by entry, through a sort
    /// of (document, entry) pairs.
    private static func documents(of entries: Entries, entrySums: [Int]) -> (documents: [Int32], frequencies: [Int]) {
        var keys = entries.documents.enumerated().map { UInt64(UInt32(bitPattern: $0.element)) << 32 | UInt64($0.offset) }
        keys.sort()
        var result: (documents: [Int32], frequencies: [Int]) = ([], [])
        for key in keys {
            let (document, entry) = (Int32(truncatingIfNeeded: key >> 32), Int(key & 0xFFFF_FFFF))
            if result.documents.last == document {
                result.frequencies[result.frequencies.count - 1] += entrySums[entry]
            } else {
                result.documents.append(document)
                result.frequencies.append(entrySums[entry])
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
        positions.removeAll(keepingCapacity: true)
        var memberPositions: [UInt32] = []
        let members = members(at: index)
        for member in members {
            try postings(Int(member.list)).positions(at: Int(member.index), into: &memberPositions)
            positions.append(contentsOf: memberPositions)
        }
        if members.count > 1 {
            positions.sort()
        }
    }

    func keep(_ starts: inout [UInt32], where offset: UInt32, at index: Int) throws(IndexError) {
        let held = try positions(at: index)
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

    /// List `list`, decoded on first use.
    private func postings(_ list: Int) throws(IndexError) -> Postings {
        if let postings = decoded[list] {
            return postings
        }
        let postings = try segment.postings(inFile: lists[list])
        decoded[list] = postings
        return postings
    }
}
