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
            guard let base = buffer.baseAddress else { return 0 }
            var length = 0
            for level in asks.prefix(levelsPerSide) {
                length += writeDigits(of: level.price, precision: pricePrecision, to: base + length)
                length += writeDigits(of: level.qty, precision: qtyPrecision, to: base + length)
            }
            for level in bids.prefix(levelsPerSide) {
                length += writeDigits(of: level.price, precision: pricePrecision, to: base + length)
                length += writeDigits(of: level.qty, precision: qtyPrecision, to: base + length)
            }
            let crc = crc32(0, base, UInt32(length))
            return UInt32(truncatingIfNeeded: crc)
        }
    }

    @inline(__always)
    private static func writeDigits(of number: ExactDecimal, precision: Int8, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        let digits = number.scale < precision ? (number.padded(toScale: precision) ?? number) : number
        return writeDigits(of: digits.units.magnitude, to: destination)
    }

    /// Writes the decimal digits of `value` (no leading zeros; nothing for 0) and returns how many.
    /// Two digits per division: this runs 40 times per book message.
    private static func writeDigits(of value: UInt64, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        guard value > 0 else { return 0 }
        var count = 1
        var bound: UInt64 = 10
        while count < 20, value >= bound {
            count += 1
            if count == 20 { break }
            bound &*= 10
        }
        var remaining = value
        var position = count
        while remaining >= 100 {
            let pair = Int(remaining % 100) * 2
            remaining /= 100
            position -= 2
            destination[position] = digitPairs[pair]
            destination[position + 1] = digitPairs[pair + 1]
        }
        if remaining >= 10 {
            let pair = Int(remaining) * 2
            destination[position - 2] = digitPairs[pair]
            destination[position - 1] = digitPairs[pair + 1]
        } else {
            destination[position - 1] = UInt8(ascii: "0") + UInt8(remaining)
        }
        return count
    }

    /// "00", "01", … "99" as ASCII pairs.
    private static let digitPairs: [UInt8] = (0..<100).flatMap { value in
        [UInt8(ascii: "0") + UInt8(value / 10), UInt8(ascii: "0") + UInt8(value % 10)]
    }
}
