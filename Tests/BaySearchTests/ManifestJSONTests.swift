@testable import BaySearch
import Foundation
import Testing

/// The manifest's hand-written JSON must be what `JSONEncoder` wrote before it (or indexes
/// already on disk would fail their checksum), read back whole, and refuse whatever is not
/// a manifest of this layout.
@Suite struct ManifestJSONTests {
    typealias Manifest = IndexDirectory.Manifest

    /// The manifest as `JSONEncoder` saw it: the same fields, synthesized `Codable`.
    private struct Encodable: Codable {
        struct Entry: Codable {
            var segment: String
            var deletions: String?
        }
        var format: Int
        var generation: Int
        var segments: [Entry]
        var checksum: UInt32

        init(_ manifest: Manifest) {
            format = manifest.format
            generation = manifest.generation
            segments = manifest.segments.map { Entry(segment: $0.segment, deletions: $0.deletions) }
            checksum = manifest.checksum
        }
    }

    private static let samples: [Manifest] = {
        var sealed = Manifest(generation: Int(Int32.max) + 5, segments: [
            .init(segment: "seg-3-0.bay", deletions: "seg-3-0.4.del"), .init(segment: "seg-4-12.bay"),
            .init(segment: "seg-4-13.bay", deletions: "seg-4-13.5.del"),
        ])
        sealed.checksum = .max
        return [
            Manifest(generation: 0, segments: []),
            Manifest(generation: 1, segments: [.init(segment: "seg-1-0.bay")]),
            sealed,
        ]
    }()

    private func jsonEncoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        return encoder
    }

    @Test(arguments: samples)
    func writesWhatJSONEncoderWrote(_ manifest: Manifest) throws {
        let expected = try jsonEncoder(pretty: true).encode(Encodable(manifest))
        #expect(String(decoding: _ManifestJSON.encode(manifest), as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }

    @Test(arguments: samples)
    func readsBackWhatItWrote(_ manifest: Manifest) throws {
        #expect(_ManifestJSON.decode(_ManifestJSON.encode(manifest)) == manifest)
        let compact = Array(try jsonEncoder(pretty: false).encode(Encodable(manifest)))
        #expect(_ManifestJSON.decode(compact) == manifest)
        #expect(_ManifestJSON.decode(manifest.encoded())?.checksumHolds == true)
    }

    @Test(arguments: [
        #"{"checksum":1,"format":8,"generation":2,"segments":[],"extra":0}"#,  // unknown key
        #"{"checksum":1,"format":8,"format":8,"generation":2,"segments":[]}"#,  // key twice
        #"{"checksum":1,"format":8,"segments":[]}"#,  // missing key
        #"{"checksum":1,"format":-8,"generation":2,"segments":[]}"#,
        #"{"checksum":1,"format":08,"generation":2,"segments":[]}"#,
        #"{"checksum":1,"format":8.5,"generation":2,"segments":[]}"#,
        #"{"checksum":4294967296,"format":8,"generation":2,"segments":[]}"#,  // beyond UInt32
        #"{"checksum":1,"format":8,"generation":99999999999999999999,"segments":[]}"#,
        #"{"checksum":1,"format":8,"generation":2,"segments":[{"deletions":"seg-1-0.2.del"}]}"#,
        #"{"checksum":1,"format":8,"generation":2,"segments":[{"segment":"seg-1-0\u002ebay"}]}"#,
        #"{"checksum":1,"format":8,"generation":2,"segments":[{"segment":"seg-1-0.bay"},]}"#,
        #"{"checksum":1,"format":8,"generation":2,"segments":[{"segment":"seg-港.bay"}]}"#,
        #"{"checksum":1,"format":8,"generation":2,"segments":[{"segment":"seg-1/0.bay"}]}"#,
        #"{"checksum":1,"format":8,"generation":2,"segments":[{"segment":"seg-1-0.bay"}]} x"#,
        #"{"checksum":1,"format":8,"generation":2,"segments":[{"segment":"seg-1-0.bay"}]"#,
        #"{"checksum":1,"format":8,"generation":2,"segments":[{"segment":"seg-1-0.bay}]}"#,
        "",
    ])
    func refusesAnythingElse(_ text: String) {
        #expect(_ManifestJSON.decode(Array(text.utf8)) == nil)
    }

    @Test func damageNeverPassesAsAnotherManifest() {
        var generator = SystemRandomNumberGenerator()
        for manifest in ManifestJSONTests.samples {
            let pristine = manifest.encoded()
            let sealed = _ManifestJSON.decode(pristine)
            for _ in 0..<3_000 {
                var damaged = pristine
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0:
                        damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                    case 1:
                        damaged.remove(at: Int.random(in: 0..<damaged.count, using: &generator))
                    default:
                        damaged.insert(UInt8.random(in: 0...255, using: &generator), at: Int.random(in: 0...damaged.count, using: &generator))
                    }
                }
                // Whitespace may change harmlessly; a value may not, unnoticed.
                if let read = _ManifestJSON.decode(damaged), read.checksumHolds {
                    #expect(read == sealed, "\(String(decoding: damaged, as: UTF8.self))")
                }
            }
        }
    }

    @Test func aNewerLayoutIsReportedAsNewer() throws {
        let directory = try TemporaryDirectory()
        let indexPath = directory.path + "/index"
        try IndexBuilder().build(sources: [try directory.write("a.txt", "香港")], into: indexPath)
        let manifestPath = indexPath + "/" + IndexDirectory.manifestName
        let newer = Int(SegmentFormat.version) + 1
        try #"{"format": \#(newer), "generation": 3, "shards": [{"files": ["a", "b"], "sealed": true}]}"#
            .write(toFile: manifestPath, atomically: true, encoding: .utf8)
        #expect(throws: IndexError.newerFormat(path: manifestPath, version: newer)) {
            try IndexDirectory(path: indexPath).readManifest()
        }
    }

    @Test func aChangedValueFailsTheChecksum() throws {
        let directory = try TemporaryDirectory()
        let indexPath = directory.path + "/index"
        try IndexBuilder().build(sources: [try directory.write("a.txt", "香港")], into: indexPath)
        let manifestPath = indexPath + "/" + IndexDirectory.manifestName
        let original = try String(contentsOfFile: manifestPath, encoding: .utf8)
        #expect(original.contains(#""generation" : 1,"#))
        try original.replacingOccurrences(of: #""generation" : 1,"#, with: #""generation" : 2,"#)
            .write(toFile: manifestPath, atomically: true, encoding: .utf8)
        #expect(throws: IndexError.corrupt("\(manifestPath) fails its checksum")) {
            try IndexDirectory(path: indexPath).readManifest()
        }
    }
}
