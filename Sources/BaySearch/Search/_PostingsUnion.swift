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
/// are decoded straight into the union, and a term's `Postings` only when positions in
/// one of its documents are asked for.
final class _PostingsUnion: PostingsSource {
    let documents: [Int32]
    let frequencies: [Int]
    private let segment: SegmentReader
    private let lists: [Range<Int>]
    /// The lists decoded so far, for their positions. (A union is used by one thread.)
    @exclusivity(unchecked) private var decoded: [Postings?]
    /// `documents[i]`'s members, each a list and the document's index among that list's
    /// documents the segment has not deleted, are `members[memberStarts[i]..<memberStarts[i + 1]]`.
    private let members: [(list: Int32, index: Int32)]
    private let memberStarts: [Int]

    /// The union of the postings lists at `lists` in `segment`'s file.
    init(_ segment: SegmentReader, lists: [Range<Int>]) throws(IndexError) {
        (self.segment, self.lists) = (segment, lists)
        decoded = Array(repeating: nil, count: lists.count)
        let entries = try _PostingsUnion.decode(lists, in: segment)
        // Grouped by document: by a counting sort where the entries are many enough to pay
        // for arrays as long as the segment's documents, by a comparison sort where not (a
        // rare ideograph in a large segment).
        let grouped = entries.documents.count * 16 >= segment.documentCount
            ? _PostingsUnion.groupByCounting(entries, documentCount: segment.documentCount)
            : _PostingsUnion.groupBySorting(entries)
        (documents, frequencies, members, memberStarts) = grouped
    }

    /// Every list's documents that the segment has not deleted, with their frequencies,
    /// list after list; list `l`'s from `listStarts[l]`.
    private struct Entries {
        var documents: [Int32] = []
        var frequencies: [Int32] = []
        var listStarts = [0]

        /// The list holding entry `entry` and its index there, by a binary search.
        func member(_ entry: Int) -> (list: Int32, index: Int32) {
            var (low, high) = (0, listStarts.count - 1)
            // The lists before `low` start at or before `entry`, those from `high` on after it.
            while low < high {
                let middle = (low + high) / 2
                if listStarts[middle] <= entry {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            return (Int32(low - 1), Int32(entry - listStarts[low - 1]))
        }
    }

    private typealias Grouped = (documents: [Int32], frequencies: [Int], members: [(list: Int32, index: Int32)], memberStarts: [Int])

    private static func decode(_ lists: [Range<Int>], in segment: SegmentReader) throws(IndexError) -> Entries {
        // Sized by the lists' document counts, read first, and filled through buffers. A
        // document takes at least a byte of its list, so a damaged count cannot ask for
        // more than the file holds.
        let claims = try lists.map { range throws(IndexError) in
            var reader = try segment.reader(from: range.lowerBound, to: range.upperBound)
            return min(Int(clamping: try reader.readVarInt()), range.count)
        }
        let capacity = claims.reduce(0, +)
        var entries = Entries()
        entries.listStarts.reserveCapacity(lists.count + 1)
        var documents = [Int32](repeating: 0, count: capacity)
        var frequencies = [Int32](repeating: 1, count: capacity)
        // The entries whose frequency is stored after the list's documents, in order; -1
        // for a deleted document (or one past the list's share).
        var awaiting: [Int] = []
        let deletes = !segment.deleted.isEmpty
        var written = 0
        var overflowed = false
        try documents.withUnsafeMutableBufferPointer { (documents) throws(IndexError) in
            try frequencies.withUnsafeMutableBufferPointer { (frequencies) throws(IndexError) in
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
                        let entry = kept && written < end ? written : -1
                        if !frequencyIsOne {
                            awaiting.append(entry)
                        }
                        if entry >= 0 {
                            documents[entry] = Int32(number)
                            written += 1
                        }
                    }, frequency: { frequency in
                        let entry = awaiting[nextAwaiting]
                        nextAwaiting += 1
                        if entry >= 0 {
                            frequencies[entry] = Int32(truncatingIfNeeded: frequency)
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
        frequencies.removeLast(capacity - written)
        (entries.documents, entries.frequencies) = (documents, frequencies)
        return entries
    }

    /// Groups the entries by document through counts per document of the segment: each
    /// document's members go to the slots after those of the documents before it.
    private static func groupByCounting(_ entries: Entries, documentCount: Int) -> Grouped {
        var memberCounts = [Int32](repeating: 0, count: documentCount)
        var frequencySums = [Int](repeating: 0, count: documentCount)
        var grouped: Grouped = ([], [], [], [])
        // Where the next member of each document goes.
        var nextSlot = [Int](repeating: 0, count: documentCount)
        var members = [(list: Int32, index: Int32)](repeating: (0, 0), count: entries.documents.count)
        // Through buffers: the loops run once per entry or per document of the segment.
        entries.documents.withUnsafeBufferPointer { documents in
            memberCounts.withUnsafeMutableBufferPointer { memberCounts in
                nextSlot.withUnsafeMutableBufferPointer { nextSlot in
                    frequencySums.withUnsafeMutableBufferPointer { frequencySums in
                        entries.frequencies.withUnsafeBufferPointer { frequencies in
                            for (document, frequency) in zip(documents, frequencies) {
                                memberCounts[Int(document)] += 1
                                frequencySums[Int(document)] += Int(frequency)
                            }
                        }
                        var placed = 0
                        for document in 0..<documentCount where memberCounts[document] > 0 {
                            grouped.documents.append(Int32(document))
                            grouped.frequencies.append(frequencySums[document])
                            grouped.memberStarts.append(placed)
                            nextSlot[document] = placed
                            placed += Int(memberCounts[document])
                        }
                        grouped.memberStarts.append(placed)
                    }
                    members.withUnsafeMutableBufferPointer { members in
                        for list in 0..<entries.listStarts.count - 1 {
                            let first = entries.listStarts[list]
                            for entry in first..<entries.listStarts[list + 1] {
                                let document = Int(documents[entry])
                                members[nextSlot[document]] = (Int32(list), Int32(entry - first))
                                nextSlot[document] += 1
                            }
                        }
                    }
                }
            }
        }
        grouped.members = members
        return grouped
    }

    /// Groups the entries by document through a sort of (document, entry) pairs.
    private static func groupBySorting(_ entries: Entries) -> Grouped {
        var keys = entries.documents.enumerated().map { UInt64(UInt32(bitPattern: $0.element)) << 32 | UInt64($0.offset) }
        keys.sort()
        var grouped: Grouped = ([], [], [], [])
        for key in keys {
            let (document, entry) = (Int32(truncatingIfNeeded: key >> 32), Int(key & 0xFFFF_FFFF))
            if grouped.documents.last == document {
                grouped.frequencies[grouped.frequencies.count - 1] += Int(entries.frequencies[entry])
            } else {
                grouped.documents.append(document)
                grouped.frequencies.append(Int(entries.frequencies[entry]))
                grouped.memberStarts.append(grouped.members.count)
            }
            grouped.members.append(entries.member(entry))
        }
        grouped.memberStarts.append(grouped.members.count)
        return grouped
    }

    func positions(at index: Int, into positions: inout [UInt32]) throws(IndexError) {
        positions.removeAll(keepingCapacity: true)
        var memberPositions: [UInt32] = []
        for member in members[memberStarts[index]..<memberStarts[index + 1]] {
            try postings(Int(member.list)).positions(at: Int(member.index), into: &memberPositions)
            positions.append(contentsOf: memberPositions)
        }
        if memberStarts[index + 1] - memberStarts[index] > 1 {
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
