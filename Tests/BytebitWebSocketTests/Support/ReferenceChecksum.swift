// The test's own reading of Kraken's book rules (docs/kraken-v2.md §3.3, §4.1), independent of
// BytebitCore: numbers stay the exact text of the wire, prices are ordered by comparing that text,
// and the CRC32 is a table implementation of its own.

/// A JSON value whose numbers keep their exact wire text (trailing zeros included).
indirect enum WireJSON {
    case object([(key: String, value: WireJSON)])
    case array([WireJSON])
    case string(String)
    case number(String)
    case literal(String)

    subscript(key: String) -> WireJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    var items: [WireJSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var number: String? {
        if case .number(let text) = self { return text }
        return nil
    }

    /// Parses one JSON text; numbers are not interpreted at all.
    static func parse(_ bytes: some Collection<UInt8>) throws -> WireJSON {
        var scanner = WireJSONScanner(bytes: Array(bytes))
        let value = try scanner.value()
        scanner.skipSpace()
        guard scanner.index == scanner.bytes.count else { throw scanner.failure("text after the value") }
        return value
    }
}

/// Why a frame could not be read by the test's scanner.
struct WireJSONFailure: Error, CustomStringConvertible {
    let description: String
}

/// A recursive-descent JSON scanner: just enough for Kraken frames, numbers copied as text.
struct WireJSONScanner {
    let bytes: [UInt8]
    var index = 0

    func failure(_ what: String) -> WireJSONFailure {
        WireJSONFailure(description: "JSON: \(what) at byte \(index)")
    }

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func value() throws -> WireJSON {
        skipSpace()
        guard index < bytes.count else { throw failure("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            while index < bytes.count, Array("0123456789+-.eE".utf8).contains(bytes[index]) { index += 1 }
            return .number(String(decoding: bytes[start..<index], as: UTF8.self))
        default:
            for word in ["true", "false", "null"] where bytes[index...].starts(with: word.utf8) {
                index += word.utf8.count
                return .literal(word)
            }
            throw failure("unexpected byte \(bytes[index])")
        }
    }

    private mutating func expect(_ byte: Character) throws {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte.asciiValue else { throw failure("expected \(byte)") }
        index += 1
    }

    /// True (and consumed) when the next byte is `byte`.
    private mutating func take(_ byte: Character) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte.asciiValue else { return false }
        index += 1
        return true
    }

    private mutating func object() throws -> WireJSON {
        try expect("{")
        var members: [(key: String, value: WireJSON)] = []
        if take("}") { return .object(members) }
        repeat {
            skipSpace()
            let key = try string()
            try expect(":")
            members.append((key, try value()))
        } while take(",")
        try expect("}")
        return .object(members)
    }

    private mutating func array() throws -> WireJSON {
        try expect("[")
        var items: [WireJSON] = []
        if take("]") { return .array(items) }
        repeat { items.append(try value()) } while take(",")
        try expect("]")
        return .array(items)
    }

    /// A string; escapes other than \" \\ \/ \n \t are not expected from the simulator and kept raw.
    private mutating func string() throws -> String {
        try expect("\"")
        var text: [UInt8] = []
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count {
                index += 1
                switch bytes[index] {
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(bytes[index])
                default: text += [UInt8(ascii: "\\"), bytes[index]]
                }
            } else {
                text.append(bytes[index])
            }
            index += 1
        }
        try expect("\"")
        return String(decoding: text, as: UTF8.self)
    }
}

/// A non-negative plain decimal compared by its text: integer digits without leading zeros, then
/// fraction digits without trailing zeros (for such digit strings text order is numeric order).
struct DecimalText: Hashable, Comparable {
    let integerDigits: String
    let fractionDigits: String

    /// Nil unless `token` is digits with at most one point (no sign, no exponent).
    init?(_ token: String) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            parts.count == 1 || !parts[1].isEmpty
        else { return nil }
        integerDigits = String(parts[0].drop { $0 == "0" })
        fractionDigits = parts.count == 2 ? String(parts[1].reversed().drop { $0 == "0" }.reversed()) : ""
    }

    var isZero: Bool { integerDigits.isEmpty && fractionDigits.isEmpty }

    static func < (lhs: DecimalText, rhs: DecimalText) -> Bool {
        if lhs.integerDigits.count != rhs.integerDigits.count {
            return lhs.integerDigits.count < rhs.integerDigits.count
        }
        if lhs.integerDigits != rhs.integerDigits { return lhs.integerDigits < rhs.integerDigits }
        return lhs.fractionDigits < rhs.fractionDigits
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// One side-agnostic L2 book kept as wire text: snapshot replaces, levels apply in order, qty 0
/// deletes, the message's end truncates to depth.
struct ReferenceBook {
    struct Level: Equatable {
        let price: String
        var qty: String
    }

    let depth: Int
    private var askEntries: [(key: DecimalText, level: Level)] = []
    private var bidEntries: [(key: DecimalText, level: Level)] = []

    init(depth: Int) {
        self.depth = depth
    }

    /// Best (lowest) first.
    var asks: [Level] { askEntries.map(\.level) }
    /// Best (highest) first.
    var bids: [Level] { bidEntries.map(\.level) }

    /// Applies one message's levels; `isSnapshot` starts from an empty book.
    mutating func apply(bids newBids: [Level], asks newAsks: [Level], isSnapshot: Bool) throws {
        if isSnapshot {
            askEntries = []
            bidEntries = []
        }
        for level in newBids { try Self.set(level, in: &bidEntries, isBetter: >) }
        for level in newAsks { try Self.set(level, in: &askEntries, isBetter: <) }
        if bidEntries.count > depth { bidEntries.removeLast(bidEntries.count - depth) }
        if askEntries.count > depth { askEntries.removeLast(askEntries.count - depth) }
    }

    private static func set(
        _ level: Level, in side: inout [(key: DecimalText, level: Level)],
        isBetter: (DecimalText, DecimalText) -> Bool
    ) throws {
        guard let price = DecimalText(level.price), let qty = DecimalText(level.qty) else {
            throw WireJSONFailure(description: "level \(level.price) x \(level.qty) is not plain decimal text")
        }
        // The first level not better than `price`: either the same price or where it goes.
        let index = side.firstIndex { !isBetter($0.key, price) } ?? side.endIndex
        let exists = index < side.endIndex && side[index].key == price
        if qty.isZero {
            // Deleting a level the book does not hold (already truncated) is allowed and ignored.
            if exists { side.remove(at: index) }
        } else if exists {
            side[index].level = level
        } else {
            side.insert((price, level), at: index)
        }
    }

    /// Whether the best bid is at or above the best ask (never true of a sane book).
    var isCrossed: Bool {
        guard let bid = bidEntries.first?.key, let ask = askEntries.first?.key else { return false }
        return !(bid < ask)
    }

    /// Kraken's checksum: top 10 asks ascending then top 10 bids descending, each price then qty
    /// with the point removed and leading zeros stripped, CRC32 (IEEE).
    var checksum: UInt32 {
        var text = ""
        for level in askEntries.prefix(10).map(\.level) + bidEntries.prefix(10).map(\.level) {
            text += Self.checksumDigits(level.price) + Self.checksumDigits(level.qty)
        }
        return ReferenceCRC32.checksum(text.utf8)
    }

    /// The levels of a frame's `bids` or `asks` array, as wire text.
    static func levels(_ side: WireJSON?) throws -> [Level] {
        guard let items = side?.items else { throw WireJSONFailure(description: "book side is not an array") }
        return try items.map { item in
            guard let price = item["price"]?.number, let qty = item["qty"]?.number else {
                throw WireJSONFailure(description: "book level without numeric price and qty")
            }
            return Level(price: price, qty: qty)
        }
    }

    static func checksumDigits(_ token: String) -> String {
        String(token.filter { $0 != "." }.drop { $0 == "0" })
    }
}

/// CRC-32/IEEE (reflected polynomial 0xEDB88320, as zlib's crc32), written out rather than borrowed.
enum ReferenceCRC32 {
    static let table: [UInt32] = (0..<256).map { entry in
        var value = UInt32(entry)
        for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1 }
        return value
    }

    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
