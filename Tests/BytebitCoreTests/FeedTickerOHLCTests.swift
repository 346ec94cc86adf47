import Foundation
import Testing

@testable import BytebitCore

/// The ticker and ohlc rows of the channel table: their requests, acks and a refusal that costs the
/// book nothing.
@Suite struct FeedTickerOHLCTests {
    static func configuration() -> FeedConfiguration {
        var configuration = FeedConfiguration(symbol: "BTC/USD")
        configuration.recordsTicker = true
        configuration.ohlcIntervals = [.oneMinute, .fiveMinutes]
        return configuration
    }

    @Test func subscribesTheTickerOnBBOAndOneOHLCPerInterval() throws {
        var feed = FeedHarness(Self.configuration())
        feed.send(.start)
        feed.send(.connected)
        let texts = feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8)).sentTexts
        let params = try texts.map { text in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            return try #require(object["params"] as? [String: Any])
        }
        #expect(params.map { $0["channel"] as? String } == ["book", "trade", "ticker", "ohlc", "ohlc"])
        #expect(params[2]["event_trigger"] as? String == "bbo")
        #expect(params[3]["interval"] as? Int == 1)
        #expect(params[4]["interval"] as? Int == 5)
        #expect(params.allSatisfy { $0["snapshot"] as? Bool == true })
        #expect(params[2]["interval"] == nil && params[0]["event_trigger"] == nil)
    }

    @Test func eachSubscriptionIsAcknowledgedOnItsOwn() {
        var feed = FeedHarness(Self.configuration())
        let actions = feed.goLive()
        #expect(actions.eventNames.filter { $0 == .subscribed }.count == 2)
        #expect(feed.send(.subscribeAcknowledged(channel: .ticker, symbol: "BTC/USD")).detail(of: .subscribed)
            == "ticker BTC/USD event_trigger bbo")
        #expect(feed.send(.subscribeAcknowledged(channel: .ohlc5m, symbol: "BTC/USD")).detail(of: .subscribed)
            == "ohlc 5m BTC/USD")
        #expect(feed.machine.session?.channels[.ticker] == .live)
        #expect(feed.machine.session?.channels[.ohlc5m] == .live)
        #expect(feed.machine.session?.channels[.ohlc1m] == .subscribing(since: FeedHarness.start))
        #expect(feed.machine.session?.channels[.ohlc15m] == nil, "an interval not configured has no row")
    }

    /// A pair alone exits 78 when Kraken refuses its book; a refused ticker is that channel only.
    @Test(arguments: [FeedChannel.ticker, .ohlc1m])
    func aRefusedTickerOrOHLCKeepsTheBookAndRetries(channel: FeedChannel) throws {
        var feed = FeedHarness(Self.configuration())
        feed.goLive()
        let error = "Currency pair not supported BTC/USD"
        let actions = feed.send(.subscribeRejected(channel: channel, symbol: "BTC/USD", error: error, requestID: nil))
        #expect(!actions.contains { if case .exit = $0 { true } else { false } })
        #expect(actions.disconnects == 0)
        let detail = try #require(actions.detail(of: .rejected))
        #expect(detail.hasPrefix("\(channel.rawValue) BTC/USD: \(error); retrying in "))
        #expect(feed.machine.isBookWritable, "the book records on")
        guard case .backingOff(let until)? = feed.machine.session?.channels[channel] else {
            Issue.record("not backing off")
            return
        }
        let retry = feed.tick(at: until).requests
        #expect(retry.map(\.channel) == [channel.krakenName])
    }

    /// Kraken's error frame names no channel: the req_id finds the refused ohlc subscription.
    @Test func aRefusalFoundByItsRequestIDIsThatChannelsAlone() throws {
        var feed = FeedHarness(Self.configuration())
        feed.send(.start)
        feed.send(.connected)
        let requests = feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8)).requests
        let ohlc = try #require(requests.first { $0.channel == "ohlc" })
        let actions = feed.send(.subscribeRejected(
            channel: nil, symbol: "BTC/USD", error: "Currency pair not supported BTC/USD", requestID: ohlc.requestID))
        #expect(actions.eventNames == [.rejected])
        #expect(feed.machine.session?.channels[.book] == .subscribing(since: FeedHarness.start))
        #expect(feed.machine.session?.channels.isSubscribing(.ohlc5m) == true)
    }

    @Test func theBooksRefusalStillEndsAMarketAlone() {
        var feed = FeedHarness(Self.configuration())
        feed.send(.start)
        feed.send(.connected)
        feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        let actions = feed.send(.subscribeRejected(
            channel: .book, symbol: "BTC/USD", error: "Currency pair not supported BTC/USD", requestID: nil))
        #expect(actions.contains(.exit(code: ExitStatus.configuration.rawValue)))
    }

    /// Kraken answers every subscribe; should a ticker or ohlc ack not come, that channel is retried
    /// alone: no `stale`, no reconnect, the book records on.
    @Test func aMissingTickerAckRetriesTheTickerAlone() throws {
        var feed = FeedHarness(Self.configuration())
        feed.goLive()
        feed.send(.subscribeAcknowledged(channel: .ohlc1m, symbol: "BTC/USD"))
        feed.send(.subscribeAcknowledged(channel: .ohlc5m, symbol: "BTC/USD"))
        let timeout = TimeSpan(feed.machine.configuration.policy.requestTimeout).microseconds / 1_000
        var actions: [FeedAction] = []
        for _ in 0..<Int(timeout / 1_000 + 1) {
            feed.advance(milliseconds: 1_000)
            feed.send(.messageReceived)
            actions += feed.send(.tick)
        }
        #expect(actions.disconnects == 0)
        #expect(!actions.eventNames.contains(.stale))
        #expect(actions.detail(of: .rejected)?.hasPrefix("ticker BTC/USD: no ticker subscription ack within ") == true)
        #expect(feed.machine.isBookWritable)
        guard case .backingOff(let until)? = feed.machine.session?.channels[.ticker] else {
            Issue.record("not backing off")
            return
        }
        #expect(feed.tick(at: until).requests.compactMap(\.channel) == ["ticker"], "pings aside")
    }
}
