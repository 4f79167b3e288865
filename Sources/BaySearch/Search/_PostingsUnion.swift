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
        let documentCount = segment.documentCount
        var memberCounts = [Int32](repeating: 0, count: documentCount)
        var frequencySums = [Int](repeating: 0, count: documentCount)
        // The kept documents of every list, back to back; list l's from listStarts[l].
        var listDocuments: [Int32] = []
        var listStarts = [0]
        // The documents whose frequency is stored after the list's documents, in order;
        // -1 for a deleted one.
        var awaiting: [Int32] = []
        let deletes = !segment.deleted.isEmpty
        try memberCounts.withUnsafeMutableBufferPointer { (memberCounts) throws(IndexError) in
            try frequencySums.withUnsafeMutableBufferPointer { (frequencySums) throws(IndexError) in
                for range in lists {
                    var reader = try segment.reader(from: range.lowerBound, to: range.upperBound)
                    awaiting.removeAll(keepingCapacity: true)
                    var nextAwaiting = 0
                    _ = try _EncodedPostingsList(&reader, documentCount: documentCount, document: { number, frequencyIsOne in
                        let deleted = deletes && segment.deleted.contains(number)
                        if !deleted {
                            listDocuments.append(Int32(number))
                            memberCounts[number] += 1
                            frequencySums[number] += frequencyIsOne ? 1 : 0
                        }
                        if !frequencyIsOne {
                            awaiting.append(deleted ? -1 : Int32(number))
                        }
                    }, frequency: { frequency in
                        let document = awaiting[nextAwaiting]
                        nextAwaiting += 1
                        if document >= 0 {
                            frequencySums[Int(document)] += frequency
                        }
                    })
                    listStarts.append(listDocuments.count)
                }
            }
        }
        // A counting sort by document: each document's members go to the slots after those
        // of the documents before it.
        var (documents, frequencies, memberStarts) = ([Int32](), [Int](), [Int]())
        var nextSlot = [Int](repeating: 0, count: documentCount)
        var placed = 0
        for document in 0..<documentCount where memberCounts[document] > 0 {
            documents.append(Int32(document))
            frequencies.append(frequencySums[document])
            memberStarts.append(placed)
            nextSlot[document] = placed
            placed += Int(memberCounts[document])
        }
        memberStarts.append(placed)
        var members = [(list: Int32, index: Int32)](repeating: (0, 0), count: placed)
        for list in lists.indices {
            for slot in listStarts[list]..<listStarts[list + 1] {
                let document = Int(listDocuments[slot])
                members[nextSlot[document]] = (Int32(list), Int32(slot - listStarts[list]))
                nextSlot[document] += 1
            }
        }
        (self.documents, self.frequencies, self.members, self.memberStarts) = (documents, frequencies, members, memberStarts)
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
