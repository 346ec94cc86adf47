/// PostgreSQL's binary COPY format (the `COPY ... FROM STDIN (FORMAT binary)` wire form), for the
/// book and trade tables: the server then skips parsing timestamps, numbers and the COPY text itself,
/// which is most of its work per row besides the JSONB arrays. Every value is built exactly from the
/// file's text — a timestamp's microseconds, a decimal's digits in base 10,000 with its scale (so
/// `0.50000000` keeps its eight places) — never through a binary floating-point or decimal type.
enum CopyBinary {
    /// The file header: signature, flags, no header extension.
    static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    /// The end of the data: a field count of -1.
    static let trailer: [UInt8] = [0xFF, 0xFF]
    /// PostgreSQL's timestamps count microseconds from 2000-01-01 00:00 UTC.
    static let postgresEpochMicroseconds: Int64 = 946_684_800_000_000

    /// A tuple's start: its number of fields.
    static func appendFieldCount(_ count: Int16, to out: inout [UInt8]) {
        appendBigEndian(UInt16(bitPattern: count), to: &out)
    }

    static func appendNull(to out: inout [UInt8]) {
        appendBigEndian(UInt32.max, to: &out)
    }

    /// A `timestamptz` (or `timestamp`) field.
    static func appendTimestamp(microsecondsSince1970: Int64, to out: inout [UInt8]) {
        appendBigEndian(UInt32(8), to: &out)
        appendBigEndian(UInt64(bitPattern: microsecondsSince1970 - postgresEpochMicroseconds), to: &out)
    }

    /// A `bigint` field.
    static func appendInt64(_ value: Int64, to out: inout [UInt8]) {
        appendBigEndian(UInt32(8), to: &out)
        appendBigEndian(UInt64(bitPattern: value), to: &out)
    }

    /// A `text` field (UTF-8 bytes as they are).
    static func appendText(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        appendBigEndian(UInt32(bytes.count), to: &out)
        out.append(contentsOf: bytes)
    }

    static func appendText(_ bytes: [UInt8], to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { appendText($0, to: &out) }
    }

    /// A `jsonb` field whose JSON text `body` writes: format version 1, then the text (the server
    /// parses it as it would text input).
    static func appendJSONB(to out: inout [UInt8], _ body: (inout [UInt8]) -> Void) {
        let lengthAt = out.count
        appendBigEndian(UInt32(0), to: &out)
        out.append(1)
        body(&out)
        let length = UInt32(out.count - lengthAt - 4)
        out.withUnsafeMutableBufferPointer { bytes in
            bytes[lengthAt] = UInt8(truncatingIfNeeded: length >> 24)
            bytes[lengthAt + 1] = UInt8(truncatingIfNeeded: length >> 16)
            bytes[lengthAt + 2] = UInt8(truncatingIfNeeded: length >> 8)
            bytes[lengthAt + 3] = UInt8(truncatingIfNeeded: length)
        }
    }

    /// Most digits a number may have here (far beyond any price or quantity; `numeric` allows more,
    /// but a longer cell is not a number Kraken sends).
    static let maximumDigits = 1000

    /// A `numeric` field from decimal text `-?digits[.digits]`: base-10,000 digit groups aligned on the
    /// point, the weight of the first group, the sign and the display scale (the count of fraction
    /// digits as written). False, with nothing appended, for any other text.
    @discardableResult
    static func appendNumeric(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        guard let base = text.baseAddress, text.count <= maximumDigits + 2 else { return false }
        let count = text.count
        var index = 0
        let negative = count > 0 && base[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        let integerStart = index
        while index < count, base[index] &- 0x30 < 10 { index += 1 }
        let integerEnd = index
        var fractionStart = index
        var fractionEnd = index
        if index < count, base[index] == UInt8(ascii: ".") {
            index += 1
            fractionStart = index
            while index < count, base[index] &- 0x30 < 10 { index += 1 }
            fractionEnd = index
            guard fractionEnd > fractionStart else { return false }
        }
        guard index == count, integerEnd > integerStart || fractionEnd > fractionStart else { return false }
        var firstDigit = integerStart
        while firstDigit < integerEnd, base[firstDigit] == UInt8(ascii: "0") { firstDigit += 1 }
        let integerDigits = integerEnd - firstDigit
        let fractionDigits = fractionEnd - fractionStart
        let integerGroups = (integerDigits + 3) / 4
        let fractionGroups = (fractionDigits + 3) / 4
        // The decimal digit at offset `position` from the first group's first (padded) place.
        let padding = integerGroups * 4 - integerDigits
        func digit(_ position: Int) -> Int16 {
            let integerPosition = position - padding
            if integerPosition < 0 { return 0 }
            if integerPosition < integerDigits { return Int16(base[firstDigit + integerPosition] &- 0x30) }
            let fractionPosition = integerPosition - integerDigits
            return fractionPosition < fractionDigits ? Int16(base[fractionStart + fractionPosition] &- 0x30) : 0
        }
        var groups: [Int16] = []
        groups.reserveCapacity(integerGroups + fractionGroups)
        for group in 0..<(integerGroups + fractionGroups) {
            let first = group * 4
            groups.append(((digit(first) * 10 + digit(first + 1)) * 10 + digit(first + 2)) * 10 + digit(first + 3))
        }
        var weight = integerGroups - 1
        // Leading zero groups (a number below 1) move the weight; trailing ones carry nothing (the
        // display scale keeps the written places).
        var leading = 0
        while leading < groups.count, groups[leading] == 0 { leading += 1 }
        var trailing = groups.count
        while trailing > leading, groups[trailing - 1] == 0 { trailing -= 1 }
        weight -= leading
        let significant = groups[leading..<trailing]
        if significant.isEmpty { weight = 0 }
        appendBigEndian(UInt32(8 + 2 * significant.count), to: &out)
        appendBigEndian(UInt16(significant.count), to: &out)
        appendBigEndian(UInt16(bitPattern: Int16(weight)), to: &out)
        appendBigEndian(UInt16(negative && !significant.isEmpty ? 0x4000 : 0), to: &out)
        appendBigEndian(UInt16(fractionDigits), to: &out)
        for group in significant { appendBigEndian(UInt16(group), to: &out) }
        return true
    }

    @inline(__always)
    static func appendBigEndian<Value: FixedWidthInteger>(_ value: Value, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
    }
}
