import BytebitCore
import Logging

/// The local Kraken v2 exchange, transport-free: a WebSocket server feeds it connection events and
/// frames and performs what it asks through `SimOutput`.
///
/// Confined to one thread: every method must be called from the thread that drives the server
/// (it holds no lock). That is why it may be handed to that thread (`@unchecked Sendable`).
public final class KrakenExchange: @unchecked Sendable {
    /// The options the exchange runs with.
    public let options: SimOptions
    let output: SimOutput
    let truth: SimTruthSink?
    let logger: Logger
    let clock: any WallClock
    /// Real time when the exchange was made: sim time and the message schedule count from here.
    let realEpoch: UTCTimestamp
    /// Sim time at `realEpoch`.
    let simStart: UTCTimestamp
    var markets: [SimMarket]
    var marketIndex: [String: Int]
    /// Markets delisted live: no more data, no new subscriptions.
    var delistedMarkets: Set<Int> = []
    /// Per market: the real time its message schedule counts from (the start, or when it was listed).
    var scheduleEpochs: [UTCTimestamp]
    /// Per market: the last timestamp put on one of its messages (strictly increasing).
    var lastTimestamps: [UTCTimestamp]
    /// Per market: trade ids already written to the truth.
    var truthTradeIDs: [TradeIDSet]
    /// (symbol, depth) → timestamp of the last book truth written, so each state is written once.
    var lastBookTruth: [String: UTCTimestamp] = [:]
    /// (symbol, trigger) → timestamp of the last ticker truth written.
    var lastTickerTruth: [String: UTCTimestamp] = [:]
    /// Per market: steps taken so far in `messagesPerSecond` pace.
    var stepsTaken: [Int64]
    /// Attempts, refusals and bans of the connection limit (counted even when none is enforced).
    var connectionLimit: SimConnectionLimiter
    /// Seeds the markets of pairs listed live.
    var listingRandom: SeededGenerator
    /// Open connections in the order they opened (an ordered list keeps runs reproducible).
    var connections: [SimConnection] = []
    var connectionsOpened = 0
    var random: SeededGenerator

    /// Real seconds between heartbeats on an otherwise idle subscribed connection.
    static let heartbeatInterval: Int64 = 1_000_000
    /// Steps per tick beyond which a stalled schedule skips ahead instead of bursting.
    static let maximumStepsPerTick: Int64 = 10_000
    /// Market steps one writable callback may take looking for something to send.
    static let maximumStepsPerWrite = 100

    /// An exchange whose markets start at `options.start` (or now). `truth` overrides
    /// `options.truthDirectory`; without either no truth is written.
    public init(
        options: SimOptions, output: SimOutput, clock: any WallClock = SystemClock(), truth: SimTruthSink? = nil,
        logger: Logger
    ) throws(SimError) {
        try options.validate()
        self.options = options
        self.output = output
        self.clock = clock
        self.logger = logger
        if let truth {
            self.truth = truth
        } else if let directory = options.truthDirectory {
            self.truth = try SimTruthFiles(directory: directory)
        } else {
            self.truth = nil
        }
        realEpoch = clock.now()
        simStart = options.start ?? realEpoch
        var seeds = SeededGenerator(seed: options.seed)
        random = SeededGenerator(seed: seeds.next())
        listingRandom = SeededGenerator(seed: seeds.next() ^ 0x4C49_5354)
        let historyEnd = options.start ?? realEpoch
        var built: [SimMarket] = []
        for pair in options.pairs {
            built.append(SimMarket(pair: pair, seed: seeds.next(), historyEnd: historyEnd))
        }
        markets = built
        marketIndex = Dictionary(
            options.pairs.enumerated().map { ($1.symbol, $0) }, uniquingKeysWith: { first, _ in first })
        lastTimestamps = Array(repeating: UTCTimestamp(microsecondsSince1970: .min), count: options.pairs.count)
        truthTradeIDs = Array(repeating: TradeIDSet(), count: options.pairs.count)
        scheduleEpochs = Array(repeating: realEpoch, count: options.pairs.count)
        stepsTaken = Array(repeating: 0, count: options.pairs.count)
        connectionLimit = SimConnectionLimiter(rule: options.connectionLimit)
        // The candles the 50 trades of history closed are the truth's first.
        for market in markets.indices { recordClosedCandles(market: market) }
    }

    /// The pairs this exchange lists now (live listings included, delistings left out).
    public var pairs: [SimPair] {
        markets.indices.filter { !delistedMarkets.contains($0) }.map { markets[$0].pair }
    }

    /// Sim time at a real instant: start + elapsed real time × speed.
    public func simulatedTime(at real: UTCTimestamp) -> UTCTimestamp {
        let elapsed = Double(real.microseconds - realEpoch.microseconds) * options.speed
        return UTCTimestamp(microsecondsSince1970: simStart.microseconds + Int64(elapsed.rounded(.down)))
    }

    // MARK: - Transport events

    /// A client completed the WebSocket handshake: it gets the `status` frame first.
    public func connectionOpened(_ id: SimConnectionID) {
        let now = clock.now()
        connections.removeAll { $0.id == id }
        guard connectionLimit.admit(at: now) else {
            logger.info("refusing a connection: over the connection limit", metadata: ["sim.connection": "\(id.rawValue)"])
            output.close(id, code: 1008, reason: SimConnectionLimiter.refusalReason)
            return
        }
        connectionsOpened += 1
        let number = connectionsOpened
        // Odd-numbered connections get an id above Int64.max, as Kraken's often are.
        let highBit: UInt64 = 1 << 63
        let connectionID = number % 2 == 1 ? random.next() | highBit : random.next() & ~highBit
        let faults = options.faults.filter { $0.scope.includes(connectionNumber: number) }.map(\.fault)
        let connection = SimConnection(
            id: id, number: number, connectionID: connectionID, faults: faults, openedAt: now)
        connections.append(connection)
        logger.debug(
            "client connected", metadata: ["sim.connection": "\(id.rawValue)", "sim.connection.number": "\(number)"])
        send(KrakenFrames.status(system: "online", connectionID: connectionID), to: connection, now: now)
        triggerFaults(on: connection, afterDataFrames: 0, now: now)
    }

    /// A text frame from the client.
    public func received(_ text: String, from id: SimConnectionID) {
        guard let connection = connection(id) else { return }
        handleRequest(text, from: connection, now: clock.now())
    }

    /// A text frame from the client, as bytes.
    public func received(_ bytes: [UInt8], from id: SimConnectionID) {
        received(String(decoding: bytes, as: UTF8.self), from: id)
    }

    /// The connection is gone (closed by either side or reset).
    public func connectionClosed(_ id: SimConnectionID) {
        guard let index = connections.firstIndex(where: { $0.id == id }) else { return }
        connections[index].isGone = true
        connections.remove(at: index)
        logger.debug("client disconnected", metadata: ["sim.connection": "\(id.rawValue)"])
    }

    /// The connection's send queue drained. In `unlimited` pace the markets it follows step until it
    /// has been sent at least one data frame (a step may leave its windows unchanged), so a server
    /// that calls this whenever the queue empties keeps the stream going.
    public func connectionWritable(_ id: SimConnectionID) {
        guard wantsData(id), let connection = connection(id) else { return }
        let now = clock.now()
        let timestamp = simulatedTime(at: now)
        let framesBefore = connection.dataFramesSent
        for _ in 0..<Self.maximumStepsPerWrite where connection.dataFramesSent == framesBefore && !connection.isGone {
            for symbol in connection.followedSymbols {
                guard let market = marketIndex[symbol], !delistedMarkets.contains(market) else { continue }
                stepMarket(market, at: timestamp, now: now)
            }
        }
        truth?.flush()
    }

    /// Whether `connectionWritable` would produce data for the connection now: `unlimited` pace, a
    /// book or trade subscription, and no silence or maintenance. A server asks for writable
    /// callbacks while this holds.
    public func wantsData(_ id: SimConnectionID) -> Bool {
        guard options.pace == .unlimited, let connection = connection(id) else { return false }
        return !connection.followedSymbols.isEmpty && !connection.isDataPaused(at: clock.now())
    }

    /// Called every ~10 ms with the real time: ends faults, moves the markets on schedule, sends heartbeats.
    public func tick(now: UTCTimestamp) {
        endExpiredFaults(now: now)
        if case .messagesPerSecond(let rate) = options.pace {
            for market in markets.indices where !delistedMarkets.contains(market) {
                stepOnSchedule(market, rate: rate * markets[market].pair.relativeRate, now: now)
            }
        }
        sendHeartbeats(now: now)
        truth?.flush()
    }

    /// Takes the steps of one market due by `now` at `rate` steps per second.
    private func stepOnSchedule(_ market: Int, rate: Double, now: UTCTimestamp) {
        guard rate > 0 else { return }
        let epoch = scheduleEpochs[market].microseconds
        let due = Int64((Double(now.microseconds - epoch) * rate / 1_000_000).rounded(.down))
        if due - stepsTaken[market] > Self.maximumStepsPerTick { stepsTaken[market] = due - Self.maximumStepsPerTick }
        while stepsTaken[market] < due {
            stepsTaken[market] += 1
            // Each step is stamped at its scheduled instant, not at the tick that runs it.
            let scheduled = epoch + Int64((Double(stepsTaken[market]) * 1_000_000 / rate).rounded(.down))
            stepMarket(market, at: simulatedTime(at: UTCTimestamp(microsecondsSince1970: scheduled)), now: now)
        }
    }

    /// `tick(now:)` at the clock's time.
    public func tick() {
        tick(now: clock.now())
    }

    /// Closes every connection (1001 going away) and flushes the truth.
    public func shutdown() {
        for connection in connections {
            connection.isGone = true
            output.close(connection.id, code: 1001, reason: "simulator stopping")
        }
        connections.removeAll()
        truth?.flush()
    }

    // MARK: - Sending

    func connection(_ id: SimConnectionID) -> SimConnection? {
        connections.first { $0.id == id }
    }

    /// Sends any frame unless the connection is gone or silenced.
    func send(_ text: String, to connection: SimConnection, now: UTCTimestamp) {
        guard !connection.isGone, !connection.isSilent(at: now) else { return }
        output.send(text, to: connection.id)
        connection.lastFrameAt = now
    }

    /// The next strictly increasing timestamp for a market's message, at or after `candidate`.
    func nextTimestamp(market: Int, candidate: UTCTimestamp) -> UTCTimestamp {
        let last = lastTimestamps[market]
        let timestamp = candidate > last ? candidate : UTCTimestamp(microsecondsSince1970: last.microseconds + 1)
        lastTimestamps[market] = timestamp
        return timestamp
    }

    private func sendHeartbeats(now: UTCTimestamp) {
        for connection in connections where connection.hasSubscription {
            if now.microseconds - connection.lastFrameAt.microseconds >= Self.heartbeatInterval {
                send(KrakenFrames.heartbeat, to: connection, now: now)
            }
        }
    }
}
