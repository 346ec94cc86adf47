import Testing

@testable import BytebitCore

/// Channels as a table in the feed machine, and per-connection state that cannot outlive its connection.
@Suite struct FeedChannelTableTests {
    @Test func tableRowsAreThePositionsInAllCases() {
        for (index, channel) in FeedChannel.allCases.enumerated() {
            #expect(channel.tableIndex == index, "\(channel)")
        }
    }

    @Test func aChannelThatIsNotRecordedHasNoRowAndCannotBeGivenOne() {
        var table = ChannelTable(recording: [.trade, .instrument])
        #expect(table.channels == [.instrument, .trade], "subscription order, not the order given")
        #expect(table[.book] == nil)
        table[.book] = .live
        #expect(table[.book] == nil)
        table[.trade] = .live
        #expect(table[.trade] == .live)
        #expect(table[.instrument] == .idle)
    }

    @Test func theSessionTableHoldsTheRecordedChannels() {
        var feed = FeedHarness(FeedConfiguration(symbol: "BTC/USD", recordsTrades: false))
        feed.send(.start)
        feed.send(.connected)
        #expect(feed.machine.session?.channels.channels == [.instrument, .book])
        #expect(feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8)).requests
            .map(\.channel) == ["book"])
    }

    /// A ping left unanswered when the connection dropped must not fail the next connection.
    @Test func aReconnectStartsFromAFreshSession() throws {
        var feed = FeedHarness()
        feed.goLive()
        feed.advance(milliseconds: 20_000)
        feed.send(.messageReceived)
        #expect(feed.send(.tick).requests.map(\.method) == ["ping"])
        feed.send(.bookChecksumMismatch(expected: 1, computed: 2))
        feed.send(.connectionEnded(reason: "closed"))
        feed.tick(at: try #require(feed.reconnectDue))
        feed.send(.connected)
        let session = try #require(feed.machine.session)
        #expect(session.since == feed.now)
        #expect(session.pingOutstandingSince == nil)
        #expect(session.liveSince == nil)
        #expect(!session.hasActiveSubscription)
        #expect(session.recentMismatches.isEmpty)
        #expect(session.rejectionStreaks.isEmpty)
        #expect(Array(session.pendingSubscriptions.values) == [.instrument])
        #expect(session.channels[.book] == .idle && session.channels[.trade] == .idle)
        // Past the old ping's pong deadline, heard from all along: nothing is stale.
        var actions: [FeedAction] = []
        for _ in 0..<11 {
            feed.advance(milliseconds: 1_000)
            feed.send(.messageReceived)
            actions += feed.send(.tick)
        }
        #expect(actions.eventNames.isEmpty)
    }

    /// Without the book, the trade channel makes the session live (and its 30 s stable).
    @Test func tradesOnlyGoLiveOnTheTradeAck() {
        var feed = FeedHarness(FeedConfiguration(symbol: "BTC/USD", recordsBook: false))
        feed.send(.start)
        feed.send(.connected)
        feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
        #expect(feed.machine.status.stateName == "subscribing")
        feed.send(.subscribeAcknowledged(channel: .trade, symbol: "BTC/USD"))
        #expect(feed.machine.status.stateName == "live")
        #expect(feed.machine.session?.liveSince == feed.now)
    }

    @Test(arguments: [FeedChannel.instrument, .book, .trade])
    func everyChannelTimesOutWithoutItsAckOrSnapshot(channel: FeedChannel) throws {
        var feed = FeedHarness()
        feed.send(.start)
        feed.send(.connected)
        if channel != .instrument {
            feed.send(.instrumentReceived(pairListed: true, pricePrecision: 1, qtyPrecision: 8))
            for other in [FeedChannel.book, .trade] where other != channel {
                feed.send(.subscribeAcknowledged(channel: other, symbol: "BTC/USD"))
            }
            if channel == .trade { feed.send(.bookVerified(isSnapshot: true)) }
        }
        var actions: [FeedAction] = []
        for _ in 0..<14 {
            feed.advance(milliseconds: 1_000)
            feed.send(.messageReceived)
            actions += feed.send(.tick)
        }
        #expect(actions.eventNames.isEmpty)
        feed.advance(milliseconds: 1_000)
        feed.send(.messageReceived)
        #expect(feed.machine.nextDeadline == feed.now, "the request deadline is due now")
        let stale = feed.send(.tick)
        let detail = try #require(stale.detail(of: .stale))
        #expect(detail.hasPrefix("no \(channel.rawValue) "), "\(detail)")
    }
}
