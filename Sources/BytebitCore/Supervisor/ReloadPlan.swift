/// What a SIGHUP reload changes: the difference between the running and the new configuration.
/// Untouched markets keep running; only the others are started, stopped or restarted.
public struct ReloadPlan: Sendable, Equatable, CustomStringConvertible {
    /// Markets only in the new configuration: start them.
    public var added: [MarketConfig]
    /// Markets only in the running configuration: stop them cleanly.
    public var removed: [MarketPair]
    /// Markets in both whose effective settings differ: restart them with the new settings.
    public var changed: [MarketConfig]
    /// Markets in both with identical settings: leave them running.
    public var unchanged: [MarketPair]
    /// Whether a setting every collector uses changed (data folder, endpoint, flushing, compression,
    /// log level), which makes every kept market `changed`.
    public var sharedSettingsChanged: Bool

    /// The plan that turns `running` into `new`.
    public init(from running: BytebitConfig, to new: BytebitConfig) {
        let shared = Self.sharedSettingsDiffer(running, new)
        sharedSettingsChanged = shared
        added = new.markets.filter { running.market($0.pair) == nil }
        removed = running.markets.map(\.pair).filter { new.market($0) == nil }
        changed = new.markets.filter { market in
            guard let old = running.market(market.pair) else { return false }
            return shared || old != market
        }
        unchanged = new.markets.filter { market in
            guard let old = running.market(market.pair) else { return false }
            return !shared && old == market
        }.map(\.pair)
    }

    /// Whether the reload changes nothing.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// `added ETH-USD; removed SOL-USD; changed BTC-USD; unchanged 3`, for the log.
    public var description: String {
        func names(_ pairs: [MarketPair]) -> String {
            pairs.isEmpty ? "none" : pairs.map(\.name).joined(separator: ",")
        }
        return "added \(names(added.map(\.pair))); removed \(names(removed)); changed \(names(changed.map(\.pair)))"
            + (sharedSettingsChanged ? " (shared settings changed)" : "") + "; unchanged \(unchanged.count)"
    }

    /// Whether a setting every collector uses differs between `lhs` and `rhs`.
    static func sharedSettingsDiffer(_ lhs: BytebitConfig, _ rhs: BytebitConfig) -> Bool {
        lhs.dataDirectory != rhs.dataDirectory || lhs.kraken != rhs.kraken
            || lhs.flushIntervalMicroseconds != rhs.flushIntervalMicroseconds
            || lhs.compressFinishedDays != rhs.compressFinishedDays || lhs.logLevel != rhs.logLevel
            // Collectors publish to Redis and feed the live server themselves.
            || lhs.redis != rhs.redis || (lhs.live == nil) != (rhs.live == nil)
    }
}
