import BytebitCore

/// Appends a JSON object to a byte buffer field by field, without building Strings: JSON lines of a
/// whole day must stream as fast as CSV does. Decimals are written with their exact digits.
struct JSONLineWriter {
    private var isFirst = true

    /// `{`.
    static func open(_ bytes: inout [UInt8]) -> JSONLineWriter {
        bytes.append(UInt8(ascii: "{"))
        return JSONLineWriter()
    }

    /// `}` and a newline.
    func close(_ bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "}"))
        bytes.append(0x0A)
    }

    /// `"key":` (keys are plain ASCII names chosen here, never escaped).
    mutating func key(_ name: StaticString, _ bytes: inout [UInt8]) {
        if !isFirst { bytes.append(UInt8(ascii: ",")) }
        isFirst = false
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    mutating func timestamp(_ name: StaticString, _ value: UTCTimestamp, _ bytes: inout [UInt8]) {
        key(name, &bytes)
        bytes.append(UInt8(ascii: "\""))
        value.appendText(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func number(_ name: StaticString, _ value: ExactDecimal?, _ bytes: inout [UInt8]) {
        key(name, &bytes)
        Self.append(value, &bytes)
    }

    mutating func integer(_ name: StaticString, _ value: Int64, _ bytes: inout [UInt8]) {
        key(name, &bytes)
        ExactDecimal(units: value, scale: 0).appendText(to: &bytes)
    }

    mutating func string(_ name: StaticString, _ value: String, _ bytes: inout [UInt8]) {
        key(name, &bytes)
        bytes.append(contentsOf: JSONString.quoted(value).utf8)
    }

    /// `[[price,qty],…]`.
    mutating func levels(_ name: StaticString, _ levels: [PriceLevel], _ bytes: inout [UInt8]) {
        key(name, &bytes)
        bytes.append(UInt8(ascii: "["))
        for (index, level) in levels.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "["))
            level.price.appendText(to: &bytes)
            bytes.append(UInt8(ascii: ","))
            level.qty.appendText(to: &bytes)
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A decimal as a JSON number with its exact digits, or `null`.
    static func append(_ value: ExactDecimal?, _ bytes: inout [UInt8]) {
        guard let value else {
            bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
            return
        }
        value.appendText(to: &bytes)
    }
}
