import BytebitCore
import KrakenSim
import Testing

/// What a client sees first, and the application ping.
@Suite struct ConnectionTests {
    @Test func statusIsTheFirstFrameWithAConnectionIDBeyondInt64() throws {
        let harness = try SimHarness()
        let first = harness.open(1)
        let second = harness.open(2)
        for (id, isAboveInt64) in [(first, true), (second, false)] {
            let frames = harness.output.frames(to: id)
            #expect(frames.count == 1)
            let status = try RawJSON.parse(try #require(frames.first))
            #expect(status.keys == ["channel", "type", "data"])
            #expect(status["channel"]?.string == "status")
            #expect(status["type"]?.string == "update")
            let data = try #require(status["data"]?.array?.first)
            #expect(data.keys == ["version", "system", "api_version", "connection_id"])
            #expect(data["version"]?.string == "2.0.10")
            #expect(data["system"]?.string == "online")
            #expect(data["api_version"]?.string == "v2")
            let connectionID = try #require(data["connection_id"]?.number.flatMap { UInt64($0) })
            #expect((connectionID > UInt64(Int64.max)) == isAboveInt64)
        }
    }

    @Test func pingIsAnsweredWithPongEchoingTheRequestID() throws {
        let harness = try SimHarness()
        let id = harness.open(1)
        _ = harness.output.newFrames(to: id)
        harness.send(#"{"method":"ping","req_id":101}"#, from: id)
        harness.send(#"{"method":"ping"}"#, from: id)
        let frames = harness.output.newFrames(to: id)
        #expect(frames.count == 2)
        #expect(
            try replacingTimeOut(frames[0])
                == #"{"method":"pong","req_id":101,"time_in":"2026-11-21T12:00:00.000000Z","time_out":"OUT"}"#)
        #expect(
            try replacingTimeOut(frames[1])
                == #"{"method":"pong","time_in":"2026-11-21T12:00:00.000000Z","time_out":"OUT"}"#)
    }

    @Test func pongTimesFollowTheSimClock() throws {
        let start = try #require(UTCTimestamp("2026-11-21T23:59:59Z"))
        let harness = try SimHarness(SimOptions(start: start, speed: 2))
        let id = harness.open(1)
        harness.run(seconds: 1)
        _ = harness.output.newFrames(to: id)
        harness.send(#"{"method":"ping","req_id":1}"#, from: id)
        let pong = try RawJSON.parse(try #require(harness.output.newFrames(to: id).first))
        #expect(pong["time_in"]?.string == "2026-11-22T00:00:01.000000Z")
    }

    @Test func closedConnectionsGetNothingMore() throws {
        let harness = try SimHarness()
        let id = harness.open(1)
        harness.subscribeBook(["BTC/USD"], depth: 10, from: id)
        harness.exchange.connectionClosed(id)
        let count = harness.output.frames(to: id).count
        harness.run(seconds: 2)
        harness.send(#"{"method":"ping","req_id":1}"#, from: id)
        #expect(harness.output.frames(to: id).count == count)
    }

    @Test func shutdownClosesEveryConnectionGoingAway() throws {
        let harness = try SimHarness()
        let one = harness.open(1)
        let two = harness.open(2)
        harness.exchange.shutdown()
        #expect(harness.output.events.contains(.closed(one, code: 1001, reason: "simulator stopping")))
        #expect(harness.output.events.contains(.closed(two, code: 1001, reason: "simulator stopping")))
    }
}
