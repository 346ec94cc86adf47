import BytebitCore

/// A book subscription and the window its client holds: what the simulator last published.
struct SimBookSubscription {
    var depth: Int
    /// The client's bids and asks, best first, as of the last message sent.
    var bids: [SimLevel] = []
    var asks: [SimLevel] = []
    /// A snapshot is owed (subscribed while data was paused, or not yet sent).
    var needsSnapshot: Bool
    /// The window equals the market as of the last step (false after data was paused).
    var isCurrent = false
}

/// One client connection's subscriptions, counters and injected faults.
final class SimConnection {
    let id: SimConnectionID
    /// 1 for the first connection ever opened, 2 for the next, …
    let number: Int
    let connectionID: UInt64
    let faults: [SimFault]
    var books: [String: SimBookSubscription] = [:]
    var trades: Set<String> = []
    /// Symbols whose 50-trade snapshot is owed.
    var owedTradeSnapshots: Set<String> = []
    var hasInstrument = false
    /// Ticker subscriptions: symbol → `event_trigger` (`bbo` or `trades`).
    var tickers: [String: SimTickerTrigger] = [:]
    /// Symbols whose ticker snapshot is owed.
    var owedTickerSnapshots: Set<String> = []
    /// Ohlc subscriptions: symbol → intervals in minutes.
    var ohlcs: [String: Set<Int>] = [:]
    /// Owed ohlc snapshots.
    var owedCandleSnapshots: Set<SimCandleKey> = []
    /// Book and trade frames sent, snapshots included.
    var dataFramesSent = 0
    var bookFramesSent = 0
    /// Real time of the last frame of any kind, for heartbeats.
    var lastFrameAt: UTCTimestamp
    /// Until this real time nothing at all is sent.
    var silentUntil: UTCTimestamp?
    /// Until this real time the connection sees a maintenance status and no data.
    var maintenanceUntil: UTCTimestamp?
    var isGone = false

    init(id: SimConnectionID, number: Int, connectionID: UInt64, faults: [SimFault], openedAt: UTCTimestamp) {
        self.id = id
        self.number = number
        self.connectionID = connectionID
        self.faults = faults
        self.lastFrameAt = openedAt
    }

    var hasSubscription: Bool { !books.isEmpty || !trades.isEmpty || hasInstrument || !tickers.isEmpty || !ohlcs.isEmpty }

    /// The symbols whose markets this connection follows, sorted (stable order keeps runs reproducible).
    var followedSymbols: [String] { Set(books.keys).union(trades).union(tickers.keys).union(ohlcs.keys).sorted() }

    /// Whether any channel of this connection carries `symbol`'s market data.
    func follows(_ symbol: String) -> Bool {
        books[symbol] != nil || trades.contains(symbol) || tickers[symbol] != nil || ohlcs[symbol] != nil
    }

    func isSilent(at now: UTCTimestamp) -> Bool {
        silentUntil.map { now < $0 } ?? false
    }

    func isInMaintenance(at now: UTCTimestamp) -> Bool {
        maintenanceUntil.map { now < $0 } ?? false
    }

    /// No book or trade data now.
    func isDataPaused(at now: UTCTimestamp) -> Bool {
        isGone || isSilent(at: now) || isInMaintenance(at: now)
    }

    func rejects(symbol: String) -> Bool {
        faults.contains(.rejectPair(symbol: symbol))
    }

    /// Whether subscriptions to `channel` for `symbol` are refused (the pair's other channels work).
    func rejects(channel: String, symbol: String) -> Bool {
        rejects(symbol: symbol) || faults.contains(.rejectChannel(channel: channel, symbol: symbol))
    }
}

/// When Kraken sends a ticker message: on every trade (Kraken's default) or on every change of the
/// best bid or offer.
enum SimTickerTrigger: String, Sendable {
    case trades
    case bbo
}

/// One ohlc subscription: a symbol at an interval.
struct SimCandleKey: Hashable, Sendable {
    var symbol: String
    var intervalMinutes: Int
}
