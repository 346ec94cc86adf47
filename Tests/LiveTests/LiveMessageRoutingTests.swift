import BytebitCore
import BytebitLive
import Testing

@Suite struct LiveMessageRoutingTests {
    @Test func theEnvelopeOfEveryLiveMessageKindNamesItsChannelAndPair() throws {
        #expect(LiveEnvelope(line: LiveMessage.book(pair: "BTC-USD", try bookTop(at: 1)))
            == LiveEnvelope(channel: .book, pair: "BTC-USD"))
        #expect(LiveEnvelope(line: LiveMessage.trade(pair: "ETH-USD", try trade(id: 7, at: 1)))
            == LiveEnvelope(channel: .trade, pair: "ETH-USD"))
        #expect(LiveEnvelope(line: LiveMessage.event(pair: "ETH-BTC", event(.checksumMismatch, at: 1)))
            == LiveEnvelope(channel: .event, pair: "ETH-BTC"))
    }

    @Test(arguments: [
        "", "{}", "not json", #"{"type":"book"}"#, #"{"type":"candle","pair":"BTC-USD"}"#,
        #"{"type":"book","pair":""}"#, #"{"pair":"BTC-USD","type":"book"}"#,
    ])
    func aLineThatDoesNotStartLikeALiveMessageHasNoEnvelope(line: String) {
        #expect(LiveEnvelope(line: Array(line.utf8)) == nil)
    }

    @Test func aSubscribeNamesPairsAndChannels() throws {
        let parsed = try LiveSubscription.parse(Array(#"{"op":"subscribe","pairs":["BTC-USD"],"channels":["book","event"]}"#.utf8)).get()
        #expect(parsed == LiveSubscription(pairs: ["BTC-USD"], channels: [.book, .event]))
        #expect(parsed.wants(LiveEnvelope(channel: .book, pair: "BTC-USD")))
        #expect(!parsed.wants(LiveEnvelope(channel: .trade, pair: "BTC-USD")))
        #expect(!parsed.wants(LiveEnvelope(channel: .book, pair: "ETH-USD")))
    }

    /// As in config.yaml: Kraken's v1 asset names are its v2 ones, and the acknowledgement says so.
    @Test func aPairIsTakenUnderItsRecordedName() throws {
        let parsed = try LiveSubscription.parse(Array(#"{"op":"subscribe","pairs":["XBT-USD","XDG-EUR"]}"#.utf8)).get()
        #expect(parsed.pairs == ["BTC-USD", "DOGE-EUR"])
        #expect(String(decoding: parsed.acknowledgement, as: UTF8.self).hasPrefix(#"{"type":"subscribed","pairs":["BTC-USD","DOGE-EUR"]"#))
    }

    @Test func theStarPairTakesEveryPairAndNoChannelsMeansAll() throws {
        let parsed = try LiveSubscription.parse(Array(#"{"op":"subscribe","pairs":["*"]}"#.utf8)).get()
        #expect(parsed.pairs == nil)
        #expect(parsed.channels == Set(LiveChannel.allCases))
        #expect(parsed.wants(LiveEnvelope(channel: .trade, pair: "ANY-PAIR")))
        #expect(String(decoding: parsed.acknowledgement, as: UTF8.self)
            == #"{"type":"subscribed","pairs":["*"],"channels":["book","trade","kline","event"]}"#)
    }

    @Test(arguments: [
        ("[1,2]", "expected a JSON object"),
        (#"{"pairs":["BTC-USD"]}"#, "missing \"op\""),
        (#"{"op":"unsubscribe","pairs":["BTC-USD"]}"#, "unknown op \"unsubscribe\""),
        (#"{"op":"subscribe","pairs":[]}"#, "\"pairs\" must be a non-empty array"),
        (#"{"op":"subscribe","pairs":[3]}"#, "\"pairs\" must hold pair names"),
        (#"{"op":"subscribe","pairs":["BTC-USD"],"channels":["ticker"]}"#, "unknown channel ticker"),
        (#"{"op":"subscribe","pairs":["btc-usd"]}"#, #""btc-usd" is not a pair name: expected BASE-QUOTE in upper case, e.g. BTC-USD (did you mean BTC-USD?)"#),
        (#"{"op":"subscribe","pairs":["BTC-USD","ETH/USD"]}"#, #""ETH/USD" is not a pair name"#),
    ])
    func aBadSubscribeIsAnErrorThatSaysWhy(message: String, expected: String) {
        guard case .failure(let error) = LiveSubscription.parse(Array(message.utf8)) else {
            Issue.record("\(message) was taken")
            return
        }
        #expect(error.message.contains(expected), "\(error.message)")
        #expect(String(decoding: error.reply, as: UTF8.self).hasPrefix(#"{"type":"error","message":"#))
    }
}
