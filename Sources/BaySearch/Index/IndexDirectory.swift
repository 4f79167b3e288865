import Foundation

/// The files of an index directory: segment files, their deletion files, the manifest
/// naming the live ones, and a writer's lock.
///
/// A commit writes new files, syncs them, then replaces `manifest.json` by rename, so a
/// reader sees the old index or the new one, never a mix, and a crash leaves the old one.
/// Files no manifest names are leftovers of an interrupted build and are removed by the next
/// writer.
struct IndexDirectory {
    static let manifestName = "manifest.json"
    static let lockFileName = "write.lock"

    let path: String

    /// The committed state of an index. `checksum` is the CRC-32C of the manifest encoded
    /// with `checksum` zero, so a damaged manifest is told from a valid one.
    struct Manifest: Equatable {
        var format: Int
        var generation: Int
        var segments: [Entry]
        var checksum: UInt32 = 0

        /// A live segment and the file of its deleted documents, if any.
        struct Entry: Equatable {
            var segment: String
            var deletions: String?

            init(segment: String, deletions: String? = nil) {
                self.segment = segment
                self.deletions = deletions
            }
        }

        init(generation: Int, segments: [Entry]) {
            format = Int(SegmentFormat.version)
            self.generation = generation
            self.segments = segments
        }

        /// Every file the manifest names.
        var files: Set<String> {
            Set(segments.flatMap { [$0.segment] + ($0.deletions.map { [$0] } ?? []) })
        }

        /// The manifest's JSON, its checksum sealed in.
        func encoded() -> [UInt8] {
            var sealed = self
            sealed.checksum = valuesChecksum()
            return _ManifestJSON.encode(sealed)
        }

        /// Whether `checksum` is this manifest's own: false for a damaged one.
        var checksumHolds: Bool {
            valuesChecksum() == checksum
        }

        /// The CRC-32C of this manifest's JSON with `checksum` zero, which `encoded` seals
        /// into `checksum`.
        private func valuesChecksum() -> UInt32 {
            var unsealed = self
            unsealed.checksum = 0
            return _Checksum.crc32c(_ManifestJSON.encode(unsealed))
        }
    }

    var exists: Bool {
        access(path + "/" + IndexDirectory.manifestName, F_OK) == 0
    }

    func readManifest() throws(IndexError) -> Manifest {
        let manifestPath = path + "/" + IndexDirectory.manifestName
        guard let bytes = try _FileIO.contents(of: manifestPath) else {
            throw .missing(path: path)
        }
        guard let manifest = _ManifestJSON.decode(bytes) else {
            // Not this version's layout: an older or newer index is reported as such.
            if let fields = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
               let format = fields["format"] as? Int {
                try IndexDirectory.checkFormat(format, of: manifestPath)
            }
            throw .corrupt("\(manifestPath) is not a BaySearch manifest")
        }
        try IndexDirectory.checkFormat(manifest.format, of: manifestPath)
        guard manifest.checksumHolds else {
            throw .corrupt("\(manifestPath) fails its checksum")
        }
        guard manifest.segments.allSatisfy({ IndexDirectory.isSegmentName($0.segment) && ($0.deletions.map(IndexDirectory.isDeletionsName) ?? true) }) else {
            throw .corrupt("\(manifestPath) names a file that is not part of an index")
        }
        return manifest
    }

    /// Refuses a manifest of another format than this BaySearch's.
    private static func checkFormat(_ format: Int, of manifestPath: String) throws(IndexError) {
        guard format <= Int(SegmentFormat.version) else {
            throw .newerFormat(path: manifestPath, version: format)
        }
        guard format == Int(SegmentFormat.version) else {
            throw .olderFormat(path: manifestPath, version: format)
        }
    }

    /// Opens a live segment with its deletions.
    func openSegment(_ entry: Manifest.Entry) throws(IndexError) -> SegmentReader {
        try SegmentReader(path: path + "/" + entry.segment, deletionsPath: entry.deletions.map { path + "/" + $0 })
    }

    /// Creates the directory if needed and takes the writer's lock; the lock lasts as long
    /// as the returned value.
    func lockForWriting() throws(IndexError) -> _WriteLock {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
        return try _WriteLock(path: path + "/" + IndexDirectory.lockFileName, indexPath: path)
    }

    /// Removes what an interrupted writer left, when no writer is at work: a reader may call
    /// it with the files of the manifest it read, and it does nothing where there is nothing
    /// else or it cannot take the lock (a read-only index included).
    func removeLeftoversIfNoWriter(besides live: Set<String>) {
        guard !unreferencedFiles(besides: live).isEmpty,
              let lock = try? _WriteLock(path: path + "/" + IndexDirectory.lockFileName, indexPath: path, create: false) else {
            return
        }
        withExtendedLifetime(lock) {
            // Read under the lock: a writer may have committed since the caller's read.
            if let manifest = try? readManifest() {
                removeUnreferencedFiles(keeping: manifest.files)
            }
        }
    }

    /// Makes `manifest` the index, atomically, then removes files no longer named.
    func commit(_ manifest: Manifest) throws(IndexError) {
        let bytes = manifest.encoded()
        let temporary = path + "/" + IndexDirectory.manifestName + ".tmp-\(manifest.generation)"
        unlink(temporary)
        try _FileIO.writeSynced([bytes], to: temporary)
        guard rename(temporary, path + "/" + IndexDirectory.manifestName) == 0 else {
            let reason = _FileIO.lastError()
            unlink(temporary)
            throw .unwritable(path: path + "/" + IndexDirectory.manifestName, reason: reason)
        }
        _FileIO.syncDirectory(path)
        removeUnreferencedFiles(keeping: manifest.files)
    }

    /// Removes segment files, deletion files, temporary manifests and spill files that `live`
    /// does not name.
    func removeUnreferencedFiles(keeping live: Set<String>) {
        remove(unreferencedFiles(besides: live))
    }

    /// The segment files, deletion files and temporary manifests here that `live` does not name.
    private func unreferencedFiles(besides live: Set<String>) -> [String] {
        _FileIO.names(in: path).filter { name in
            !live.contains(name) && (IndexDirectory.isSegmentName(name) || IndexDirectory.isDeletionsName(name)
                || name.hasPrefix(IndexDirectory.manifestName + ".tmp-") || name.hasPrefix(_SpillFile.namePrefix))
        }
    }

    /// Removes the named files of this directory.
    func remove(_ names: [String]) {
        for name in names {
            unlink(path + "/" + name)
        }
    }

    /// The highest generation any file here carries (0 if none), so a new build never
    /// reuses a name, even when the manifest could not be read.
    func highestFileGeneration() -> Int {
        _FileIO.names(in: path).filter { IndexDirectory.isSegmentName($0) || IndexDirectory.isDeletionsName($0) }
            .compactMap { Int($0.dropFirst("seg-".count).prefix { $0 != "-" }) }
            .max() ?? 0
    }

    /// The name of a new segment file.
    static func segmentName(generation: Int, sequence: Int) -> String {
        "seg-\(generation)-\(sequence).\(SegmentFormat.fileExtension)"
    }

    /// The name of a new deletion file of `segment`, written at `generation`.
    static func deletionsName(of segment: String, generation: Int) -> String {
        "seg-\(generation)-of-" + segment.dropLast(SegmentFormat.fileExtension.count + 1) + "." + DeletedDocuments.fileExtension
    }

    static func isSegmentName(_ name: String) -> Bool {
        name.hasPrefix("seg-") && name.hasSuffix("." + SegmentFormat.fileExtension) && !name.utf8.contains(UInt8(ascii: "/"))
    }

    static func isDeletionsName(_ name: String) -> Bool {
        name.hasPrefix("seg-") && name.hasSuffix("." + DeletedDocuments.fileExtension) && !name.utf8.contains(UInt8(ascii: "/"))
    }
}

/// An exclusive advisory lock (flock) on the index's lock file, released on deinit or when
/// the process dies.
final class _WriteLock {
    private let descriptor: Int32

    init(path: String, indexPath: String, create: Bool = true) throws(IndexError) {
        // `self.descriptor` is set only once the lock is held: a class whose stored
        // properties are all set runs `deinit` when its initializer throws, which would close
        // the descriptor a second time, by then perhaps another thread's file.
        let descriptor = open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0o644)
        guard descriptor >= 0 else {
            throw .unwritable(path: path, reason: _FileIO.lastError())
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw .locked(path: indexPath)
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
