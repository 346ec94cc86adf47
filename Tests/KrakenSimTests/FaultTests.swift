import BytebitCore
import Foundation
import KrakenSim
import Testing

/// Each injected fault, on the connections it is meant to hit and no others.
@Suite struct FaultTests {
    /// Book and trade frames, in order (what the faults count).
    func dataFrames(_ frames: [String]) -> [String] {
        frames.filter { $0.hasPrefix(#"{"channel":"book""#) || $0.hasPrefix(#"{"channel":"trade""#) }
    }

    @Test func dropAfterResetsTheFirstConnectionOnlyByDefault() throws {
        let harness = try SimHarness(SimOptions(faults: [SimFaultRule(.dropAfter(messages: 5))]))
        let first = harness.open(1)
        harness.subscribeBook(["BTC/USD"], depth: 10, from: first)
        harness.run(seconds: 1)
        #expect(harness.output.wasDropped(first))
        #expect(dataFrames(harness.output.frames(to: first)).count == 5)
        #expect(harness.output.frames(to: first).last.map { dataFrames([$0]).count } == 1, "nothing after the fifth")
        let second = harness.open(2)
        harness.subscribeBook(["BTC/USD"], depth: 10, from: second)
        harness.run(seconds: 1)
        #expect(!harness.output.wasDropped(second))
        #expect(dataFrames(harness.output.frames(to: second)).count > 5)
    }

    @Test func everyConnectionScopeHitsReconnectsToo() throws {
        let harness = try SimHarness(
            SimOptions(faults: [SimFaultRule(.dropAfter(messages: 3), scope: .everyConnection)]))
        for number in UInt64(1)...3 {
            let id = harness.open(number)
            harness.subscribeBook(["ETH/USD"], depth: 10, from: id)
            harness.run(seconds: 1)
            #expect(harness.output.wasDropped(id))
        }
    }

    @Test func numberedScopeHitsOnlyThatConnection() throws {
        let harness = try SimHarness(
            SimOptions(faults: [SimFaultRule(.dropAfter(messages: 3), scope: .connection(number: 2))]))
        let ids = (UInt64(1)...3).map { harness.open($0) }
        for id in ids { harness.subscribeBook(["ETH/USD"], depth: 10, from: id) }
        harness.run(seconds: 1)
        #expect(ids.map { harness.output.wasDropped($0) } == [false, true, false])
    }

    @Test func wrongChecksumOnlyOnTheChosenBookMessage() throws {
        let harness = try SimHarness(SimOptions(faults: [SimFaultRule(.wrongChecksum(bookMessage: 4))]))
        let id = harness.open(1)
        harness.subscribeBook(["BTC/USD"], depth: 10, from: id)
        harness.run(seconds: 1)
        var book = ReferenceBook(depth: 10)
        var mismatches: [Int] = []
        for (index, frame) in try channelFrames(harness.output.frames(to: id), channel: "book").enumerated() {
            let data = try #require(frame["data"]?.array?.first)
            book.apply(data, isSnapshot: frame["type"]?.string == "snapshot")
            if String(book.checksum) != data["checksum"]?.number { mismatches.append(index + 1) }
        }
        #expect(mismatches == [4])
    }

    @Test func truncatedFrameIsInvalidJSONAndOnlyThatOne() throws {
        let harness = try SimHarness(SimOptions(faults: [SimFaultRule(.truncatedFrame(message: 3))]))
        let id = harness.open(1)
        harness.subscribeBook(["ETH/BTC"], depth: 10, from: id)
        harness.subscribeTrades(["ETH/BTC"], snapshot: true, from: id)
        harness.run(seconds: 1)
        let frames = harness.output.frames(to: id)
        let invalid = frames.enumerated().filter { (try? RawJSON.parse($0.element)) == nil }.map(\.offset)
        #expect(invalid.count == 1)
        let index = try #require(invalid.first)
        #expect((try? JSONSerialization.jsonObject(with: Data(frames[index].utf8))) == nil)
        let dataBefore = dataFrames(Array(frames[..<index]))
        #expect(dataBefore.count == 2)
    }

    @Test func rejectedPairIsNotSupportedOnTheFirstConnectionOnly() throws {
        let harness = try SimHarness(SimOptions(faults: [SimFaultRule(.rejectPair(symbol: "ETH/USD"))]))
        let first = harness.open(1)
        harness.subscribeBook(["ETH/USD"], depth: 10, from: first)
        let reply = try RawJSON.parse(try #require(harness.output.frames(to: first).last))
        #expect(reply["error"]?.string == "Currency pair not supported ETH/USD")
        #expect(reply["symbol"]?.string == "ETH/USD")
        #expect(reply["result"] == nil)
        let second = harness.open(2)
        harness.subscribeBook(["ETH/USD"], depth: 10, from: second)
        #expect(try channelFrames(harness.output.frames(to: second), channel: "book").count == 1)
    }

    @Test func silenceSendsNothingThenTheBookCatchesUp() throws {
        let harness = try SimHarness(SimOptions(faults: [SimFaultRule(.silence(afterMessages: 3, seconds: 2))]))
        let id = harness.open(1)
        harness.subscribeBook(["BTC/USD"], depth: 25, from: id)
        harness.run(seconds: 0.5)
        #expect(dataFrames(harness.output.newFrames(to: id)).count == 3)
        harness.send(#"{"method":"ping","req_id":1}"#, from: id)
        harness.run(seconds: 1.4)
        #expect(harness.output.newFrames(to: id).isEmpty, "no data, heartbeat or pong while silent")
        harness.run(seconds: 1)
        #expect(dataFrames(harness.output.newFrames(to: id)).count > 10)
        let replay = try BookFeedTests.replay(harness.output.frames(to: id), depth: 25, truth: harness.truth.books)
        #expect(replay.snapshots == 1)
    }

    @Test func maintenanceStatusPausesDataThenOnlineResumesIt() throws {
        let harness = try SimHarness(SimOptions(faults: [SimFaultRule(.maintenance(afterMessages: 2, seconds: 3))]))
        let id = harness.open(1)
        harness.subscribeBook(["BTC/USD"], depth: 10, from: id)
        harness.run(seconds: 0.5)
        let before = harness.output.newFrames(to: id)
        #expect(dataFrames(before).count == 2)
        let maintenance = try RawJSON.parse(try #require(before.last))
        #expect(maintenance["channel"]?.string == "status")
        let maintenanceData = try #require(maintenance["data"]?.array?.first)
        #expect(maintenanceData["system"]?.string == "maintenance")
        #expect(maintenanceData["connection_id"] == nil)

        // A subscription made during maintenance is acknowledged; its snapshot waits.
        harness.subscribeTrades(["BTC/USD"], snapshot: true, from: id)
        harness.run(seconds: 2.4)
        let during = harness.output.newFrames(to: id)
        #expect(dataFrames(during).isEmpty)
        #expect(during.filter { $0 == #"{"channel":"heartbeat"}"# }.count >= 2, "heartbeats continue")

        harness.run(seconds: 1)
        let after = harness.output.newFrames(to: id)
        let online = try RawJSON.parse(try #require(after.first))
        #expect(online["data"]?.array?.first?["system"]?.string == "online")
        #expect(online["data"]?.array?.first?["connection_id"] != nil)
        let trades = try channelFrames(after, channel: "trade")
        #expect(trades.first?["type"]?.string == "snapshot")
        #expect(dataFrames(after).count > 10)
        _ = try BookFeedTests.replay(harness.output.frames(to: id), depth: 10, truth: harness.truth.books)
    }
}
