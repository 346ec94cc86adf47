import BytebitCollector
import BytebitCore
import BytebitTestSupport
import Testing

/// One pair's trouble on a group's shared connection stays that pair's: the connection and the
/// other pairs' books carry on (issue 10).
@Suite struct GroupRecorderRobustnessTests {
    static let pairs = GroupRecorderTests.pairs
    static let bids = GroupRecorderTests.bids
    static let asks = GroupRecorderTests.asks

    @Test func anAlreadySubscribedBookResyncsThatPairOnTheSharedConnection() throws {
        let harness = try GroupRecorderHarness(pairs: Self.pairs)
        var books = GroupRecorderTests.books(harness)
        let ltc = harness.symbols[1]
        var steps: [ScriptStep] = [
            .frame(KrakenFrameText.status("online")),
            .frame(KrakenFrameText.subscribed("instrument", symbol: nil)),
            .frame(GroupRecorderHarness.instrument(snapshot: true, pairs: harness.symbols.map { ($0, "online") })),
            // The merged book request is the group's second (`req_id` 1000000001): Kraken echoes it.
            .frame(GroupRecorderHarness.rejected(symbol: ltc, error: "Already subscribed", requestID: 1_000_000_001)),
        ]
        for index in [0, 2] {
            steps += [
                .frame(KrakenFrameText.subscribed("book", symbol: harness.symbols[index], depth: 10)),
                .frame(books[index].snapshot(bids: Self.bids, asks: Self.asks)),
            ]
        }
        for symbol in harness.symbols { steps.append(.frame(KrakenFrameText.subscribed("trade", symbol: symbol))) }
        steps += [
            .frame(KrakenFrameText.unsubscribed("book", symbol: ltc, depth: 10)),
            .frame(KrakenFrameText.subscribed("book", symbol: ltc, depth: 10)),
            .frame(books[1].snapshot(bids: Self.bids, asks: Self.asks)),
        ]
        let run = try harness.run([ScriptedConnection(steps)])
        #expect(run.openedConnections == 1)
        #expect(run.eventNames(ltc).contains("rejected"))
        #expect(run.eventNames(ltc).contains("snapshot"))
        #expect(run.books(ltc).count == 1)
        let ltcBookRequests = run.sentRequests.filter { $0.contains("\"channel\":\"book\"") && $0.contains("[\"LTC/BTC\"]") }
        #expect(ltcBookRequests.count == 2, "an unsubscribe and a subscribe for LTC alone: \(ltcBookRequests)")
        #expect(run.eventNames(ltc).filter { $0 == "subscribed" } == ["subscribed", "subscribed"], "book and trade")
        for symbol in harness.symbols {
            #expect(!run.eventNames(symbol).contains("disconnected"), "\(symbol): \(run.eventNames(symbol))")
        }
    }

    @Test func aPairsUnansweredBookRequestRetriesThatPairWithoutDroppingTheConnection() throws {
        let harness = try GroupRecorderHarness(pairs: Self.pairs)
        var books = GroupRecorderTests.books(harness)
        let (eth, ltc, dot) = (harness.symbols[0], harness.symbols[1], harness.symbols[2])
        var steps: [ScriptStep] = [
            .frame(KrakenFrameText.status("online")),
            .frame(KrakenFrameText.subscribed("instrument", symbol: nil)),
            .frame(GroupRecorderHarness.instrument(snapshot: true, pairs: harness.symbols.map { ($0, "online") })),
        ]
        for index in [0, 2] {
            steps += [
                .frame(KrakenFrameText.subscribed("book", symbol: harness.symbols[index], depth: 10)),
                .frame(books[index].snapshot(bids: Self.bids, asks: Self.asks)),
            ]
        }
        for symbol in harness.symbols { steps.append(.frame(KrakenFrameText.subscribed("trade", symbol: symbol))) }
        // No answer for LTC's book for 22 s: the request deadline (15 s), then the unsubscribe's (5 s).
        steps += RecorderHarness.quiet(seconds: 22)
        steps += [
            .frame(KrakenFrameText.subscribed("book", symbol: ltc, depth: 10)),
            .frame(books[1].snapshot(bids: Self.bids, asks: Self.asks)),
        ]
        let run = try harness.run([ScriptedConnection(steps)])
        #expect(run.openedConnections == 1)
        let stale = run.events(ltc).filter { $0.event == .stale }
        #expect(stale.count == 1)
        #expect(stale.first?.detail.contains("resubscribing this pair only") == true)
        #expect(run.eventNames(ltc).contains("snapshot"))
        #expect(run.books(ltc).count == 1)
        for symbol in [eth, dot] {
            #expect(run.eventNames(symbol).filter { ["stale", "disconnected", "resync"].contains($0) }.isEmpty)
            #expect(run.books(symbol).count == 1)
        }
    }

    /// While the group waits to reconnect, its loop sleeps until the reconnect, not in 100 ms ticks.
    @Test func noPollingWhileDisconnected() throws {
        let harness = try GroupRecorderHarness(pairs: Self.pairs)
        var books = GroupRecorderTests.books(harness)
        let first = books.indices.map { books[$0].snapshot(bids: Self.bids, asks: Self.asks) }
        let second = books.indices.map { books[$0].snapshot(bids: Self.bids, asks: Self.asks) }
        let run = try harness.run([
            ScriptedConnection(harness.frames(toLiveWith: first), ending: .closedByServer("blip")),
            ScriptedConnection(harness.frames(toLiveWith: second)),
        ])
        #expect(run.openedConnections == 2)
        // The first reconnect waits 1 s plus up to 0.75 s of jitter: one wait, perhaps a short one
        // for a file hand-over; 100 ms ticks would be 10 or more.
        #expect(run.idleWaits.count <= 3, "waits: \(run.idleWaits)")
        #expect(run.idleWaits.reduce(0, +) >= 1_000_000)
        for symbol in harness.symbols { #expect(run.eventNames(symbol).filter { $0 == "snapshot" }.count == 2) }
    }

    @Test func eachMergedRequestNamesTheMembersItCarries() {
        var queue = GroupRequestQueue()
        let now = UTCTimestamp(microsecondsSince1970: 1_787_757_360_000_000)
        for (index, symbol) in ["A/USD", "B/USD"].enumerated() {
            queue.enqueue(FeedSubscription(method: .subscribe, channel: .book, symbol: symbol, depth: 10, requestID: index))
        }
        let due = queue.dueRequests(at: now)
        #expect(due.count == 1)
        #expect(due.first?.members.map(\.symbol) == ["A/USD", "B/USD"])
        #expect(due.first?.members.map(\.requestID) == [0, 1])
    }
}
