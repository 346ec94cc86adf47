/// A timestamp's text (`UTCTimestamp.writeText`, 27 bytes) with its first 20 bytes
/// (`YYYY-MM-DDTHH:MM:SS.`) kept from the last one: a row's timestamps mostly share their second,
/// so only the six fraction digits are written (the full text costs ~10 divisions and a calendar
/// conversion). Book rows, trades' JSON and books' JSON all write their two timestamps through one;
/// only `UTCTimestamp.writeText`'s fixed layout is relied on (20 bytes to the second, six digits, `Z`).
struct TimestampTextCache: Sendable {
    private var second = Int64.min
    private var prefix: (UInt64, UInt64, UInt64) = (0, 0, 0)
    private static let prefixLength = 20

    /// Writes the text of `timestamp` at `destination` (room for 27 bytes) and returns its length.
    mutating func write(_ timestamp: UTCTimestamp, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        let (quotient, remainder) = timestamp.microseconds.quotientAndRemainder(dividingBy: 1_000_000)
        let second = remainder < 0 ? quotient - 1 : quotient
        guard second == self.second else {
            let length = timestamp.writeText(to: destination)
            withUnsafeMutableBytes(of: &prefix) { prefix in
                prefix.copyMemory(from: UnsafeRawBufferPointer(start: destination, count: Self.prefixLength))
            }
            self.second = second
            return length
        }
        withUnsafeBytes(of: prefix) { prefix in
            UnsafeMutableRawPointer(destination).copyMemory(from: prefix.baseAddress.unsafelyUnwrapped, byteCount: Self.prefixLength)
        }
        let fraction = Int(remainder < 0 ? remainder + 1_000_000 : remainder)
        let pairs = DecimalDigits.pairs.utf8Start
        let high = fraction / 10_000
        let middle = fraction / 100 - high * 100
        let low = fraction - (fraction / 100) * 100
        destination[20] = pairs[high &* 2]
        destination[21] = pairs[high &* 2 &+ 1]
        destination[22] = pairs[middle &* 2]
        destination[23] = pairs[middle &* 2 &+ 1]
        destination[24] = pairs[low &* 2]
        destination[25] = pairs[low &* 2 &+ 1]
        destination[26] = UInt8(ascii: "Z")
        return UTCTimestamp.textLength
    }
}
