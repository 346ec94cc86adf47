import BytebitCore
import BytebitLive
import Foundation
import Testing

/// A market's Redis and live sinks share each record's JSON (`LiveMessageOutputs`): the feed's
/// lines must be the bytes the live sink sends alone, kept books included, whichever output
/// writes the message first.
@Suite struct LiveMessageOutputsTests {
    /// An output that, like Redis, takes every book's and trade's message (so it writes it first).
    final class MessageRecorder: LiveMessageSink {
        var messages: [[UInt8]] = []
        var events = 0
        func record(book: VerifiedBookTop, message: SharedLiveMessage) { messages.append(Array(message.book(book))) }
        func record(trade: TradeRecord, message: SharedLiveMessage) { messages.append(Array(message.trade(trade))) }
        func record(book: VerifiedBookTop) { messages.append(LiveMessage.book(pair: "BTC-USD", book)) }
        func record(trade: TradeRecord) { messages.append(LiveMessage.trade(pair: "BTC-USD", trade)) }
        func record(event: LedgerRecord) { events += 1 }
        func flush() {}
        func close() {}
    }

    /// Every byte one uplink writes to a socket at `path` (a raw listener, read to the end).
    final class SocketReader: @unchecked Sendable {
        private let lock = NSLock()
        private var received: [UInt8] = []
        let fd: Int32

        init(path: String) throws {
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            try #require(bound == 0 && listen(fd, 4) == 0)
            let thread = Thread { [self] in
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                var chunk = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let count = chunk.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
                    if count <= 0 { break }
                    lock.withLock { received += chunk[..<count] }
                }
                close(client)
            }
            thread.start()
        }

        var lines: [String] {
            lock.withLock { String(decoding: received, as: UTF8.self).split(separator: "\n").map(String.init) }
        }
    }

    /// A book with its row text, as the recorder hands it to its outputs.
    private func book(at microseconds: Int64, bid: String) throws -> VerifiedBookTop {
        var top = try bookTop(at: microseconds, bid: bid)
        top.text = BookRowText(top, levels: 10)
        return top
    }

    /// The records of a tick at 1 ms apart: the first book goes out, the next 49 are kept in turn,
    /// the one 50 ms later goes out, a trade flushes nothing, and the latest kept book goes at the
    /// flush (a trade after it, written over no book's message, goes out before it).
    private func feed(_ sink: any RecordSink) throws {
        sink.flush()  // sees the connection
        for index in 0..<70 {
            sink.record(book: try book(at: 1_000_000 + Int64(index) * 1_000, bid: "\(1000 + index).0"))
            if index == 20 { sink.record(trade: try trade(id: 7, at: 1_021_500)) }
            if index == 69 { sink.record(trade: try trade(id: 8, at: 1_069_500)) }
        }
        sink.flush()
        sink.record(book: try book(at: 1_200_000, bid: "2000.0"))
        sink.record(book: try book(at: 1_210_000, bid: "2001.0"))
        sink.record(event: event(.checksumMismatch, at: 1_211_000))
        sink.flush()
    }

    private func linesSent(_ makeSink: (LiveUplinkSink) -> any RecordSink) throws -> [String] {
        let path = "/tmp/live-outputs-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        let reader = try SocketReader(path: path)
        defer { close(reader.fd); unlink(path) }
        let uplink = LiveUplink(socketPath: path, logger: quietLogger)
        #expect(eventually { uplink.isConnected })
        try feed(makeSink(LiveUplinkSink(pair: "BTC-USD", uplink: uplink)))
        #expect(eventually { uplink.sentCount == 7 }, "\(uplink.sentCount) sent")
        uplink.close()
        #expect(eventually { reader.lines.count == 7 })
        return reader.lines
    }

    @Test func theFeedGetsTheSameLinesWhenAnotherOutputWroteTheMessages() throws {
        let alone = try linesSent { $0 }
        #expect(alone.count == 7, "book, trade, book 50 ms later, trade, the last kept one, a book, the event")
        #expect(alone[3].contains(#""trade_id":8"#))
        #expect(alone[4].contains(#""bids":[["1069.0","#), "the latest kept book at the flush")
        let recorder = MessageRecorder()
        let shared = try linesSent { LiveMessageOutputs(pair: "BTC-USD", outputs: [recorder, $0]) }
        #expect(shared == alone)
        #expect(recorder.messages.count == 74 && recorder.events == 1, "the other output got every record")
        #expect(recorder.messages[0] == LiveMessage.book(pair: "BTC-USD", try bookTop(at: 1_000_000, bid: "1000.0")))
        #expect(!shared.contains { $0.contains(#""2001.0""#) }, "the kept book from before the event never goes out")
        let liveFirst = try linesSent { LiveMessageOutputs(pair: "BTC-USD", outputs: [$0, recorder]) }
        #expect(liveFirst == alone)
    }

    @Test func oneOutputIsNotWrapped() {
        let recorder = MessageRecorder()
        #expect(LiveMessageOutputs.combining(pair: "BTC-USD", [recorder]).first === recorder)
        #expect(LiveMessageOutputs.combining(pair: "BTC-USD", [recorder, MessageRecorder()]).first is LiveMessageOutputs)
    }
}
