/// Finds every occurrence of a phrase in one segment by intersecting positional postings.
///
/// A phrase of ideographs is covered by bigram terms (the last one overlapping when the
/// length is odd) and other units by unigram terms; an occurrence is a start position at
/// which every covering term stands at its offset. This finds a phrase wherever its units
/// are contiguous, whatever ICU made of the words around it.
enum PhraseMatcher {
    /// Occurrences in one segment: `documents` ascending, `starts[i]` the ascending start
    /// positions in `documents[i]`.
    struct Occurrences {
        var documents: [Int32] = []
        var starts: [[UInt32]] = []
    }

    private struct CoveringTerm {
        var term: [UInt8]
        var offset: UInt32
    }

    static func find(_ phrase: QueryPhrase, in segment: SegmentReader) throws(IndexError) -> Occurrences {
        var lists: [(postings: Postings, offset: UInt32)] = []
        for covering in cover(phrase) {
            guard let postings = try segment.postings(of: covering.term) else {
                return Occurrences()
            }
            lists.append((postings, covering.offset))
        }
        lists.sort { $0.postings.documentFrequency < $1.postings.documentFrequency }
        guard let (rarest, rarestOffset) = lists.first else {
            return Occurrences()
        }
        var result = Occurrences()
        var cursors = [Int](repeating: 0, count: lists.count)
        documents: for (index, document) in rarest.documents.enumerated() {
            var others: [ArraySlice<UInt32>] = []
            for listIndex in 1..<lists.count {
                let documents = lists[listIndex].postings.documents
                var cursor = cursors[listIndex]
                while cursor < documents.count, documents[cursor] < document {
                    cursor += 1
                }
                cursors[listIndex] = cursor
                guard cursor < documents.count, documents[cursor] == document else {
                    continue documents
                }
                others.append(lists[listIndex].postings.positions(at: cursor))
            }
            var starts: [UInt32] = []
            for position in rarest.positions(at: index) where position >= rarestOffset {
                let start = position - rarestOffset
                var everywhere = true
                for (otherIndex, positions) in others.enumerated() where !contains(positions, start + lists[otherIndex + 1].offset) {
                    everywhere = false
                    break
                }
                if everywhere {
                    starts.append(start)
                }
            }
            if !starts.isEmpty {
                result.documents.append(document)
                result.starts.append(starts)
            }
        }
        return result
    }

    /// The terms whose postings together pin down the phrase.
    private static func cover(_ phrase: QueryPhrase) -> [CoveringTerm] {
        let units = phrase.units
        func pairsWithNext(_ index: Int) -> Bool {
            index + 1 < units.count && units[index].ideograph != 0 && units[index + 1].ideograph != 0
                && units[index + 1].offset == units[index].offset + 1
        }
        var terms: [CoveringTerm] = []
        var index = 0
        while index < units.count {
            if pairsWithNext(index) {
                terms.append(CoveringTerm(term: units[index].term + units[index + 1].term, offset: units[index].offset))
                index += 2
            } else if index > 0 && pairsWithNext(index - 1) {
                terms.append(CoveringTerm(term: units[index - 1].term + units[index].term, offset: units[index - 1].offset))
                index += 1
            } else {
                terms.append(CoveringTerm(term: units[index].term, offset: units[index].offset))
                index += 1
            }
        }
        return terms
    }

    private static func contains(_ positions: ArraySlice<UInt32>, _ wanted: UInt32) -> Bool {
        var low = positions.startIndex
        var high = positions.endIndex
        while low < high {
            let middle = (low + high) / 2
            if positions[middle] < wanted {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low < positions.endIndex && positions[low] == wanted
    }
}
