import Foundation
import Testing

@testable import BytebitCore

/// With outputs on, a book's row is formatted once (`BookRowText`): the file appends it and the
/// JSON of SPEC §9 copies its number text. The row must be the file's row byte for byte, and the
/// message must say exactly what the row says.
@Suite struct BookRowTextTests {
    private static let at = UTCTimestamp("2026-11-21T13:00:00.123456Z")!
    private static let received = UTCTimestamp("2026-11-21T13:00:00.124001Z")!

    /// Books of every shape: 0 to 12 levels a side, prices and quantities of many scales and lengths.
    private static func randomBooks(count: Int) -> [VerifiedBookTop] {
        var random = SeededRandomNumberGenerator(seed: 12)
        func number(scale: Int8) -> ExactDecimal {
            ExactDecimal(units: Int64.random(in: 0...Int64(10_000_000_000_000), using: &random), scale: scale)
        }
        return (0..<count).map { index in
            let priceScale = Int8.random(in: 0...8, using: &random)
            let qtyScale = Int8.random(in: 0...12, using: &random)
            let bids = (0..<Int.random(in: 0...12, using: &random)).map { _ in
                PriceLevel(price: number(scale: priceScale), qty: number(scale: qtyScale))
            }
            let asks = (0..<Int.random(in: 0...12, using: &random)).map { _ in
                PriceLevel(price: number(scale: priceScale), qty: number(scale: qtyScale))
            }
            return VerifiedBookTop(
                timestamp: UTCTimestamp(microsecondsSince1970: at.microseconds + Int64(index) * 1_234_567),
                receivedAt: UTCTimestamp(microsecondsSince1970: received.microseconds + Int64(index) * 7_654_321),
                bids: bids[...], asks: asks[...], checksum: UInt32.random(in: 0...UInt32.max, using: &random))
        }
    }

    private static func csvRow(_ top: VerifiedBookTop, levels: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        OrderBookCSV.appendRow(
            to: &bytes, timestamp: top.timestamp, receivedAt: top.receivedAt, bids: top.bids, asks: top.asks,
            levels: levels)
        return bytes
    }

    @Test func theRowIsTheFilesRowByteForByte() {
        var text = BookRowText()
        for (index, top) in Self.randomBooks(count: 300).enumerated() {
            let levels = 1 + index % 10
            // The same value formatted again and again: its buffers are reused, the bytes never stale.
            text.format(top, levels: levels)
            #expect(text.row == Self.csvRow(top, levels: levels))
            #expect(text.levels == levels && text.checksum == top.checksum)
        }
    }

    /// Reads the message back and compares it cell by cell with the row it was made from: a message
    /// whose text differs from its row in any number, time or order fails here.
    @Test func theMessageSaysExactlyWhatItsRowSays() throws {
        var text = BookRowText()
        for (index, top) in Self.randomBooks(count: 300).enumerated() {
            let levels = 1 + index % 12
            text.format(top, levels: levels)
            var bytes: [UInt8] = []
            LiveMessage.appendBook(pair: "BTC-USD", text, to: &bytes)
            let message = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
            let cells = String(decoding: text.row.dropLast(), as: UTF8.self)
                .split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(cells.count == 2 + 4 * levels + 1)
            #expect(message["timestamp"] as? String == cells[0])
            #expect(message["received_at"] as? String == cells[1])
            #expect((message["checksum"] as? NSNumber)?.uint32Value == top.checksum)
            // Bids run deepest → best in the row (qty, price), best first in the message ([price, qty]).
            var rowBids: [[String]] = []
            var rowAsks: [[String]] = []
            for depth in 0..<levels {
                let bidColumn: Int = 2 + 2 * (levels - 1 - depth)
                let askColumn: Int = 2 + 2 * levels + 1 + 2 * depth
                if !cells[bidColumn + 1].isEmpty { rowBids.append([cells[bidColumn + 1], cells[bidColumn]]) }
                if !cells[askColumn + 1].isEmpty { rowAsks.append([cells[askColumn + 1], cells[askColumn]]) }
            }
            #expect(message["bids"] as? [[String]] == rowBids)
            #expect(message["asks"] as? [[String]] == rowAsks)
            #expect(rowBids.count == min(levels, top.bids.count) && rowAsks.count == min(levels, top.asks.count))
        }
    }

    /// The bytes of SPEC §9, spelled out from the values (the way the messages were built before the
    /// row text was shared), against both ways in: a top with shared text and one without.
    @Test func theMessageBytesAreSpecNine() {
        for top in Self.randomBooks(count: 100) {
            func levels(_ side: ArraySlice<PriceLevel>) -> String {
                "[" + side.map { "[\"\($0.price)\",\"\($0.qty)\"]" }.joined(separator: ",") + "]"
            }
            let expected = "{\"type\":\"book\",\"pair\":\"ETH2.S-ETH\",\"timestamp\":\"\(top.timestamp)\","
                + "\"received_at\":\"\(top.receivedAt)\",\"checksum\":\(top.checksum),"
                + "\"bids\":\(levels(top.bids)),\"asks\":\(levels(top.asks))}"
            #expect(String(decoding: LiveMessage.book(pair: "ETH2.S-ETH", top), as: UTF8.self) == expected)
            var shared = top
            shared.text = BookRowText(top, levels: 12)
            #expect(String(decoding: LiveMessage.book(pair: "ETH2.S-ETH", shared), as: UTF8.self) == expected)
        }
    }

    @Test func aCopyKeepsItsTextWhenTheOriginalIsFormattedAgain() {
        let books = Self.randomBooks(count: 2)
        var original = BookRowText(books[0], levels: 10)
        var kept = BookRowText()
        kept.copy(original)
        original.format(books[1], levels: 10)
        #expect(kept.row == Self.csvRow(books[0], levels: 10))
        #expect(original.row == Self.csvRow(books[1], levels: 10))
        var bytes: [UInt8] = []
        LiveMessage.appendBook(pair: "BTC-USD", kept, to: &bytes)
        #expect(bytes == LiveMessage.book(pair: "BTC-USD", books[0]))
    }

    /// One kept buffer copied into again and again (as the live sink keeps books): longer and
    /// shorter rows, more and fewer levels, each copy is exactly its original.
    @Test func aReusedCopyIsEachOriginalWhateverItsLength() {
        var kept = BookRowText()
        for (index, top) in Self.randomBooks(count: 60).enumerated() {
            let levels = [10, 3, 25, 1][index % 4]
            let original = BookRowText(top, levels: levels)
            kept.copy(original)
            #expect(kept.row == original.row)
            #expect(kept.rowLength == original.rowLength && kept.checksum == original.checksum)
            var fromKept: [UInt8] = []
            LiveMessage.appendBook(pair: "BTC-USD", kept, to: &fromKept)
            var fromOriginal: [UInt8] = []
            LiveMessage.appendBook(pair: "BTC-USD", original, to: &fromOriginal)
            #expect(fromKept == fromOriginal)
        }
    }

    /// The file gets the shared row as it is, and formats its own when the text has other columns.
    @Test func theFileAppendsTheSharedRowOrFormatsItsOwn() {
        for top in Self.randomBooks(count: 50) {
            var plain = RowBatch(orderBookLevels: 10)
            plain.appendOrderBook(timestamp: top.timestamp, receivedAt: top.receivedAt, bids: top.bids, asks: top.asks)
            var shared = top
            shared.text = BookRowText(top, levels: 10)
            var viaText = RowBatch(orderBookLevels: 10)
            viaText.appendOrderBook(shared)
            #expect(viaText.orderBook.bytes == plain.orderBook.bytes)
            #expect(viaText.byteCount == plain.byteCount && viaText.orderBook.times == plain.orderBook.times)
            shared.text = BookRowText(top, levels: 3)
            var otherColumns = RowBatch(orderBookLevels: 10)
            otherColumns.appendOrderBook(shared)
            #expect(otherColumns.orderBook.bytes == plain.orderBook.bytes)
        }
    }
}
