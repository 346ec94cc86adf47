import BytebitCore

/// The columns of an order book file with N levels a side (SPEC §4.1): timestamp, received_at, bids from
/// the deepest to the best, mid_price, asks from the best to the deepest.
public struct BookLayout: Sendable, Equatable {
    /// Price levels per side in the file.
    public let levels: Int

    public init(levels: Int) {
        self.levels = levels
    }

    /// Reads the layout from a header line; nil if it is not an order book header.
    init?(header fields: [String]) {
        let count = fields.count
        guard count >= 7, (count - 3) % 4 == 0 else { return nil }
        let layout = BookLayout(levels: (count - 3) / 4)
        guard layout.headerFields == fields.map({ $0.trimmingSpaces }) else { return nil }
        self = layout
    }

    /// Number of fields in a row.
    public var fieldCount: Int { 3 + 4 * levels }

    /// Index of the mid_price field.
    var midIndex: Int { 2 + 2 * levels }

    /// Index of the quantity field of bid `level` (1 = best); the price follows it.
    func bidQtyIndex(_ level: Int) -> Int { 2 + 2 * (levels - level) }

    /// Index of the quantity field of ask `level` (1 = best); the price follows it.
    func askQtyIndex(_ level: Int) -> Int { midIndex + 1 + 2 * (level - 1) }

    /// The header fields SPEC §4.1 defines for this many levels.
    public var headerFields: [String] {
        var fields = ["timestamp", "received_at"]
        for level in stride(from: levels, through: 1, by: -1) {
            let name = Self.ordinal(level)
            fields += ["\(name)_bid_qty", "\(name)_bid_price"]
        }
        fields.append("mid_price")
        for level in 1...levels {
            let name = Self.ordinal(level)
            fields += ["\(name)_ask_qty", "\(name)_ask_price"]
        }
        return fields
    }

    /// `best`, `2nd`, `3rd`, `4th`, …, `11th`, `12th`, `13th`, …, `21st`, `22nd`, `23rd`, `24th`, ….
    public static func ordinal(_ level: Int) -> String {
        if level == 1 { return "best" }
        let suffix: String
        switch (level % 10, level % 100) {
        case (_, 11...13): suffix = "th"
        case (1, _): suffix = "st"
        case (2, _): suffix = "nd"
        case (3, _): suffix = "rd"
        default: suffix = "th"
        }
        return "\(level)\(suffix)"
    }
}

/// The trade file's columns (SPEC §4.2).
enum TradeLayout {
    static let headerFields = ["timestamp", "received_at", "trade_id", "side", "price", "qty", "ord_type"]
}

/// The events file's columns (SPEC §4.3).
enum EventLayout {
    static let headerFields = ["timestamp", "event", "detail"]
}

extension String {
    /// The text without surrounding spaces (headers written as `a, b` by hand still match).
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
