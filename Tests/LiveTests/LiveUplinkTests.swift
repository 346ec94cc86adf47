import BytebitCore
import BytebitLive
import Foundation
import Testing

/// The collectors' side: the uplink connects by itself when the feed server appears, and again
/// after it restarts; while there is none, records are counted as dropped and cost no encoding.
@Suite struct LiveUplinkTests {
    func socketPath() throws -> String {
        let folder = "/tmp/live-uplink-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return "\(folder)/live.sock"
    }

    @Test func theUplinkReachesAServerThatStartsLaterAndOneThatRestarts() throws {
        let path = try socketPath()
        let uplink = LiveUplink(socketPath: path, logger: quietLogger)
        defer { uplink.close() }
        let sink = LiveUplinkSink(pair: "BTC-USD", uplink: uplink)
        sink.record(book: try bookTop(at: 1))
        sink.flush()
        #expect(uplink.droppedCount == 1, "no server yet: dropped and counted")

        let hub = LiveHub(logger: quietLogger)
        var listener = try LiveUplinkListener(path: path, hub: hub, logger: quietLogger)
        listener.start()
        #expect(eventually { uplink.isConnected })
        sink.flush()  // the sink sees the connection at its next flush
        sink.record(book: try bookTop(at: 2))
        sink.record(trade: try trade(id: 9, at: 3))
        sink.record(event: event(.snapshot, at: 4))
        sink.flush()
        #expect(eventually { hub.snapshot.messagesReceived == 3 })
        #expect(hub.snapshot.malformedLines == 0, "every line is a whole LiveMessage")

        listener.stop()
        #expect(eventually { hub.snapshot.collectorsConnected == 0 })
        let secondHub = LiveHub(logger: quietLogger)
        listener = try LiveUplinkListener(path: path, hub: secondHub, logger: quietLogger)
        listener.start()
        defer { listener.stop() }
        let reached = try eventually(seconds: 15) {
            sink.record(trade: try trade(id: 10, at: 5))
            sink.flush()
            return secondHub.snapshot.messagesReceived > 0
        }
        #expect(reached, "the uplink reconnected to the restarted server")
    }

    /// A batch goes into an empty queue as it is (buffers swapped) and after queued ones by a copy:
    /// either way the caller's lines are left empty and every line arrives once, in order.
    @Test func batchesArriveInOrderAndLeaveTheCallersLinesEmpty() throws {
        let path = try socketPath()
        let reader = try LiveMessageOutputsTests.SocketReader(path: path)
        defer { close(reader.fd); unlink(path) }
        let uplink = LiveUplink(socketPath: path, logger: quietLogger)
        #expect(eventually { uplink.isConnected })
        var lines: [UInt8] = []
        var expected: [String] = []
        for batch in 0..<200 {
            for index in 0..<3 {
                let line = "{\"batch\":\(batch),\"line\":\(index)}"
                lines += Array(line.utf8) + [UInt8(ascii: "\n")]
                expected.append(line)
            }
            uplink.enqueue(&lines, messages: 3)
            #expect(lines.isEmpty)
        }
        uplink.close()
        #expect(eventually { reader.lines.count >= expected.count })
        #expect(reader.lines == expected)
        #expect(uplink.sentCount == expected.count && uplink.droppedCount == 0)
    }

    @Test func aFullQueueDropsWholeBatchesAndCountsThem() throws {
        let path = try socketPath()
        // A server that accepts and never reads: the uplink's writes back up, its queue fills.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd); unlink(path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0 && listen(fd, 4) == 0)
        let uplink = LiveUplink(socketPath: path, capacityBytes: 64 * 1024, logger: quietLogger)
        defer { uplink.close(timeout: .milliseconds(100)) }
        #expect(eventually { uplink.isConnected })
        let sink = LiveUplinkSink(pair: "BTC-USD", uplink: uplink)
        sink.flush()
        var offered = 0
        let dropping = try eventually(seconds: 20) {
            for _ in 0..<200 {
                offered += 1
                // 50 ms apart: every book goes out (none is only kept), so the queue fills quickly.
                sink.record(book: try bookTop(at: Int64(offered) * 50_000))
            }
            sink.flush()
            return uplink.droppedCount > 0
        }
        #expect(dropping, "a stuck feed server costs dropped messages, never a wait")
        #expect(uplink.sentCount + uplink.droppedCount <= offered)
    }
}

/// The collector's sink sends at most one book per pair per 50 ms (the latest of each window at the
/// next flush), and an event drops the book it kept.
@Suite struct LiveUplinkSinkThinningTests {
    @Test func booksWithin50msAreKeptAndOnlyTheLatestGoesOut() throws {
        let path = "/tmp/live-thin-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        let feed = try InProcessFeed()
        let listener = try LiveUplinkListener(path: path, hub: feed.hub, logger: quietLogger)
        listener.start()
        defer { listener.stop() }
        let uplink = LiveUplink(socketPath: path, logger: quietLogger)
        defer { uplink.close() }
        #expect(eventually { uplink.isConnected })
        let client = try FeedClient(url: feed.url("?token=\(feed.token)"))
        #expect(eventually { client.isOpen && feed.hub.snapshot.clientsConnected == 1 })
        client.send(#"{"op":"subscribe","pairs":["*"],"channels":["book","event"]}"#)
        #expect(eventually { client.messages.count == 1 })
        let sink = LiveUplinkSink(pair: "BTC-USD", uplink: uplink)
        sink.flush()
        // 100 books 1 ms apart (by their receive time): the first, the one 50 ms later, and the latest at the flush.
        for index in 0..<100 {
            sink.record(book: try bookTop(at: 1_000_000 + Int64(index) * 1_000, bid: "\(1000 + index).0", ask: "5000.0"))
        }
        sink.flush()
        #expect(eventually { feed.hub.snapshot.messagesReceived == 3 }, "\(feed.hub.snapshot)")
        #expect(eventually { client.objects.last?["bids"].flatMap { ($0 as? [[String]])?.first?.first } == "1099.0" },
                "the latest book arrives")
        // A book 60 ms after the last one sent goes at once; one 10 ms later is kept, then dropped by an event.
        sink.record(book: try bookTop(at: 1_159_000, bid: "2000.0", ask: "5000.0"))
        sink.record(book: try bookTop(at: 1_169_000, bid: "2001.0", ask: "5000.0"))
        sink.record(event: event(.checksumMismatch, at: 1_170_000))
        sink.flush()
        #expect(eventually { feed.hub.snapshot.messagesReceived == 5 }, "the 60 ms one and the event")
        #expect(!client.messages.contains { $0.contains("\"2001.0\"") }, "the kept book from before the event never goes out")
    }
}
