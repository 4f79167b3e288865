/// What phrase matching reads of one covering term's postings in one segment: the
/// documents ascending with their frequencies, and the positions in each on demand.
/// A term's own `Postings` is one; `_PostingsUnion`, an ideograph found through every
/// term it begins, is the other.
protocol PostingsSource: AnyObject {
    var documents: [Int32] { get }
    var frequencies: [Int] { get }
    /// Replaces the contents of `positions` with the ascending positions in `documents[index]`.
    func positions(at index: Int, into positions: inout [UInt32]) throws(IndexError)
    /// Keeps the `starts` (ascending) for which `start + offset` is a position in
    /// `documents[index]`.
    func keep(_ starts: inout [UInt32], where offset: UInt32, at index: Int) throws(IndexError)
}

extension PostingsSource {
    var documentFrequency: Int { documents.count }

    /// The ascending positions in `documents[index]`.
    func positions(at index: Int) throws(IndexError) -> [UInt32] {
        var positions: [UInt32] = []
        try self.positions(at: index, into: &positions)
        return positions
    }
}

extension Postings: PostingsSource {}
