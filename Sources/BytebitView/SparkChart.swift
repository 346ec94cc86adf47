import BytebitCore

/// A small terminal chart of mid price and trade volume over time (display only, so Double is fine).
/// Values land in a fixed number of slots starting at the first value; when time runs past the last
/// slot, neighbouring slots merge and each slot covers twice the time. Memory is fixed and the
/// resolution is always at least span / slot count, whatever the window.
public struct SparkChart: Sendable {
    private var start: Int64?
    private var slotLength: Int64 = 1_000
    private var lastMid: [Double?]
    private var volume: [Double]
    private static let slotCount = 2048
    private static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public init() {
        lastMid = Array(repeating: nil, count: Self.slotCount)
        volume = Array(repeating: 0, count: Self.slotCount)
    }

    private mutating func slot(_ instant: UTCTimestamp) -> Int {
        if start == nil { start = instant.microseconds }
        // An instant before the first one (trades read after the book): move the data right to make room.
        while let origin = start, instant.microseconds < origin {
            let shift = Int((origin - instant.microseconds + slotLength - 1) / slotLength)
            let lastUsed = (0..<Self.slotCount).last { lastMid[$0] != nil || volume[$0] > 0 } ?? 0
            if lastUsed + shift < Self.slotCount {
                lastMid = Array(repeating: nil, count: shift) + lastMid.prefix(Self.slotCount - shift)
                volume = Array(repeating: 0, count: shift) + volume.prefix(Self.slotCount - shift)
                start = origin - Int64(shift) * slotLength
            } else {
                mergeNeighbours()
            }
        }
        let origin = start ?? instant.microseconds
        while (instant.microseconds - origin) / slotLength >= Int64(Self.slotCount) {
            mergeNeighbours()
        }
        return Int((instant.microseconds - origin) / slotLength)
    }

    private mutating func mergeNeighbours() {
        let half = Self.slotCount / 2
        for target in 0..<half {
            let left = 2 * target, right = 2 * target + 1
            lastMid[target] = lastMid[right] ?? lastMid[left]
            volume[target] = volume[left] + volume[right]
        }
        for index in half..<Self.slotCount {
            lastMid[index] = nil
            volume[index] = 0
        }
        slotLength *= 2
    }

    /// Records the mid price of an order book row.
    public mutating func recordMid(_ mid: ExactDecimal, at instant: UTCTimestamp) {
        let index = slot(instant)
        lastMid[index] = ViewMath.approximate(mid)
    }

    /// Adds a trade's quantity to the volume at its time.
    public mutating func recordTrade(qty: ExactDecimal, at instant: UTCTimestamp) {
        let index = slot(instant)
        volume[index] += ViewMath.approximate(qty)
    }

    /// Chart lines (`mid` and `volume`), each at most `width` characters; empty when there is no data.
    public func lines(width: Int) -> [String] {
        let used = (0..<Self.slotCount).filter { lastMid[$0] != nil || volume[$0] > 0 }
        guard let first = used.first, let last = used.last else { return [] }
        let labelWidth = 8
        let columns = max(1, min(width - labelWidth - 24, last - first + 1, 100))
        var mids: [Double?] = Array(repeating: nil, count: columns)
        var volumes: [Double] = Array(repeating: 0, count: columns)
        let span = last - first + 1
        for slot in first...last {
            let column = (slot - first) * columns / span
            if let mid = lastMid[slot] { mids[column] = mid }
            volumes[column] += volume[slot]
        }
        // A mid holds until the next one: carry it across empty columns.
        var previous: Double?
        for column in 0..<columns {
            if let mid = mids[column] { previous = mid } else { mids[column] = previous }
        }
        var lines: [String] = []
        let present = mids.compactMap { $0 }
        if let low = present.min(), let high = present.max() {
            let bars = mids.map { mid in mid.map { Self.block($0, low: low, high: high) } ?? " " }
            lines.append("mid     " + String(bars) + "  \(Self.short(low)) – \(Self.short(high))")
        }
        if let peak = volumes.max(), peak > 0 {
            let bars = volumes.map { $0 > 0 ? Self.block($0, low: 0, high: peak) : " " }
            lines.append("volume  " + String(bars) + "  max \(Self.short(peak)) per column")
        }
        return lines
    }

    private static func block(_ value: Double, low: Double, high: Double) -> Character {
        guard high > low else { return blocks[blocks.count / 2] }
        let index = Int(((value - low) / (high - low) * Double(blocks.count - 1)).rounded())
        return blocks[min(max(index, 0), blocks.count - 1)]
    }

    /// A compact display number (6 significant digits).
    static func short(_ value: Double) -> String {
        let magnitude = abs(value)
        var digits = 6
        var threshold = 1.0
        while magnitude >= threshold * 10, digits > 0 {
            threshold *= 10
            digits -= 1
        }
        return DisplayText.fixed(value, digits: max(digits - 1, 0))
    }
}
