import BytebitCollector
import BytebitCore
import Foundation
import Logging

/// A `MarketRecorder` between a scripted transport and real files in a temporary data folder, on a
/// manual clock, with a memory sink beside the files: play a script, read back what it recorded.
public final class RecorderHarness {
    public let clock: ManualClock
    public let dataDirectory: String
    public var market: MarketConfig
    public var policy = FeedPolicy()
    public var statusFile: String?
    public var logger = Logger(label: "bytebit.test-recorder", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Kraken's symbol of the market, e.g. `ETH/BTC`.
    public var symbol: String { market.pair.krakenSymbol }

    /// `start`: the manual clock's first instant (by default 2026-08-26 15:16:00 UTC).
    public init(
        pair: String = "ETH-BTC", depth: Int = 10, levels: Int = 10, mode: BookMode = .update,
        recordsOrderBook: Bool = true, recordsTrades: Bool = true,
        start: UTCTimestamp = UTCTimestamp(microsecondsSince1970: 1_787_757_360_000_000)
    ) throws {
        clock = ManualClock(start)
        dataDirectory = NSTemporaryDirectory() + "bytebit-recorder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        guard let marketPair = MarketPair(parsing: pair) else { throw HarnessError.badPair(pair) }
        market = MarketConfig(
            pair: marketPair, depth: depth, levels: levels, mode: mode, recordsOrderBook: recordsOrderBook,
            recordsTrades: recordsTrades)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    /// Plays the connections through a new recorder (the same data folder each time) until the
    /// script is done, and returns what came out. `extraSinks` get the records too.
    public func run(_ connections: [ScriptedConnection], extraSinks: [any RecordSink] = []) throws -> RecordedRun {
        let config = BytebitConfig(
            dataDirectory: dataDirectory, logDirectory: dataDirectory + "/logs", compressFinishedDays: false,
            markets: [market])
        let settings = RecorderSettings(config: config, market: market, policy: policy, statusFile: statusFile)
        let transport = ScriptedTransport(clock: clock, connections: connections)
        let memory = MemorySink()
        let idleWait = ManualIdleWait(clock: clock)
        let files = CSVFileSink(writer: RecordWriter(settings: settings.writerSettings, clock: clock, logger: logger))
        let recorder = try MarketRecorder(
            settings: settings, transport: transport, files: files, otherSinks: [memory] + extraSinks, logger: logger,
            clock: clock, idleWait: idleWait)
        transport.onStopRequest = { [weak recorder] in recorder?.requestStop(reason: "the script is played") }
        transport.onSettleFiles = { [files] in
            files.flush()
            files.writer.flush()
        }
        let exitCode = recorder.run()
        return RecordedRun(
            exitCode: exitCode, memory: memory, sentRequests: transport.sentRequests,
            openedConnections: transport.openedConnections, fileCounters: files.counters,
            askedWakeUps: transport.askedWakeUps, idleWaits: idleWait.waits)
    }

    /// The lines of the market's plain files of one kind (each file's header included), oldest first.
    public func fileLines(_ kind: DataFileKind) throws -> [String] {
        let path = "\(dataDirectory)/\(market.pair.name)/\(kind.folderName)"
        let names = try FileManager.default.contentsOfDirectory(atPath: path)
            .filter { $0.hasPrefix(kind.fileStem) && $0.hasSuffix(".csv") }.sorted()
        var lines: [String] = []
        for name in names {
            let text = try String(contentsOfFile: path + "/" + name, encoding: .utf8)
            lines += text.split(separator: "\n").map(String.init)
        }
        return lines
    }

    /// Makes the market's folder impossible to create, even for root: the data folder becomes a
    /// regular file (the way `data_dir: afile/data` fails).
    public func blockDataDirectory() throws {
        try FileManager.default.removeItem(atPath: dataDirectory)
        try Data("not a folder\n".utf8).write(to: URL(fileURLWithPath: dataDirectory))
    }

    /// Undoes `blockDataDirectory()`: writing can work again.
    public func unblockDataDirectory() throws {
        try FileManager.default.removeItem(atPath: dataDirectory)
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
    }

    /// The frames that take a fresh connection to a live book: status, instrument, acks, snapshot.
    public func frames(toLiveWith snapshot: String, pricePrecision: Int, qtyPrecision: Int) -> [ScriptStep] {
        [
            .frame(KrakenFrameText.status("online")),
            .frame(KrakenFrameText.subscribed("instrument", symbol: nil)),
            .frame(KrakenFrameText.instrumentSnapshot(
                symbol: symbol, pricePrecision: pricePrecision, qtyPrecision: qtyPrecision)),
            .frame(KrakenFrameText.subscribed("book", symbol: symbol, depth: market.depth)),
            .frame(KrakenFrameText.subscribed("trade", symbol: symbol)),
            .frame(snapshot),
        ]
    }

    /// Heartbeats once a second for `seconds` (Kraken's idle pace), time passing between them.
    public static func quiet(seconds: Int) -> [ScriptStep] {
        (0..<seconds).flatMap { _ in [ScriptStep.frame(KrakenFrameText.heartbeat), .advance(microseconds: 1_000_000)] }
    }

    public enum HarnessError: Error {
        case badPair(String)
    }
}

/// What one scripted run recorded.
public struct RecordedRun {
    public var exitCode: Int32
    public var memory: MemorySink
    public var sentRequests: [String]
    public var openedConnections: Int
    public var fileCounters: RecordWriterCounters
    /// The recorder's next-tick delay after each frame (microseconds; nil: none due).
    public var askedWakeUps: [Int64?] = []
    /// The waits the loop asked for while no connection was open, in microseconds.
    public var idleWaits: [Int64] = []

    public var books: [VerifiedBookTop] { memory.books }
    public var trades: [TradeRecord] { memory.trades }
    public var events: [LedgerRecord] { memory.events }
    public var eventNames: [String] { memory.eventNames }
}
