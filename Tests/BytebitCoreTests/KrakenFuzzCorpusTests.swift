import Foundation
import Testing

@testable import BytebitCore

/// Replays the inputs libFuzzer kept (scripts/fuzz-decoder) through decoder and book, as the
/// harness does: each must decode or fail with an error, never crash or hang.
@Suite struct KrakenFuzzCorpusTests {
    @Test func everyCorpusInputDecodesOrFailsCleanly() throws {
        let folder = try KrakenFixture.url("fuzz-corpus")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.count > 100, "the corpus is missing: run scripts/fuzz-decoder")
        var decoder = KrakenDecoder()
        var book = OrderBook(depth: 10, pricePrecision: 1, qtyPrecision: 8)
        var decoded = 0
        var rejected = 0
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            do {
                let message = try decoder.decode(bytes)
                decoded += 1
                switch message {
                case .book(let entries):
                    for entry in entries {
                        _ = book.ingest(entry)
                        #expect(book.bids.count <= 10 && book.asks.count <= 10)
                        #expect(zip(book.bids, book.bids.dropFirst()).allSatisfy { $0.price > $1.price })
                        #expect(zip(book.asks, book.asks.dropFirst()).allSatisfy { $0.price < $1.price })
                    }
                case .instrument(let instrument):
                    if let pair = instrument.pairs.first {
                        book.updatePrecision(price: pair.pricePrecision, qty: pair.qtyPrecision)
                    }
                default:
                    break
                }
            } catch {
                rejected += 1
                #expect(!error.description.isEmpty)
            }
        }
        // The corpus holds both kinds, so both paths ran.
        #expect(decoded > 0 && rejected > 0)
    }
}
