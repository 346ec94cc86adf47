import BytebitCore
import BytebitWebSocket

/// Everything one market's recorder needs, resolved from the config and the command line.
public struct RecorderSettings: Sendable {
    public var config: BytebitConfig
    public var market: MarketConfig
    /// Feed timers and limits (tests shorten the stale deadline).
    public var policy: FeedPolicy
    /// Where to keep the status file the supervisor watches (nil: none).
    public var statusFile: String?
    /// The connection ledger shared by all collectors of one supervisor (nil: this process only).
    public var connectLedger: String?
    /// This market is one of a group on one connection (`MarketGroupRecorder`).
    public var sharesConnection = false

    public init(
        config: BytebitConfig, market: MarketConfig, policy: FeedPolicy = FeedPolicy(),
        statusFile: String? = nil, connectLedger: String? = nil
    ) {
        self.config = config
        self.market = market
        self.policy = policy
        self.statusFile = statusFile
        self.connectLedger = connectLedger
    }

    var feedConfiguration: FeedConfiguration {
        var configuration = FeedConfiguration(
            symbol: market.pair.krakenSymbol, recordsBook: market.recordsOrderBook, bookDepth: market.depth,
            recordsTrades: market.recordsTrades, policy: policy)
        configuration.sharesConnection = sharesConnection
        configuration.recordsTicker = market.recordsTicker
        configuration.ohlcIntervals = market.ohlcIntervals
        return configuration
    }

    /// The files' writer for this market.
    public var writerSettings: RecordWriter.Settings {
        RecordWriter.Settings(
            dataDirectory: config.dataDirectory, pair: market.pair.name, orderBookLevels: market.levels,
            compressesFinishedDays: config.compressFinishedDays,
            flushInterval: .microseconds(config.flushIntervalMicroseconds))
    }

    /// The WebSocket client for the config's Kraken endpoint.
    public func clientConfiguration() throws -> WebSocketClientConfiguration {
        var configuration = WebSocketClientConfiguration(
            url: try WebSocketURL(config.kraken.url), extraCAFile: config.kraken.caFile)
        // A group's connection carries ~20 messages/s spread over its pairs: a message rarely has
        // company within the delay, so waiting for it only doubled the wake-ups (a sleep and a
        // second `poll` per message; 672 pairs: 4.9% -> 4.1-4.3% of a core for the tree, issue 10).
        if sharesConnection { configuration.coalescingDelay = .zero }
        return configuration
    }
}
