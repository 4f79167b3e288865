import Foundation

/// A document as read from a source, before analysis.
public struct SourceDocument: Sendable {
    /// The document's id: a path relative to the source directory, a file name, or the
    /// JSONL `id` field.
    public var id: String
    public var title: String
    /// The original UTF-8 bytes; match offsets point into these.
    public var text: [UInt8]
    /// Where it came from, for messages: a path, or `path:line` for JSONL.
    public var origin: String

    public init(id: String, title: String, text: [UInt8], origin: String) {
        self.id = id
        self.title = title
        self.text = text
        self.origin = origin
    }

    /// A hash of the title and text, stored with the document, by which an update tells a
    /// changed document from an unchanged one.
    var contentHash: UInt64 {
        let titleHash = Array(title.utf8).withUnsafeBytes { _Checksum.xxh64($0) }
        return text.withUnsafeBytes { _Checksum.xxh64($0, seed: titleHash) }
    }

    /// The first non-empty line of `text`, without Markdown heading marks, at most 200
    /// characters: the title of a file that has none of its own. A line whose first 4 KiB
    /// hold nothing but whitespace and `#` counts as empty.
    public static func title(of text: [UInt8]) -> String {
        var lineStart = 0
        while lineStart < text.count {
            // Only the line's first 4 KiB are decoded and trimmed: a file without line
            // breaks (100 MB on one line) would otherwise become one String to trim.
            let scanEnd = min(text.count, lineStart + 4096)
            var lineEnd = lineStart
            while lineEnd < scanEnd, text[lineEnd] != 0x0A {
                lineEnd += 1
            }
            // Cut at a character boundary, so that the cut adds no replacement character.
            var decodedEnd = lineEnd
            while decodedEnd > lineStart, decodedEnd < text.count, text[decodedEnd] & 0xC0 == 0x80 {
                decodedEnd -= 1
            }
            let line = String(decoding: text[lineStart..<decodedEnd], as: UTF8.self)
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                .drop { $0 == "#" }
                .trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty {
                // The cut may fall after a space; the title ends with a character.
                return String(trimmed.prefix(200)).trimmingCharacters(in: .whitespaces)
            }
            while lineEnd < text.count, text[lineEnd] != 0x0A {
                lineEnd += 1
            }
            lineStart = lineEnd + 1
        }
        return ""
    }
}
