/// Small UTF-8 helpers for code points already known to be valid scalars.
enum UTF8Encoding {
    /// Appends the UTF-8 form of `codePoint` to `bytes`.
    @inline(__always)
    static func append(_ codePoint: UInt32, to bytes: inout [UInt8]) {
        switch codePoint {
        case 0..<0x80:
            bytes.append(UInt8(codePoint))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | codePoint >> 6))
            bytes.append(UInt8(0x80 | codePoint & 0x3F))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | codePoint >> 12))
            bytes.append(UInt8(0x80 | codePoint >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | codePoint & 0x3F))
        default:
            bytes.append(UInt8(0xF0 | codePoint >> 18))
            bytes.append(UInt8(0x80 | codePoint >> 12 & 0x3F))
            bytes.append(UInt8(0x80 | codePoint >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | codePoint & 0x3F))
        }
    }

    static func encode(_ codePoint: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        append(codePoint, to: &bytes)
        return bytes
    }

    /// The UTF-16 form of `codePoint`: one unit, or a surrogate pair.
    @inline(__always)
    static func utf16(_ codePoint: UInt32) -> (first: UInt16, second: UInt16?) {
        guard codePoint >= 0x10000 else {
            return (UInt16(codePoint), nil)
        }
        let value = codePoint - 0x10000
        return (UInt16(0xD800 | value >> 10), UInt16(0xDC00 | value & 0x3FF))
    }

    /// Whether `byte` is an ASCII letter or digit, which folds to one alphanumeric character.
    @inline(__always)
    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte &- 0x30 < 10) || ((byte | 0x20) &- 0x61 < 26)
    }

    /// How many characters from `index` on, at most `limit`, are unified ideographs
    /// (U+4E00–U+9FFF: E4 B8 80 to E9 BF BF), each three bytes.
    @inline(__always)
    static func unifiedIdeographs(in bytes: UnsafeBufferPointer<UInt8>, from index: Int, atMost limit: Int) -> Int {
        var count = 0
        while count < limit, unifiedIdeograph(in: bytes, at: index + 3 * count) != nil {
            count += 1
        }
        return count
    }

    /// The unified ideograph (U+4E00–U+9FFF) whose three bytes start at `index`, or nil when
    /// another character starts there.
    @inline(__always)
    static func unifiedIdeograph(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32? {
        guard index + 3 <= bytes.count else {
            return nil
        }
        let (lead, second, third) = (bytes[index], bytes[index + 1], bytes[index + 2])
        guard lead >= 0xE4, lead <= 0xE9, second & 0xC0 == 0x80, third & 0xC0 == 0x80, lead != 0xE4 || second >= 0xB8 else {
            return nil
        }
        return UInt32(lead & 0x0F) << 12 | UInt32(second & 0x3F) << 6 | UInt32(third & 0x3F)
    }

    /// The length of the UTF-8 scalar starting at `index`, or nil where `decode` returns nil:
    /// for checking text without decoding it. The three-byte characters of CJK text are
    /// checked inline.
    @inline(__always)
    static func scalarLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let lead = bytes[index]
        if lead >= 0xE1, lead <= 0xEC || lead >= 0xEE, lead <= 0xEF, index + 3 <= bytes.count,
           bytes[index + 1] & 0xC0 == 0x80, bytes[index + 2] & 0xC0 == 0x80 {
            return 3  // not E0 (overlong forms) nor ED (surrogates): every continuation is valid
        }
        return decode(bytes, at: index)?.length
    }

    /// Decodes the scalar starting at `index`; returns nil when the bytes there are not UTF-8
    /// (truncated, overlong, a surrogate or beyond U+10FFFF).
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (codePoint: UInt32, length: Int)? {
        let lead = bytes[index]
        if lead < 0x80 {
            return (UInt32(lead), 1)
        }
        let length: Int
        let minimum: UInt32
        var codePoint: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; minimum = 0x80; codePoint = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; minimum = 0x800; codePoint = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; minimum = 0x10000; codePoint = UInt32(lead & 0x07)
        default: return nil
        }
        guard index + length <= bytes.count else {
            return nil
        }
        for offset in 1..<length {
            let continuation = bytes[index + offset]
            guard continuation & 0xC0 == 0x80 else {
                return nil
            }
            codePoint = codePoint << 6 | UInt32(continuation & 0x3F)
        }
        guard codePoint >= minimum, codePoint <= 0x10FFFF, !(0xD800...0xDFFF).contains(codePoint) else {
            return nil
        }
        return (codePoint, length)
    }
}
