/// Numbers are read digit by digit from the frame so their text survives exactly: `0.10000000` keeps
/// its eight fraction digits, which Kraken's checksum depends on. No `Double` anywhere.
extension JSONScanner {
    /// One JSON number token, already accumulated: `units / 10^scale × 10^exponent`.
    struct NumberToken {
        var start: Int
        var units: UInt64 = 0
        var scale: Int = 0
        var exponent: Int = 0
        var isNegative = false
        var hasFraction = false
        var hasExponent = false
        /// More significant digits than fit in 64 bits (the token is still valid JSON).
        var overflowed = false
        /// Digits accumulated so far (integer and fraction).
        var digitCount = 0

        /// Adds one digit. A method of the token, not a nested function of `scanNumber`: a nested
        /// function mutating the scan's locals made each call a run-time exclusivity check
        /// (`swift_beginAccess`, ~85 instructions, ~4 per frame; issue 10, callgrind).
        @inline(__always)
        mutating func accumulate(_ value: UInt8) {
            // Up to 19 digits fit a UInt64 whatever they are: those need no overflow check.
            if digitCount < 19 {
                units = units &* 10 &+ UInt64(value)
            } else {
                let (times10, overflow1) = units.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(value))
                if overflow1 || overflow2 { overflowed = true } else { units = sum }
            }
            digitCount &+= 1
        }
    }

    /// Scans JSON number syntax at `offset` (up to `limit`), accumulating its digits.
    mutating func scanNumber(key: StaticString, limit: Int? = nil) throws(KrakenDecodeError) -> NumberToken {
        let end = limit ?? bytes.count
        var token = NumberToken(start: offset)
        func digit(_ index: Int) -> UInt8? {
            guard index < end else { return nil }
            let value = bytes[index] &- UInt8(ascii: "0")
            return value < 10 ? value : nil
        }
        if offset < end, bytes[offset] == UInt8(ascii: "-") {
            token.isNegative = true
            offset += 1
        }
        guard let first = digit(offset) else {
            if offset >= end, limit == nil { throw .truncated(offset: offset) }
            throw .invalidNumber(key: key.description, offset: token.start)
        }
        offset += 1
        token.accumulate(first)
        // JSON forbids leading zeros: "0" may only be followed by a fraction or an exponent.
        if first != 0 {
            while let value = digit(offset) {
                token.accumulate(value)
                offset += 1
            }
        }
        if offset < end, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            token.hasFraction = true
            guard digit(offset) != nil else { throw .invalidNumber(key: key.description, offset: token.start) }
            let fractionStart = offset
            while let value = digit(offset) {
                token.accumulate(value)
                offset += 1
            }
            token.scale = offset - fractionStart
        }
        if offset < end, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            token.hasExponent = true
            var exponentIsNegative = false
            if offset < end, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                exponentIsNegative = bytes[offset] == UInt8(ascii: "-")
                offset += 1
            }
            guard digit(offset) != nil else { throw .invalidNumber(key: key.description, offset: token.start) }
            var magnitude = 0
            while let value = digit(offset) {
                // Saturate: anything past 10^4 is out of range for every field anyway.
                magnitude = min(magnitude * 10 + Int(value), 100_000)
                offset += 1
            }
            token.exponent = exponentIsNegative ? -magnitude : magnitude
        }
        return token
    }

    /// Reads a decimal for `key`: a JSON number, or a string holding one (Kraken's doc examples quote
    /// prices). Exponents are applied exactly (`1E-8` → 0.00000001); the result keeps the printed
    /// fraction digits. At most 18 significant digits.
    mutating func readDecimal(key: StaticString) throws(KrakenDecodeError) -> ExactDecimal {
        if let plain = scanPlainDecimal() { return plain }
        return try readDecimalGenerally(key: key)
    }

    /// `readDecimal` without its fast path (every number syntax; tests compare the two).
    mutating func readDecimalGenerally(key: StaticString) throws(KrakenDecodeError) -> ExactDecimal {
        let byte = try peek()
        if byte == UInt8(ascii: "\"") {
            let raw = try scanString()
            guard !raw.hasEscapes else { throw .invalidNumber(key: key.description, offset: raw.start) }
            var inner = JSONScanner(bytes, offset: raw.start)
            let token = try inner.scanNumber(key: key, limit: raw.end)
            guard inner.offset == raw.end else { throw .invalidNumber(key: key.description, offset: raw.start) }
            return try decimal(token, key: key)
        }
        guard byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) else {
            throw .wrongType(key: key.description, expected: "a number", offset: offset)
        }
        return try decimal(try scanNumber(key: key), key: key)
    }

    private func decimal(_ token: NumberToken, key: StaticString) throws(KrakenDecodeError) -> ExactDecimal {
        guard !token.overflowed, token.units <= UInt64(Int64.max) else {
            throw .numberOutOfRange(key: key.description, offset: token.start)
        }
        var units = Int64(token.units)
        var scale = token.scale - token.exponent
        if scale < 0 {
            guard let factor = ExactDecimal.powerOfTen(-scale) else {
                throw .numberOutOfRange(key: key.description, offset: token.start)
            }
            let (scaled, overflow) = units.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw .numberOutOfRange(key: key.description, offset: token.start) }
            units = scaled
            scale = 0
        }
        guard scale <= 18 else { throw .numberOutOfRange(key: key.description, offset: token.start) }
        return ExactDecimal(units: token.isNegative ? -units : units, scale: Int8(scale))
    }

    /// Kraken's usual number right at `offset`: digits, optionally `.` and more digits, at most
    /// 18 digits in all, no sign or exponent, and not a `0` followed by a digit. Read in one tight
    /// loop (the general scan cost ~300 instructions per number, ~3 numbers per frame; issue 10,
    /// callgrind); nil, with nothing consumed, for anything else: the general scan then reads it
    /// (or reports it) from the same place.
    @inline(__always)
    mutating func scanPlainDecimal() -> ExactDecimal? {
        let end = bytes.count
        var index = offset
        var units: Int64 = 0
        guard index < end else { return nil }
        let first = bytes[index] &- UInt8(ascii: "0")
        guard first < 10 else { return nil }
        index &+= 1
        if first != 0 {
            units = Int64(first)
            while index < end {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                units = units &* 10 &+ Int64(digit)
                index &+= 1
            }
        }
        var digitCount = index - offset
        var scale = 0
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index &+= 1
            let fractionStart = index
            while index < end {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                units = units &* 10 &+ Int64(digit)
                index &+= 1
            }
            scale = index - fractionStart
            guard scale > 0 else { return nil }
            digitCount &+= scale
        }
        // Up to 18 digits cannot overflow (the wrapping arithmetic above is exact then); a digit
        // after a leading 0, or an exponent, is the general scan's to judge.
        guard digitCount <= 18, index >= end || Self.endsPlainNumber(bytes[index]) else { return nil }
        offset = index
        return ExactDecimal(units: units, scale: Int8(truncatingIfNeeded: scale))
    }

    /// Whether `byte` may follow a number this fast path reads: not a digit, `e`/`E` or `.`.
    @inline(__always)
    private static func endsPlainNumber(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") >= 10 && byte | 0x20 != UInt8(ascii: "e") && byte != UInt8(ascii: ".")
    }

    /// Reads a non-negative JSON integer (no fraction, no exponent) for `key`.
    mutating func readUInt64(key: StaticString) throws(KrakenDecodeError) -> UInt64 {
        // Kraken's checksums and trade ids: plain digits, read in one tight loop (as above).
        let start = offset
        if let plain = scanPlainDecimal() {
            if plain.scale == 0 { return UInt64(plain.units) }
            offset = start
        }
        return try readUInt64Generally(key: key)
    }

    /// `readUInt64` without its fast path (tests compare the two).
    mutating func readUInt64Generally(key: StaticString) throws(KrakenDecodeError) -> UInt64 {
        let byte = try peek()
        guard byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) else {
            throw .wrongType(key: key.description, expected: "an integer", offset: offset)
        }
        let token = try scanNumber(key: key)
        guard !token.hasFraction, !token.hasExponent, !token.isNegative || token.units == 0 else {
            throw .wrongType(key: key.description, expected: "a non-negative integer", offset: token.start)
        }
        guard !token.overflowed else { throw .numberOutOfRange(key: key.description, offset: token.start) }
        return token.units
    }

    /// Reads a JSON integer that fits in `Int64` for `key`.
    mutating func readInt64(key: StaticString) throws(KrakenDecodeError) -> Int64 {
        let byte = try peek()
        guard byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) else {
            throw .wrongType(key: key.description, expected: "an integer", offset: offset)
        }
        let token = try scanNumber(key: key)
        guard !token.hasFraction, !token.hasExponent else {
            throw .wrongType(key: key.description, expected: "an integer", offset: token.start)
        }
        let limit = token.isNegative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        guard !token.overflowed, token.units <= limit else {
            throw .numberOutOfRange(key: key.description, offset: token.start)
        }
        return token.isNegative ? Int64(truncatingIfNeeded: 0 &- token.units) : Int64(token.units)
    }

    /// Reads an integer in `range` for `key`.
    mutating func readInt(key: StaticString, in range: ClosedRange<Int64>) throws(KrakenDecodeError) -> Int {
        let start = offset
        let value = try readInt64(key: key)
        guard range.contains(value) else { throw .numberOutOfRange(key: key.description, offset: start) }
        return Int(value)
    }
}
