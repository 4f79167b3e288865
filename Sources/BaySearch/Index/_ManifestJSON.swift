/// The manifest's JSON, written and read by hand: a search process reads the manifest once,
/// and `JSONDecoder`, `JSONEncoder` and `Data(contentsOf:)` cost about 0.7 ms on first use,
/// more than the rest of a one-query search.
///
///     let bytes = _ManifestJSON.encode(manifest)
///     _ManifestJSON.decode(bytes) == manifest   // true
///
/// `encode` writes what `JSONEncoder` writes with `.prettyPrinted` and `.sortedKeys` (a test
/// checks it), so manifests written before stay readable and their checksums still hold.
/// `decode` reads that layout with any JSON whitespace; it returns nil for anything else
/// (another key, a string with escapes or beyond ASCII, a negative or fractional number), and
/// the caller tells an older or newer format from damage another way.
enum _ManifestJSON {
    typealias Manifest = IndexDirectory.Manifest

    static func encode(_ manifest: Manifest) -> [UInt8] {
        // Names made by `IndexDirectory` or read by `decode`, which need no escapes.
        precondition(manifest.files.allSatisfy { $0.utf8.allSatisfy(isPlain) }, "a file name the manifest cannot hold")
        var text = "{\n  \"checksum\" : \(manifest.checksum),\n  \"format\" : \(manifest.format),\n"
        text += "  \"generation\" : \(manifest.generation),\n  \"segments\" : [\n"
        text += manifest.segments.map { entry in
            var object = "    {\n"
            if let deletions = entry.deletions {
                object += "      \"deletions\" : \"\(deletions)\",\n"
            }
            return object + "      \"segment\" : \"\(entry.segment)\"\n    }"
        }.joined(separator: ",\n")
        text += "\n  ]\n}"
        return Array(text.utf8)
    }

    /// Whether `byte` may stand in a string as it is: printable ASCII but `"`, `\` and `/`,
    /// which `JSONEncoder` escapes.
    fileprivate static func isPlain(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "/")
    }

    static func decode(_ bytes: [UInt8]) -> Manifest? {
        bytes.withUnsafeBytes { bytes in _ManifestParser(bytes: bytes).manifest() }
    }
}

/// A reader of exactly the manifest's shape; every method fails at the first byte that does
/// not fit it. A class, so that the closures reading values can advance it.
private final class _ManifestParser {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    func manifest() -> IndexDirectory.Manifest? {
        var (checksum, format, generation): (Int?, Int?, Int?)
        var segments: [IndexDirectory.Manifest.Entry]?
        let complete = object { key in
            switch key {
            case "checksum": fill(&checksum, with: integer)
            case "format": fill(&format, with: integer)
            case "generation": fill(&generation, with: integer)
            case "segments": fill(&segments, with: entries)
            default: false
            }
        }
        skipWhitespace()
        guard complete, index == bytes.count, let checksum, let format, let generation, let segments,
              let sealed = UInt32(exactly: checksum) else {
            return nil
        }
        var manifest = IndexDirectory.Manifest(generation: generation, segments: segments)
        manifest.format = format
        manifest.checksum = sealed
        return manifest
    }

    private func entries() -> [IndexDirectory.Manifest.Entry]? {
        var entries: [IndexDirectory.Manifest.Entry] = []
        let complete = array {
            var (segment, deletions): (String?, String?)
            let complete = object { key in
                switch key {
                case "segment": fill(&segment, with: string)
                case "deletions": fill(&deletions, with: string)
                default: false
                }
            }
            guard complete, let segment else {
                return false
            }
            entries.append(IndexDirectory.Manifest.Entry(segment: segment, deletions: deletions))
            return true
        }
        return complete ? entries : nil
    }

    /// Reads a key's value into `slot` with `read`; false when the key came before or the
    /// value is not what `read` reads.
    private func fill<Value>(_ slot: inout Value?, with read: () -> Value?) -> Bool {
        guard slot == nil else {
            return false
        }
        slot = read()
        return slot != nil
    }

    /// Reads `{ "key" : value, … }`, calling `value` with each key to read its value.
    private func object(_ value: (String) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else {
            return false
        }
        if take(UInt8(ascii: "}")) {
            return true
        }
        repeat {
            guard let key = string(), take(UInt8(ascii: ":")), value(key) else {
                return false
            }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// Reads `[ element, … ]`, calling `element` for each.
    private func array(_ element: () -> Bool) -> Bool {
        guard take(UInt8(ascii: "[")) else {
            return false
        }
        if take(UInt8(ascii: "]")) {
            return true
        }
        repeat {
            guard element() else {
                return false
            }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]"))
    }

    /// A string of printable ASCII without escapes: all a manifest's keys and file names are.
    private func string() -> String? {
        guard take(UInt8(ascii: "\"")) else {
            return nil
        }
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            guard _ManifestJSON.isPlain(bytes[index]) else {
                return nil
            }
            index += 1
        }
        guard index < bytes.count else {
            return nil
        }
        index += 1
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index - 1]), as: UTF8.self)
    }

    /// A non-negative decimal integer, without leading zeros, that fits an `Int`.
    private func integer() -> Int? {
        skipWhitespace()
        let start = index
        var value = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times10.addingReportingOverflow(Int(bytes[index] - UInt8(ascii: "0")))
            guard !overflow, !carry else {
                return nil
            }
            value = sum
            index += 1
        }
        guard index > start, bytes[start] != UInt8(ascii: "0") || index == start + 1 else {
            return nil
        }
        return value
    }

    /// Skips whitespace, then takes `byte` if it comes next.
    private func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else {
            return false
        }
        index += 1
        return true
    }

    private func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09:
                index += 1
            default:
                return
            }
        }
    }
}
