import BytebitCore
import Foundation
import Logging

/// Records one market: the feed state machine, the order book and the trade sequencer between a
/// transport (frames in) and sinks (records out), both given in `init`. Everything but
/// `requestStop` runs on the thread that called `run()` — the transport serves its connection on
/// that thread too, so the book and the feed are touched by one thread, with no lock per message.
/// Rows reach the files' writer thread in batches; other sinks sit behind their own queues.
public final class MarketRecorder: RecorderTransportHandler, @unchecked Sendable {
    let settings: RecorderSettings
    let logger: Logger
    let clock: any WallClock
    let symbol: String

    // The state below is touched for every frame, on the recorder's thread only (see above; a
    // group's markets share their group's one thread): `@exclusivity(unchecked)` leaves out the
    // run-time exclusivity check of a class's stored property (`swift_beginAccess` through
    // thread-local storage, ~120 instructions each, ~6 per book message: 9% of the collector's
    // instructions under callgrind, issue 10). The compiler's static checks still apply.
    @exclusivity(unchecked) var feed: FeedMachine
    @exclusivity(unchecked) var book: OrderBook
    @exclusivity(unchecked) var hasBookSnapshot = false
    /// The checksum the current book was last verified against (interval rows carry it).
    @exclusivity(unchecked) var lastVerifiedChecksum: UInt32 = 0
    @exclusivity(unchecked) var decoder = KrakenDecoder()
    @exclusivity(unchecked) var trades: TradeSequencer
    @exclusivity(unchecked) var intervalSchedule: IntervalSchedule?
    @exclusivity(unchecked) var lastFrameAt: UTCTimestamp?
    @exclusivity(unchecked) var lastBookMessageAt: UTCTimestamp?
    /// Candles built from the recorded trades (`klines:`); nil when the market has none.
    @exclusivity(unchecked) var klines: KlineBuilder?
    /// Kraken's candles per recorded `ohlc` interval (`MarketRecorder+Channels.swift`).
    @exclusivity(unchecked) var candleKeepers: [OHLCCandleKeeper] = []

    /// The record of truth: the daily CSV files.
    let files: CSVFileSink
    /// Every other sink, each behind its own queue (`QueuedSink`) when it may be slow.
    let otherSinks: [any RecordSink]
    /// With other sinks, each book's row text, formatted once for the files and them all (reused).
    @exclusivity(unchecked) var bookText = BookRowText()  // recorder's thread only: no run-time checks per book
    let transport: any RecorderTransport
    let idleWait: any IdleWait
    /// What this market's status says (its own file, or its line in its group's).
    var statusSource: MarketStatusSource
    /// This market's own status file; nil in a group (its group writes one file for all).
    @exclusivity(unchecked) var statusReporter: StatusReporter?
    var lossWarning = WriteLossWarning()
    let connectionLedger: ConnectionLedger?

    /// Set by a feed `.connect` action: the run loop opens a connection next.
    var wantsConnection = false
    /// Set by a feed `.disconnect` action: the ending of the current run is not news to the feed.
    var endedByFeed = false
    var exitCode: Int32?
    /// Set when this market is one of a group on one connection: requests and closes go through it.
    weak var group: MarketGroupRecorder?
    /// When the oldest record not yet handed to the files' writer was made (microseconds; nil: none).
    @exclusivity(unchecked) var unflushedSince: Int64?
    /// How long recorded rows may wait before they are handed to the sinks (`flushDelay`; longer in
    /// a group without live outputs, `MarketGroupRecorder.filesOnlyHandOverDelay`).
    var handOverDelay = MarketRecorder.flushDelay
    /// Rows or events were recorded since the status file was last written.
    @exclusivity(unchecked) var recordedSinceStatus = false
    /// Ledger rows were recorded since the status file was last written (the state changed).
    @exclusivity(unchecked) var eventsSinceStatus = false
    /// `feed.nextDeadline` since the feed's last input (`.some(nil)`: none due); nil: not known.
    @exclusivity(unchecked) var knownFeedDeadline: Int64??
    /// The feed took an input that may have changed its status (beyond its liveness time) since the
    /// group's status file last compared it (`GroupStatusReporter`).
    @exclusivity(unchecked) var feedStatusMayHaveChanged = true

    private let pendingStop = PendingStop()

    /// The longest the loop sleeps while no connection is open and nothing is due (a stop request
    /// wakes it at once); otherwise it sleeps until the next thing due, e.g. the reconnect.
    static let longestIdleWait: Int64 = 5_000_000

    /// `files` and `otherSinks` are the recorder's from now on: it flushes them on its ticks and closes
    /// them when it stops.
    public init(
        settings: RecorderSettings, transport: any RecorderTransport, files: CSVFileSink,
        otherSinks: [any RecordSink] = [], logger: Logger, clock: any WallClock = SystemClock(),
        idleWait: any IdleWait = SemaphoreIdleWait()
    ) throws {
        self.settings = settings
        self.logger = logger
        self.clock = clock
        self.transport = transport
        self.files = files
        self.otherSinks = otherSinks
        self.idleWait = idleWait
        symbol = settings.market.pair.krakenSymbol
        try settings.feedConfiguration.validate()
        feed = FeedMachine(configuration: settings.feedConfiguration, random: SystemRandomNumberGenerator())
        book = OrderBook(depth: settings.market.depth, pricePrecision: 0, qtyPrecision: 0)
        book.rendersLevelJSON = !otherSinks.isEmpty  // the outputs' JSON copies each level's fragment
        let now = clock.now()
        // A restart continues after the last recorded trade, so Kraken's 50-trade snapshot adds no duplicate.
        var lastTradeID: UInt64?
        do {
            lastTradeID = try LastTradeID.read(
                dataDirectory: settings.config.dataDirectory, pair: settings.market.pair.name, today: now)
        } catch {
            logger.warning("cannot read back the last recorded trade; the first snapshot may repeat trades",
                           metadata: ["error": "\(error)"])
        }
        trades = TradeSequencer(lastRecordedTradeID: lastTradeID)
        klines = Self.makeKlineBuilder(settings: settings, now: now, logger: logger)
        if case .interval(let micros) = settings.market.mode {
            intervalSchedule = IntervalSchedule(intervalMicroseconds: micros, after: now)
        }
        candleKeepers = Self.candleKeepers(settings: settings, today: now, logger: logger)
        connectionLedger = settings.connectLedger.map { ConnectionLedger(path: $0) }
        statusSource = MarketStatusSource(market: settings.market.pair.name, startedAt: now)
        statusSource.recordsTicker = settings.market.recordsTicker
        statusSource.ohlcIntervals = settings.market.ohlcIntervals
        statusSource.reportingSinks = otherSinks.compactMap { $0 as? any ReportingSink }
        // A group's markets are in the group's one status file (`MarketGroupRecorder`).
        if let path = settings.statusFile, !settings.sharesConnection {
            statusReporter = StatusReporter(path: path, source: statusSource)
        }
    }

    /// Asks the recorder to stop (any thread): it records `stopped`, flushes and returns 0.
    public func requestStop(reason: String) {
        pendingStop.request(reason)
        transport.stop()
        idleWait.wake()
    }

    /// Records until stopped or until the feed gives up; returns the exit code (SPEC §5).
    public func run() -> Int32 {
        logger.notice("collector started", metadata: [
            "market": "\(settings.market.pair.name)",
            "data_dir": "\(settings.config.dataDirectory)/\(settings.market.pair.name)",
        ])
        // Candles the previous run finished but did not write (it stopped first) go out now.
        emitFinishedKlines()
        record(event: .started, detail: startedDetail())
        handle(.start)
        while exitCode == nil {
            handleStopRequestIfAny()
            if exitCode != nil { break }
            if wantsConnection {
                if let retryAt = connectionLedger?.attemptDelay(now: clock.now(), logger: logger) {
                    waitForNextTimer(until: retryAt)
                    continue
                }
                wantsConnection = false
                connectOnce()
                continue
            }
            let now = clock.now().microseconds
            waitForNextTimer(until: nextWakeUp(now: now).map(UTCTimestamp.init(microsecondsSince1970:)))
            handle(.tick)
            housekeeping()
        }
        closeSinks()
        statusReporter?.write(feed: feed.status, writer: files.counters, now: clock.now(), isStopping: true)
        logger.notice("collector stopped", metadata: ["exit_code": "\(exitCode ?? 0)"])
        return exitCode ?? 0
    }

    /// The `started` event's detail: the settings, and whether the previous run ended without its
    /// `stopped` row (killed, crashed, power cut) — then the gap began after its last recorded row.
    func startedDetail() -> String {
        let market = settings.market
        var detail = "depth \(market.depth), levels \(market.levels), mode \(market.mode.name)"
        let (directory, pair, now) = (settings.config.dataDirectory, market.pair.name, clock.now())
        guard let lastEvent = try? LastRecordedRow.leadingCells(
            dataDirectory: directory, pair: pair, kind: .events, today: now), lastEvent.1 != LedgerEvent.stopped.name
        else { return detail }
        detail += "; the previous run ended without stopping (its last event: \(lastEvent.1) at \(lastEvent.0)"
        if let lastRow = try? LastRecordedRow.leadingCells(dataDirectory: directory, pair: pair, kind: .orderBook, today: now) {
            detail += ", its last order book row: \(lastRow.0)"
        }
        return detail + ")"
    }

    /// One WebSocket connection, from connect to its ending.
    private func connectOnce() {
        endedByFeed = false
        let ending = transport.runConnection(handler: self)
        logger.info("connection ended", metadata: ["ws.ending": "\(ending)"])
        candlesLostConnection()
        // A stop request ended it: the `stopped` event says so, a `disconnected` one would not be news.
        if !endedByFeed && !isStopRequested {
            handle(.connectionEnded(reason: ending.description))
        }
    }

    private var isStopRequested: Bool { pendingStop.isRequested }

    private func handleStopRequestIfAny() {
        if let reason = pendingStop.takeUnhandled() {
            logger.notice("stopping", metadata: ["reason": "\(reason)"])
            handle(.stopRequested)
        }
    }

    private func waitForNextTimer(until deadline: UTCTimestamp?) {
        idleWait.wait(microseconds: Self.idleWait(until: deadline, now: clock.now()))
    }

    /// How long a loop with no open connection sleeps: until `deadline`, at most `longestIdleWait`.
    static func idleWait(until deadline: UTCTimestamp?, now: UTCTimestamp) -> Int64 {
        guard let deadline else { return longestIdleWait }
        return min(longestIdleWait, max(0, deadline.microseconds - now.microseconds))
    }

    /// Per-tick chores on the recorder thread: interval rows, the hand-over to the sinks, the loss
    /// warning, the status file.
    func housekeeping() {
        let now = clock.now()
        writeDueIntervalRows(at: now)
        klinesAdvance(to: now)
        writeDueCandles(at: now)
        flushSinks()
        let counters = files.counters
        warnIfLosingRows(counters, now: now)
        if statusReporter?.writeIfDue(
            feed: feed.status, writer: counters, now: now, rowsChanged: recordedSinceStatus,
            eventsChanged: eventsSinceStatus) == true
        {
            recordedSinceStatus = false
            eventsSinceStatus = false
        }
    }

    // MARK: RecorderTransportHandler (the transport serves on this recorder's thread)

    public func transportDidOpen() {
        handle(.connected)
    }

    public func transportDidTick() {
        handleStopRequestIfAny()
        handle(.tick)
        housekeeping()
    }

    public func transportDidReceive(_ frame: UnsafeRawBufferPointer) {
        receive(frame: frame)
    }

    public var microsecondsUntilNextTick: Int64? {
        let now = clock.now().microseconds
        return nextWakeUp(now: now).map { max(0, $0 - now) }
    }
}
