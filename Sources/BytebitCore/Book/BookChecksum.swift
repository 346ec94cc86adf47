import CZlib

/// Kraken's v2 book checksum: CRC-32 (zlib) over the top 10 asks (low → high) then the top 10 bids
/// (high → low), each level contributing the digits of its price then its quantity, without the
/// point and without leading zeros. Numbers printed with fewer fraction digits than the pair's
/// precision are padded first (Kraken prints at the precision; a lossy source does not).
public enum BookChecksum {
    /// How many levels per side Kraken's checksum covers, whatever the subscription depth.
    public static let levelsPerSide = 10

    /// `asks` best (lowest) first, `bids` best (highest) first; only the first 10 of each are read.
    public static func compute(
        asks: some Sequence<PriceLevel>,
        bids: some Sequence<PriceLevel>,
        pricePrecision: Int8,
        qtyPrecision: Int8
    ) -> UInt32 {
        // 20 levels × 2 numbers × at most 19 digits fits in 1 KiB: no heap allocation per message.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { buffer in
            var length = 0
            func append(_ number: ExactDecimal, precision: Int8) {
                let digits = number.padded(toScale: precision) ?? number
                length += writeDigits(of: digits.units.magnitude, into: buffer, at: length)
            }
            for side in [AnySequence(asks), AnySequence(bids)] {
                for level in side.prefix(levelsPerSide) {
                    append(level.price, precision: pricePrecision)
                    append(level.qty, precision: qtyPrecision)
                }
            }
            let crc = crc32(0, buffer.baseAddress, UInt32(length))
            return UInt32(truncatingIfNeeded: crc)
        }
    }

    /// Writes the decimal digits of `value` (no leading zeros; nothing for 0) and returns how many.
    private static func writeDigits(of value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        guard value > 0 else { return 0 }
        var remaining = value
        var count = 0
        while remaining > 0 {
            buffer[offset + count] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
            count += 1
        }
        buffer[offset..<offset + count].reverse()
        return count
    }
}
