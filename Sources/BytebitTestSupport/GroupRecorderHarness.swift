import BytebitCollector
import BytebitCore
import Foundation
import Logging

/// A `MarketGroupRecorder` of several markets on one scripted connection, with real files in a
/// temporary data folder and a memory sink per market, on a manual clock.
public final class GroupRecorderHarness {
    public let clock: ManualClock
    public let dataDirectory: String
    public var markets: [MarketConfig]
    public var policy = FeedPolicy()
    /// The group's one status file, when the test wants one.
    public var statusFile: String?
    /// Whether each market also records to a memory sink (a live output, as far as the group can
    /// tell); without one the files are its only sink.
    public var recordsToMemory = true
    public var logger = Logger(label: "bytebit.test-group", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Kraken's symbols of the markets, in order (`ETH/BTC`, …).
    public var symbols: [String] { markets.map(\.pair.krakenSymbol) }

    public init(
        pairs: [String], depth: Int = 10, levels: Int = 10,
        start: UTCTimestamp = UTCTimestamp(microsecondsSince1970: 1_787_757_360_000_000)
    ) throws {
        clock = ManualClock(start)
        dataDirectory = NSTemporaryDirectory() + "bytebit-group-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        markets = try pairs.map { name in
            guard let pair = MarketPair(parsing: name) else { throw RecorderHarness.HarnessError.badPair(name) }
            return MarketConfig(
                pair: pair, depth: depth, levels: levels, mode: .update, recordsOrderBook: true, recordsTrades: true)
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    /// Plays the connections through a new group recorder until the script is done.
    public func run(_ connections: [ScriptedConnection]) throws -> GroupRun {
        let config = BytebitConfig(
            dataDirectory: dataDirectory, logDirectory: dataDirectory + "/logs", compressFinishedDays: false,
            markets: markets)
        let transport = ScriptedTransport(clock: clock, connections: connections)
        var memories: [String: MemorySink] = [:]
        var fileSinks: [CSVFileSink] = []
        let writerThread = RecordWriterThread(logger: logger)
        let parts = try markets.map { market in
            var settings = RecorderSettings(config: config, market: market, policy: policy)
            settings.sharesConnection = true
            let memory = MemorySink()
            memories[market.pair.krakenSymbol] = memory
            let files = CSVFileSink(writer: RecordWriter(
                settings: settings.writerSettings, thread: writerThread, clock: clock, logger: logger))
            fileSinks.append(files)
            return try MarketRecorder(
                settings: settings, transport: transport, files: files, otherSinks: recordsToMemory ? [memory] : [],
                logger: logger,
                clock: clock, idleWait: ManualIdleWait(clock: clock))
        }
        let idleWait = ManualIdleWait(clock: clock)
        let group = MarketGroupRecorder(
            parts: parts, transport: transport, connectLedger: nil, statusFile: statusFile, logger: logger,
            clock: clock, idleWait: idleWait)
        transport.onStopRequest = { [weak group] in group?.requestStop(reason: "the script is played") }
        transport.onSettleFiles = {
            for files in fileSinks {
                files.flush()
                files.writer.flush()
            }
        }
        let exitCode = group.run()
        return GroupRun(
            exitCode: exitCode, memories: memories, sentRequests: transport.sentRequests,
            openedConnections: transport.openedConnections, idleWaits: idleWait.waits,
            askedWakeUps: transport.askedWakeUps)
    }

    /// The frames that take a fresh group connection to live books: status, instrument, one ack per
    /// symbol and channel, then each snapshot. `unlisted`: symbols the instrument snapshot leaves out.
    public func frames(toLiveWith snapshots: [String], unlisted: Set<String> = []) -> [ScriptStep] {
        var steps: [ScriptStep] = [
            .frame(KrakenFrameText.status("online")),
            .frame(KrakenFrameText.subscribed("instrument", symbol: nil)),
            .frame(Self.instrument(
                snapshot: true, pairs: symbols.filter { !unlisted.contains($0) }.map { ($0, "online") })),
        ]
        for symbol in symbols where !unlisted.contains(symbol) {
            steps.append(.frame(KrakenFrameText.subscribed("book", symbol: symbol, depth: markets[0].depth)))
            steps.append(.frame(KrakenFrameText.subscribed("trade", symbol: symbol)))
        }
        return steps + snapshots.map { .frame($0) }
    }

    /// An `instrument` snapshot or update listing these pairs with their status (`online`, `delisted`…).
    public static func instrument(
        snapshot: Bool, pairs: [(symbol: String, status: String)], pricePrecision: Int = 6, qtyPrecision: Int = 8
    ) -> String {
        let listed = pairs.map { pair in
            let parts = pair.symbol.split(separator: "/").map(String.init)
            return #"{"symbol":"\#(pair.symbol)","base":"\#(parts.first ?? pair.symbol)","quote":"\#(parts.last ?? pair.symbol)","status":"\#(pair.status)","qty_precision":\#(qtyPrecision),"qty_increment":0.00000001,"price_precision":\#(pricePrecision),"cost_precision":10,"marginable":true,"has_index":true,"cost_min":0.00002,"tick_size":0.00001,"price_increment":0.00001,"qty_min":0.00200000}"#
        }
        return #"{"channel":"instrument","type":"\#(snapshot ? "snapshot" : "update")","data":{"assets":[],"pairs":[\#(listed.joined(separator: ","))]}}"#
    }

    /// Kraken's refusal of one symbol's subscription.
    public static func rejected(symbol: String, error: String, requestID: Int? = nil) -> String {
        let id = requestID.map { #","req_id":\#($0)"# } ?? ""
        return #"{"error":"\#(error)","method":"subscribe"\#(id),"success":false,"symbol":"\#(symbol)","time_in":"2026-08-26T15:16:16.576099Z","time_out":"2026-08-26T15:16:16.576140Z"}"#
    }
}

/// What one scripted group run recorded, per market (by Kraken symbol).
public struct GroupRun {
    public var exitCode: Int32
    public var memories: [String: MemorySink]
    public var sentRequests: [String]
    public var openedConnections: Int
    /// The waits the loop asked for while no connection was open, in microseconds.
    public var idleWaits: [Int64] = []
    /// The group's answer to "how long until your next tick?" after each frame, in order.
    public var askedWakeUps: [Int64?] = []

    public func books(_ symbol: String) -> [VerifiedBookTop] { memories[symbol]?.books ?? [] }
    public func events(_ symbol: String) -> [LedgerRecord] { memories[symbol]?.events ?? [] }
    public func eventNames(_ symbol: String) -> [String] { memories[symbol]?.eventNames ?? [] }
}
