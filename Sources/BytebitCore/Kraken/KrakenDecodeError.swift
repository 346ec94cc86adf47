/// Why a Kraken frame could not be decoded. Offsets are byte offsets into the frame, so a logged
/// error plus the logged frame pinpoints the fault.
public enum KrakenDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The frame ended in the middle of a value.
    case truncated(offset: Int)
    /// A byte that JSON does not allow here.
    case unexpectedByte(UInt8, offset: Int, expected: String)
    /// Arrays/objects nested deeper than the decoder follows (a hostile or broken frame).
    case nestingTooDeep(offset: Int)
    /// A number that is not JSON number syntax, or a string that should hold a number and does not.
    case invalidNumber(key: String, offset: Int)
    /// A number too large or too precise for its field (more than 18 digits, checksum > UInt32.max, …).
    case numberOutOfRange(key: String, offset: Int)
    /// A string with a bad escape or a raw control character.
    case invalidString(offset: Int)
    /// A field of the wrong JSON type (e.g. an object where a number belongs).
    case wrongType(key: String, expected: String, offset: Int)
    /// A field the message cannot do without.
    case missingField(String, in: String)
    /// A field with a value outside what Kraken documents (e.g. `side: "hold"`, a bad timestamp).
    case invalidValue(key: String, value: String)
    /// The frame has neither `method` nor `channel`, or is not a JSON object.
    case notAKrakenMessage(String)

    /// A one-line reason for logs and the `malformedFrame` event.
    public var description: String {
        switch self {
        case .truncated(let offset):
            return "frame truncated at byte \(offset)"
        case .unexpectedByte(let byte, let offset, let expected):
            return "unexpected byte 0x\(String(byte, radix: 16)) at \(offset), expected \(expected)"
        case .nestingTooDeep(let offset):
            return "JSON nested too deep at byte \(offset)"
        case .invalidNumber(let key, let offset):
            return "invalid number for '\(key)' at byte \(offset)"
        case .numberOutOfRange(let key, let offset):
            return "number for '\(key)' at byte \(offset) is out of range"
        case .invalidString(let offset):
            return "invalid JSON string at byte \(offset)"
        case .wrongType(let key, let expected, let offset):
            return "'\(key)' at byte \(offset) should be \(expected)"
        case .missingField(let field, let container):
            return "\(container) has no '\(field)'"
        case .invalidValue(let key, let value):
            return "'\(key)' has unsupported value '\(value.prefix(64))'"
        case .notAKrakenMessage(let reason):
            return "not a Kraken v2 message: \(reason)"
        }
    }
}
