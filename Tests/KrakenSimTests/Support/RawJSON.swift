/// A JSON value that keeps number tokens as their exact text, so tests can check trailing zeros and
/// the absence of exponents. Independent of Foundation's parsers on purpose.
indirect enum RawJSON: Equatable {
    case object([String: RawJSON], keys: [String])
    case array([RawJSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    subscript(key: String) -> RawJSON? {
        if case .object(let members, _) = self { return members[key] }
        return nil
    }

    var keys: [String] {
        if case .object(_, let keys) = self { return keys }
        return []
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var number: String? {
        if case .number(let text) = self { return text }
        return nil
    }

    var array: [RawJSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    struct ParseError: Error, CustomStringConvertible {
        var offset: Int
        var description: String { "invalid JSON at byte \(offset)" }
    }

    static func parse(_ text: String) throws -> RawJSON {
        var parser = Parser(bytes: Array(text.utf8))
        let value = try parser.value()
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw ParseError(offset: parser.index) }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        mutating func value() throws -> RawJSON {
            skipSpace()
            guard index < bytes.count else { throw ParseError(offset: index) }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default: return try number()
            }
        }

        mutating func literal(_ word: String, _ value: RawJSON) throws -> RawJSON {
            let word = Array(word.utf8)
            guard bytes.count - index >= word.count, Array(bytes[index..<index + word.count]) == word else {
                throw ParseError(offset: index)
            }
            index += word.count
            return value
        }

        mutating func object() throws -> RawJSON {
            index += 1
            var members: [String: RawJSON] = [:]
            var keys: [String] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members, keys: keys)
            }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw ParseError(offset: index) }
                let key = try string()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw ParseError(offset: index) }
                index += 1
                members[key] = try value()
                keys.append(key)
                skipSpace()
                guard index < bytes.count else { throw ParseError(offset: index) }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(members, keys: keys)
                }
                throw ParseError(offset: index)
            }
        }

        mutating func array() throws -> RawJSON {
            index += 1
            var items: [RawJSON] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                items.append(try value())
                skipSpace()
                guard index < bytes.count else { throw ParseError(offset: index) }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(items)
                }
                throw ParseError(offset: index)
            }
        }

        mutating func string() throws -> String {
            index += 1
            var result: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\"") { return String(decoding: result, as: UTF8.self) }
                if byte == UInt8(ascii: "\\") {
                    guard index < bytes.count else { break }
                    let escaped = bytes[index]
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "n"): result.append(0x0A)
                    case UInt8(ascii: "t"): result.append(0x09)
                    case UInt8(ascii: "r"): result.append(0x0D)
                    case UInt8(ascii: "u"):
                        guard index + 4 <= bytes.count,
                            let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
                            let scalar = Unicode.Scalar(code)
                        else { throw ParseError(offset: index) }
                        result.append(contentsOf: Array(String(Character(scalar)).utf8))
                        index += 4
                    default: result.append(escaped)
                    }
                    continue
                }
                result.append(byte)
            }
            throw ParseError(offset: index)
        }

        mutating func number() throws -> RawJSON {
            let start = index
            while index < bytes.count, "-+.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
            guard index > start else { throw ParseError(offset: index) }
            return .number(String(decoding: bytes[start..<index], as: UTF8.self))
        }
    }
}
