/// The committed index a build updates: its segments, the documents each holds by id, and
/// the deletions this update adds to them.
///
/// Invariant: `locations` names exactly the documents neither committed as deleted nor
/// deleted by this update, each once.
final class _LiveDocuments {
    private(set) var segments: [SegmentReader] = []
    private(set) var entries: [IndexDirectory.Manifest.Entry] = []
    private(set) var deletions: [DeletedDocuments] = []
    private var locations: [String: (segment: Int, document: Int)] = [:]

    init() {}

    /// Opens every segment `manifest` names and reads the id of every live document.
    init(_ manifest: IndexDirectory.Manifest, in directory: IndexDirectory) throws(IndexError) {
        for entry in manifest.segments {
            let segment = try directory.openSegment(entry)
            for document in 0..<segment.documentCount where !segment.deleted.contains(document) {
                let id = try segment.id(of: document)
                guard locations.updateValue((segments.count, document), forKey: id) == nil else {
                    throw .corrupt("\(segment.path): document \(id) is also live in another segment")
                }
            }
            segments.append(segment)
            entries.append(entry)
            deletions.append(segment.deleted)
        }
    }

    var ids: Dictionary<String, (segment: Int, document: Int)>.Keys { locations.keys }

    /// Whether `document`'s id is live with exactly its content. The content is hashed only
    /// for an id that is live: a new document's text is hashed once, when it is stored.
    func holds(_ document: SourceDocument) throws(IndexError) -> Bool {
        guard let location = locations[document.id] else {
            return false
        }
        return try segments[location.segment].contentHash(of: location.document) == document.contentHash
    }

    /// Deletes the live document `id`; false if there is none.
    @discardableResult
    func delete(_ id: String) throws(IndexError) -> Bool {
        guard let location = locations.removeValue(forKey: id) else {
            return false
        }
        let wordCount = try segments[location.segment].wordCount(of: location.document)
        deletions[location.segment].insert(location.document, wordCount: wordCount)
        return true
    }

    /// The manifest entries after this update's deletions, writing a deletion file for each
    /// segment that gained some and leaving out segments with no live document left.
    /// Returns the files written, for removal should the commit fail.
    func entriesAfterDeletions(generation: Int, in directory: IndexDirectory) throws(IndexError) -> (entries: [IndexDirectory.Manifest.Entry], written: [String]) {
        var updated: [IndexDirectory.Manifest.Entry] = []
        var written: [String] = []
        for (index, entry) in entries.enumerated() {
            let deleted = deletions[index]
            if deleted.count == deleted.documentCount {
                continue
            }
            guard deleted != segments[index].deleted else {
                updated.append(entry)
                continue
            }
            let name = IndexDirectory.deletionsName(of: entry.segment, generation: generation)
            do {
                try deleted.write(to: directory.path + "/" + name)
            } catch {
                directory.remove(written)
                throw error
            }
            written.append(name)
            updated.append(IndexDirectory.Manifest.Entry(segment: entry.segment, deletions: name))
        }
        return (updated, written)
    }
}
