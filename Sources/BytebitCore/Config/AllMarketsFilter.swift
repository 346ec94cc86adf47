/// `all_markets:` (SPEC §3.1): record every pair Kraken lists as online, optionally only those
/// quoted in `quote` and never those in `exclude`.
public struct AllMarketsFilter: Sendable, Equatable, Hashable {
    /// Quote assets to keep (normalised, e.g. `USD`); empty keeps every quote.
    public var quotes: [String]
    /// Pairs never recorded through `all_markets` (an explicit `markets` entry still records them).
    public var excluded: [MarketPair]

    /// A filter keeping pairs quoted in `quotes` (all when empty) except `excluded`.
    public init(quotes: [String] = [], excluded: [MarketPair] = []) {
        self.quotes = quotes
        self.excluded = excluded
    }

    /// Whether `pair`, listed online by Kraken, is recorded through `all_markets`.
    public func admits(_ pair: MarketPair) -> Bool {
        (quotes.isEmpty || quotes.contains(pair.quote)) && !excluded.contains(pair)
    }
}
