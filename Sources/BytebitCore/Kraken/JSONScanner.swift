/// A forward-only JSON reader over raw frame bytes. It never copies the frame, keeps number text
/// exact (into `ExactDecimal`) and validates whatever it skips, so a malformed frame becomes an
/// error instead of a half-read message. Every loop advances `offset`, so it always terminates.
struct JSONScanner {
    /// How deep `skipValue` follows nested arrays/objects before giving up (Kraken needs 5).
    static let maximumNesting = 64

    let bytes: UnsafeRawBufferPointer
    var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// A string value still in the frame: its content bytes, between the quotes.
    struct RawString {
        var start: Int
        var end: Int
        var hasEscapes: Bool
    }

    // MARK: Structure

    var isAtEnd: Bool { offset >= bytes.count }

    @inline(__always)
    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    /// The next significant byte, or a truncation error.
    @inline(__always)
    mutating func peek() throws(KrakenDecodeError) -> UInt8 {
        skipWhitespace()
        guard offset < bytes.count else { throw .truncated(offset: offset) }
        return bytes[offset]
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: String) throws(KrakenDecodeError) {
        let found = try peek()
        guard found == byte else { throw .unexpectedByte(found, offset: offset, expected: what) }
        offset += 1
    }

    /// Consumes `literal` when the bytes at `offset` are exactly it (no whitespace skipped): the
    /// decoders' fast path for Kraken's own layout, a word at a time. False leaves `offset` as it was.
    @inline(__always)
    mutating func skipLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        let expected = UnsafeRawPointer(literal.utf8Start)
        var index = 0
        while index + 8 <= count {
            guard bytes.loadUnaligned(fromByteOffset: offset + index, as: UInt64.self)
                == expected.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            else { return false }
            index += 8
        }
        while index < count {
            guard bytes[offset + index] == expected.load(fromByteOffset: index, as: UInt8.self) else { return false }
            index += 1
        }
        offset += count
        return true
    }

    /// Consumes the top-level object's closing `}` when only whitespace follows it; otherwise
    /// consumes nothing and returns false (the general path then reads on, or reports the error).
    mutating func skipObjectEndAtFrameEnd() -> Bool {
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "}") else { return false }
        var end = offset + 1
        while end < bytes.count {
            switch bytes[end] {
            case 0x20, 0x0A, 0x0D, 0x09: end += 1
            default: return false
            }
        }
        offset = end
        return true
    }

    /// Only whitespace may follow the top-level value.
    mutating func expectEnd() throws(KrakenDecodeError) {
        skipWhitespace()
        if offset < bytes.count {
            throw .unexpectedByte(bytes[offset], offset: offset, expected: "end of frame")
        }
    }

    /// Consumes `{`; pair with `nextKey(isFirst:)`.
    mutating func beginObject(key: StaticString) throws(KrakenDecodeError) {
        let found = try peek()
        guard found == UInt8(ascii: "{") else {
            throw .wrongType(key: key.description, expected: "an object", offset: offset)
        }
        offset += 1
    }

    /// The next key of an object (consuming its `:`), or nil at `}`.
    @inline(__always)
    mutating func nextKey(isFirst: inout Bool) throws(KrakenDecodeError) -> RawString? {
        var byte = try peek()
        if byte == UInt8(ascii: "}") {
            offset += 1
            return nil
        }
        if !isFirst {
            guard byte == UInt8(ascii: ",") else { throw .unexpectedByte(byte, offset: offset, expected: "',' or '}'") }
            offset += 1
            byte = try peek()
        }
        isFirst = false
        guard byte == UInt8(ascii: "\"") else { throw .unexpectedByte(byte, offset: offset, expected: "a key") }
        let key = try scanString()
        try expect(UInt8(ascii: ":"), "':'")
        return key
    }

    /// Consumes `[`; pair with `nextElement(isFirst:)`.
    mutating func beginArray(key: StaticString) throws(KrakenDecodeError) {
        let found = try peek()
        guard found == UInt8(ascii: "[") else {
            throw .wrongType(key: key.description, expected: "an array", offset: offset)
        }
        offset += 1
    }

    /// True when another element follows (the scanner is then at it), false at `]`.
    @inline(__always)
    mutating func nextElement(isFirst: inout Bool) throws(KrakenDecodeError) -> Bool {
        let byte = try peek()
        if byte == UInt8(ascii: "]") {
            offset += 1
            return false
        }
        if !isFirst {
            guard byte == UInt8(ascii: ",") else { throw .unexpectedByte(byte, offset: offset, expected: "',' or ']'") }
            offset += 1
            _ = try peek()
        }
        isFirst = false
        return true
    }

    // MARK: Strings

    /// Scans a string starting at its opening quote; validates escapes and control characters.
    mutating func scanString() throws(KrakenDecodeError) -> RawString {
        offset += 1  // the opening quote
        let start = offset
        var hasEscapes = false
        // Eight bytes at a time up to the first quote, backslash or control character; the loop
        // below then handles that byte (and any escapes) one at a time.
        while offset + 8 <= bytes.count {
            let mask = Self.specialBytes(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            if mask == 0 {
                offset += 8
                continue
            }
            offset += mask.trailingZeroBitCount >> 3
            break
        }
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let raw = RawString(start: start, end: offset, hasEscapes: hasEscapes)
                offset += 1
                return raw
            }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                guard offset + 1 < bytes.count else { throw .truncated(offset: bytes.count) }
                switch bytes[offset + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    offset += 2
                case UInt8(ascii: "u"):
                    guard offset + 6 <= bytes.count else { throw .truncated(offset: bytes.count) }
                    for index in offset + 2..<offset + 6 where Self.hexValue(bytes[index]) == nil {
                        throw .invalidString(offset: index)
                    }
                    offset += 6
                default:
                    throw .invalidString(offset: offset)
                }
                continue
            }
            if byte < 0x20 { throw .invalidString(offset: offset) }
            offset += 1
        }
        throw .truncated(offset: offset)
    }

    /// A mask whose lowest set bit lies in the first byte of `word` (little-endian) that is a
    /// quote, a backslash or below 0x20; 0 when there is none. (Bits above the first such byte may
    /// be set spuriously: only the lowest one is exact.)
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let zeroQuote = (quotes &- ones) & ~quotes
        let zeroBackslash = (backslashes &- ones) & ~backslashes
        let control = (word &- ones &* 0x20) & ~word
        return (zeroQuote | zeroBackslash | control) & highs
    }

    /// Reads a string value for `key`.
    mutating func readRawString(key: StaticString) throws(KrakenDecodeError) -> RawString {
        let byte = try peek()
        guard byte == UInt8(ascii: "\"") else {
            throw .wrongType(key: key.description, expected: "a string", offset: offset)
        }
        return try scanString()
    }

    /// Reads a string value for `key` as a Swift `String` (escapes decoded, bad UTF-8 repaired).
    mutating func readString(key: StaticString) throws(KrakenDecodeError) -> String {
        string(try readRawString(key: key))
    }

    /// The text of a scanned string.
    func string(_ raw: RawString) -> String {
        if !raw.hasEscapes {
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[raw.start..<raw.end]), as: UTF8.self)
        }
        return String(decoding: unescaped(raw), as: UTF8.self)
    }

    /// Whether a scanned string equals `literal` (an ASCII key or enum value).
    @inline(__always)
    func matches(_ raw: RawString, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        if raw.hasEscapes {
            let decoded = unescaped(raw)
            return decoded.count == count
                && decoded.withUnsafeBytes { buffer in
                    buffer.elementsEqual(UnsafeRawBufferPointer(start: literal.utf8Start, count: count))
                }
        }
        guard raw.end - raw.start == count else { return false }
        let literalBytes = literal.utf8Start
        for index in 0..<count where bytes[raw.start + index] != literalBytes[index] {
            return false
        }
        return true
    }

    /// The content bytes with escapes decoded (the slow path: Kraken sends no escapes in practice).
    func unescaped(_ raw: RawString) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(raw.end - raw.start)
        var index = raw.start
        var pendingHighSurrogate: UInt32?
        while index < raw.end {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < raw.end else {
                result.append(byte)
                index += 1
                continue
            }
            let escaped = bytes[index + 1]
            index += 2
            var scalarValue: UInt32
            switch escaped {
            case UInt8(ascii: "b"): scalarValue = 0x08
            case UInt8(ascii: "f"): scalarValue = 0x0C
            case UInt8(ascii: "n"): scalarValue = 0x0A
            case UInt8(ascii: "r"): scalarValue = 0x0D
            case UInt8(ascii: "t"): scalarValue = 0x09
            case UInt8(ascii: "u"):
                scalarValue = 0
                // scanString checked the four hex digits; stay defensive about the bounds anyway.
                for hexIndex in index..<min(index + 4, raw.end) {
                    scalarValue = scalarValue << 4 | UInt32(Self.hexValue(bytes[hexIndex]) ?? 0)
                }
                index += 4
            default: scalarValue = UInt32(escaped)
            }
            if (0xD800..<0xDC00).contains(scalarValue) {
                pendingHighSurrogate = scalarValue
                continue
            }
            if (0xDC00..<0xE000).contains(scalarValue), let high = pendingHighSurrogate {
                scalarValue = 0x10000 + ((high - 0xD800) << 10) + (scalarValue - 0xDC00)
            }
            pendingHighSurrogate = nil
            let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
            result.append(contentsOf: String(Character(scalar)).utf8)
        }
        return result
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    // MARK: Literals

    mutating func readBool(key: StaticString) throws(KrakenDecodeError) -> Bool {
        let byte = try peek()
        if byte == UInt8(ascii: "t") {
            try expectLiteral("true")
            return true
        }
        if byte == UInt8(ascii: "f") {
            try expectLiteral("false")
            return false
        }
        throw .wrongType(key: key.description, expected: "true or false", offset: offset)
    }

    /// True (and consumed) when the next value is `null`.
    mutating func skipNull() throws(KrakenDecodeError) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try expectLiteral("null")
        return true
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(KrakenDecodeError) {
        let count = literal.utf8CodeUnitCount
        for index in 0..<count {
            guard offset + index < bytes.count else { throw .truncated(offset: bytes.count) }
            let found = bytes[offset + index]
            guard found == literal.utf8Start[index] else {
                throw .unexpectedByte(found, offset: offset + index, expected: literal.description)
            }
        }
        offset += count
    }

    // MARK: Skipping

    /// Skips one value of any type, validating it, following at most `maximumNesting` levels.
    mutating func skipValue(depth: Int = 0) throws(KrakenDecodeError) {
        guard depth < Self.maximumNesting else { throw .nestingTooDeep(offset: offset) }
        let byte = try peek()
        switch byte {
        case UInt8(ascii: "{"):
            offset += 1
            var isFirst = true
            while try nextKey(isFirst: &isFirst) != nil {
                try skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "["):
            offset += 1
            var isFirst = true
            while try nextElement(isFirst: &isFirst) {
                try skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "t"):
            try expectLiteral("true")
        case UInt8(ascii: "f"):
            try expectLiteral("false")
        case UInt8(ascii: "n"):
            try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber(key: "value")
        default:
            throw .unexpectedByte(byte, offset: offset, expected: "a JSON value")
        }
    }
}
