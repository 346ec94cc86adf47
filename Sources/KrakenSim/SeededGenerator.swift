import BytebitCore

/// The simulator's random source: SplitMix64 from BytebitCore, whose whole sequence follows from its
/// seed, so a run of the simulator can be replayed exactly.
typealias SeededGenerator = SeededRandomNumberGenerator

extension SeededRandomNumberGenerator {
    /// True with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool {
        Int(next() % 100) < percent
    }

    /// A uniform integer in `range` (the standard library's algorithm is not promised stable across
    /// releases; this one is, so recorded seeds keep their meaning).
    mutating func int(in range: ClosedRange<Int64>) -> Int64 {
        let width = UInt64(bitPattern: range.upperBound &- range.lowerBound) &+ 1
        if width == 0 { return Int64(bitPattern: next()) }
        return range.lowerBound &+ Int64(bitPattern: next() % width)
    }
}
