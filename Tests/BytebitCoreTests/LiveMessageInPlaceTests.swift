import Foundation
import Testing

@testable import BytebitCore

/// The trade and book messages are written in place (room made at once, then pointer writes): the
/// bytes must be the ones the piece-by-piece writer makes, and text that needs escaping must still
/// come out as valid JSON strings.
@Suite struct LiveMessageInPlaceTests {
    private let at = UTCTimestamp("2026-11-21T13:00:00.123456Z")!
    private let received = UTCTimestamp("2026-11-21T13:00:00.124001Z")!

    private func trade(id: UInt64, side: String = "buy", price: String = "67321.2", qty: String = "0.01000000",
                       orderType: String = "market") -> TradeRecord {
        TradeRecord(timestamp: at, receivedAt: received, tradeID: id, side: side, price: ExactDecimal(price)!,
                    qty: ExactDecimal(qty)!, orderType: orderType)
    }

    private func piecewise(pair: String, _ trade: TradeRecord) -> [UInt8] {
        var bytes: [UInt8] = []
        LiveMessage.appendTradePiecewise(pair: pair, trade, to: &bytes)
        return bytes
    }

    @Test func aTradeIsExactlyTheSpecBytes() {
        let text = String(decoding: LiveMessage.trade(pair: "BTC-USD", trade(id: 123)), as: UTF8.self)
        #expect(text == #"{"type":"trade","pair":"BTC-USD","timestamp":"2026-11-21T13:00:00.123456Z","received_at":"2026-11-21T13:00:00.124001Z","trade_id":123,"side":"buy","price":"67321.2","qty":"0.01000000","ord_type":"market"}"#)
    }

    @Test(arguments: [0, 9, 10, 99_999, 1_234_567_890_123, UInt64.max])
    func inPlaceTradesMatchThePiecewiseBytes(id: UInt64) {
        for (price, qty) in [("0.00000001", "123456789.12345678"), ("67321", "1"), ("-1.5", "0")] {
            let record = trade(id: id, price: price, qty: qty)
            #expect(LiveMessage.trade(pair: "ETH2.S-ETH", record) == piecewise(pair: "ETH2.S-ETH", record))
        }
    }

    /// A book's checksum is written two digits at a time: every length, both ends of it.
    @Test(arguments: [0, 1, 9, 10, 11, 99, 100, 101, 999, 1_000, 65_536, 99_999_999, 100_000_000, 1_000_000_000, UInt32.max])
    func checksumDigitsAreTheDecimalText(value: UInt32) {
        var room = [UInt8](repeating: 0, count: 12)
        let count = room.withUnsafeMutableBufferPointer { LiveMessage.writeChecksum(value, to: $0.baseAddress!) }
        #expect(String(decoding: room[..<count], as: UTF8.self) == String(value))
        #expect(room[count...].allSatisfy { $0 == 0 })
    }

    @Test func aTradeAppendsAfterWhatIsThere() {
        var bytes = Array("x\n".utf8)
        LiveMessage.appendTrade(pair: "BTC-USD", trade(id: 5), to: &bytes)
        #expect(bytes == Array("x\n".utf8) + LiveMessage.trade(pair: "BTC-USD", trade(id: 5)))
    }

    @Test func textThatNeedsEscapingStaysValidJSON() throws {
        let record = trade(id: 7, side: "b\"uy", orderType: "lim\\it\n")
        let bytes = LiveMessage.trade(pair: "A\"B", record)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["pair"] as? String == "A\"B")
        #expect(object["side"] as? String == "b\"uy")
        #expect(object["ord_type"] as? String == "lim\\it\n")
        #expect(bytes == piecewise(pair: "A\"B", record))
    }

    @Test func aBookWithAnEscapedPairNameStaysValidJSON() throws {
        let top = VerifiedBookTop(
            timestamp: at, receivedAt: received,
            bids: [PriceLevel(price: ExactDecimal("1.5")!, qty: ExactDecimal("2")!)][...], asks: [], checksum: 42)
        let plain = String(decoding: LiveMessage.book(pair: "BTC-USD", top), as: UTF8.self)
        #expect(plain == #"{"type":"book","pair":"BTC-USD","timestamp":"2026-11-21T13:00:00.123456Z","received_at":"2026-11-21T13:00:00.124001Z","checksum":42,"bids":[["1.5","2"]],"asks":[]}"#)
        let escaped = LiveMessage.book(pair: "X\"Y", top)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(escaped)) as? [String: Any])
        #expect(object["pair"] as? String == "X\"Y")
        #expect(object["bids"] as? [[String]] == [["1.5", "2"]])
        #expect(String(decoding: LiveMessage.book(pair: "", top), as: UTF8.self).hasPrefix(#"{"type":"book","pair":"","timestamp":"#))
    }

    /// The message written once for all of a market's outputs is the one each would write: for
    /// every record after a `reset`, with or without the row text, escaped or not, and however
    /// the buffer had to grow.
    @Test func theSharedMessageIsTheSameBytes() {
        for pair in ["BTC-USD", "A\"B"] {
            let shared = SharedLiveMessage(pair: pair)
            #expect(!shared.isWritten)
            for record in [trade(id: 1), trade(id: 99, side: "s\\ell"), trade(id: 3, qty: "123456789.12345678")] {
                shared.reset()
                #expect(Array(shared.trade(record)) == LiveMessage.trade(pair: pair, record))
                #expect(shared.isWritten)
            }
            var top = VerifiedBookTop(
                timestamp: at, receivedAt: received,
                bids: [PriceLevel(price: ExactDecimal("67321.1")!, qty: ExactDecimal("0.5")!)][...],
                asks: [PriceLevel(price: ExactDecimal("67321.2")!, qty: ExactDecimal("1.25")!)][...], checksum: 7)
            let withoutText = LiveMessage.book(pair: pair, top)
            shared.reset()
            #expect(Array(shared.book(top)) == withoutText)
            top.text = BookRowText(top, levels: 10)
            shared.reset()
            #expect(Array(shared.book(top)) == withoutText)
            let levels = (1...400).map { PriceLevel(price: ExactDecimal("\(60_000 + $0).5")!, qty: ExactDecimal("1.\($0)")!) }
            var deep = VerifiedBookTop(timestamp: at, receivedAt: received, bids: levels[...], asks: levels[...], checksum: 9)
            deep.text = BookRowText(deep, levels: 400)
            shared.reset()
            #expect(Array(shared.book(deep)) == LiveMessage.book(pair: pair, deep), "a message larger than the buffer")
        }
    }

    /// Until `reset`, the message stays the first record's: the second output copies it.
    @Test func theSharedMessageIsWrittenOncePerRecord() {
        let shared = SharedLiveMessage(pair: "BTC-USD")
        let first = Array(shared.trade(trade(id: 1)))
        #expect(Array(shared.trade(trade(id: 2))) == first)
        shared.reset()
        #expect(Array(shared.trade(trade(id: 2))) == LiveMessage.trade(pair: "BTC-USD", trade(id: 2)))
    }
}
