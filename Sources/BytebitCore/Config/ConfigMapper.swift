import Foundation
import Logging

/// Maps the YAML tree of a config file onto `BytebitConfig`, checking every rule of SPEC §3.
struct ConfigMapper {
    /// Typed, error-reporting access to nodes.
    let reader: ConfigValueReader
    /// The absolute folder that relative paths in the file are resolved against.
    let directory: String
    /// The environment `DATABASE_URL` and `REDIS_URL` are read from (empty in most tests).
    var environment: [String: String] = [:]

    private var fileName: String { reader.fileName }

    static let rootKeys = ["data_dir", "log_dir", "log_level", "flush_interval", "compress", "kraken", "defaults",
                           "markets", "all_markets", "postgres", "redis", "live"]
    static let krakenKeys = ["url", "ca_file", "pairs_per_connection"]
    static let allMarketsKeys = ["quote", "exclude"]
    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error"]
    static let modes = ["update", "interval"]
    static let defaultFlushIntervalMicroseconds: Int64 = 1_000_000

    func config(from root: YAMLNode) throws(ConfigError) -> BytebitConfig {
        guard case .map = root else {
            throw .invalidValue(file: fileName, at: root.mark, key: "(top level)", found: root.asWritten,
                                expected: "a map with keys \(Self.rootKeys.joined(separator: ", "))")
        }
        let fields = try reader.entries(of: root, key: "", allowed: Self.rootKeys)
        let dataDirectory = try path(fields["data_dir"], key: "data_dir", default: "data")
        let logDirectory = try path(fields["log_dir"], key: "log_dir", default: "logs")
        let levelName = try fields["log_level"].map { entry throws(ConfigError) in
            try reader.choice(entry.value, key: "log_level", among: Self.logLevels)
        } ?? "info"
        let flush = try fields["flush_interval"].map { entry throws(ConfigError) in
            try reader.duration(entry.value, key: "flush_interval")
        } ?? Self.defaultFlushIntervalMicroseconds
        let compress = try fields["compress"].map { entry throws(ConfigError) in
            try reader.bool(entry.value, key: "compress")
        } ?? true
        let kraken = try endpoint(fields["kraken"])
        let defaults = try settingsLayer(fields["defaults"]?.value, key: "defaults", allowed: MarketSettingsLayer.keys)
        try checkLevelsWithinDepth(defaults)
        let allMarkets = try fields["all_markets"].map { entry throws(ConfigError) in try self.allMarkets(entry) }
        let markets: [MarketConfig]
        if let marketsEntry = fields["markets"] {
            markets = try self.markets(marketsEntry.value, defaults: defaults)
        } else if allMarkets != nil {
            markets = []
        } else {
            throw .missingKey(file: fileName, at: root.mark, key: "markets",
                              expected: "a list of at least one pair, e.g. `markets: [BTC-USD]`, or `all_markets:`")
        }
        // The settings a pair gets through `all_markets`: the defaults, checked once here.
        let defaultMarket = try effective(pair: Self.templatePair, key: "defaults",
                                          mark: fields["defaults"]?.value.mark ?? root.mark, defaults: defaults,
                                          own: MarketSettingsLayer())
        var config = BytebitConfig(
            dataDirectory: dataDirectory, logDirectory: logDirectory,
            logLevel: Logger.Level(rawValue: levelName) ?? .info, kraken: kraken,
            flushIntervalMicroseconds: flush, compressFinishedDays: compress, markets: markets,
            allMarkets: allMarkets, defaultMarket: defaultMarket)
        config.postgres = try postgres(fields["postgres"])
        config.redis = try redis(fields["redis"])
        config.live = try live(fields["live"])
        return config
    }

    // MARK: Paths and endpoint

    private func path(_ entry: YAMLMapEntry?, key: String, default defaultPath: String) throws(ConfigError) -> String {
        guard let entry else { return PathResolver.absolute(defaultPath, relativeTo: directory) }
        let written = try reader.text(entry.value, key: key, expected: "a folder path")
        return try resolved(written, node: entry.value, key: key)
    }

    func resolved(_ written: String, node: YAMLNode, key: String) throws(ConfigError) -> String {
        if written.hasPrefix("~") {
            throw .invalidValue(file: fileName, at: node.mark, key: key, found: node.asWritten,
                                expected: "an absolute path or one relative to the config file's folder "
                                    + "(~ is not expanded)")
        }
        return PathResolver.absolute(written, relativeTo: directory)
    }

    private func endpoint(_ entry: YAMLMapEntry?) throws(ConfigError) -> KrakenEndpoint {
        guard let entry else { return KrakenEndpoint() }
        let fields = try reader.entries(of: entry.value, key: "kraken", allowed: Self.krakenKeys)
        var endpoint = KrakenEndpoint()
        if let urlEntry = fields["url"] {
            let expected = "a ws:// or wss:// URL with a host, e.g. \(KrakenEndpoint.krakenPublicURL)"
            let url = try reader.text(urlEntry.value, key: "kraken.url", expected: expected)
            guard Self.isWebSocketURL(url) else {
                throw .invalidValue(file: fileName, at: urlEntry.value.mark, key: "kraken.url",
                                    found: urlEntry.value.asWritten, expected: expected)
            }
            endpoint.url = url
        }
        if let caEntry = fields["ca_file"] {
            let written = try reader.text(caEntry.value, key: "kraken.ca_file", expected: "a path to a PEM CA file")
            let caFile = try resolved(written, node: caEntry.value, key: "kraken.ca_file")
            if let problem = PathResolver.problemReadingFile(at: caFile) {
                throw .invalidValue(file: fileName, at: caEntry.value.mark, key: "kraken.ca_file",
                                    found: "\(caEntry.value.asWritten) (\(caFile): \(problem))",
                                    expected: "a readable CA certificate file (PEM)")
            }
            endpoint.caFile = caFile
        }
        if let groupingEntry = fields["pairs_per_connection"] {
            endpoint.pairsPerConnection = try pairsPerConnection(groupingEntry.value)
        }
        return endpoint
    }

    private func pairsPerConnection(_ node: YAMLNode) throws(ConfigError) -> PairsPerConnection {
        let range = PairsPerConnection.allowed
        let expected = "auto or a number from \(range.lowerBound) to \(range.upperBound)"
        let written = try reader.text(node, key: "kraken.pairs_per_connection", expected: expected)
        if written == "auto" { return .auto }
        guard let count = Int(written), range.contains(count) else {
            throw .invalidValue(file: fileName, at: node.mark, key: "kraken.pairs_per_connection",
                                found: node.asWritten, expected: expected)
        }
        return .fixed(count)
    }

    // MARK: all_markets

    /// Stands in for the pair while the defaults are resolved for `all_markets`.
    static let templatePair = MarketPair(base: "BTC", quote: "USD")

    private func allMarkets(_ entry: YAMLMapEntry) throws(ConfigError) -> AllMarketsFilter {
        // `all_markets:` with nothing after it (null) or `{}` keeps every online pair.
        if case .scalar(let scalar) = entry.value, scalar.asWritten.isEmpty || scalar.asWritten == "~"
            || scalar.asWritten == "null" {
            return AllMarketsFilter()
        }
        let fields = try reader.entries(of: entry.value, key: "all_markets", allowed: Self.allMarketsKeys)
        var filter = AllMarketsFilter()
        if let quoteEntry = fields["quote"] {
            let items = try reader.items(of: quoteEntry.value, key: "all_markets.quote",
                                         expected: "a list of quote assets, e.g. [USD, EUR]")
            for (index, item) in items.enumerated() {
                let key = "all_markets.quote[\(index)]"
                let written = try reader.text(item, key: key, expected: "a quote asset such as USD")
                guard let probe = MarketPair(parsing: "BTC-\(written)") else {
                    throw .invalidValue(file: fileName, at: item.mark, key: key, found: item.asWritten,
                                        expected: "a quote asset in upper case letters, digits and '.', e.g. USD")
                }
                filter.quotes.append(probe.quote)
            }
        }
        if let excludeEntry = fields["exclude"] {
            let items = try reader.items(of: excludeEntry.value, key: "all_markets.exclude",
                                         expected: "a list of pairs, e.g. [USDT-USD]")
            for (index, item) in items.enumerated() {
                filter.excluded.append(try pair(item, key: "all_markets.exclude[\(index)]"))
            }
        }
        return filter
    }

    private static func isWebSocketURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "ws" || scheme == "wss",
            let host = components.host, !host.isEmpty
        else { return false }
        return true
    }

    // MARK: Market settings

    private func settingsLayer(_ node: YAMLNode?, key: String, allowed: [String]) throws(ConfigError)
        -> MarketSettingsLayer
    {
        var layer = MarketSettingsLayer()
        guard let node else { return layer }
        let fields = try reader.entries(of: node, key: key, allowed: allowed)
        func at(_ name: String) -> (node: YAMLNode, key: String)? {
            fields[name].map { ($0.value, ConfigValueReader.path(key, name)) }
        }
        if let (node, path) = at("depth") {
            let expected = "one of \(MarketConfig.allowedDepths.map(String.init).joined(separator: ", "))"
            let depth = try reader.integer(node, key: path, expected: expected)
            guard MarketConfig.allowedDepths.contains(depth) else {
                throw .invalidValue(file: fileName, at: node.mark, key: path, found: node.asWritten, expected: expected)
            }
            layer.depth = Written(value: depth, mark: node.mark, key: path)
        }
        if let (node, path) = at("levels") {
            let expected = "a whole number from 1 to the depth"
            let levels = try reader.integer(node, key: path, expected: expected)
            guard levels >= 1 else {
                throw .invalidValue(file: fileName, at: node.mark, key: path, found: node.asWritten, expected: expected)
            }
            layer.levels = Written(value: levels, mark: node.mark, key: path)
        }
        if let (node, path) = at("mode") {
            let mode = try reader.choice(node, key: path, among: Self.modes)
            layer.mode = Written(value: mode, mark: node.mark, key: path)
        }
        if let (node, path) = at("interval") {
            layer.interval = Written(value: try reader.duration(node, key: path), mark: node.mark, key: path)
        }
        if let (node, path) = at("orderbook") {
            layer.orderbook = Written(value: try reader.bool(node, key: path), mark: node.mark, key: path)
        }
        if let (node, path) = at("trades") {
            layer.trades = Written(value: try reader.bool(node, key: path), mark: node.mark, key: path)
        }
        if let (node, path) = at("klines") {
            layer.klines = Written(value: try klineIntervals(node, key: path), mark: node.mark, key: path)
        }
        if let (node, path) = at("ticker") {
            layer.ticker = Written(value: try reader.bool(node, key: path), mark: node.mark, key: path)
        }
        if let (node, path) = at("ohlc") {
            layer.ohlc = Written(value: try ohlcIntervals(node, key: path), mark: node.mark, key: path)
        }
        return layer
    }

    /// `klines: [1m, 5m, 1h]`: a list of interval names, each at most once; `[]` is none.
    private func klineIntervals(_ node: YAMLNode, key: String) throws(ConfigError) -> [KlineInterval] {
        let expected = "a list of candle intervals among \(KlineInterval.allowedText), e.g. [1m, 5m, 1h]"
        let items = try reader.items(of: node, key: key, expected: expected)
        var intervals: [KlineInterval] = []
        for (index, item) in items.enumerated() {
            let itemKey = "\(key)[\(index)]"
            let oneOf = "one of \(KlineInterval.allowedText)"
            let written = try reader.text(item, key: itemKey, expected: oneOf)
            guard let interval = KlineInterval(rawValue: written) else {
                throw .invalidValue(file: fileName, at: item.mark, key: itemKey, found: item.asWritten, expected: oneOf)
            }
            guard !intervals.contains(interval) else {
                throw .invalidValue(file: fileName, at: item.mark, key: itemKey, found: "\(written) a second time",
                                    expected: "each interval at most once")
            }
            intervals.append(interval)
        }
        return intervals
    }

    /// `ohlc: [1m, 5m]`: Kraken's intervals, each once; `[]` records none.
    private func ohlcIntervals(_ node: YAMLNode, key: String) throws(ConfigError) -> [OHLCInterval] {
        var intervals: [OHLCInterval] = []
        for (index, item) in try reader.items(of: node, key: key, expected: OHLCInterval.expectedForm).enumerated() {
            let itemKey = "\(key)[\(index)]"
            let expected = "one of " + OHLCInterval.allCases.map(\.rawValue).joined(separator: ", ")
            guard let interval = OHLCInterval(rawValue: try reader.text(item, key: itemKey, expected: expected)) else {
                throw .invalidValue(file: fileName, at: item.mark, key: itemKey, found: item.asWritten, expected: expected)
            }
            guard !intervals.contains(interval) else {
                throw .invalidValue(file: fileName, at: item.mark, key: itemKey, found: item.asWritten,
                                    expected: "each interval once (\(interval) is listed twice)")
            }
            intervals.append(interval)
        }
        return intervals.sorted()
    }

    /// `defaults:` must be consistent on its own, whatever the markets override.
    private func checkLevelsWithinDepth(_ defaults: MarketSettingsLayer) throws(ConfigError) {
        let depth = defaults.depth?.value ?? MarketSettingsLayer.defaultDepth
        if let levels = defaults.levels, levels.value > depth {
            throw .invalidValue(file: fileName, at: levels.mark, key: levels.key, found: "\(levels.value)",
                                expected: "1 to \(depth) (levels cannot exceed depth \(depth))")
        }
    }

    // MARK: Markets

    private func markets(_ node: YAMLNode, defaults: MarketSettingsLayer) throws(ConfigError) -> [MarketConfig] {
        let items = try reader.items(of: node, key: "markets", expected: "a list of pairs, e.g. `- BTC-USD`")
        guard !items.isEmpty else {
            throw .invalidValue(file: fileName, at: node.mark, key: "markets", found: "an empty list",
                                expected: "at least one pair, e.g. `- BTC-USD`")
        }
        var firstListed: [MarketPair: (key: String, line: Int)] = [:]
        var markets: [MarketConfig] = []
        for (index, item) in items.enumerated() {
            let key = "markets[\(index)]"
            let (market, writtenPair) = try self.market(item, key: key, defaults: defaults)
            if let first = firstListed[market.pair] {
                let pair = writtenPair == market.pair.name ? writtenPair : "\(writtenPair) (= \(market.pair.name))"
                throw .duplicatePair(file: fileName, at: item.mark, key: key, pair: pair,
                                     firstKey: first.key, firstLine: first.line)
            }
            firstListed[market.pair] = (key, item.mark.line)
            markets.append(market)
        }
        return markets
    }

    /// One market's settings and its pair as written (`XBT-USD` before normalising), for duplicate messages.
    private func market(_ item: YAMLNode, key: String, defaults: MarketSettingsLayer) throws(ConfigError)
        -> (MarketConfig, writtenPair: String)
    {
        switch item {
        case .scalar(let scalar):
            let pair = try self.pair(item, key: key)
            let market = try effective(pair: pair, key: key, mark: item.mark, defaults: defaults,
                                       own: MarketSettingsLayer())
            return (market, scalar.asWritten)
        case .map(_, let mark):
            let fields = try reader.entries(of: item, key: key, allowed: ["pair"] + MarketSettingsLayer.keys)
            guard let pairEntry = fields["pair"] else {
                throw .missingKey(file: fileName, at: mark, key: "\(key).pair",
                                  expected: "the market's pair, e.g. `pair: BTC-USD`")
            }
            let pair = try self.pair(pairEntry.value, key: "\(key).pair")
            let own = try settingsLayer(item, key: key, allowed: ["pair"] + MarketSettingsLayer.keys)
            let market = try effective(pair: pair, key: key, mark: mark, defaults: defaults, own: own)
            return (market, pairEntry.value.asWritten)
        case .list:
            throw .invalidValue(file: fileName, at: item.mark, key: key, found: item.asWritten,
                                expected: "a pair such as BTC-USD, or a map with `pair:` and overrides")
        }
    }

    private func pair(_ node: YAMLNode, key: String) throws(ConfigError) -> MarketPair {
        let written = try reader.text(node, key: key, expected: MarketPair.expectedForm)
        guard let pair = MarketPair(parsing: written) else {
            throw .invalidValue(file: fileName, at: node.mark, key: key, found: node.asWritten,
                                expected: MarketPair.expectedForm + MarketPair.suggestionHint(for: written))
        }
        return pair
    }

    /// The market's own settings over `defaults:` over SPEC defaults.
    private func effective(pair: MarketPair, key: String, mark: SourceMark, defaults: MarketSettingsLayer,
                           own: MarketSettingsLayer) throws(ConfigError) -> MarketConfig
    {
        let depth = (own.depth ?? defaults.depth)?.value ?? MarketSettingsLayer.defaultDepth
        let writtenLevels = own.levels ?? defaults.levels
        // Unwritten levels follow a shallower depth down, so `depth: 10` alone is valid.
        let levels = writtenLevels?.value ?? min(MarketSettingsLayer.defaultLevels, depth)
        if let writtenLevels, levels > depth {
            let isInherited = own.levels == nil
            let origin = " (from \(writtenLevels.key) at line \(writtenLevels.mark.line))"
            let found = isInherited ? "\(levels)\(origin)" : "\(levels)"
            throw .invalidValue(file: fileName, at: isInherited ? mark : writtenLevels.mark, key: "\(key).levels",
                                found: found, expected: "1 to \(depth) (levels cannot exceed depth \(depth))")
        }
        let modeName = (own.mode ?? defaults.mode)?.value ?? "update"
        let interval = (own.interval ?? defaults.interval)?.value ?? MarketSettingsLayer.defaultIntervalMicroseconds
        let recordsOrderBook = (own.orderbook ?? defaults.orderbook)?.value ?? true
        let recordsTrades = (own.trades ?? defaults.trades)?.value ?? true
        let klines = (own.klines ?? defaults.klines)
        if let klines, !klines.value.isEmpty, !recordsTrades {
            throw .invalidValue(file: fileName, at: own.trades?.mark ?? klines.mark, key: klines.key,
                                found: "klines with trades: false",
                                expected: "trades: true (candles are built from the recorded trades)")
        }
        guard recordsOrderBook || recordsTrades else {
            throw .invalidValue(file: fileName, at: mark, key: key, found: "orderbook: false and trades: false",
                                expected: "at least one of orderbook and trades true")
        }
        var market = MarketConfig(
            pair: pair, depth: depth, levels: levels,
            mode: modeName == "interval" ? .interval(microseconds: interval) : .update,
            recordsOrderBook: recordsOrderBook, recordsTrades: recordsTrades, klines: klines?.value ?? [])
        market.recordsTicker = (own.ticker ?? defaults.ticker)?.value ?? false
        market.ohlcIntervals = (own.ohlc ?? defaults.ohlc)?.value ?? []
        return market
    }
}
