extension BytebitConfig {
    /// The markets to record when Kraken lists `online` as its online pairs: every `markets:` entry
    /// with its own settings, then (with `all_markets`) every admitted online pair not listed there,
    /// with the defaults. Without `all_markets` this is `markets` whatever `online` holds.
    public func recordedMarkets(online: [MarketPair]) -> [MarketConfig] {
        guard let allMarkets else { return markets }
        let listed = Set(markets.map(\.pair))
        var added = Set<MarketPair>()
        var result = markets
        for pair in online.sorted() where !listed.contains(pair) && allMarkets.admits(pair) {
            guard added.insert(pair).inserted else { continue }
            var market = defaultMarket
            market.pair = pair
            result.append(market)
        }
        return result
    }

    /// The settings a collector records `pair` with: its `markets:` entry, else (with `all_markets`
    /// admitting it) the defaults; nil when the config records no such pair.
    public func recordableMarket(_ pair: MarketPair) -> MarketConfig? {
        if let listed = market(pair) { return listed }
        guard let allMarkets, allMarkets.admits(pair) else { return nil }
        var market = defaultMarket
        market.pair = pair
        return market
    }

    /// The collectors for `markets` under `kraken.pairs_per_connection`.
    public func groups(for markets: [MarketConfig]) -> [MarketGroup] {
        MarketGrouping.groups(for: markets.map(\.pair), setting: kraken.pairsPerConnection)
    }
}
