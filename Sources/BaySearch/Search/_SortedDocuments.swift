/// Set operations on document lists sorted by document number, by linear merges: how a
/// query's parts combine without hashing every matching document.
enum _SortedDocuments {
    typealias Scored = (document: Int32, score: Double)

    /// Documents in either list; a document in both gets the sum of its scores.
    static func union(_ left: [Scored], _ right: [Scored]) -> [Scored] {
        // A query's first part is united with nothing: no need to copy it.
        if left.isEmpty {
            return right
        }
        return right.isEmpty ? left : merge(left, right, keepingUnmatched: true)
    }

    /// Documents in both lists, with the sum of their scores.
    static func intersection(_ left: [Scored], _ right: [Scored]) -> [Scored] {
        merge(left, right, keepingUnmatched: false)
    }

    /// One pass over both lists: documents in both get the sum of their scores; the others
    /// are kept (union) or dropped (intersection).
    private static func merge(_ left: [Scored], _ right: [Scored], keepingUnmatched: Bool) -> [Scored] {
        var result: [Scored] = []
        result.reserveCapacity(keepingUnmatched ? left.count + right.count : min(left.count, right.count))
        var i = 0
        var j = 0
        // An intersection ends with the shorter list; a union goes through both.
        while keepingUnmatched ? (i < left.count || j < right.count) : (i < left.count && j < right.count) {
            if j == right.count || (i < left.count && left[i].document < right[j].document) {
                if keepingUnmatched { result.append(left[i]) }
                i += 1
            } else if i == left.count || right[j].document < left[i].document {
                if keepingUnmatched { result.append(right[j]) }
                j += 1
            } else {
                result.append((left[i].document, left[i].score + right[j].score))
                i += 1
                j += 1
            }
        }
        return result
    }

    /// The documents of `scored` that are not in `excluded`.
    static func subtracting(_ scored: [Scored], _ excluded: [Int32]) -> [Scored] {
        guard !excluded.isEmpty else { return scored }
        var result: [Scored] = []
        var j = 0
        for entry in scored {
            while j < excluded.count && excluded[j] < entry.document {
                j += 1
            }
            if j == excluded.count || excluded[j] != entry.document {
                result.append(entry)
            }
        }
        return result
    }

    /// The union of two ascending document lists.
    static func union(_ left: [Int32], _ right: [Int32]) -> [Int32] {
        union(left.map { ($0, 0) }, right.map { ($0, 0) }).map(\.document)
    }
}
