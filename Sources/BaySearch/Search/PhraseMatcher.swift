/// Finds every occurrence of a phrase in one segment by intersecting positional postings.
///
/// A phrase of ideographs is covered by bigram terms (the last one overlapping when the
/// length is odd) and other units by their own terms; an occurrence is a start position at
/// which every covering term stands at its offset. An ideograph standing alone is indexed
/// as the bigram it starts, or as itself at the end of its run (see `SegmentFormat`): when
/// the phrase puts a unit after it, only its own term can stand there; when nothing follows
/// it in the phrase, it is found through every term it begins (`_PostingsUnion`). This
/// finds a phrase wherever its units are contiguous, whatever ICU made of the words around it.
enum PhraseMatcher {
    /// Occurrences in one segment: `documents` ascending, `frequencies[i]` the number of
    /// occurrences in `documents[i]`, and their start positions on demand.
    struct Occurrences {
        private(set) var documents: [Int32] = []
        private(set) var frequencies: [Int] = []
        /// The starts of every document, one after the other (no array per document):
        /// those of `documents[i]` begin at `startOffsets[i]`.
        private var verifiedStarts: [UInt32] = []
        private var startOffsets: [Int] = []
        /// For a phrase of one term, its postings: starts are decoded only for the hits shown.
        private var singleTerm: (any PostingsSource)?

        init() {}

        init(singleTerm postings: any PostingsSource) {
            documents = postings.documents
            frequencies = postings.frequencies
            singleTerm = postings
        }

        mutating func append(_ document: Int32, starts: [UInt32]) {
            documents.append(document)
            frequencies.append(starts.count)
            startOffsets.append(verifiedStarts.count)
            verifiedStarts.append(contentsOf: starts)
        }

        /// The ascending start positions in `documents[index]`.
        func starts(at index: Int) throws(IndexError) -> [UInt32] {
            if let singleTerm {
                return try singleTerm.positions(at: index)
            }
            let from = startOffsets[index]
            return Array(verifiedStarts[from..<from + frequencies[index]])
        }
    }

    private struct CoveringTerm {
        var term: [UInt8]
        var offset: UInt32
        /// Whether the term is an ideograph with nothing after it in the phrase, found
        /// through every term it begins.
        var beginsTerms = false
    }

    static func find(_ phrase: QueryPhrase, in segment: SegmentReader) throws(IndexError) -> Occurrences {
        var lists: [(postings: any PostingsSource, offset: UInt32)] = []
        for covering in cover(phrase) {
            let postings: (any PostingsSource)?
            if covering.beginsTerms {
                let union = try _PostingsUnion(segment, lists: try segment.postingsRanges(startingWith: covering.term))
                postings = union.documents.isEmpty ? nil : union
            } else {
                postings = try segment.postings(of: covering.term)
            }
            guard let postings else {
                return Occurrences()
            }
            lists.append((postings, covering.offset))
        }
        if lists.count == 1, lists[0].offset == 0 {
            return Occurrences(singleTerm: lists[0].postings)
        }
        lists.sort { $0.postings.documentFrequency < $1.postings.documentFrequency }
        guard let (rarest, rarestOffset) = lists.first else {
            return Occurrences()
        }
        let others = Array(lists.dropFirst())
        // The other lists' documents back to back, walked through one buffer: an array of
        // arrays retains and releases each list for every candidate document.
        var otherDocuments: [Int32] = []
        var otherEnds: [Int] = []
        for other in others {
            otherDocuments += other.postings.documents
            otherEnds.append(otherDocuments.count)
        }
        let otherStarts = [0] + otherEnds.dropLast()
        var result = Occurrences()
        // cursors[l]: where list l's walk through `otherDocuments` has come to.
        var cursors = otherStarts
        var starts: [UInt32] = []
        let rarestDocuments = rarest.documents
        try otherDocuments.withUnsafeBufferPointer { (otherDocuments) throws(IndexError) in
            documents: for (index, document) in rarestDocuments.enumerated() {
                for listIndex in otherEnds.indices {
                    var cursor = cursors[listIndex]
                    let end = otherEnds[listIndex]
                    while cursor < end, otherDocuments[cursor] < document {
                        cursor += 1
                    }
                    cursors[listIndex] = cursor
                    guard cursor < end, otherDocuments[cursor] == document else {
                        continue documents
                    }
                }
                // Every term is in the document: only now decode positions, into reused buffers.
                try rarest.positions(at: index, into: &starts)
                starts.removeAll { $0 < rarestOffset }
                for position in starts.indices {
                    starts[position] -= rarestOffset
                }
                for listIndex in others.indices where !starts.isEmpty {
                    let indexInList = cursors[listIndex] - otherStarts[listIndex]
                    try others[listIndex].postings.keep(&starts, where: others[listIndex].offset, at: indexInList)
                }
                if !starts.isEmpty {
                    result.append(document, starts: starts)
                }
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
                let unitFollows = index + 1 < units.count && units[index + 1].offset == units[index].offset + 1
                terms.append(CoveringTerm(
                    term: units[index].term, offset: units[index].offset,
                    beginsTerms: units[index].ideograph != 0 && !unitFollows))
                index += 1
            }
        }
        return terms
    }
}
