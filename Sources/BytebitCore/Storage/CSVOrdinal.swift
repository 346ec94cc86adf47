/// English ordinals for the order book column names: `best`, `2nd`, `3rd`, `4th`, `11th`, `21st`, `112th`.
enum CSVOrdinal {
    /// The ordinal of a 1-based level; level 1 is `best`.
    static func name(ofLevel level: Int) -> String {
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
