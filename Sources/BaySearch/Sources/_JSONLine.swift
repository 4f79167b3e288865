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
                guard let keyBytes = string() else {
                    return nil
                }
                let key = String(decoding: keyBytes, as: UTF8.self)  // checked by `string`
                guard fields[key] == nil else {
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
    /// Every character is checked as it is passed (runs of plain ASCII eight bytes at a
    /// time), so the value is copied once and never validated again.
    private mutating func string() -> [UInt8]? {
        guard take(UInt8(ascii: "\"")) else {
            return nil
        }
        var value: [UInt8] = []
        var plainStart = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x80 {
                guard let length = UTF8Encoding.scalarLength(bytes.assumingMemoryBound(to: UInt8.self), at: index) else {
                    return nil
                }
                index += length
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                value.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[plainStart..<index]))
                index += 1
                return value
            case UInt8(ascii: "\\"):
                value.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[plainStart..<index]))
                index += 1
                guard escape(into: &value) else {
                    return nil
                }
                plainStart = index
            case 0..<0x20:
                return nil
            default:
                index += 1
                while index + 8 <= bytes.count, _Parser.isPlainASCII(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                    index += 8
                }
            }
        }
        return nil
    }

    /// Whether none of the eight bytes of `word` ends plain string text: no quote, no
    /// backslash, no control character, nothing beyond ASCII. (A zero byte of `x` shows in
    /// `(x - 0x01…) & ~x & 0x80…`, and only a zero byte does.)
    @inline(__always)
    private static func isPlainASCII(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> Bool {
            (x &- ones) & ~x & highBits != 0
        }
        let belowSpace = (word &- 0x20 &* ones) & ~word & highBits != 0
        return word & highBits == 0 && !belowSpace
            && !hasZeroByte(word ^ (UInt64(UInt8(ascii: "\"")) &* ones)) && !hasZeroByte(word ^ (UInt64(UInt8(ascii: "\\")) &* ones))
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
