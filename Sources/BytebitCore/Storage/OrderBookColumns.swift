/// The order book's column names (SPEC §4.1): bids deepest → best, the mid price, asks best → deepest,
/// with English ordinals: `best`, `2nd`, `3rd`, `4th`, `11th`, `21st`, `112th`.
public enum OrderBookColumns {
    public static func names(levels: Int) -> [String] {
        var names = ["timestamp", "received_at"]
        for level in stride(from: levels, through: 1, by: -1) {
            let ordinal = ordinal(ofLevel: level)
            names += ["\(ordinal)_bid_qty", "\(ordinal)_bid_price"]
        }
        names.append("mid_price")
        for level in stride(from: 1, through: levels, by: 1) {
            let ordinal = ordinal(ofLevel: level)
            names += ["\(ordinal)_ask_qty", "\(ordinal)_ask_price"]
        }
        return names
    }

    /// The ordinal of a 1-based level; level 1 is `best`.
    public static func ordinal(ofLevel level: Int) -> String {
        if level == 1 { return "best" }
        let suffix: String
        switch (level % 100, level % 10) {
        case (11...13, _): suffix = "th"
        case (_, 1): suffix = "st"
        case (_, 2): suffix = "nd"
        case (_, 3): suffix = "rd"
        default: suffix = "th"
        }
        return String(level) + suffix
    }
}
