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

    /// Writes one level's checksum digits (price then qty) and returns how many (at most 38).
    @inline(__always)
    static func writeDigits(
        of level: PriceLevel, pricePrecision: Int8, qtyPrecision: Int8, to destination: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let length = writeDigits(of: level.price, precision: pricePrecision, to: destination)
        return length + writeDigits(of: level.qty, precision: qtyPrecision, to: destination + length)
    }

    /// Continues a CRC-32 over `count` bytes (zlib's running form: start from 0), as `CRC32`.
    @inline(__always)
    static func crc(_ running: UInt32, _ bytes: UnsafePointer<UInt8>, count: Int) -> UInt32 {
        CRC32.update(running, bytes, count: count)
    }

    @inline(__always)
    private static func writeDigits(
        of number: ExactDecimal, precision: Int8, to destination: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let digits = number.scale < precision ? (number.padded(toScale: precision) ?? number) : number
        return writeDigits(of: digits.units.magnitude, to: destination)
    }

    /// Writes the decimal digits of `value` (no leading zeros; nothing for 0) and returns how many.
    /// Two digits per division, from a constant table: this runs 40 times per book message.
    @inline(__always)
    private static func writeDigits(of value: UInt64, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        guard value > 0 else { return 0 }
        let count = DecimalDigits.count(value)
        let pairs = DecimalDigits.pairs.utf8Start
        var remaining = value
        var position = count
        // Four digits per step: the two pair lookups are independent, halving the division chain.
        while remaining >= 10_000 {
            let quotient = remaining / 10_000
            let four = Int(truncatingIfNeeded: remaining &- quotient &* 10_000)
            remaining = quotient
            let high = four / 100
            let low = four &- high &* 100
            position &-= 4
            destination[position] = pairs[high &* 2]
            destination[position &+ 1] = pairs[high &* 2 &+ 1]
            destination[position &+ 2] = pairs[low &* 2]
            destination[position &+ 3] = pairs[low &* 2 &+ 1]
        }
        if remaining >= 100 {
            let high = Int(truncatingIfNeeded: remaining / 100)
            let low = Int(truncatingIfNeeded: remaining) &- high &* 100
            position &-= 2
            destination[position] = pairs[low &* 2]
            destination[position &+ 1] = pairs[low &* 2 &+ 1]
            remaining = UInt64(high)
        }
        if remaining >= 10 {
            let pair = Int(remaining) &* 2
            destination[0] = pairs[pair]
            destination[1] = pairs[pair &+ 1]
        } else {
            destination[0] = UInt8(truncatingIfNeeded: remaining) &+ UInt8(ascii: "0")
        }
        return count
    }
}
