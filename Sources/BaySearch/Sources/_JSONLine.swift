/// A fast reader of the one JSONL line shape a corpus nearly always has: an object whose
/// values are all strings. It parses at memory speed where `JSONSerialization` builds a
/// dictionary of bridged objects, and returns nil for anything else (another value type, a
/// duplicate key, a lone surrogate, invalid UTF-8, bad syntax), so that the caller falls
/// back to `JSONSerialization` for the authoritative answer.
///
///     let fields = Array(#"{"id": "a", "text": "港\n"}"#.utf8).withUnsafeBytes(_JSONLine.stringFields)
///     fields?["text"]   // Array("港\n".utf8)
enum _JSONLine {
    /// The object's keys with the UTF-8 of their string values.
    static func stringFields(of line: UnsafeRawBufferPointer) -> [String: [UInt8]]? {
        var parser = _Parser(bytes: line)
        return parser.object()
    }
}

private struct _Parser {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func object() -> [String: [UInt8]]? {
        skipWhitespace()
        guard take(UInt8(ascii: "{")) else {
            return nil
        }
        var fields: [String: [UInt8]] = [:]
        skipWhitespace()
        if !take(UInt8(ascii: "}")) {
            repeat {
                skipWhitespace()
                guard let keyBytes = string(), let key = String(validating: keyBytes, as: UTF8.self),
                      fields[key] == nil else {
                    return nil
                }
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else {
                    return nil
                }
                skipWhitespace()
                guard let value = string() else {
                    return nil
                }
                fields[key] = value
                skipWhitespace()
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else {
                return nil
            }
        }
        skipWhitespace()
        return index == bytes.count ? fields : nil
    }

    /// A string's UTF-8 with its escapes resolved; nil unless it is valid JSON and UTF-8.
    private mutating func string() -> [UInt8]? {
        guard take(UInt8(ascii: "\"")) else {
            return nil
        }
        var value: [UInt8] = []
        var plainStart = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                value.append(contentsOf: bytes[plainStart..<index])
                index += 1
                return String(validating: value, as: UTF8.self) == nil ? nil : value
            }
            if byte < 0x20 {
                return nil
            }
            if byte == UInt8(ascii: "\\") {
                value.append(contentsOf: bytes[plainStart..<index])
                index += 1
                guard escape(into: &value) else {
                    return nil
                }
                plainStart = index
            } else {
                index += 1
            }
        }
        return nil
    }

    private mutating func escape(into value: inout [UInt8]) -> Bool {
        guard index < bytes.count else {
            return false
        }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): value.append(byte)
        case UInt8(ascii: "b"): value.append(0x08)
        case UInt8(ascii: "f"): value.append(0x0C)
        case UInt8(ascii: "n"): value.append(0x0A)
        case UInt8(ascii: "r"): value.append(0x0D)
        case UInt8(ascii: "t"): value.append(0x09)
        case UInt8(ascii: "u"):
            guard var scalar = hex4() else {
                return false
            }
            if (0xD800..<0xDC00).contains(scalar) {
                guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(), (0xDC00..<0xE000).contains(low) else {
                    return false
                }
                scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                return false
            }
            UTF8Encoding.append(scalar, to: &value)
        default:
            return false
        }
        return true
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else {
            return nil
        }
        var result: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = hexDigit(bytes[index]) else {
                return nil
            }
            result = result << 4 | digit
            index += 1
        }
        return result
    }

    private func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else {
            return false
        }
        index += 1
        return true
    }
}
