import BytebitCore
import Foundation
import Logging

/// Records a group of markets on one WebSocket connection (SPEC §7): one transport and one run
/// loop, and per market a `MarketRecorder` part with its own feed machine, book, checksum, trade
/// de-duplication, interval schedule, files and ledger.
///
/// The connection is the group's: it opens when any part asks (after a blip, the first part whose
/// back-off ends), and every part takes it as its own (`FeedConfiguration.sharesConnection`). Its
/// end is every part's `disconnected` row. Each part's subscribe and unsubscribe requests are
/// merged into one request per channel (`GroupRequestQueue`); frames are decoded once and routed
/// to their market by symbol. Everything runs on the thread that called `run()`.
public final class MarketGroupRecorder: RecorderTransportHandler, @unchecked Sendable {
    let parts: [MarketRecorder]
    /// The parts' indices by Kraken symbol: a book frame finds its market with one lookup (`part(for:)`).
    let partIndexBySymbol: [String: Int]
    // The state below is touched on the group's one thread only (the run loop's, which serves the
    // connection too; `requestStop` touches none of it): `@exclusivity(unchecked)` leaves out the
    // run-time exclusivity check of each access (`swift_beginAccess`, ~80 instructions; ~5 per frame
    // and per wake-up, issue 10, callgrind), as `MarketRecorder` does for its per-frame state.

    /// Each part's next wake-up, asked again only of the parts handed something since.
    @exclusivity(unchecked) var wakeUps: GroupWakeUps
    let transport: any RecorderTransport
    let logger: Logger
    let clock: any WallClock
    let idleWait: any IdleWait
    let connectionLedger: ConnectionLedger?
    @exclusivity(unchecked) var decoder = KrakenDecoder()
    @exclusivity(unchecked) var requests = GroupRequestQueue()
    /// The one ping in flight for the whole group (a pong answers every part).
    @exclusivity(unchecked) var pingOutstanding = false
    /// When the shared connection last brought any frame, and when the parts last heard of it.
    @exclusivity(unchecked) var lastConnectionFrameAt: UTCTimestamp?
    @exclusivity(unchecked) private var livenessSharedAt: UTCTimestamp?
    /// Why a part closed the connection: the other parts' `disconnected` rows say it.
    @exclusivity(unchecked) var closedByPartReason: String?

    /// When a frame next looks through the parts for rows to hand over.
    @exclusivity(unchecked) var handOverSchedule = GroupHandOverSchedule()

    /// The group's one status file (every part's status); nil: none.
    @exclusivity(unchecked) var statusReporter: GroupStatusReporter?

    private let pendingStop = PendingStop()

    /// `parts` must be built with `RecorderSettings.sharesConnection` and the same `transport`.
    /// `statusFile`: where the group's status (every part's, `CollectorGroupStatus`) is kept.
    public init(
        parts: [MarketRecorder], transport: any RecorderTransport, connectLedger: String?, statusFile: String? = nil,
        logger: Logger, clock: any WallClock = SystemClock(), idleWait: any IdleWait = SemaphoreIdleWait()
    ) {
        self.parts = parts
        statusReporter = statusFile.map(GroupStatusReporter.init(path:))
        self.transport = transport
        self.logger = logger
        self.clock = clock
        self.idleWait = idleWait
        connectionLedger = connectLedger.map { ConnectionLedger(path: $0) }
        var bySymbol: [String: Int] = [:]
        for (index, part) in parts.enumerated() { bySymbol[part.symbol] = index }
        partIndexBySymbol = bySymbol
        wakeUps = GroupWakeUps(partCount: parts.count)
        for part in parts {
            part.group = self
            // Only the files take its rows: they are written once per `flush_interval` anyway.
            if part.otherSinks.isEmpty { part.handOverDelay = Self.filesOnlyHandOverDelay }
        }
    }

    /// Any thread: every part records `stopped`, flushes, and `run()` returns 0.
    public func requestStop(reason: String) {
        pendingStop.request(reason)
        transport.stop()
        idleWait.wake()
    }

    /// Records until stopped; returns the exit code (SPEC §5).
    public func run() -> Int32 {
        logger.notice("collector started", metadata: ["markets": "\(parts.map(\.settings.market.pair.name))"])
        for part in parts {
            part.emitFinishedKlines()
            part.record(event: .started, detail: part.startedDetail())
            part.handle(.start)
        }
        while !isFinished {
            wakeUps.markAllStale()
            handleStopRequestIfAny()
            if isFinished { break }
            if parts.contains(where: \.wantsConnection) {
                if let retryAt = connectionLedger?.attemptDelay(now: clock.now(), logger: logger) {
                    waitForNextTimer(until: retryAt)
                    continue
                }
                for part in parts { part.wantsConnection = false }
                connectOnce()
                continue
            }
            let now = clock.now().microseconds
            waitForNextTimer(until: nextWakeUp(now: now).map(UTCTimestamp.init(microsecondsSince1970:)))
            tickParts()
        }
        for part in parts { part.closeSinks() }
        statusReporter?.write(parts: parts, now: clock.now(), isStopping: true)
        let code = parts.compactMap(\.exitCode).max() ?? 0
        logger.notice("collector stopped", metadata: ["exit_code": "\(code)"])
        return code
    }

    private var isFinished: Bool { parts.allSatisfy { $0.exitCode != nil } }

    /// One connection for every part, from connect to its ending.
    private func connectOnce() {
        closedByPartReason = nil
        pingOutstanding = false
        requests.connectionOpened()
        for part in parts { part.endedByFeed = false }
        let ending = transport.runConnection(handler: self)
        logger.info("connection ended", metadata: ["ws.ending": "\(ending)"])
        for part in parts { part.candlesLostConnection() }
        guard !isStopRequested else { return }
        // Every carried pair has the gap; the part that closed it has written its own rows.
        let reason = closedByPartReason ?? ending.description
        for part in parts where !part.endedByFeed {
            part.handle(.connectionEnded(reason: reason))
        }
        flushRequests()
    }

    private var isStopRequested: Bool { pendingStop.isRequested }

    private func handleStopRequestIfAny() {
        if let reason = pendingStop.takeUnhandled() {
            logger.notice("stopping", metadata: ["reason": "\(reason)"])
            wakeUps.markAllStale()
            for part in parts { part.handle(.stopRequested) }
        }
    }

    private func waitForNextTimer(until deadline: UTCTimestamp?) {
        idleWait.wait(microseconds: MarketRecorder.idleWait(until: deadline, now: clock.now()))
    }

    /// Ticks the parts that have something due: with hundreds of markets, ticking every part at
    /// every wake-up (any part's hand-over or deadline) cost more than recording (issue 10).
    private func tickParts() {
        shareConnectionLiveness()
        let now = clock.now().microseconds
        let due = wakeUps.due(parts: parts, now: now)
        for index in due {
            parts[index].handle(.tick)
            parts[index].housekeeping()
            wakeUps.markStale(index)
        }
        if !due.isEmpty {
            // Awake anyway: hand over every part's waiting rows now rather than wake again for each.
            for (index, part) in parts.enumerated() where part.exitCode == nil && part.unflushedSince != nil {
                part.flushSinks()
                wakeUps.markStale(index)
            }
        }
        if statusReporter?.writeIfDue(parts: parts, now: clock.now()) == true { wakeUps.statusWritten() }
        flushRequests()
    }

    /// The earliest of the parts' deadlines and the group's status write (microseconds since 1970).
    func nextWakeUp(now: Int64) -> Int64? {
        var next = wakeUps.earliest(parts: parts, now: now)
        if let statusReporter {
            let due = statusReporter.nextWriteAt(eventsChanged: wakeUps.eventsSinceStatus) ?? now
            next = min(next ?? due, due)
        }
        return next
    }

    /// The part carrying `symbol`, marked as handed something (its wake-up is asked again).
    func part(for symbol: String) -> MarketRecorder? {
        guard let index = partIndexBySymbol[symbol] else { return nil }
        wakeUps.markStale(index)
        return parts[index]
    }

    /// Any frame proves the shared connection alive for every part. Kraken sends heartbeats only on
    /// an idle connection, so a quiet pair on a busy connection hears nothing of its own for long
    /// stretches: without this its feed would call the whole connection stale and drop it. Shared
    /// at each tick (before the parts' deadlines are looked at), not per frame.
    private func shareConnectionLiveness() {
        // At most once a second: the stale deadline is 10 s away, so finer sharing buys nothing.
        guard let heard = lastConnectionFrameAt,
              livenessSharedAt.map({ heard.microseconds - $0.microseconds >= Self.livenessSharing }) ?? true
        else { return }
        livenessSharedAt = heard
        for (index, part) in parts.enumerated() where part.exitCode == nil {
            guard Self.needsSharedLiveness(ownLastFrame: part.lastFrameAt?.microseconds, heard: heard.microseconds)
            else { continue }
            part.handle(.messageReceived, at: heard)
            part.lastFrameAt = heard
            wakeUps.markStale(index)
        }
    }

    /// Whether a part whose own last frame came at `ownLastFrame` takes the connection's liveness
    /// heard at `heard`: not when its own frame is less than `livenessSharing` older (its feed heard
    /// that one itself; handing every part of a 60–100-market group the liveness at each tick was
    /// a twentieth of its instructions, issue 10, callgrind). Its stale deadline is then still at
    /// least the stale timeout less `livenessSharing` away, and the tick of any part's deadline
    /// shares again first.
    static func needsSharedLiveness(ownLastFrame: Int64?, heard: Int64) -> Bool {
        guard let ownLastFrame else { return true }
        return heard - ownLastFrame >= livenessSharing
    }

    // MARK: What the parts ask of the connection

    /// A part's feed closed the connection (stale, breaker…): it ends for every part.
    func closeConnection(reason: String) {
        if closedByPartReason == nil { closedByPartReason = reason }
        transport.closeConnection()
    }

    /// A part's ping or other text; one ping stands for the whole group.
    func send(text: String) {
        if FeedRequest.isPing(text) {
            guard !pingOutstanding else { return }
            pingOutstanding = true
        }
        transport.send(text: text)
    }

    /// A part's subscribe or unsubscribe, merged with the others' at the end of this round.
    func enqueue(_ request: FeedSubscription) {
        requests.enqueue(request)
    }

    /// Sends what the pacing allows of the merged requests.
    func flushRequests() {
        let now = clock.now()
        for request in requests.dueRequests(at: now) {
            logger.trace("sending", metadata: ["ws.request": "\(request.text)"])
            transport.send(text: request.text)
            // The pacing's wait is not the request's: its deadline starts now.
            for member in request.members { part(for: member.symbol)?.requestWentOut(member, at: now) }
        }
    }

    // MARK: RecorderTransportHandler

    public func transportDidOpen() {
        wakeUps.markAllStale()
        for part in parts where part.exitCode == nil { part.handle(.connected) }
        flushRequests()
    }

    public func transportDidTick() {
        handleStopRequestIfAny()
        tickParts()
    }

    /// The earliest of the parts' deadlines; merged requests waiting for the pacing come back soon.
    public var microsecondsUntilNextTick: Int64? {
        let now = clock.now().microseconds
        var next = nextWakeUp(now: now)
        if requests.hasWaiting { next = min(next ?? now + Self.pacingRetry, now + Self.pacingRetry) }
        return next.map { max(0, $0 - now) }
    }

    /// How long a part's rows wait for the hand-over to the files' writer when no live output (Redis,
    /// the live feed) takes them: the writer writes once per `flush_interval` (1 s) whatever the
    /// hand-over, and handing over every 100 ms woke a 27–38-market group ten times a second for it
    /// (a third of its CPU after the shared writer and status file, issue 10). A row reaches the OS
    /// within `filesOnlyHandOverDelay + flush_interval`.
    static let filesOnlyHandOverDelay: Int64 = 500_000

    /// The least spacing of handing the connection's liveness to every part.
    static let livenessSharing: Int64 = 1_000_000

    /// How soon requests held back by the pacing are tried again.
    static let pacingRetry: Int64 = 200_000

    public func transportDidReceive(_ frame: UnsafeRawBufferPointer) {
        receive(frame: frame)
        handOverWaitingRows()
        if requests.hasWaiting { flushRequests() }
    }

    /// Awake for a frame anyway: hands over every part's rows that have waited at least half their
    /// hand-over delay (`handOverEarlyShare`), so a group that hears a frame every few hundred ms
    /// hands its rows over without waking for it. The delay's own deadline stays for a group that
    /// hears nothing in the meantime. Before, the hand-over was most of a 24–38-market group's
    /// ticks (~2 a second, ~115,000 instructions each; issue 10, callgrind).
    func handOverWaitingRows() {
        guard let heard = lastConnectionFrameAt?.microseconds, handOverSchedule.isDue(at: heard) else { return }
        var earliestWaiting: Int64?
        var shortestWait = Int64.max
        for (index, part) in parts.enumerated() where part.exitCode == nil {
            let wait = part.handOverDelay / Self.handOverEarlyShare
            shortestWait = min(shortestWait, wait)
            guard let since = part.unflushedSince else { continue }
            guard heard - since >= wait else {
                earliestWaiting = min(earliestWaiting ?? .max, since + wait)
                continue
            }
            part.flushSinks()
            wakeUps.markStale(index)
        }
        handOverSchedule.looked(at: heard, earliestWaiting: earliestWaiting, shortestWait: shortestWait)
    }

    /// Rows that have waited `1 / handOverEarlyShare` of their hand-over delay go out at the next
    /// frame: half, so a row reaches the files' writer between 0.25 and 0.5 s after it was made (files only).
    static let handOverEarlyShare: Int64 = 2
}
