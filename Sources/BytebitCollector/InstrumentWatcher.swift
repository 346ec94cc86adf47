import BytebitCore
import BytebitWebSocket
import Dispatch
import Foundation
import Logging

/// `collector --watch-instruments PATH`: subscribes Kraken's `instrument` channel and keeps PATH
/// listing the online pairs (`OnlinePairs`), rewritten atomically whenever a snapshot or an update
/// adds or delists a pair. The supervisor reads PATH for `all_markets`. A lost connection is
/// retried with backoff, each attempt reserved in the shared connection ledger like a collector's.
public final class InstrumentWatcher: RecorderTransportHandler, @unchecked Sendable {
    /// The subscribe request for the instrument channel (snapshot, then updates).
    static let subscribeRequest = #"{"method":"subscribe","params":{"channel":"instrument","snapshot":true}}"#
    /// The first and the longest wait between connection attempts, in microseconds.
    static let retryDelays: (first: Int64, longest: Int64) = (1_000_000, 60_000_000)

    private let transport: any RecorderTransport
    private let path: String
    private let ledger: ConnectionLedger?
    private let clock: any WallClock
    private let logger: Logger
    private var decoder = KrakenDecoder()
    private var online = OnlinePairs()
    private var retryDelay = InstrumentWatcher.retryDelays.first
    private let stopLock = NSLock()
    private var stopReason: String?
    private let stopSignal = DispatchSemaphore(value: 0)

    /// A watcher writing `path` from `transport`'s instrument messages.
    public init(transport: any RecorderTransport, path: String, ledger: ConnectionLedger?,
                clock: any WallClock = SystemClock(), logger: Logger) {
        self.transport = transport
        self.path = path
        self.ledger = ledger
        self.clock = clock
        self.logger = logger
    }

    /// A watcher on `config`'s Kraken endpoint over a real WebSocket, sharing `connectLedger` if given.
    public convenience init(config: BytebitConfig, path: String, connectLedger: String?, logger: Logger) throws {
        let endpoint = WebSocketClientConfiguration(url: try WebSocketURL(config.kraken.url), extraCAFile: config.kraken.caFile)
        self.init(
            transport: try WebSocketTransport(configuration: endpoint, logger: logger), path: path,
            ledger: connectLedger.map { ConnectionLedger(path: $0) }, logger: logger)
    }

    /// Connects, follows the channel, reconnects until `requestStop`; returns the exit status (0).
    public func run() -> Int32 {
        while !isStopping {
            guard waitForConnectionBudget() else { break }
            let ending = transport.runConnection(handler: self)
            if isStopping { break }
            logger.warning("instrument connection ended; reconnecting",
                           metadata: ["reason": "\(ending)", "after": "\(TimeSpan(microseconds: retryDelay).configText)"])
            if wait(microseconds: retryDelay) { break }
            retryDelay = min(retryDelay * 2, Self.retryDelays.longest)
        }
        logger.info("instrument watcher stopped", metadata: ["reason": "\(currentStopReason ?? "")"])
        return 0
    }

    /// Asks `run` to return (SIGTERM, the supervisor gone).
    public func requestStop(reason: String) {
        stopLock.withLock { if stopReason == nil { stopReason = reason } }
        stopSignal.signal()
        transport.stop()
    }

    public func transportDidOpen() {
        retryDelay = Self.retryDelays.first
        transport.send(text: Self.subscribeRequest)
    }

    public func transportDidReceive(_ frame: UnsafeRawBufferPointer) {
        let message: KrakenMessage
        do {
            message = try decoder.decode(frame)
        } catch {
            logger.warning("unreadable frame on the instrument connection", metadata: ["error": "\(error)"])
            return
        }
        guard case .instrument(let instruments) = message else { return }
        var unreadable: [String] = []
        let changed = online.apply(instruments, unreadable: &unreadable)
        if !unreadable.isEmpty {
            logger.warning("Kraken lists symbols that are not pair names; skipped",
                           metadata: ["symbols": "\(unreadable.joined(separator: ","))"])
        }
        guard changed else { return }
        do {
            try online.write(to: path)
            logger.info("online pairs written", metadata: ["pairs": "\(online.pairs.count)", "path": "\(path)"])
        } catch {
            // The old file stays whole; the next change (or reconnect snapshot) writes again.
            logger.error("cannot write the online pair list", metadata: ["error": "\(error)"])
        }
    }

    public func transportDidTick() {}

    /// The watcher keeps no timers of its own: it wakes only for frames (the transport's own
    /// deadlines still end a dead connection).
    public var microsecondsUntilNextTick: Int64? { nil }

    private var isStopping: Bool { currentStopReason != nil }
    private var currentStopReason: String? { stopLock.withLock { stopReason } }

    /// Waits until the ledger grants an attempt; false when a stop came first.
    private func waitForConnectionBudget() -> Bool {
        guard let ledger else { return true }
        while true {
            let now = clock.now()
            guard let retryAt = ledger.attemptDelay(now: now, logger: logger) else { return true }
            if wait(microseconds: retryAt.microseconds - now.microseconds) { return false }
        }
    }

    /// Waits, returning early (true) when a stop is requested.
    private func wait(microseconds: Int64) -> Bool {
        if isStopping { return true }
        let result = stopSignal.wait(timeout: .now() + .microseconds(Int(max(0, microseconds))))
        if result == .success { stopSignal.signal() }
        return isStopping
    }
}
