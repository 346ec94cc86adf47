import Foundation
import Testing
@testable import BytebitCore

/// `data/PAIR/pair.csv`: the precisions and levels a loader needs, one row per change.
@Suite struct PairMetadataTests {
    func entry(_ time: String, price: Int = 1, qty: Int = 8, levels: Int = 10) -> PairMetadata.Entry {
        PairMetadata.Entry(since: StorageScratch.time(time), pricePrecision: price, qtyPrecision: qty, orderBookLevels: levels)
    }

    @Test func theFirstCallWritesTheHeaderAndARow() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        #expect(try PairMetadata.record(entry("2026-11-21T10:00:00Z"), dataDirectory: scratch.path, pair: "BTC-USD"))
        let text = try String(contentsOfFile: scratch.path + "/BTC-USD/pair.csv", encoding: .utf8)
        #expect(text == "since,price_precision,qty_precision,orderbook_levels\n2026-11-21T10:00:00.000000Z,1,8,10\n")
    }

    @Test func onlyAChangeAddsARow() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        let first = entry("2026-11-21T10:00:00Z")
        let changedLevels = entry("2026-11-21T12:00:00Z", levels: 25)
        let changedPrecision = entry("2026-11-22T00:00:00Z", price: 2, levels: 25)
        #expect(try PairMetadata.record(first, dataDirectory: scratch.path, pair: "BTC-USD"))
        // A restart or an instrument update with the same values writes nothing.
        #expect(try !PairMetadata.record(entry("2026-11-21T11:00:00Z"), dataDirectory: scratch.path, pair: "BTC-USD"))
        #expect(try PairMetadata.record(changedLevels, dataDirectory: scratch.path, pair: "BTC-USD"))
        #expect(try PairMetadata.record(changedPrecision, dataDirectory: scratch.path, pair: "BTC-USD"))
        #expect(try PairMetadata.read(dataDirectory: scratch.path, pair: "BTC-USD") == [first, changedLevels, changedPrecision])
    }

    @Test func aTornLastLineIsCutBeforeTheNextRow() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        try PairMetadata.record(entry("2026-11-21T10:00:00Z"), dataDirectory: scratch.path, pair: "BTC-USD")
        let handle = try #require(FileHandle(forWritingAtPath: scratch.path + "/BTC-USD/pair.csv"))
        handle.seekToEndOfFile()
        handle.write(Data("2026-11-21T11:00:00.0000".utf8))
        handle.closeFile()
        #expect(try PairMetadata.read(dataDirectory: scratch.path, pair: "BTC-USD").count == 1)
        try PairMetadata.record(entry("2026-11-21T12:00:00Z", qty: 4), dataDirectory: scratch.path, pair: "BTC-USD")
        let text = try String(contentsOfFile: scratch.path + "/BTC-USD/pair.csv", encoding: .utf8)
        #expect(text.hasSuffix("\n2026-11-21T10:00:00.000000Z,1,8,10\n2026-11-21T12:00:00.000000Z,1,4,10\n"))
    }

    @Test func noFileReadsAsNoRows() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        #expect(try PairMetadata.read(dataDirectory: scratch.path, pair: "BTC-USD").isEmpty)
    }
}
