import Foundation
import Testing

@testable import BytebitCore

/// A book's message is copied from each level's JSON fragment, rendered with the level's text when
/// the level changed and moved with it (`LevelJSONFragment`). Whatever the book went through, the
/// message must be byte for byte the one formatted from the levels.
@Suite struct LevelJSONFragmentTests {
    /// The message formatted from the levels alone (no level text, no fragments): the reference.
    private static func formattedMessage(pair: String, _ top: VerifiedBookTop) -> [UInt8] {
        var plain = top
        plain.levelText = nil
        plain.text = nil
        return LiveMessage.book(pair: pair, plain)
    }

    /// Random changes (clustered at the top, sometimes deep, deletes, scale changes, precision
    /// changes, snapshots, empty sides); messages are taken only sometimes, so several messages'
    /// changes pile up between renders, and the fragments are switched on after the book's text
    /// was already rendered without them.
    @Test(arguments: [(3, 3), (10, 10), (25, 10), (25, 25), (1000, 25), (40, 1)])
    func copiedMessagesEqualFormattedMessages(depth: Int, levels: Int) {
        var generator = SeededRandomNumberGenerator(seed: UInt64(depth * 17 + levels))
        var book = OrderBook(depth: depth, pricePrecision: 1, qtyPrecision: 8)
        let shared = SharedLiveMessage(pair: "BTC-USD")
        var messages = 0
        var copiedMessages = 0
        var mismatches = 0
        var time = UTCTimestamp(microsecondsSince1970: 1_795_000_000_000_000)
        for step in 0..<3000 {
            book.applyRandomChange(step: step, using: &generator)
            // Rows with files alone first: the levels' text is rendered, then the fragments go on.
            if step == 600 { book.rendersLevelJSON = true }
            guard generator.next() % 3 != 0 else { continue }
            time.microseconds += [Int64(1), 999_999, 1_000_000, 86_400_000_000 * 40][Int(generator.next() % 4)]
            let top = VerifiedBookTop(
                timestamp: time, receivedAt: UTCTimestamp(microsecondsSince1970: time.microseconds + 4321), levels: levels,
                of: &book, checksum: UInt32(truncatingIfNeeded: generator.next()))
            guard book.rendersLevelJSON else {
                #expect(!top.carriesLevelJSON, "no fragments while the book does not render them")
                continue
            }
            messages += 1
            if top.carriesLevelJSON { copiedMessages += 1 }
            let expected = Self.formattedMessage(pair: "BTC-USD", top)
            shared.reset()
            if Array(shared.book(top)) != expected { mismatches += 1 }
            if LiveMessage.book(pair: "BTC-USD", top) != expected { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(copiedMessages == messages && messages > 1000)
    }

    /// The fragment of every level the book holds, however it got there, is the level's quoted
    /// price and quantity (checked on the JSON itself, not against another writer).
    @Test func eachFragmentIsItsLevelsPriceAndQuantity() throws {
        var book = OrderBook(depth: 25, pricePrecision: 2, qtyPrecision: 8)
        book.rendersLevelJSON = true
        var generator = SeededRandomNumberGenerator(seed: 11)
        for _ in 0..<200 { book.apply(bids: generator.randomBookLevels(spread: 40), asks: generator.randomBookLevels(spread: 40)) }
        let top = VerifiedBookTop(
            timestamp: UTCTimestamp(microsecondsSince1970: 0), receivedAt: UTCTimestamp(microsecondsSince1970: 1),
            levels: 25, of: &book, checksum: 3)
        #expect(top.carriesLevelJSON)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(LiveMessage.book(pair: "BTC-USD", top))) as? [String: Any])
        let bids = try #require(object["bids"] as? [[String]])
        let asks = try #require(object["asks"] as? [[String]])
        #expect(bids == top.bids.map { [$0.price.description, $0.qty.description] })
        #expect(asks == top.asks.map { [$0.price.description, $0.qty.description] })
        #expect(!bids.isEmpty && !asks.isEmpty)
    }

    /// A level too long for its text has no fragment: the top carries none and the message is
    /// formatted from the levels (the same bytes).
    @Test func levelsTooLongForTheirTextAreFormatted() {
        var book = OrderBook(depth: 10, pricePrecision: 1, qtyPrecision: 8)
        book.rendersLevelJSON = true
        book.replace(
            bids: [PriceLevel(price: ExactDecimal(units: 50_000, scale: 1), qty: ExactDecimal(units: 123, scale: 30))],
            asks: [PriceLevel(price: ExactDecimal(units: 50_010, scale: 1), qty: ExactDecimal(units: 5, scale: 8))])
        let top = VerifiedBookTop(
            timestamp: UTCTimestamp(microsecondsSince1970: 0), receivedAt: UTCTimestamp(microsecondsSince1970: 5),
            levels: 10, of: &book, checksum: 1)
        #expect(!top.carriesLevelJSON)
        let shared = SharedLiveMessage(pair: "BTC-USD")
        #expect(Array(shared.book(top)) == Self.formattedMessage(pair: "BTC-USD", top))
        #expect(String(decoding: shared.book(top), as: UTF8.self).contains(#"["5000.0","0.000000000000000000000000000123"]"#))
    }

    /// Fragments made for other levels than the top lists (its levels cut after it was made) are
    /// not used for it.
    @Test func fragmentsOfOtherLevelsAreNotUsed() {
        var book = OrderBook(depth: 10, pricePrecision: 1, qtyPrecision: 8)
        book.rendersLevelJSON = true
        let levels = (0..<6).map { PriceLevel(price: ExactDecimal(units: Int64(100 + $0), scale: 1), qty: ExactDecimal(units: 7, scale: 8)) }
        book.replace(bids: levels.map { PriceLevel(price: ExactDecimal(units: 200 - $0.price.units, scale: 1), qty: $0.qty) }, asks: levels)
        var top = VerifiedBookTop(
            timestamp: UTCTimestamp(microsecondsSince1970: 0), receivedAt: UTCTimestamp(microsecondsSince1970: 5),
            levels: 5, of: &book, checksum: 1)
        #expect(top.carriesLevelJSON)
        top.bids = top.bids.prefix(2)
        #expect(!top.carriesLevelJSON)
        #expect(LiveMessage.book(pair: "BTC-USD", top) == Self.formattedMessage(pair: "BTC-USD", top))
    }

    /// With files alone the book renders no fragments (its text only), and switching them off
    /// again stops them.
    @Test func fragmentsAreRenderedOnlyWhenAskedFor() {
        var book = OrderBook(depth: 10, pricePrecision: 1, qtyPrecision: 8)
        book.replace(
            bids: [PriceLevel(price: ExactDecimal(units: 50_000, scale: 1), qty: ExactDecimal(units: 1, scale: 8))],
            asks: [PriceLevel(price: ExactDecimal(units: 50_010, scale: 1), qty: ExactDecimal(units: 5, scale: 8))])
        func top() -> VerifiedBookTop {
            VerifiedBookTop(
                timestamp: UTCTimestamp(microsecondsSince1970: 0), receivedAt: UTCTimestamp(microsecondsSince1970: 5),
                levels: 10, of: &book, checksum: 1)
        }
        #expect(top().levelText != nil && !top().carriesLevelJSON)
        book.rendersLevelJSON = true
        #expect(top().carriesLevelJSON)
        book.rendersLevelJSON = false
        #expect(top().levelText != nil && !top().carriesLevelJSON)
    }
}
