import Foundation
import Testing

@testable import BytebitCore

/// The live outputs' JSON (SPEC §9) must say exactly what the file row says: numbers as the file's
/// text, levels best first, any detail text still one valid string.
@Suite struct LiveMessageTests {
    private let at = UTCTimestamp("2026-11-21T13:00:00.123456Z")!
    private let received = UTCTimestamp("2026-11-21T13:00:00.124001Z")!

    private func object(_ bytes: [UInt8]) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(bytes))
        return try #require(parsed as? [String: Any])
    }

    private func level(_ price: String, _ qty: String) -> PriceLevel {
        PriceLevel(price: ExactDecimal(price)!, qty: ExactDecimal(qty)!)
    }

    @Test func bookKeepsTheExactTextBestFirst() throws {
        let bids = [level("67321.1", "0.50000000"), level("67321.0", "1.00000000")]
        let asks = [level("67321.2", "1.20000000")]
        let top = VerifiedBookTop(
            timestamp: at, receivedAt: received, bids: bids[...], asks: asks[...], checksum: 3_619_791_617)
        let message = try object(LiveMessage.book(pair: "BTC-USD", top))
        #expect(message["type"] as? String == "book")
        #expect(message["pair"] as? String == "BTC-USD")
        #expect(message["timestamp"] as? String == "2026-11-21T13:00:00.123456Z")
        #expect(message["received_at"] as? String == "2026-11-21T13:00:00.124001Z")
        #expect((message["checksum"] as? NSNumber)?.uint32Value == 3_619_791_617)
        #expect(message["bids"] as? [[String]] == [["67321.1", "0.50000000"], ["67321.0", "1.00000000"]])
        #expect(message["asks"] as? [[String]] == [["67321.2", "1.20000000"]])
    }

    @Test func anEmptySideIsAnEmptyArray() throws {
        let top = VerifiedBookTop(timestamp: at, receivedAt: received, bids: [], asks: [], checksum: 0)
        let message = try object(LiveMessage.book(pair: "ETH2.S-ETH", top))
        #expect(message["bids"] as? [[String]] == [])
        #expect(message["pair"] as? String == "ETH2.S-ETH")
    }

    @Test func tradeKeepsTheExactText() throws {
        let trade = TradeRecord(
            timestamp: at, receivedAt: received, tradeID: 123, side: "buy", price: ExactDecimal("67321.2")!,
            qty: ExactDecimal("0.01000000")!, orderType: "market")
        let message = try object(LiveMessage.trade(pair: "BTC-USD", trade))
        #expect(message["type"] as? String == "trade")
        #expect((message["trade_id"] as? NSNumber)?.int64Value == 123)
        #expect(message["side"] as? String == "buy")
        #expect(message["price"] as? String == "67321.2")
        #expect(message["qty"] as? String == "0.01000000")
        #expect(message["ord_type"] as? String == "market")
        #expect(message["timestamp"] as? String == "2026-11-21T13:00:00.123456Z")
    }

    @Test func eventDetailWithQuotesAndNewlinesStaysOneString() throws {
        let detail = "Kraken said \"no\"\nthen \\ closed"
        let record = LedgerRecord(timestamp: at, event: .checksumMismatch, detail: detail)
        let message = try object(LiveMessage.event(pair: "BTC-USD", record))
        #expect(message["type"] as? String == "event")
        #expect(message["event"] as? String == "checksum_mismatch")
        #expect(message["detail"] as? String == detail)
    }

    @Test func klineKeepsTheExactTextAndSaysWhetherItIsComplete() throws {
        let kline = KlineRecord(
            interval: .fiveMinutes, intervalBegin: at, open: ExactDecimal("67321.1")!, high: ExactDecimal("67330.0")!,
            low: ExactDecimal("67300.5")!, close: ExactDecimal("67320.0")!,
            volume: WideDecimal(units: 125_000_000, scale: 8), vwap: nil, trades: 12, complete: false)
        let message = try object(LiveMessage.kline(pair: "BTC-USD", kline))
        #expect(message["type"] as? String == "kline")
        #expect(message["interval"] as? String == "5m")
        #expect(message["interval_begin"] as? String == "2026-11-21T13:00:00.123456Z")
        #expect(message["open"] as? String == "67321.1")
        #expect(message["low"] as? String == "67300.5")
        #expect(message["close"] as? String == "67320.0")
        #expect(message["volume"] as? String == "1.25000000")
        #expect(message["vwap"] is NSNull)
        #expect((message["trades"] as? NSNumber)?.intValue == 12)
        #expect(message["complete"] as? Bool == false)
    }
}
