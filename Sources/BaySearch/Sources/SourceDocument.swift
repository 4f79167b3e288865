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
    /// characters: the title of a file that has none of its own.
    public static func title(of text: [UInt8]) -> String {
        var lineStart = 0
        while lineStart < text.count {
            var lineEnd = lineStart
            while lineEnd < text.count, text[lineEnd] != 0x0A {
                lineEnd += 1
            }
            let line = String(decoding: text[lineStart..<lineEnd], as: UTF8.self)
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                .drop { $0 == "#" }
                .trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty {
                return String(trimmed.prefix(200))
            }
            lineStart = lineEnd + 1
        }
        return ""
    }
}
