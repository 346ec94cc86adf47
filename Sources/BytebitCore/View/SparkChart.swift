/// A small terminal chart of mid price and trade volume over time (display only, so Double is fine).
/// Values land in a fixed number of fine slots over the window while streaming; at the end the slots
/// between the first and last data are merged into as many columns as the terminal allows.
public struct SparkChart: Sendable {
    private let start: Int64
    private let slotLength: Int64
    private var lastMid: [Double?]
    private var volume: [Double]
    private static let slotCount = 2048
    private static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// A chart for [start, end).
    public init(start: UTCTimestamp, end: UTCTimestamp) {
        self.start = start.microseconds
        slotLength = max(1, (end.microseconds - start.microseconds + Int64(Self.slotCount) - 1) / Int64(Self.slotCount))
        lastMid = Array(repeating: nil, count: Self.slotCount)
        volume = Array(repeating: 0, count: Self.slotCount)
    }

    private func slot(_ instant: UTCTimestamp) -> Int {
        let index = (instant.microseconds - start) / slotLength
        return Int(min(max(index, 0), Int64(Self.slotCount - 1)))
    }

    public mutating func recordMid(_ mid: ExactDecimal, at instant: UTCTimestamp) {
        lastMid[slot(instant)] = ViewMath.approximate(mid)
    }

    public mutating func recordTrade(qty: ExactDecimal, at instant: UTCTimestamp) {
        volume[slot(instant)] += ViewMath.approximate(qty)
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
