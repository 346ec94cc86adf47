import BytebitCore
import BytebitLive
import BytebitWebSocket
import Foundation
import Testing

/// The feed's server with real clients on 127.0.0.1: the token before the upgrade, the subscribe
/// message, data to a subscribed client, and the bound on a client that stops reading.
@Suite struct LiveServerTests {
    @Test func withoutTheRightTokenAClientGets401AndNeverAWebSocket() throws {
        let feed = try InProcessFeed()
        for query in ["", "?token=", "?token=wrong-\(feed.token)", "?token=\(feed.token.dropLast())"] {
            let client = try FeedClient(url: feed.url(query))
            #expect(eventually { client.end != nil }, "\(query)")
            #expect(client.end == .upgradeFailed(httpStatus: 401), "\(query)")
            #expect(client.messages.isEmpty)
        }
        let raw = try RawHTTPClient(port: feed.port)
        let head = try raw.request(path: "/v1/stream", headers: ["Authorization: Bearer not-\(feed.token)"])
        // HTTP/1.1, as the upgrade request was: Python's websockets, for one, cannot read an HTTP/1.0 answer.
        #expect(head.hasPrefix("HTTP/1.1 401"), "\(head)")
        #expect(!head.lowercased().contains("upgrade: websocket"))
        #expect(feed.hub.snapshot.refusedUnauthorized == 5)
        #expect(feed.hub.snapshot.clientsConnected == 0)
    }

    @Test func theBearerHeaderOrTheQueryTokenOpensTheStream() throws {
        let feed = try InProcessFeed()
        let raw = try RawHTTPClient(port: feed.port)
        let head = try raw.request(path: "/v1/stream", headers: ["Authorization: Bearer \(feed.token)"])
        #expect(head.hasPrefix("HTTP/1.1 101"), "\(head)")
        let client = try FeedClient(url: feed.url("?token=\(feed.token)"))
        #expect(eventually { client.isOpen })
        #expect(eventually { feed.hub.snapshot.clientsConnected == 2 })
    }

    @Test func theWebPageIsServedOverPlainHTTP() throws {
        let feed = try InProcessFeed()
        let raw = try RawHTTPClient(port: feed.port)
        let head = try raw.request(path: "/", upgrade: false)
        #expect(head.hasPrefix("HTTP/1.1 200"), "\(head)")
        #expect(head.lowercased().contains("content-type: text/html"))
        let missing = try RawHTTPClient(port: feed.port).request(path: "/nothing-here", upgrade: false)
        #expect(missing.hasPrefix("HTTP/1.1 404"), "\(missing)")
    }

    @Test func aSubscribedClientGetsItsPairsAndABadSubscribeOnlyAnError() throws {
        let feed = try InProcessFeed()
        let client = try FeedClient(url: feed.url("?token=\(feed.token)"))
        #expect(eventually { client.isOpen && feed.hub.snapshot.clientsConnected == 1 })
        client.send(#"{"op":"subscribe","pairs":"BTC-USD"}"#)
        #expect(eventually { client.objects.contains { $0["type"] as? String == "error" } })
        #expect(client.isOpen, "a bad subscribe is not a reason to close")
        client.send(#"{"op":"subscribe","pairs":["BTC-USD"],"channels":["trade","event"]}"#)
        #expect(eventually { client.objects.contains { $0["type"] as? String == "subscribed" } })
        let wanted = LiveMessage.trade(pair: "BTC-USD", try trade(id: 1, at: 1_000))
        feed.hub.publish(LiveMessage.trade(pair: "ETH-USD", try trade(id: 2, at: 1_000)))
        feed.hub.publish(LiveMessage.book(pair: "BTC-USD", try bookTop(at: 1_000)))
        feed.hub.publish(wanted)
        #expect(eventually { client.messages.contains(String(decoding: wanted, as: UTF8.self)) })
        #expect(client.messages.count == 3, "error, subscribed, the one trade: \(client.messages)")
    }

    @Test func booksReachAClientAtMostEvery50msPerPairAndTheLatestWins() throws {
        let feed = try InProcessFeed()
        let client = try FeedClient(url: feed.url("?token=\(feed.token)"))
        #expect(eventually { client.isOpen && feed.hub.snapshot.clientsConnected == 1 })
        client.send(#"{"op":"subscribe","pairs":["*"],"channels":["book"]}"#)
        #expect(eventually { client.messages.count == 1 })
        let start = ContinuousClock.now
        var last: [UInt8] = []
        for index in 0..<2_000 {
            last = LiveMessage.book(pair: "BTC-USD", try bookTop(at: Int64(index), bid: "\(1000 + index).0", ask: "5000.0"))
            feed.hub.publish(last)
        }
        let published = ContinuousClock.now - start
        #expect(eventually { client.messages.last == String(decoding: last, as: UTF8.self) }, "the latest book arrives")
        let books = client.messages.count - 1
        // One book at once, then at most one per 50 ms of publishing (plus the final one).
        let allowed = 2 + Int(published / .milliseconds(50))
        #expect(books <= allowed, "\(books) books in \(published)")
        #expect(feed.hub.snapshot.booksConflated >= 2_000 - books)
    }

    @Test func aClientThatStopsReadingIsDisconnectedAtTheBoundAndTheOthersGoOn() throws {
        let feed = try InProcessFeed(limits: LiveClientLimits(maximumQueuedBytes: 64 * 1024))
        let stuck = try RawHTTPClient(port: feed.port)
        #expect(try stuck.request(path: "/v1/stream?token=\(feed.token)").hasPrefix("HTTP/1.1 101"))
        stuck.sendText(#"{"op":"subscribe","pairs":["*"],"channels":["trade"]}"#)
        let reader = try FeedClient(url: feed.url("?token=\(feed.token)"))
        #expect(eventually { reader.isOpen })
        reader.send(#"{"op":"subscribe","pairs":["*"],"channels":["trade"]}"#)
        #expect(eventually { feed.hub.snapshot.clientsConnected == 2 && reader.messages.count == 1 })
        var published = 0
        // The stuck client never reads: kernel buffers, then the server's, then its queue fill up.
        // Batches wait for the reading client, so only the stuck one falls behind.
        let cutOff = try eventually(seconds: 60) {
            for _ in 0..<100 {
                published += 1
                feed.hub.publish(LiveMessage.trade(pair: "BTC-USD", try trade(id: UInt64(published), at: 1)))
            }
            #expect(eventually { reader.messages.count == published + 1 }, "the reading client keeps up")
            return feed.hub.snapshot.disconnectedSlow == 1
        }
        #expect(cutOff, "the stuck client is cut off")
        #expect(eventually { feed.server.queuedBytes(1) == nil }, "its connection (the first) is closed, its buffers freed")
        #expect(feed.hub.snapshot.messagesDropped > 0)
        #expect(feed.hub.snapshot.clientsConnected == 1)
        #expect(published * 200 < 64 * 1024 + 8 * 1024 * 1024, "cut off within the queue bound plus socket buffers")
        #expect(reader.isOpen)
    }

    /// The cut-off itself wakes the server: a stuck client's connection, waiting for a socket that
    /// never drains, goes even when no other client's traffic comes along to wake the service loop.
    @Test func aStuckClientAloneIsDisconnectedAtTheBound() throws {
        let feed = try InProcessFeed(limits: LiveClientLimits(maximumQueuedBytes: 64 * 1024))
        let stuck = try RawHTTPClient(port: feed.port)
        #expect(try stuck.request(path: "/v1/stream?token=\(feed.token)").hasPrefix("HTTP/1.1 101"))
        stuck.sendText(#"{"op":"subscribe","pairs":["*"],"channels":["trade"]}"#)
        var published = 0
        let cutOff = try eventually(seconds: 60) {
            for _ in 0..<100 {
                published += 1
                feed.hub.publish(LiveMessage.trade(pair: "BTC-USD", try trade(id: UInt64(published), at: 1)))
            }
            return feed.hub.snapshot.disconnectedSlow == 1
        }
        #expect(cutOff, "the stuck client is cut off")
        #expect(eventually(seconds: 30) { feed.server.queuedBytes(1) == nil }, "its connection is closed")
    }
}
