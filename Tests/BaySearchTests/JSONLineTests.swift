@testable import BaySearch
import Foundation
import Testing

/// The fast JSONL reader answers only where `JSONSerialization` would answer the same.
@Suite struct JSONLineTests {
    static func fast(_ line: [UInt8]) -> [String: [UInt8]]? {
        line.withUnsafeBytes { _JSONLine.stringFields(of: $0) }
    }

    /// What `JSONSerialization` makes of a line, when it is an object of strings.
    static func reference(_ line: [UInt8]) -> [String: [UInt8]]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
            return nil
        }
        var fields: [String: [UInt8]] = [:]
        for (key, value) in object {
            guard let string = value as? String else {
                return nil
            }
            fields[key] = Array(string.utf8)
        }
        return fields
    }

    static let lines = [
        #"{"id": "a", "title": "港珠澳大橋", "text": "港珠澳大橋\n\n通車"}"#,
        #"  {"id":"b","text":"tab\there \"quoted\" back\\slash \/ \b\f\r"}  "#,
        #"{"id": "c", "text": "\u6e2f\u73e0 \ud83d\ude00 \u00e9 \u0000"}"#,
        #"{}"#,
        #"{"id": "d", "text": "x", "extra": "y"}"#,
    ]

    static let rejected = [
        #"{"id": "a", "text": "x"} trailing"#,
        #"{"id": "a", "text": "x",}"#,
        #"{"id": "a" "text": "x"}"#,
        #"{"id": "a", "text": "\x"}"#,
        #"{"id": "a", "text": "\u12"}"#,
        #"{"id": "a", "text": "unterminated}"#,
        #"["id", "text"]"#,
        #"{"id": 1, "text": "x"}"#,
        #"{"id": "a", "text": "x", "id": "b"}"#,
        #"{"id": "a", "text": "\ud83d alone"}"#,
        #"{"id": "a", "text": "\ude00 alone"}"#,
        "{\"id\": \"a\", \"text\": \"raw\u{1}control\"}",
    ]

    @Test func linesOfStringsReadAsJSONSerializationReadsThem() throws {
        for line in JSONLineTests.lines {
            let bytes = Array(line.utf8)
            let fast = try #require(JSONLineTests.fast(bytes), "\(line)")
            #expect(fast == JSONLineTests.reference(bytes), "\(line)")
        }
    }

    @Test func everythingElseIsLeftToJSONSerialization() {
        for line in JSONLineTests.rejected {
            #expect(JSONLineTests.fast(Array(line.utf8)) == nil, "\(line)")
        }
        #expect(JSONLineTests.fast(Array(#"{"id": "a", "text": ""#.utf8) + [0xFF, 0x22, 0x7D]) == nil)
    }

    /// Damaged copies of the valid lines: whatever the fast reader accepts, JSONSerialization
    /// reads the same way.
    @Test func damagedLinesNeverReadDifferently() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array(#"{}[]":,\ u0dDe8a1 n"#.utf8) + [0x00, 0x1F, 0x80, 0xE6, 0xB8, 0xAF, 0xFF]
        var accepted = 0
        for _ in 0..<3_000 {
            var bytes = Array(JSONLineTests.lines.randomElement(using: &generator)!.utf8)
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[index] = alphabet.randomElement(using: &generator)!
                case 1: bytes.remove(at: index)
                default: bytes.insert(alphabet.randomElement(using: &generator)!, at: index)
                }
                if bytes.isEmpty {
                    bytes = [0x7B]
                }
            }
            if let fast = JSONLineTests.fast(bytes) {
                accepted += 1
                #expect(fast == JSONLineTests.reference(bytes), "\(bytes)")
            }
        }
        #expect(accepted > 100)
    }
}
