import Foundation

/// The files of an index directory: segment files, the manifest naming the live ones, and a
/// writer's lock.
///
/// A commit writes new segments, syncs them, then replaces `manifest.json` by rename, so a
/// reader sees the old index or the new one, never a mix, and a crash leaves the old one.
/// Files no manifest names are leftovers of an interrupted build and are removed by the next
/// commit.
struct IndexDirectory {
    static let manifestName = "manifest.json"
    static let lockFileName = "write.lock"

    let path: String

    struct Manifest: Codable, Equatable {
        var format: Int
        var generation: Int
        var segments: [String]
    }

    var exists: Bool {
        FileManager.default.fileExists(atPath: path + "/" + IndexDirectory.manifestName)
    }

    func readManifest() throws(IndexError) -> Manifest {
        let manifestPath = path + "/" + IndexDirectory.manifestName
        guard FileManager.default.fileExists(atPath: manifestPath) else {
            throw .missing(path: path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: manifestPath))
        } catch {
            throw .unreadable(path: manifestPath, reason: error.localizedDescription)
        }
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else {
            throw .corrupt("\(manifestPath) is not a BaySearch manifest")
        }
        guard manifest.format <= Int(SegmentFormat.version) else {
            throw .newerFormat(path: manifestPath, version: manifest.format)
        }
        guard manifest.format == Int(SegmentFormat.version) else {
            throw .olderFormat(path: manifestPath, version: manifest.format)
        }
        guard manifest.segments.allSatisfy(IndexDirectory.isSegmentName) else {
            throw .corrupt("\(manifestPath) names a file that is not a segment")
        }
        return manifest
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

    /// Makes `segments` the index, atomically, then removes files no longer named.
    func commit(segments: [String], generation: Int) throws(IndexError) {
        let manifest = Manifest(format: Int(SegmentFormat.version), generation: generation, segments: segments)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(manifest))
        } catch {
            throw .unwritable(path: path, reason: error.localizedDescription)
        }
        let temporary = path + "/" + IndexDirectory.manifestName + ".tmp-\(generation)"
        unlink(temporary)
        try _FileIO.writeSynced([bytes], to: temporary)
        guard rename(temporary, path + "/" + IndexDirectory.manifestName) == 0 else {
            let reason = _FileIO.lastError()
            unlink(temporary)
            throw .unwritable(path: path, reason: reason)
        }
        _FileIO.syncDirectory(path)
        removeUnreferencedFiles(keeping: Set(segments))
    }

    /// Removes segment files and temporary manifests that the manifest does not name.
    func removeUnreferencedFiles(keeping live: Set<String>) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names where !live.contains(name) {
            if IndexDirectory.isSegmentName(name) || name.hasPrefix(IndexDirectory.manifestName + ".tmp-") {
                unlink(path + "/" + name)
            }
        }
    }

    /// Removes the named files of this directory.
    func remove(_ names: [String]) {
        for name in names {
            unlink(path + "/" + name)
        }
    }

    /// The highest generation any segment file here carries (0 if none), so a new build
    /// never reuses a name, even when the manifest could not be read.
    func highestSegmentGeneration() -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter(IndexDirectory.isSegmentName)
            .compactMap { Int($0.dropFirst("seg-".count).prefix { $0 != "-" }) }
            .max() ?? 0
    }

    /// The name of a new segment file.
    static func segmentName(generation: Int, worker: Int, sequence: Int) -> String {
        "seg-\(generation)-\(worker)-\(sequence).\(SegmentFormat.fileExtension)"
    }

    static func isSegmentName(_ name: String) -> Bool {
        name.hasPrefix("seg-") && name.hasSuffix("." + SegmentFormat.fileExtension) && !name.contains("/")
    }
}

/// An exclusive advisory lock (flock) on the index's lock file, released on deinit or when
/// the process dies.
final class _WriteLock {
    private let descriptor: Int32

    init(path: String, indexPath: String) throws(IndexError) {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .unwritable(path: path, reason: _FileIO.lastError())
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw .locked(path: indexPath)
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
