/// A value as written in the file, with where it was written (for errors about inherited values).
struct Written<Value: Sendable>: Sendable {
    /// The value.
    let value: Value
    /// Where it was written.
    let mark: SourceMark
    /// Its dotted key, e.g. `defaults.levels`.
    let key: String
}

/// The market settings written in one map, `defaults:` or one market; nil means "not written here".
struct MarketSettingsLayer: Sendable {
    var depth: Written<Int>?
    var levels: Written<Int>?
    var mode: Written<String>?
    var interval: Written<Int64>?
    var orderbook: Written<Bool>?
    var trades: Written<Bool>?
    var klines: Written<[KlineInterval]>?
    var ticker: Written<Bool>?
    var ohlc: Written<[OHLCInterval]>?

    /// The keys a settings map may hold.
    static let keys = ["depth", "levels", "mode", "interval", "orderbook", "trades", "klines", "ticker", "ohlc"]

    /// SPEC §3 defaults for what neither the market nor `defaults:` sets.
    static let defaultDepth = 25
    static let defaultLevels = 25
    static let defaultIntervalMicroseconds: Int64 = 1_000_000
}
