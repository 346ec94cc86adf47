/// Writes the status files' JSON by hand, byte for byte what `JSONEncoder.statusFile` (sorted keys,
/// no spaces) writes: a group collector rewrote its 24–38 markets' statuses with `JSONEncoder`
/// every 10 s at ~2.3 million instructions a time, a sixth of its CPU at ~20 messages a second
/// (issue 10, callgrind). Callers give the keys of each object in sorted order.
struct StatusJSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Per open object, a bit: whether it has a member yet (the next one needs a comma); the
    /// innermost object is the lowest bit. A bit stack, not a `[Bool]`: `key` is called ~40 times
    /// per market, and the array's checks were half of each call (issue 10, callgrind).
    private var hasMember: UInt64 = 0
    /// The timestamps' text of two seconds (`value(_: UTCTimestamp?)`), the seconds they hold, and
    /// which was used last (a third second replaces the other one).
    private var instantTexts = (TimestampTextCache(), TimestampTextCache())
    private var cachedSeconds: (Int64, Int64) = (.min, .min)
    private var lastCacheUsed = 0

    init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    /// Objects nest at most 64 deep (the status files' nest 3).
    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        hasMember <<= 1
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        hasMember >>= 1
    }

    /// `"key":` (after a comma when the object has a member already); the value follows.
    mutating func key(_ name: StaticString) {
        if hasMember & 1 != 0 { bytes.append(UInt8(ascii: ",")) }
        hasMember |= 1
        let count = name.utf8CodeUnitCount
        let start = name.utf8Start
        // One append of `"key":` (each append of its own checks the array's capacity and uniqueness).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count + 3) { text in
            guard let base = text.baseAddress else { return }
            base[0] = UInt8(ascii: "\"")
            (base + 1).update(from: start, count: count)
            base[count + 1] = UInt8(ascii: "\"")
            base[count + 2] = UInt8(ascii: ":")
            bytes.append(contentsOf: UnsafeBufferPointer(start: base, count: count + 3))
        }
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

    /// An RFC 3339 timestamp as a JSON string (its text needs no escaping), or `null`. Two
    /// `TimestampTextCache`s keep the text of two seconds: a group's status gives each of its 60–100
    /// markets a `started_at` (the second the process started) and an `updated_at` and mostly a
    /// `last_message_at` of this second (formatting each whole was ~500 instructions, issue 10,
    /// callgrind). Each cache checks its own second, so the choice of cache only decides the speed.
    mutating func value(_ instant: UTCTimestamp?) {
        guard let instant else { return null() }
        let second = instant.microseconds >= 0 ? instant.microseconds / 1_000_000 : (instant.microseconds + 1) / 1_000_000 - 1
        let slot = second == cachedSeconds.0 ? 0 : second == cachedSeconds.1 ? 1 : 1 - lastCacheUsed
        lastCacheUsed = slot
        if slot == 0 { cachedSeconds.0 = second } else { cachedSeconds.1 = second }
        bytes.append(UInt8(ascii: "\""))
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: UTCTimestamp.textLength) { text in
            guard let base = text.baseAddress else { return }
            let count = slot == 0 ? instantTexts.0.write(instant, to: base) : instantTexts.1.write(instant, to: base)
            bytes.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
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
