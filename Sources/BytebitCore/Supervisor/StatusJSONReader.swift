/// Reads the status files' JSON by hand: the supervisor parsed its collectors' group status files
/// with `JSONDecoder` each time one was rewritten, half of its CPU with 672 markets (issue 10,
/// `perf`). Any valid JSON is read (keys in any order, whitespace, escapes, unknown keys skipped);
/// whatever it does not take (a fraction where an integer belongs, a missing key, bad JSON) throws,
/// and the caller falls back to `JSONDecoder`, whose error says what is wrong.
struct StatusJSONReader {
    struct Unreadable: Error {}

    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws(Unreadable) {
        skipWhitespace()
        guard current == byte else { throw Unreadable() }
        position += 1
    }

    /// The whole input was one value (trailing whitespace allowed).
    mutating func finish() throws(Unreadable) {
        skipWhitespace()
        guard position == bytes.count else { throw Unreadable() }
    }

    /// Calls `member` with each key of an object; `member` reads (or skips) the value.
    mutating func object(_ member: (inout StatusJSONReader, String) throws(Unreadable) -> Void) throws(Unreadable) {
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
            skipWhitespace()
            guard let next = current else { throw Unreadable() }
            position += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw Unreadable() }
        }
    }

    /// Calls `element` for each element of an array.
    mutating func array(_ element: (inout StatusJSONReader) throws(Unreadable) -> Void) throws(Unreadable) {
        try expect(UInt8(ascii: "["))
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return
        }
        while true {
            try element(&self)
            skipWhitespace()
            guard let next = current else { throw Unreadable() }
            position += 1
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { throw Unreadable() }
        }
    }

    /// Whether the next value is `null` (then it is consumed).
    mutating func null() throws(Unreadable) -> Bool {
        skipWhitespace()
        guard current == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    private mutating func literal(_ text: StaticString) throws(Unreadable) {
        let count = text.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw Unreadable() }
        for offset in 0..<count where bytes[position + offset] != text.utf8Start[offset] { throw Unreadable() }
        position += count
    }

    mutating func bool() throws(Unreadable) -> Bool {
        skipWhitespace()
        if current == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    /// An integer (no fraction or exponent: those are left to `JSONDecoder`).
    mutating func int() throws(Unreadable) -> Int {
        skipWhitespace()
        let negative = current == UInt8(ascii: "-")
        if negative { position += 1 }
        var value = 0
        var digits = 0
        while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowAdd) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflow, !overflowAdd else { throw Unreadable() }
            value = sum
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw Unreadable() }
        if let next = current, next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            throw Unreadable()
        }
        return negative ? -value : value
    }

    mutating func string() throws(Unreadable) -> String {
        try expect(UInt8(ascii: "\""))
        // The usual string (every key, a market, a state, a time) has no escape: it is taken from the
        // input at once, without a byte-by-byte copy (most of the supervisor's parsing, `perf`).
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            guard byte == UInt8(ascii: "\"") else {
                position += 1
                continue
            }
            let plain = bytes[start..<position].withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) }
            guard let plain else { throw Unreadable() }
            position += 1
            return plain
        }
        position = start
        var text: [UInt8] = []
        while true {
            guard let byte = current else { throw Unreadable() }
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let decoded = String(validating: text, as: UTF8.self) else { throw Unreadable() }
                return decoded
            case UInt8(ascii: "\\"):
                guard let escaped = current else { throw Unreadable() }
                position += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"): try unicodeEscape(into: &text)
                default: throw Unreadable()
                }
            case 0..<0x20:
                throw Unreadable()
            default:
                text.append(byte)
            }
        }
    }

    /// `\uXXXX` (after the `u`), a surrogate pair as two of them.
    private mutating func unicodeEscape(into text: inout [UInt8]) throws(Unreadable) {
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar) {
            try literal("\\u")
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw Unreadable() }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw Unreadable() }
        text.append(contentsOf: String(Character(unicode)).utf8)
    }

    private mutating func hex4() throws(Unreadable) -> UInt32 {
        guard position + 4 <= bytes.count else { throw Unreadable() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            position += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Unreadable()
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Skips any value (an unknown key's). Numbers are skipped by their characters.
    mutating func skipValue() throws(Unreadable) {
        skipWhitespace()
        switch current {
        case UInt8(ascii: "{")?: try object { reader, _ throws(Unreadable) in try reader.skipValue() }
        case UInt8(ascii: "[")?: try array { reader throws(Unreadable) in try reader.skipValue() }
        case UInt8(ascii: "\"")?: _ = try string()
        case UInt8(ascii: "t")?, UInt8(ascii: "f")?: _ = try bool()
        case UInt8(ascii: "n")?: _ = try null()
        case .some(let byte) where byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")):
            while let next = current, "+-.eE0123456789".utf8.contains(next) { position += 1 }
        default: throw Unreadable()
        }
    }

    /// An RFC 3339 timestamp string.
    mutating func timestamp() throws(Unreadable) -> UTCTimestamp {
        guard let instant = UTCTimestamp(try string()) else { throw Unreadable() }
        return instant
    }

    /// A timestamp or `null`.
    mutating func optionalTimestamp() throws(Unreadable) -> UTCTimestamp? {
        try null() ? nil : try timestamp()
    }
}
