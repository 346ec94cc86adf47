/// A count per recorded stream (rows written, rows lost). A new stream needs only its slot below.
///
/// The counts sit in a small array by the stream's slot rather than in a `[RecordedStream: Int]`:
/// hashing the stream (an enum with payloads) at every counted write and every status read was a
/// tenth of a 100-market group collector's instructions (issue 10, callgrind: ~400 instructions a
/// lookup, five to ten lookups per market per status write and per written run).
public struct StreamCounts: Sendable, Equatable {
    /// By `slot(of:)`; slots past the end count 0 (an empty array allocates nothing).
    private var counts: [Int] = []

    public init() {}

    public subscript(stream: RecordedStream) -> Int {
        get {
            let slot = Self.slot(of: stream)
            return slot < counts.count ? counts[slot] : 0
        }
        set {
            let slot = Self.slot(of: stream)
            if slot >= counts.count {
                guard newValue != 0 else { return }
                counts.append(contentsOf: repeatElement(0, count: slot + 1 - counts.count))
            }
            counts[slot] = newValue
        }
    }

    /// The sum over all streams.
    public var total: Int { counts.reduce(0, +) }

    /// Adds every count of `other`.
    public mutating func add(_ other: StreamCounts) {
        if other.counts.count > counts.count {
            counts.append(contentsOf: repeatElement(0, count: other.counts.count - counts.count))
        }
        for (slot, count) in other.counts.enumerated() { counts[slot] += count }
    }

    /// Equal when every stream's count is (a stream never counted equals one counted 0).
    public static func == (lhs: StreamCounts, rhs: StreamCounts) -> Bool {
        let length = max(lhs.counts.count, rhs.counts.count)
        for slot in 0..<length where (slot < lhs.counts.count ? lhs.counts[slot] : 0) != (slot < rhs.counts.count ? rhs.counts[slot] : 0) {
            return false
        }
        return true
    }

    /// Each stream's own slot: the three of every pair, bytebit's candles by Kraken's interval,
    /// the ticker, Kraken's candles.
    static func slot(of stream: RecordedStream) -> Int {
        switch stream {
        case .orderBook: 0
        case .trades: 1
        case .events: 2
        case .klines(let interval): 3 + slot(of: interval.ohlc)
        case .ticker: 3 + intervalSlots
        case .ohlc(let interval): 4 + intervalSlots + slot(of: interval)
        }
    }

    private static let intervalSlots = OHLCInterval.allCases.count

    private static func slot(of interval: OHLCInterval) -> Int {
        switch interval {
        case .oneMinute: 0
        case .fiveMinutes: 1
        case .fifteenMinutes: 2
        case .thirtyMinutes: 3
        case .oneHour: 4
        case .fourHours: 5
        case .oneDay: 6
        case .oneWeek: 7
        case .fifteenDays: 8
        }
    }
}
