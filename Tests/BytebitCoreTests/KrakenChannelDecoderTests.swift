import Testing

@testable import BytebitCore

/// The ticker and ohlc decoders against Kraken's real and documented frames: every number keeps
/// the text Kraken printed.
@Suite struct KrakenChannelDecoderTests {
    func decode(_ text: String) throws -> KrakenMessage {
        var decoder = KrakenDecoder()
        return try decoder.decode(text)
    }

    /// live-frames.json `ohlc_update`, captured from Kraken's public v2 feed on 2026-10-06.
    @Test func theCapturedOHLCUpdate() throws {
        guard case .ohlc(let message) = try decode(try KrakenFixture.liveFrame("ohlc_update")) else {
            Issue.record("not an ohlc message")
            return
        }
        #expect(!message.isSnapshot)
        let candle = try #require(message.candles.first)
        #expect(message.candles.count == 1)
        #expect(candle.symbol == "BTC/USD")
        #expect(candle.intervalMinutes == 1)
        // Nine fraction digits, read to the microsecond; the deprecated item `timestamp` (the end) is not the begin.
        #expect(candle.intervalBegin == UTCTimestamp("2026-10-06T18:06:00Z"))
        #expect(["\(candle.open)", "\(candle.high)", "\(candle.low)", "\(candle.close)"]
            == ["85754.8", "85754.8", "85754.7", "85754.8"])
        #expect("\(candle.volume)" == "0.00126522")
        #expect("\(candle.vwap)" == "85754.7")
        #expect(candle.trades == 5)
    }

    /// live-frames.json `ohlc_subscribe_ack_with_warning`: the interval maps the ack to its subscription.
    @Test func theCapturedOHLCAckNamesItsInterval() throws {
        guard case .subscribed(let ack) = try decode(try KrakenFixture.liveFrame("ohlc_subscribe_ack_with_warning"))
        else {
            Issue.record("not an ack")
            return
        }
        #expect(ack.channel == "ohlc")
        #expect(ack.interval == 1)
        #expect(ack.warnings == ["timestamp is deprecated, use interval_begin"])
        #expect(FeedChannel(krakenName: "ohlc", interval: ack.interval) == .ohlc1m)
        #expect(FeedChannel(krakenName: "ohlc", interval: 2) == nil, "an interval Kraken lacks")
        #expect(FeedChannel(krakenName: "ohlc", interval: nil) == nil)
        #expect(FeedChannel(krakenName: "ticker", interval: nil) == .ticker)
        #expect(FeedChannel(krakenName: "ohlc 1m", interval: nil) == nil, "our raw value is not Kraken's name")
    }

    /// docs/kraken-v2.md §6.4, Kraken's documentation example (ALGO/USD), verbatim.
    static let documentedTicker =
        #"{"channel":"ticker","type":"snapshot","data":[{"symbol":"ALGO/USD","bid":0.10025,"bid_qty":740.0,"ask":0.10036,"ask_qty":1361.44813783,"last":0.10035,"volume":997038.98383185,"vwap":0.10148,"low":0.09979,"high":0.10285,"change":-0.00017,"change_pct":-0.17,"timestamp":"2023-09-25T09:04:31.742648Z"}]}"#

    @Test func theDocumentedTickerKeepsEveryNumbersText() throws {
        guard case .ticker(let message) = try decode(Self.documentedTicker) else {
            Issue.record("not a ticker message")
            return
        }
        #expect(message.isSnapshot)
        let ticker = try #require(message.tickers.first)
        #expect(ticker.symbol == "ALGO/USD")
        let texts = [
            ticker.bid, ticker.bidQty, ticker.ask, ticker.askQty, ticker.last, ticker.volume, ticker.vwap, ticker.low,
            ticker.high, ticker.change, ticker.changePercent,
        ].map(\.description)
        #expect(texts == [
            "0.10025", "740.0", "0.10036", "1361.44813783", "0.10035", "997038.98383185", "0.10148", "0.09979",
            "0.10285", "-0.00017", "-0.17",
        ])
        #expect(ticker.timestamp == UTCTimestamp("2023-09-25T09:04:31.742648Z"))
    }

    /// The brief's reading of Kraken's v2 ticker had no timestamp: without one the row takes the receive time.
    @Test func aTickerWithoutTimestampIsStampedWhenReceived() throws {
        let text = Self.documentedTicker.replacingOccurrences(of: #","timestamp":"2023-09-25T09:04:31.742648Z""#, with: "")
        guard case .ticker(let message) = try decode(text), let ticker = message.tickers.first else {
            Issue.record("not a ticker message")
            return
        }
        #expect(ticker.timestamp == nil)
        let received = UTCTimestamp(microsecondsSince1970: 1_795_262_400_123_456)
        #expect(TickerRecord(ticker, receivedAt: received).timestamp == received)
    }

    @Test(arguments: ["bid", "ask_qty", "change_pct", "symbol"])
    func aTickerMissingAFieldIsAnError(field: String) throws {
        var text = Self.documentedTicker
        for piece in [#""\#(field)":"ALGO/USD","#, #""\#(field)":-0.17,"#, #""\#(field)":0.10025,"#,
                      #""\#(field)":1361.44813783,"#] {
            text = text.replacingOccurrences(of: piece, with: "")
        }
        #expect(text != Self.documentedTicker)
        #expect(throws: KrakenDecodeError.self) { try decode(text) }
    }
}
