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
                sink.record(book: try bookTop(at: Int64(offered)))
            }
            sink.flush()
            return uplink.droppedCount > 0
        }
        #expect(dropping, "a stuck feed server costs dropped messages, never a wait")
        #expect(uplink.sentCount + uplink.droppedCount <= offered)
    }
}
