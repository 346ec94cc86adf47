import Foundation
import Testing

@testable import BytebitCore

/// Drives a `FeedMachine` with a manual time value and a seeded random source.
struct FeedHarness {
    static let start = UTCTimestamp(microsecondsSince1970: 1_795_262_400_000_000)  // 2026-11-21T12:00:00Z
    var machine: FeedMachine
    var now = FeedHarness.start

    init(_ configuration: FeedConfiguration = FeedConfiguration(symbol: "BTC/USD"), seed: UInt64 = 42) {
        machine = FeedMachine(configuration: configuration, random: SeededRandomNumberGenerator(seed: seed))
    }

    @discardableResult
    mutating func send(_ input: FeedInput) -> [FeedAction] {
        machine.handle(input, at: now)
    }

    mutating func advance(milliseconds: Int64) {
        now = UTCTimestamp(microsecondsSince1970: now.microseconds + milliseconds * 1000)
    }

    /// Moves the time forward and ticks.
    @discardableResult
    mutating func tick(afterMilliseconds milliseconds: Int64) -> [FeedAction] {
        advance(milliseconds: milliseconds)
        return send(.tick)
    }

    /// Moves time to `instant` and ticks.
    @discardableResult
    mutating func tick(at instant: UTCTimestamp) -> [FeedAction] {
        now = instant
        return send(.tick)
    }

    /// The instant of the scheduled reconnect, if the feed is waiting for one.
    var reconnectDue: UTCTimestamp? {
        if case .waitingToReconnect(let until) = machine.connection { return until }
        return nil
    }

    /// Runs the whole happy path: start → … → verified snapshot; returns every action.
    @discardableResult
    mutating func goLive(instrument listed: Bool = true) -> [FeedAction] {
        var actions = send(.start)
        actions += send(.connected)
        actions += send(.statusReceived(system: "online"))
        actions += send(.subscribeAcknowledged(channel: .instrument, symbol: nil))
        actions += send(.instrumentReceived(pairListed: listed, pricePrecision: 1, qtyPrecision: 8))
        if machine.configuration.recordsBook {
            actions += send(.subscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        }
        if machine.configuration.recordsTrades {
            actions += send(.subscribeAcknowledged(channel: .trade, symbol: "BTC/USD"))
        }
        if machine.configuration.recordsBook {
            actions += send(.bookVerified(isSnapshot: true))
        }
        return actions
    }
}

extension Array where Element == FeedAction {
    var eventNames: [LedgerEvent] {
        compactMap { if case .recordEvent(let name, _) = $0 { return name } else { return nil } }
    }

    func detail(of event: LedgerEvent) -> String? {
        for action in self {
            if case .recordEvent(let name, let detail) = action, name == event { return detail }
        }
        return nil
    }

    var sentTexts: [String] {
        compactMap { if case .send(let text) = $0 { return text } else { return nil } }
    }

    /// The sent requests parsed back from JSON (tests only: these carry no book numbers).
    var requests: [FeedRequestView] {
        sentTexts.compactMap(FeedRequestView.init)
    }

    var disconnects: Int {
        filter { if case .disconnect = $0 { return true } else { return false } }.count
    }
}

/// A sent request read back for assertions.
struct FeedRequestView {
    var method: String
    var requestID: Int
    var channel: String?
    var symbols: [String]?
    var depth: Int?
    var snapshot: Bool?

    init?(_ text: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let method = object["method"] as? String, let requestID = object["req_id"] as? Int
        else { return nil }
        self.method = method
        self.requestID = requestID
        let params = object["params"] as? [String: Any]
        channel = params?["channel"] as? String
        symbols = params?["symbol"] as? [String]
        depth = params?["depth"] as? Int
        snapshot = params?["snapshot"] as? Bool
    }
}

@Suite struct FeedMachineTests {
    @Test func happyPathSubscribesInstrumentThenBookAndTradesAndGoesLive() throws {
        var feed = FeedHarness()
        #expect(feed.send(.start) == [.connect])
        #expect(feed.machine.status.stateName == "connecting")

        let opened = feed.send(.connected)
        #expect(opened.eventNames == [.connected])
        #expect(opened.contains(.resetBook))
        let instrument = try #require(opened.requests.first)
        #expect(opened.requests.count == 1)
        #expect(instrument.method == "subscribe" && instrument.channel == "instrument" && instrument.snapshot == true)
        #expect(instrument.symbols == nil)
        #expect(!feed.machine.acceptsBookMessages, "no book before the precisions are known")

        #expect(feed.send(.statusReceived(system: "online")).isEmpty)
        #expect(feed.send(.subscribeAcknowledged(channel: .instrument, symbol: nil)).isEmpty)
        let subscriptions = feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
            .requests
        #expect(subscriptions.map(\.channel) == ["book", "trade"])
        #expect(
            subscriptions.allSatisfy { $0.method == "subscribe" && $0.symbols == ["BTC/USD"] && $0.snapshot == true })
        #expect(subscriptions.first?.depth == 25)
        #expect(subscriptions.last?.depth == nil)
        #expect(feed.machine.bookPrecisions.map { [$0.price, $0.qty] } == [1, 8])
        #expect(feed.machine.acceptsBookMessages)
        #expect(!feed.machine.isBookWritable)

        let bookAck = feed.send(.subscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        #expect(bookAck.eventNames == [.subscribed])
        #expect(feed.send(.subscribeAcknowledged(channel: .trade, symbol: "BTC/USD")).eventNames == [.subscribed])
        #expect(feed.machine.status.stateName == "awaiting_snapshot")
        #expect(!feed.machine.isBookWritable)

        #expect(feed.send(.bookVerified(isSnapshot: false)).isEmpty)
        #expect(!feed.machine.isBookWritable, "an update before the snapshot does not make the book live")
        #expect(feed.send(.bookVerified(isSnapshot: true)).eventNames == [.snapshot])
        #expect(feed.machine.isBookWritable)
        #expect(feed.machine.acceptsBookMessages)
        #expect(feed.machine.status.stateName == "live")
    }

    @Test func requestIDsIncreaseAcrossEveryRequest() {
        var feed = FeedHarness()
        var actions = feed.goLive()
        feed.advance(milliseconds: 20_000)
        feed.send(.messageReceived)
        actions += feed.send(.tick)
        let ids = actions.requests.map(\.requestID)
        #expect(ids.count == 4)
        #expect(ids == ids.sorted() && Set(ids).count == ids.count)
    }

    @Test func ignoresAcksForOtherSymbols() {
        var feed = FeedHarness()
        feed.send(.start)
        feed.send(.connected)
        feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        #expect(feed.send(.subscribeAcknowledged(channel: .book, symbol: "ETH/USD")).isEmpty)
        #expect(feed.send(.bookVerified(isSnapshot: true)).eventNames == [.snapshot])
    }

    @Test func bookDisabledSubscribesTradesOnly() {
        var feed = FeedHarness(FeedConfiguration(symbol: "BTC/USD", recordsBook: false))
        let actions = feed.goLive()
        #expect(actions.requests.map(\.channel) == ["instrument", "trade"])
        #expect(!actions.contains(.resetBook))
        #expect(!feed.machine.isBookWritable)
        #expect(!feed.machine.acceptsBookMessages)
        #expect(feed.machine.status.stateName == "live")
    }

    @Test func tradesDisabledSubscribesBookOnly() {
        var feed = FeedHarness(FeedConfiguration(symbol: "BTC/USD", bookDepth: 100, recordsTrades: false))
        let actions = feed.goLive()
        #expect(actions.requests.map(\.channel) == ["instrument", "book"])
        #expect(actions.requests.last?.depth == 100)
        #expect(feed.machine.isBookWritable)
    }

    @Test func instrumentPrecisionChangeResyncsTheBook() {
        var feed = FeedHarness()
        feed.goLive()
        #expect(feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8)).isEmpty)
        let changed = feed.send(.instrumentReceived(pairListed: true, pricePrecision: 2, qtyPrecision: 8))
        #expect(changed.contains(.resetBook))
        #expect(changed.requests.map(\.method) == ["unsubscribe"])
        #expect(!feed.machine.isBookWritable)
        let resubscribed = feed.send(.unsubscribeAcknowledged(channel: .book, symbol: "BTC/USD"))
        #expect(resubscribed.eventNames == [.resync])
        #expect(resubscribed.detail(of: .resync)?.contains("precision changed") == true)
        #expect(feed.machine.bookPrecisions.map { [$0.price, $0.qty] } == [2, 8])
    }

    @Test func stopDisconnectsAndExitsZeroThenIgnoresEverything() {
        var feed = FeedHarness()
        feed.goLive()
        let actions = feed.send(.stopRequested)
        #expect(actions.eventNames == [.stopped])
        #expect(actions.disconnects == 1)
        #expect(actions.last == .exit(code: 0))
        #expect(!feed.machine.isBookWritable)
        #expect(feed.machine.status.stateName == "stopped")
        #expect(feed.tick(afterMilliseconds: 600_000).isEmpty)
        #expect(feed.send(.connectionEnded(reason: "closed")).isEmpty)
    }

    @Test func stopWhileWaitingToReconnectHasNothingToClose() {
        var feed = FeedHarness()
        feed.send(.start)
        feed.send(.connectionEnded(reason: "refused"))
        let actions = feed.send(.stopRequested)
        #expect(actions.disconnects == 0)
        #expect(actions.eventNames == [.stopped])
        #expect(actions.last == .exit(code: 0))
    }

    @Test func statusReportsCounters() {
        var feed = FeedHarness()
        feed.goLive()
        feed.advance(milliseconds: 500)
        feed.send(.messageReceived)
        let heard = feed.now
        // The mismatch first: a malformed frame while live would resync, and the mismatch then be in flight.
        feed.send(.bookChecksumMismatch(expected: 1, computed: 2))
        feed.send(.malformedFrame(reason: "not JSON"))
        feed.send(.connectionEnded(reason: "reset by peer"))
        let status = feed.machine.status
        #expect(status.checksumFailureCount == 1)
        #expect(status.malformedFrameCount == 1)
        #expect(status.lastMessageAt == heard)
        #expect(status.systemStatus == "online")
        #expect(status.reconnectCount == 0)
        #expect(status.stateName == "reconnecting")
        feed.tick(at: feed.reconnectDue ?? feed.now)
        #expect(feed.machine.status.reconnectCount == 1)
    }

    @Test func framesFromAClosedConnectionAreIgnored() {
        var feed = FeedHarness()
        feed.goLive()
        feed.send(.connectionEnded(reason: "closed"))
        #expect(feed.send(.bookVerified(isSnapshot: true)).isEmpty)
        #expect(feed.send(.instrumentReceived(pairListed: false, pricePrecision: 1, qtyPrecision: 8)).isEmpty)
        #expect(!feed.machine.isBookWritable)
        #expect(!feed.machine.acceptsBookMessages)
    }
}
