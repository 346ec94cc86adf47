import BytebitCollector
import BytebitCore
import BytebitTestSupport
import Testing

/// A group of markets on one scripted connection (SPEC §7): each rule of the group, per pair.
@Suite struct GroupRecorderTests {
    static let pairs = ["ETH-BTC", "LTC-BTC", "DOT-BTC"]
    static let bids = RecorderBookRulesTests.bids
    static let asks = RecorderBookRulesTests.asks

    static func books(_ harness: GroupRecorderHarness) -> [ScriptedBook] {
        harness.symbols.map { ScriptedBook(symbol: $0, depth: 10, pricePrecision: 6, qtyPrecision: 8) }
    }

    @Test func oneRequestPerChannelCarriesEverySymbolAndEachAckGoesToItsPair() throws {
        let harness = try GroupRecorderHarness(pairs: Self.pairs)
        var books = Self.books(harness)
        let snapshots = books.indices.map { books[$0].snapshot(bids: Self.bids, asks: Self.asks) }
        let run = try harness.run([ScriptedConnection(harness.frames(toLiveWith: snapshots))])
        #expect(run.openedConnections == 1)
        let subscribes = run.sentRequests.filter { $0.contains("\"method\":\"subscribe\"") }
        #expect(subscribes.filter { $0.contains("\"channel\":\"instrument\"") }.count == 1)
        let bookRequests = subscribes.filter { $0.contains("\"channel\":\"book\"") }
        #expect(bookRequests == [#"{"method":"subscribe","params":{"channel":"book","symbol":["ETH/BTC","LTC/BTC","DOT/BTC"],"depth":10,"snapshot":true},"req_id":1000000001}"#])
        #expect(subscribes.filter { $0.contains("\"channel\":\"trade\"") }.count == 1)
        for symbol in harness.symbols {
            #expect(run.books(symbol).count == 1)
            let subscribed = run.events(symbol).filter { $0.event == .subscribed }.map(\.detail)
            #expect(subscribed == ["book \(symbol) depth 10", "trade \(symbol)"])
            #expect(run.eventNames(symbol).contains("snapshot"))
        }
        #expect(run.exitCode == 0)
    }

    @Test func requestsAreSplitIntoFiftySymbolsAndPacedAtFivePerSecond() {
        var queue = GroupRequestQueue()
        let start = UTCTimestamp(microsecondsSince1970: 1_787_757_360_000_000)
        for index in 0..<320 {
            queue.enqueue(FeedSubscription(
                method: .subscribe, channel: .book, symbol: "P\(index)/USD", depth: 10, requestID: index))
        }
        let first = queue.dueTexts(at: start)
        #expect(first.count == GroupRequestQueue.maxRequestsPerSecond)
        #expect(first[0].components(separatedBy: "/USD").count - 1 == GroupRequestQueue.maxSymbolsPerRequest)
        #expect(queue.dueTexts(at: start.advanced(by: TimeSpan(microseconds: 999_999))).isEmpty)
        let second = queue.dueTexts(at: start.advanced(by: TimeSpan(microseconds: 1_000_000)))
        #expect(second.count == 2)
        // 320 = 6 × 50 + 20.
        #expect(second[1].components(separatedBy: "/USD").count - 1 == 20)
        #expect(!queue.hasWaiting)
    }

    /// Only the book's request names a depth: a market at another depth gets a book request of its
    /// own and shares the rest (a second `instrument` subscribe is refused by Kraken).
    @Test func marketsAtOtherDepthsShareEveryRequestButTheBooks() {
        var queue = GroupRequestQueue()
        for (index, (symbol, depth)) in [("ETH/BTC", 10), ("LTC/BTC", 25), ("DOT/BTC", 10)].enumerated() {
            for channel in [FeedChannel.instrument, .book, .trade] {
                queue.enqueue(FeedSubscription(
                    method: .subscribe, channel: channel, symbol: symbol, depth: depth, requestID: index * 10))
            }
        }
        let texts = queue.dueTexts(at: UTCTimestamp(microsecondsSince1970: 1_787_757_360_000_000))
        #expect(texts.filter { $0.contains(#""channel":"instrument""#) }.count == 1)
        #expect(texts.filter { $0.contains(#""channel":"trade","symbol":["ETH/BTC","LTC/BTC","DOT/BTC"]"#) }.count == 1)
        let books = texts.filter { $0.contains(#""channel":"book""#) }
        #expect(books.count == 2)
        #expect(books.contains { $0.contains(#""symbol":["ETH/BTC","DOT/BTC"],"depth":10"#) })
        #expect(books.contains { $0.contains(#""symbol":["LTC/BTC"],"depth":25"#) })
        #expect(texts.count == 4)
    }

    @Test func aChecksumMismatchResubscribesOnlyThatPairWhileTheOthersWrite() throws {
        let harness = try GroupRecorderHarness(pairs: Self.pairs)
        var books = Self.books(harness)
        let snapshots = books.indices.map { books[$0].snapshot(bids: Self.bids, asks: Self.asks) }
        let (eth, ltc, dot) = (harness.symbols[0], harness.symbols[1], harness.symbols[2])
        let steps: [ScriptStep] = harness.frames(toLiveWith: snapshots) + [
            .frame(books[1].update(bids: [("0.031344", "1.00000000")], corruptChecksum: true)),
            .frame(books[0].update(bids: [("0.031344", "2.00000000")])),
            .frame(books[2].update(bids: [("0.031344", "3.00000000")])),
            .frame(KrakenFrameText.unsubscribed("book", symbol: ltc, depth: 10)),
            .frame(KrakenFrameText.subscribed("book", symbol: ltc, depth: 10)),
            .frame(books[1].snapshot(bids: Self.bids, asks: Self.asks)),
            .frame(books[1].update(bids: [("0.031344", "4.00000000")])),
        ]
        let run = try harness.run([ScriptedConnection(steps)])
        #expect(run.openedConnections == 1)
        let ltcRequests = run.sentRequests.filter { $0.contains("\"channel\":\"book\"") }.dropFirst()
        #expect(ltcRequests.count == 2)
        #expect(ltcRequests.allSatisfy { $0.contains("\"symbol\":[\"LTC/BTC\"]") })
        #expect(run.eventNames(ltc).contains("checksum_mismatch"))
        #expect(run.eventNames(ltc).filter { $0 == "snapshot" }.count == 2)
        #expect(run.books(ltc).count == 3)
        for symbol in [eth, dot] {
            #expect(!run.eventNames(symbol).contains("checksum_mismatch"))
            #expect(!run.eventNames(symbol).contains("resync"))
            #expect(run.books(symbol).count == 2)
        }
    }

    /// A truncated frame on the shared connection still names its pair: only that book resyncs.
    @Test func aTruncatedFrameResyncsOnlyThePairItNames() throws {
        let harness = try GroupRecorderHarness(pairs: Self.pairs)
        var books = Self.books(harness)
        let snapshots = books.indices.map { books[$0].snapshot(bids: Self.bids, asks: Self.asks) }
        let (eth, ltc, dot) = (harness.symbols[0], harness.symbols[1], harness.symbols[2])
        let lost = books[1].update(bids: [("0.031344", "1.00000000")])
        let steps: [ScriptStep] = harness.frames(toLiveWith: snapshots) + [
            .frame(String(lost.prefix(90))),
            .frame(books[1].update(bids: [("0.031344", "5.00000000")])),
            .frame(books[0].update(bids: [("0.031344", "2.00000000")])),
            .frame(books[2].update(bids: [("0.031344", "3.00000000")])),
            .frame(KrakenFrameText.unsubscribed("book", symbol: ltc, depth: 10)),
            .frame(KrakenFrameText.subscribed("book", symbol: ltc, depth: 10)),
            .frame(books[1].snapshot(bids: Self.bids, asks: Self.asks)),
        ]
        let run = try harness.run([ScriptedConnection(steps)])
        #expect(run.openedConnections == 1)
        #expect(run.eventNames(ltc).contains("malformed_frame"))
        #expect(run.eventNames(ltc).filter { $0 == "snapshot" }.count == 2)
        #expect(run.books(ltc).count == 2, "the update after the lost one is not written")
        for symbol in [eth, dot] {
            #expect(!run.eventNames(symbol).contains("malformed_frame"))
            #expect(!run.eventNames(symbol).contains("resync"))
            #expect(run.books(symbol).count == 2)
        }
    }

    /// A malformed frame that names no carried pair could have been any pair's book message.
    @Test func aMalformedFrameNamingNoPairIsEveryPairsGap() throws {
        let harness = try GroupRecorderHarness(pairs: Self.pairs)
        var books = Self.books(harness)
        let snapshots = books.indices.map { books[$0].snapshot(bids: Self.bids, asks: Self.asks) }
        let run = try harness.run([ScriptedConnection(harness.frames(toLiveWith: snapshots) + [.frame(#"{"channel":"bo"#)])])
        for symbol in harness.symbols {
            #expect(run.eventNames(symbol).contains("malformed_frame"), "\(symbol): \(run.eventNames(symbol))")
        }
    }

    @Test func aRejectedPairIsHeldWhileTheRestRecord() throws {
        let harness = try GroupRecorderHarness(pairs: Self.pairs)
        var books = Self.books(harness)
        let dot = harness.symbols[2]
        let steps: [ScriptStep] = [
            .frame(KrakenFrameText.status("online")),
            .frame(KrakenFrameText.subscribed("instrument", symbol: nil)),
            .frame(GroupRecorderHarness.instrument(snapshot: true, pairs: harness.symbols.map { ($0, "online") })),
            .frame(GroupRecorderHarness.rejected(symbol: dot, error: "Currency pair not supported DOT/BTC")),
        ] + (0..<2).flatMap { index in
            [ScriptStep.frame(KrakenFrameText.subscribed("book", symbol: harness.symbols[index], depth: 10)),
             .frame(KrakenFrameText.subscribed("trade", symbol: harness.symbols[index])),
             .frame(books[index].snapshot(bids: Self.bids, asks: Self.asks))]
        } + RecorderHarness.quiet(seconds: 3)
        let run = try harness.run([ScriptedConnection(steps)])
        #expect(run.exitCode == 0)
        #expect(run.openedConnections == 1)
        #expect(run.eventNames(dot).contains("rejected"))
        #expect(run.books(dot).isEmpty)
        // Held with a back-off: retried, not in a tight loop.
        let dotRetries = run.sentRequests.filter { $0.contains("\"channel\":\"book\"") && $0.contains("[\"DOT/BTC\"]") }
        #expect(dotRetries.count <= 3)
        for symbol in harness.symbols.prefix(2) {
            #expect(run.books(symbol).count == 1)
            #expect(!run.eventNames(symbol).contains("rejected"))
            #expect(!run.eventNames(symbol).contains("disconnected"))
        }
    }

    @Test func aPairMissingFromTheInstrumentListIsHeldAndTheProcessDoesNotExit() throws {
        let harness = try GroupRecorderHarness(pairs: Self.pairs)
        var books = Self.books(harness)
        let dot = harness.symbols[2]
        let snapshots = (0..<2).map { books[$0].snapshot(bids: Self.bids, asks: Self.asks) }
        let run = try harness.run([
            ScriptedConnection(harness.frames(toLiveWith: snapshots, unlisted: [dot]) + RecorderHarness.quiet(seconds: 2))
        ])
        #expect(run.exitCode == 0)
        #expect(run.eventNames(dot).contains("rejected"))
        #expect(!run.sentRequests.contains { $0.contains("\"channel\":\"book\"") && $0.contains("DOT/BTC") })
        #expect(run.books(harness.symbols[0]).count == 1)
        #expect(run.books(harness.symbols[1]).count == 1)
    }

    @Test func aBlipIsAGapInEveryPairsLedgerAndEachWaitsForItsOwnSnapshot() throws {
        let harness = try GroupRecorderHarness(pairs: Self.pairs)
        var books = Self.books(harness)
        let first = books.indices.map { books[$0].snapshot(bids: Self.bids, asks: Self.asks) }
        // After the blip an update arrives for a pair before its snapshot: it must not be applied.
        let early = books[0].update(bids: [("0.031344", "9.00000000")])
        let second = books.indices.map { books[$0].snapshot(bids: Self.bids, asks: Self.asks) }
        let run = try harness.run([
            ScriptedConnection(harness.frames(toLiveWith: first), ending: .closedByServer("network blip")),
            ScriptedConnection(
                Array(harness.frames(toLiveWith: []).dropLast(0)) + [.frame(early)] + second.map { .frame($0) }),
        ])
        #expect(run.openedConnections == 2)
        for symbol in harness.symbols {
            let names = run.eventNames(symbol)
            let gap = try #require(names.firstIndex(of: "disconnected"))
            #expect(names[(gap + 1)...].contains("snapshot"))
            #expect(names.filter { $0 == "snapshot" }.count == 2)
            #expect(run.books(symbol).count == 2)
        }
    }

    /// Kraken sends heartbeats only on an idle connection: on a busy shared one, a quiet pair hears
    /// nothing of its own for long stretches. That is not a stale connection.
    @Test func aQuietPairOnABusyConnectionDoesNotCallItStale() throws {
        let harness = try GroupRecorderHarness(pairs: Self.pairs)
        var books = Self.books(harness)
        let snapshots = books.indices.map { books[$0].snapshot(bids: Self.bids, asks: Self.asks) }
        var steps = harness.frames(toLiveWith: snapshots)
        for second in 0..<60 {  // 30 s of updates for the first pair only, two a second
            steps += [.advance(microseconds: 500_000), .frame(books[0].update(bids: [("0.031344", "\(second + 1).00000000")]))]
        }
        let run = try harness.run([ScriptedConnection(steps)])
        #expect(run.openedConnections == 1)
        for symbol in harness.symbols {
            #expect(!run.eventNames(symbol).contains("stale"), "\(symbol) called the busy connection stale")
        }
        #expect(run.books(harness.symbols[0]).count == 61)
    }

    @Test func aDelistedPairGetsItsRowAndIsUnsubscribedWhileTheOthersGoOn() throws {
        let harness = try GroupRecorderHarness(pairs: Self.pairs)
        var books = Self.books(harness)
        let snapshots = books.indices.map { books[$0].snapshot(bids: Self.bids, asks: Self.asks) }
        let ltc = harness.symbols[1]
        let steps: [ScriptStep] = harness.frames(toLiveWith: snapshots) + [
            .frame(GroupRecorderHarness.instrument(snapshot: false, pairs: [(ltc, "delisted")])),
            .frame(books[1].update(bids: [("0.031344", "1.00000000")])),
            .frame(books[0].update(bids: [("0.031344", "2.00000000")])),
            .frame(books[2].update(bids: [("0.031344", "3.00000000")])),
        ]
        let run = try harness.run([ScriptedConnection(steps)])
        #expect(run.exitCode == 0)
        #expect(run.eventNames(ltc).contains("delisted"))
        #expect(run.sentRequests.contains {
            $0.contains("\"method\":\"unsubscribe\"") && $0.contains("\"channel\":\"book\"") && $0.contains("[\"LTC/BTC\"]")
        })
        #expect(run.books(ltc).count == 1)
        #expect(run.books(harness.symbols[0]).count == 2)
        #expect(run.books(harness.symbols[2]).count == 2)
        #expect(!run.eventNames(harness.symbols[0]).contains("delisted"))
    }

    @Test func onePingServesTheWholeGroupAndItsPongAnswersEveryPair() throws {
        let harness = try GroupRecorderHarness(pairs: Self.pairs)
        var books = Self.books(harness)
        let snapshots = books.indices.map { books[$0].snapshot(bids: Self.bids, asks: Self.asks) }
        let run = try harness.run([
            ScriptedConnection(harness.frames(toLiveWith: snapshots) + RecorderHarness.quiet(seconds: 25))
        ])
        #expect(run.sentRequests.filter(FeedRequest.isPing).count == 1)
        for symbol in harness.symbols {
            #expect(!run.eventNames(symbol).contains("stale"), "\(symbol): \(run.eventNames(symbol))")
        }
        #expect(run.openedConnections == 1)
    }
}
