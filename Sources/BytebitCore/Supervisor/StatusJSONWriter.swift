/// Writes the status files' JSON by hand, byte for byte what `JSONEncoder.statusFile` (sorted keys,
/// no spaces) writes: a group collector rewrote its 24–38 markets' statuses with `JSONEncoder`
/// every 10 s at ~2.3 million instructions a time, a sixth of its CPU at ~20 messages a second
/// (issue 10, callgrind). Callers give the keys of each object in sorted order.
struct StatusJSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Per open object: whether it has a member yet (the next one needs a comma).
    private var hasMember: [Bool] = []
    /// The instant last written (`value(_: UTCTimestamp?)`) and its text.
    private var lastInstant: Int64 = .min
    private var lastInstantText: [UInt8] = []

    init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        hasMember.append(false)
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        hasMember.removeLast()
    }

    /// `"key":` (after a comma when the object has a member already); the value follows.
    mutating func key(_ name: StaticString) {
        if hasMember[hasMember.count - 1] { bytes.append(UInt8(ascii: ",")) }
        hasMember[hasMember.count - 1] = true
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func beginArray() { bytes.append(UInt8(ascii: "[")) }
    mutating func endArray() { bytes.append(UInt8(ascii: "]")) }
    mutating func arraySeparator() { bytes.append(UInt8(ascii: ",")) }

    /// The digits written in place (`DecimalDigits`), not through a new `String` per number.
    mutating func value(_ number: Int) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            guard let start = digits.baseAddress else { return }
            let count = DecimalDigits.write(UInt64(number.magnitude), to: start)
            bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: count))
        }
    }

    mutating func value(_ flag: Bool) {
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
    }

    mutating func null() {
        bytes.append(contentsOf: "null".utf8)
    }

    /// An RFC 3339 timestamp as a JSON string (its text needs no escaping), or `null`. The last
    /// instant's text is kept: a group's status repeats its `updated_at` and `started_at` for each of
    /// its 60–100 markets (formatting each was ~500 instructions, issue 10, callgrind).
    mutating func value(_ instant: UTCTimestamp?) {
        guard let instant else { return null() }
        bytes.append(UInt8(ascii: "\""))
        if instant.microseconds == lastInstant, !lastInstantText.isEmpty {
            bytes.append(contentsOf: lastInstantText)
        } else {
            let start = bytes.count
            instant.appendText(to: &bytes)
            lastInstant = instant.microseconds
            lastInstantText = Array(bytes[start...])
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A JSON string escaped as `JSONEncoder` escapes it (`/` too, as it does by default).
    mutating func value(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // The usual text (a market, a state) needs no escape: appended at once, not byte by byte.
        if !text.utf8.contains(where: Self.needsEscape) {
            bytes.append(contentsOf: text.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "/"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "/")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                    hex[Int(byte >> 4)], hex[Int(byte & 0x0F)],
                ])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/")
    }
}
