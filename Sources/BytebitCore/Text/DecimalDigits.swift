/// Digit helpers for the hot paths that write numbers in place (exact decimals' text, the book
/// checksum's digits, timestamps): no lazy globals, and no loop of up to 19 steps per number.
public enum DecimalDigits {
    /// "00", "01", … "99": two digits per table read. A computed static string needs no lazy
    /// initialisation (a `static let` would be a `swift_once` check on every use).
    static var pairs: StaticString {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    }

    /// How many decimal digits `value` has (1 for 0).
    @inline(__always)
    static func count(_ value: UInt64) -> Int {
        // log10 estimate from the bit length (1233/4096 ≈ log10(2)), corrected by one comparison.
        let estimate = ((64 - (value | 1).leadingZeroBitCount) &* 1233) >> 12
        return value < powerOfTen(estimate) ? max(estimate, 1) : estimate &+ 1
    }

    /// Writes the decimal digits of `value` at `start` (room for 20) and returns how many: trade ids
    /// in JSON, RESP lengths.
    @inline(__always)
    public static func write(_ value: UInt64, to start: UnsafeMutablePointer<UInt8>) -> Int {
        let count = Self.count(value)
        var remaining = value
        for index in stride(from: count - 1, through: 0, by: -1) {
            let quotient = remaining / 10
            start[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining &- quotient &* 10)
            remaining = quotient
        }
        return count
    }

    /// 10^0 … 10^19: a switch over constants compiles to a table lookup.
    @inline(__always)
    private static func powerOfTen(_ exponent: Int) -> UInt64 {
        switch exponent {
        case 0: return 1
        case 1: return 10
        case 2: return 100
        case 3: return 1000
        case 4: return 10000
        case 5: return 100000
        case 6: return 1_000_000
        case 7: return 10_000_000
        case 8: return 100_000_000
        case 9: return 1_000_000_000
        case 10: return 10_000_000_000
        case 11: return 100_000_000_000
        case 12: return 1_000_000_000_000
        case 13: return 10_000_000_000_000
        case 14: return 100_000_000_000_000
        case 15: return 1_000_000_000_000_000
        case 16: return 10_000_000_000_000_000
        case 17: return 100_000_000_000_000_000
        case 18: return 1_000_000_000_000_000_000
        default: return 10_000_000_000_000_000_000
        }
    }
}
