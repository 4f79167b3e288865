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

    /// Plain ASCII is skipped eight bytes at a time: a quote, an escape, a control byte, a
    /// multi-byte character or a byte that is not UTF-8 is seen at every place in a word.
    @Test func everyByteOfAWordCounts() {
        let specials: [(bytes: [UInt8], accepted: Bool)] = [
            (Array(#"\""#.utf8), true), (Array(#"\\"#.utf8), true), (Array(#"\n"#.utf8), true), (Array("港".utf8), true),
            (Array("é".utf8), true), (Array("😀".utf8), true), ([0x1F], false), ([0x0A], false), ([0x7F], true),
            ([0xFF], false), ([0xE6, 0xB8], false), ([0xED, 0xA0, 0x80], false), ([0xE0, 0x80, 0xAF], false),
            ([0xC0, 0xAF], false), ([0xF4, 0x90, 0x80, 0x80], false),
        ]
        for lead in 0..<17 {
            for special in specials {
                let line = Array(#"{"id": "a", "text": ""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: lead)
                    + special.bytes + Array(#"xxxxxxxxxx"}"#.utf8)
                let fast = JSONLineTests.fast(line)
                #expect((fast != nil) == special.accepted, "\(special.bytes) after \(lead) bytes")
                if let fast {
                    #expect(fast == JSONLineTests.reference(line), "\(special.bytes) after \(lead) bytes")
                }
            }
        }
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
