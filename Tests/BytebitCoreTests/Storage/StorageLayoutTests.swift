import Foundation
import Testing
@testable import BytebitCore

/// One schema per folder: a changed `levels` writes to `orderbook/levels-N/`, never beside the pair's
/// first layout, so a glob over `orderbook/orderbook_data_*.csv*` meets one header.
@Suite struct StorageLayoutTests {
    func write(_ scratch: StorageScratch, levels: Int, at time: String) {
        let writer = RecordWriter(
            settings: .init(dataDirectory: scratch.path, pair: "BTC-USD", orderBookLevels: levels,
                            compressesFinishedDays: false, flushInterval: .seconds(3600)),
            clock: ManualClock(StorageScratch.time(time)), logger: StorageScratch.logger)
        var batch = writer.makeBatch()
        StorageScratch.book(&batch, time)
        writer.submit(&batch)
        writer.close()
    }

    func header(_ levels: Int) -> String { String(decoding: OrderBookCSV.header(levels: levels), as: UTF8.self) }

    @Test func aMidDayChangeOfLevelsGoesToItsOwnFolderAndBackAgain() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        write(scratch, levels: 1, at: "2026-11-21T10:00:00Z")
        write(scratch, levels: 2, at: "2026-11-21T11:00:00Z")
        write(scratch, levels: 1, at: "2026-11-21T12:00:00Z")
        #expect(scratch.names("BTC-USD", .orderBook) == ["levels-2", "orderbook_data_2026-11-21.csv"])
        let main = try #require(scratch.read("BTC-USD", .orderBook, "orderbook_data_2026-11-21.csv"))
        let changed = try #require(scratch.read("BTC-USD", .orderBook, "levels-2/orderbook_data_2026-11-21.csv"))
        #expect(main.hasPrefix(header(1)))
        #expect(main.split(separator: "\n").count == 3)
        #expect(changed.hasPrefix(header(2)))
        #expect(changed.split(separator: "\n").count == 2)
    }

    @Test func theNextDayOfAChangedLayoutStaysInItsFolder() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        write(scratch, levels: 1, at: "2026-11-20T10:00:00Z")
        // A new day with another layout: the stream's folder keeps the pair's first layout.
        write(scratch, levels: 3, at: "2026-11-21T10:00:00Z")
        #expect(scratch.names("BTC-USD", .orderBook) == ["levels-3", "orderbook_data_2026-11-20.csv"])
        let moved = try #require(scratch.read("BTC-USD", .orderBook, "levels-3/orderbook_data_2026-11-21.csv"))
        #expect(moved.hasPrefix(header(3)))
    }

    @Test func theFirstLayoutOfAPairTakesTheStreamFolder() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        write(scratch, levels: 3, at: "2026-11-21T10:00:00Z")
        #expect(scratch.names("BTC-USD", .orderBook) == ["orderbook_data_2026-11-21.csv"])
    }

    @Test func anOldNumberedVariantIsStillFoundAndNamed() throws {
        let scratch = try StorageScratch()
        defer { scratch.remove() }
        write(scratch, levels: 1, at: "2026-11-21T10:00:00Z")
        let folder = scratch.path + "/BTC-USD/orderbook"
        try (header(2) + "2026-11-21T11:00:00.000000Z,2026-11-21T11:00:00.000000Z,,,,,,,,,,\n")
            .write(toFile: folder + "/orderbook_data_2026-11-21.1.csv", atomically: true, encoding: .utf8)
        write(scratch, levels: 2, at: "2026-11-21T12:00:00Z")
        let names = DailyFileName.existing(dataDirectory: scratch.path, pair: "BTC-USD", kind: .orderBook)
        #expect(names.map(\.relativePath) == [
            "orderbook_data_2026-11-21.csv", "orderbook_data_2026-11-21.1.csv", "levels-2/orderbook_data_2026-11-21.csv",
        ])
    }

    @Test func layoutsAreReadBackFromTheirHeaders() throws {
        for levels in [1, 3, 25] {
            let cells = OrderBookColumns.names(levels: levels)
            #expect(StreamLayout(stream: .orderBook, headerCells: cells) == StreamLayout(stream: .orderBook, levels: levels))
            #expect(StreamLayout(stream: .trades, headerCells: cells) == nil)
        }
        #expect(StreamLayout(stream: .trades, headerCells: ["timestamp", " received_at", "trade_id", "side", "price", "qty", "ord_type"]) != nil)
        #expect(StreamLayout(stream: .events, headerCells: ["timestamp", "event"]) == nil)
        #expect(StreamLayout(stream: .orderBook, levels: 25).layoutFolderName == "levels-25")
        #expect(StreamLayout(stream: .trades, levels: 25).layoutFolderName == nil)
    }

    @Test func countsAreKeyedByStream() {
        var counts = StreamCounts()
        counts[.trades] += 2
        counts[.events] += 1
        var more = StreamCounts()
        more[.trades] = 5
        counts.add(more)
        #expect(counts[.trades] == 7)
        #expect(counts[.orderBook] == 0)
        #expect(counts.total == 8)
    }

    /// The counts sit in an array by slot (a dictionary lookup per count cost more than the count):
    /// every stream keeps its own count, and a stream never counted equals one counted 0.
    @Test func everyStreamCountsApart() {
        var counts = StreamCounts()
        for (number, stream) in RecordedStream.allCases.enumerated() { counts[stream] += number + 1 }
        for (number, stream) in RecordedStream.allCases.enumerated() { #expect(counts[stream] == number + 1, "\(stream)") }
        let n = RecordedStream.allCases.count
        #expect(counts.total == n * (n + 1) / 2)
        var zero = StreamCounts()
        zero[.ohlc(.fifteenDays)] = 0
        #expect(zero == StreamCounts())
        zero[.ticker] = 1
        #expect(zero != StreamCounts())
    }
}
